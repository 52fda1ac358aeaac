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

  /** Off the generation's hot path: batches wait up to 200 ms to fill (fewer, fuller transactions). */
  @OnEventBatch(InvoiceEvents.generated, { max: 1000, data: InvoiceGeneratedRef, linger: 200 })
  generated(events: EventEnvelope<InvoiceGenerated>[], tx: Tx) {
    return this.generation.recordGenerated(events, tx);
  }
}
