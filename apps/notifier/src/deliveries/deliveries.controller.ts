import { Controller } from '@nestjs/common';
import { type EventEnvelope, InvoiceEvents, NotifierRpc } from '@billing/contracts';
import { OnEvent, OnRpc, type RpcContext, type Tx, requireTenant } from '@billing/common';
import { type SendTrigger, SendTriggerSchema, SendTriggers } from './send-triggers.service';

/** The events that ask for an invoice email, and the deliveries of an invoice; one line each. */
@Controller()
export class DeliveriesController {
  constructor(private readonly triggers: SendTriggers) {}

  @OnEvent(InvoiceEvents.finalized, { data: SendTriggerSchema })
  finalized(event: EventEnvelope<SendTrigger>, tx: Tx) {
    return this.triggers.finalized(event, tx);
  }

  @OnEvent(InvoiceEvents.sendRequested, { data: SendTriggerSchema })
  sendRequested(event: EventEnvelope<SendTrigger>, tx: Tx) {
    return this.triggers.sendRequested(event, tx);
  }

  @OnRpc(NotifierRpc.deliveries)
  list(data: { id: string }, ctx: RpcContext) {
    return this.triggers.listForInvoice(requireTenant(ctx), data.id);
  }
}
