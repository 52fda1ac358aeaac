import { Controller } from '@nestjs/common';
import {
  type EventEnvelope,
  InvoicesRpc,
  type OccurrenceDue,
  OccurrenceEvents,
  type RpcRequest,
} from '@billing/contracts';
import { DispatchTurn, OnEventBatch, OnRpc, type RpcContext, type Tx, requireTenant } from '@billing/common';
import { GenerationService } from './generation.service';
import { InvoicesService } from './invoices.service';

/** NATS handlers for invoices and bills, and the consumer of due occurrences; one line each. */
@Controller()
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly generation: GenerationService,
  ) {}

  /**
   * Two batches in flight: one computes while the other waits on PostgreSQL. Safe against itself — a
   * document's key is unique, and numbers are allocated at the end of each batch's transaction under
   * the tenant's number row, so they stay gapless and each batch's are in issue-date order. No inbox:
   * the occurrence key is the deduplication (a redelivered event finds its document and does nothing).
   */
  @OnEventBatch(OccurrenceEvents.due, { max: 1000, concurrency: 2, inbox: false })
  async generate(events: Array<EventEnvelope<OccurrenceDue>>, tx: Tx, turn: DispatchTurn): Promise<void> {
    await this.generation.generate(events, tx, turn);
  }

  @OnRpc(InvoicesRpc.get)
  get(data: RpcRequest<typeof InvoicesRpc.get>, ctx: RpcContext) {
    return this.invoices.get(requireTenant(ctx), data.id);
  }

  @OnRpc(InvoicesRpc.list)
  list(data: RpcRequest<typeof InvoicesRpc.list>, ctx: RpcContext) {
    return this.invoices.list(requireTenant(ctx), data);
  }

  @OnRpc(InvoicesRpc.finalize)
  finalize(data: RpcRequest<typeof InvoicesRpc.finalize>, ctx: RpcContext) {
    return this.invoices.finalize(requireTenant(ctx), data.id);
  }

  @OnRpc(InvoicesRpc.send)
  send(data: RpcRequest<typeof InvoicesRpc.send>, ctx: RpcContext) {
    return this.invoices.send(requireTenant(ctx), data.id);
  }

  @OnRpc(InvoicesRpc.void)
  void(data: RpcRequest<typeof InvoicesRpc.void>, ctx: RpcContext) {
    return this.invoices.void(requireTenant(ctx), data.id);
  }

  @OnRpc(InvoicesRpc.recordPayment)
  recordPayment(data: RpcRequest<typeof InvoicesRpc.recordPayment>, ctx: RpcContext) {
    return this.invoices.recordPayment(requireTenant(ctx), data.id, data.payment);
  }

  @OnRpc(InvoicesRpc.listPayments)
  listPayments(data: RpcRequest<typeof InvoicesRpc.listPayments>, ctx: RpcContext) {
    return this.invoices.listPayments(requireTenant(ctx), data.id);
  }

  @OnRpc(InvoicesRpc.templateHistory)
  templateHistory(data: RpcRequest<typeof InvoicesRpc.templateHistory>, ctx: RpcContext) {
    return this.invoices.templateHistory(requireTenant(ctx), data);
  }

  @OnRpc(InvoicesRpc.ofOccurrences)
  ofOccurrences(data: RpcRequest<typeof InvoicesRpc.ofOccurrences>, ctx: RpcContext) {
    return this.invoices.ofOccurrences(requireTenant(ctx), data.occurrences);
  }

  @OnRpc(InvoicesRpc.countByRun)
  countByRun(data: RpcRequest<typeof InvoicesRpc.countByRun>, ctx: RpcContext) {
    return this.invoices.countByRun(requireTenant(ctx), data.run_ids);
  }

  @OnRpc(InvoicesRpc.markOverdue)
  markOverdue(data: RpcRequest<typeof InvoicesRpc.markOverdue>, ctx: RpcContext) {
    return this.invoices.markOverdue(requireTenant(ctx), data.as_of);
  }
}
