import { Injectable } from '@nestjs/common';
import { IdSchema, TimestampSchema, type EventEnvelope } from '@billing/contracts';
import type { Tx } from '@billing/common';
import { z } from 'zod';
import { DeliveryRepository } from './delivery.repository';

/** The parts of the notifier's events invoicing reads (validated on receipt, the rest stripped). */
export const InvoiceSentRef = z.object({
  invoice: z.object({ id: IdSchema }),
  delivery: z.object({ sent_at: TimestampSchema }),
});
export type InvoiceSent = z.infer<typeof InvoiceSentRef>;

export const DeliveryFailedRef = z.object({
  delivery: z.object({
    invoice_id: IdSchema,
    kind: z.string(),
    last_error: z.string().nullable(),
    failed_at: TimestampSchema,
  }),
});
export type DeliveryFailed = z.infer<typeof DeliveryFailedRef>;

/**
 * Records on the invoice what became of its email: `sent_at` when it went out, the failure when the
 * notifier gave up on it. Reminder failures stay with the notifier (GET /v1/invoices/{id}/deliveries):
 * the invoice's delivery state is about the invoice email.
 */
@Injectable()
export class DeliveryService {
  constructor(private readonly deliveries: DeliveryRepository) {}

  async sent(event: EventEnvelope<InvoiceSent>, tx: Tx): Promise<void> {
    await this.deliveries.recordSent(
      tx.manager,
      event.tenant_id,
      event.data.invoice.id,
      event.data.delivery.sent_at,
    );
  }

  async failed(event: EventEnvelope<DeliveryFailed>, tx: Tx): Promise<void> {
    const d = event.data.delivery;
    if (d.kind !== 'invoice') return;
    await this.deliveries.recordFailed(
      tx.manager,
      event.tenant_id,
      d.invoice_id,
      d.failed_at,
      d.last_error ?? 'The email could not be delivered.',
    );
  }
}
