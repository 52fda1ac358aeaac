import { Controller } from '@nestjs/common';
import { type EventEnvelope, InvoiceEvents } from '@billing/contracts';
import { OnEvent, type Tx } from '@billing/common';
import { type InvoiceStatusRef, InvoiceStatusRefSchema, ReceivablesService } from './receivables.service';

const OPTIONS = { data: InvoiceStatusRefSchema };

/** The invoice facts that end (or change) what reminders may say; one line each. */
@Controller()
export class ReceivablesController {
  constructor(private readonly receivables: ReceivablesService) {}

  @OnEvent(InvoiceEvents.paymentRecorded, OPTIONS)
  paymentRecorded(event: EventEnvelope<InvoiceStatusRef>, tx: Tx) {
    return this.receivables.statusChanged(event, tx);
  }

  @OnEvent(InvoiceEvents.paid, OPTIONS)
  paid(event: EventEnvelope<InvoiceStatusRef>, tx: Tx) {
    return this.receivables.statusChanged(event, tx);
  }

  @OnEvent(InvoiceEvents.voided, OPTIONS)
  voided(event: EventEnvelope<InvoiceStatusRef>, tx: Tx) {
    return this.receivables.statusChanged(event, tx);
  }
}
