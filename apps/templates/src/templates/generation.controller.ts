import { Controller } from '@nestjs/common';
import { type EventEnvelope, InvoiceEvents, TemplatesRpc } from '@billing/contracts';
import { OnEventBatch, OnRpc, type RpcContext, type Tx, requireTenant } from '@billing/common';
import {
  type DueQuery,
  GenerationService,
  type InvoiceGenerated,
  InvoiceGeneratedRef,
} from './generation.service';

/** The scheduler's question and the documents invoicing generated; one line each. */
@Controller()
export class GenerationController {
  constructor(private readonly generation: GenerationService) {}

  @OnRpc(TemplatesRpc.due)
  due(data: DueQuery, ctx: RpcContext) {
    return this.generation.due(requireTenant(ctx), data);
  }

  @OnEventBatch(InvoiceEvents.generated, { max: 1000, data: InvoiceGeneratedRef })
  generated(events: EventEnvelope<InvoiceGenerated>[], tx: Tx) {
    return this.generation.recordGenerated(events, tx);
  }
}
