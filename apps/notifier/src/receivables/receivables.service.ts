import { Injectable } from '@nestjs/common';
import { type EventEnvelope, IdSchema, InvoiceStatusSchema } from '@billing/contracts';
import type { Tx } from '@billing/common';
import { z } from 'zod';
import { ReceivableRepository } from './receivable.repository';

/** All the notifier reads of an invoice event: which invoice, and its status now. */
export const InvoiceStatusRefSchema = z.object({
  invoice: z.object({ id: IdSchema, type: z.enum(['invoice', 'bill']), status: InvoiceStatusSchema }),
});
export type InvoiceStatusRef = z.infer<typeof InvoiceStatusRefSchema>;

@Injectable()
export class ReceivablesService {
  constructor(private readonly receivables: ReceivableRepository) {}

  async statusChanged(event: EventEnvelope<InvoiceStatusRef>, tx: Tx): Promise<void> {
    const { id, type, status } = event.data.invoice;
    if (type !== 'invoice') return;
    await this.receivables.recordStatus(tx.manager, event.tenant_id, id, status);
  }
}
