import { Controller } from '@nestjs/common';
import { LedgerRpc, type RpcRequest } from '@billing/contracts';
import { OnRpc, type RpcContext, requireTenant } from '@billing/common';
import { LedgerService } from './ledger.service';

/** NATS request/reply handlers for the journal and the reports; one line each. */
@Controller()
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @OnRpc(LedgerRpc.journal)
  journal(data: RpcRequest<typeof LedgerRpc.journal>, ctx: RpcContext) {
    return this.ledger.entries(requireTenant(ctx), data);
  }

  @OnRpc(LedgerRpc.trialBalance)
  trialBalance(data: RpcRequest<typeof LedgerRpc.trialBalance>, ctx: RpcContext) {
    return this.ledger.trialBalance(requireTenant(ctx), data);
  }

  @OnRpc(LedgerRpc.aging)
  aging(data: RpcRequest<typeof LedgerRpc.aging>, ctx: RpcContext) {
    return this.ledger.aging(requireTenant(ctx), data);
  }
}
