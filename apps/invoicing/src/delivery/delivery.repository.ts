import { Injectable } from '@nestjs/common';
import { rowsOf } from '@billing/common';
import type { EntityManager } from 'typeorm';

/** The only SQL of delivery state: two columns of `invoices` and its `sent_at`. */
@Injectable()
export class DeliveryRepository {
  /** The first successful send wins; it clears a failure reported before (a later resend worked). */
  async recordSent(m: EntityManager, tenantId: string, invoiceId: string, sentAt: string): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await m.query(
        `UPDATE invoices SET sent_at = coalesce(sent_at, $3), delivery_failed_at = NULL, delivery_error = NULL,
           updated_at = now()
         WHERE tenant_id = $1 AND id = $2 AND type = 'invoice' AND (sent_at IS NULL OR delivery_failed_at IS NOT NULL)
         RETURNING id`,
        [tenantId, invoiceId, sentAt],
      ),
    );
    return rows.length > 0;
  }

  /** A failure matters only while the invoice has not been sent. */
  async recordFailed(
    m: EntityManager,
    tenantId: string,
    invoiceId: string,
    failedAt: string,
    error: string,
  ): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await m.query(
        `UPDATE invoices SET delivery_failed_at = $3, delivery_error = $4, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 AND type = 'invoice' AND sent_at IS NULL
         RETURNING id`,
        [tenantId, invoiceId, failedAt, error.slice(0, 1000)],
      ),
    );
    return rows.length > 0;
  }
}
