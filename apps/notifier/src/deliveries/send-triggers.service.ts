import { Injectable } from '@nestjs/common';
import {
  type DeliveryView,
  type EventEnvelope,
  IdSchema,
  InvoiceStatusSchema,
  InvoicesRpc,
  type TenantContext,
} from '@billing/contracts';
import { RpcClient, type Tx } from '@billing/common';
import { z } from 'zod';
import { DeliveriesService } from './deliveries.service';

/**
 * All the notifier reads of `invoice.finalized` / `invoice.send_requested`: the invoice is fetched
 * from invoicing when it is rendered, so these payloads may shrink without the notifier noticing.
 */
export const SendTriggerSchema = z.object({
  invoice: z.object({
    id: IdSchema,
    type: z.enum(['invoice', 'bill']),
    auto_send: z.boolean(),
    status: InvoiceStatusSchema,
  }),
});
export type SendTrigger = z.infer<typeof SendTriggerSchema>;

/** When an invoice email is due: finalized with auto-send, or someone pressed send. */
@Injectable()
export class SendTriggers {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly rpc: RpcClient,
  ) {}

  async finalized(event: EventEnvelope<SendTrigger>, tx: Tx): Promise<void> {
    const { invoice } = event.data;
    if (invoice.type !== 'invoice' || !invoice.auto_send) return;
    await this.queue(event, tx);
  }

  async sendRequested(event: EventEnvelope<SendTrigger>, tx: Tx): Promise<void> {
    if (event.data.invoice.type !== 'invoice') return;
    await this.queue(event, tx);
  }

  /** 404 for another tenant's (or no) invoice, like every invoice route. */
  async listForInvoice(tenant: TenantContext, invoiceId: string): Promise<{ data: DeliveryView[] }> {
    await this.rpc.call(InvoicesRpc.get, { id: invoiceId }, tenant);
    return this.deliveries.listForInvoice(tenant, invoiceId);
  }

  private async queue(event: EventEnvelope<SendTrigger>, tx: Tx): Promise<void> {
    await this.deliveries.request(tx, [
      { tenantId: event.tenant_id, invoiceId: event.data.invoice.id, kind: 'invoice', reminderOffset: null },
    ]);
  }
}
