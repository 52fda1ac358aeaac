import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryKind } from '@billing/contracts';
import { DATA_SOURCE, rowsOf } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';
import { type Delivery, type DeliveryRow, mapRow } from './delivery.model';

export interface NewDelivery {
  id: string;
  tenantId: string;
  invoiceId: string;
  kind: DeliveryKind;
  reminderOffset: number | null;
  messageId: string;
}

/**
 * The only SQL of deliveries. An attempt is fenced by (status 'sending', attempts): a worker whose
 * lease was taken over cannot record anything about an attempt that is no longer its own.
 */
@Injectable()
export class DeliveryRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Queues deliveries; those that exist already (same invoice, kind, offset) are left as they are. */
  async request(m: EntityManager, deliveries: NewDelivery[]): Promise<string[]> {
    if (deliveries.length === 0) return [];
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO deliveries (id, tenant_id, invoice_id, kind, reminder_offset, message_id, next_attempt_at)
       SELECT *, now() FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::delivery_kind[], $5::int[], $6::text[])
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        deliveries.map((d) => d.id),
        deliveries.map((d) => d.tenantId),
        deliveries.map((d) => d.invoiceId),
        deliveries.map((d) => d.kind),
        deliveries.map((d) => d.reminderOffset),
        deliveries.map((d) => d.messageId),
      ],
    );
    return rows.map((r) => r.id);
  }

  /** Takes up to `limit` attempts that are due (or whose owner went silent), leased for `leaseMs`. */
  async claim(limit: number, leaseMs: number): Promise<Delivery[]> {
    const rows = rowsOf<DeliveryRow>(
      await this.dataSource.query(
        `UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1,
           lease_until = now() + $2 * interval '1 millisecond', next_attempt_at = NULL, updated_at = now()
         WHERE d.id IN (
           SELECT id FROM deliveries
           WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
           ORDER BY coalesce(next_attempt_at, lease_until)
           LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING d.*`,
        [limit, leaseMs],
      ),
    );
    return rows.map(mapRow);
  }

  async markSent(m: EntityManager, d: Delivery, recipient: string): Promise<Delivery | null> {
    return this.finish(m, d, `status = 'sent', sent_at = now(), recipient = $3, last_error = NULL`, [
      recipient,
    ]);
  }

  async markFailed(
    m: EntityManager,
    d: Delivery,
    error: string,
    recipient: string | null,
  ): Promise<Delivery | null> {
    return this.finish(m, d, `status = 'failed', failed_at = now(), last_error = $3, recipient = $4`, [
      error.slice(0, 2000),
      recipient,
    ]);
  }

  async markCancelled(d: Delivery, reason: string): Promise<Delivery | null> {
    return this.finish(this.dataSource.manager, d, `status = 'cancelled', last_error = $3`, [reason]);
  }

  async markRetry(
    d: Delivery,
    error: string,
    delayMs: number,
    recipient: string | null,
  ): Promise<Delivery | null> {
    return this.finish(
      this.dataSource.manager,
      d,
      `status = 'pending', next_attempt_at = now() + $3 * interval '1 millisecond', last_error = $4,
       recipient = coalesce($5, recipient)`,
      [delayMs, error.slice(0, 2000), recipient],
    );
  }

  async listForInvoice(tenantId: string, invoiceId: string): Promise<Delivery[]> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT * FROM deliveries WHERE tenant_id = $1 AND invoice_id = $2 ORDER BY created_at, kind, reminder_offset`,
      [tenantId, invoiceId],
    );
    return rows.map(mapRow);
  }

  private async finish(
    m: EntityManager,
    d: Delivery,
    set: string,
    params: unknown[],
  ): Promise<Delivery | null> {
    const [row] = rowsOf<DeliveryRow>(
      await m.query(
        `UPDATE deliveries SET ${set}, lease_until = NULL, updated_at = now()
         WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING *`,
        [d.id, d.attempts, ...params],
      ),
    );
    return row ? mapRow(row) : null;
  }
}
