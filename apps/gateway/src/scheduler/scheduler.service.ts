import { Injectable } from '@nestjs/common';
import {
  type Page,
  type PageQuery,
  type RpcRequest,
  type RpcResponse,
  type RunResultsQuery,
  type RunSummary,
  SchedulerRpc,
  type TenantContext,
} from '@billing/contracts';
import { RpcClient } from '@billing/common';

export type RunCreate = RpcRequest<typeof SchedulerRpc.run>;
export type RunDetail = RpcResponse<typeof SchedulerRpc.get>;

/** Scheduler runs live in the scheduler service; forwarded with the caller's tenant. */
@Injectable()
export class SchedulerService {
  constructor(private readonly rpc: RpcClient) {}

  run(tenant: TenantContext, input: RunCreate): Promise<RunSummary> {
    return this.rpc.call(SchedulerRpc.run, input, tenant);
  }

  list(tenant: TenantContext, query: PageQuery): Promise<Page<RunSummary>> {
    return this.rpc.call(SchedulerRpc.list, query, tenant);
  }

  get(tenant: TenantContext, id: string, results: RunResultsQuery): Promise<RunDetail> {
    return this.rpc.call(SchedulerRpc.get, { id, ...results }, tenant);
  }
}
