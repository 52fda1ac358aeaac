import { Controller } from '@nestjs/common';
import { type PageQuery, SchedulerRpc } from '@billing/contracts';
import { OnRpc, type RpcContext, requireTenant } from '@billing/common';
import { type RunDetailQuery, type RunRequest, RunsService } from './runs.service';

/** NATS request/reply handlers for runs; one line each. */
@Controller()
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @OnRpc(SchedulerRpc.run)
  run(data: RunRequest, ctx: RpcContext) {
    return this.runs.run(requireTenant(ctx), data);
  }

  @OnRpc(SchedulerRpc.list)
  list(data: PageQuery, ctx: RpcContext) {
    return this.runs.list(requireTenant(ctx), data);
  }

  @OnRpc(SchedulerRpc.get)
  get(data: RunDetailQuery, ctx: RpcContext) {
    return this.runs.get(requireTenant(ctx), data);
  }
}
