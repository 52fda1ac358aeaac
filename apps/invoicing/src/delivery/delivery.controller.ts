import { Controller } from '@nestjs/common';
import { DeliveryEvents, type EventEnvelope, InvoiceEvents } from '@billing/contracts';
import { OnEvent, type Tx } from '@billing/common';
import {
  type DeliveryFailed,
  DeliveryFailedRef,
  DeliveryService,
  type InvoiceSent,
  InvoiceSentRef,
} from './delivery.service';

/** What the notifier reports about invoice emails; one line each. */
@Controller()
export class DeliveryController {
  constructor(private readonly deliveries: DeliveryService) {}

  @OnEvent(InvoiceEvents.sent, { data: InvoiceSentRef })
  sent(event: EventEnvelope<InvoiceSent>, tx: Tx) {
    return this.deliveries.sent(event, tx);
  }

  @OnEvent(DeliveryEvents.failed, { data: DeliveryFailedRef })
  failed(event: EventEnvelope<DeliveryFailed>, tx: Tx) {
    return this.deliveries.failed(event, tx);
  }
}
