import { Injectable } from '@nestjs/common';
import { type PageQuery, TenantsRpc } from '@billing/contracts';
import { OnRpc, ProblemError, type RpcContext } from '@billing/common';
import { TenantsService } from './tenants.service';

/**
 * NATS request/reply handlers the gateway answers, as the owner of tenants. A provider rather than a
 * controller: the gateway's controllers are its HTTP routes.
 */
@Injectable()
export class TenantsRpcHandlers {
  constructor(private readonly tenants: TenantsService) {}

  /** Every tenant, keyset-paged by id: the scheduler walks them to run each in its own time zone. */
  @OnRpc(TenantsRpc.list)
  list(data: PageQuery, ctx: RpcContext) {
    requirePlatformCall(ctx);
    return this.tenants.list(data);
  }

  /** One tenant as invoices print it (the notifier asks when it renders a PDF). */
  @OnRpc(TenantsRpc.get)
  get(data: { id: string }, ctx: RpcContext) {
    requirePlatformCall(ctx);
    return this.tenants.get(data.id);
  }
}

/**
 * Listing every tenant is a platform call, made without a tenant context (`null`). A call carrying one
 * would be a service passing on a tenant's request: refused, so no tenant can see the others.
 */
function requirePlatformCall(ctx: RpcContext): void {
  if (ctx.tenant)
    throw ProblemError.invalidState('tenants.list is a platform call: make it without a tenant.');
}
