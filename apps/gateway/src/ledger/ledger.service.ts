import { Injectable } from '@nestjs/common';
import { LedgerRpc, type RpcRequest, type RpcResponse, type TenantContext } from '@billing/contracts';
import { RpcClient } from '@billing/common';

export type JournalQuery = RpcRequest<typeof LedgerRpc.journal>;
export type ReportQuery = RpcRequest<typeof LedgerRpc.trialBalance>;

/** The journal and the reports are kept by the invoicing service; forwarded with the caller's tenant. */
@Injectable()
export class LedgerService {
  constructor(private readonly rpc: RpcClient) {}

  journal(tenant: TenantContext, query: JournalQuery): Promise<RpcResponse<typeof LedgerRpc.journal>> {
    return this.rpc.call(LedgerRpc.journal, query, tenant);
  }

  trialBalance(
    tenant: TenantContext,
    query: ReportQuery,
  ): Promise<RpcResponse<typeof LedgerRpc.trialBalance>> {
    return this.rpc.call(LedgerRpc.trialBalance, query, tenant);
  }

  aging(tenant: TenantContext, query: ReportQuery): Promise<RpcResponse<typeof LedgerRpc.aging>> {
    return this.rpc.call(LedgerRpc.aging, query, tenant);
  }
}
