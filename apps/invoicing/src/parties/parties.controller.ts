import { Controller } from '@nestjs/common';
import {
  CustomersRpc,
  type PartyCreate,
  type PartyPatch,
  type PageQuery,
  VendorsRpc,
} from '@billing/contracts';
import { OnRpc, type RpcContext, requireTenant } from '@billing/common';
import { PartiesService } from './parties.service';

/** NATS request/reply handlers for customers and vendors; one line each. */
@Controller()
export class PartiesController {
  constructor(private readonly parties: PartiesService) {}

  @OnRpc(CustomersRpc.create)
  createCustomer(data: PartyCreate, ctx: RpcContext) {
    return this.parties.create(requireTenant(ctx), 'customer', data);
  }

  @OnRpc(CustomersRpc.get)
  getCustomer(data: { id: string }, ctx: RpcContext) {
    return this.parties.get(requireTenant(ctx), 'customer', data.id);
  }

  @OnRpc(CustomersRpc.update)
  updateCustomer(data: { id: string; patch: PartyPatch }, ctx: RpcContext) {
    return this.parties.update(requireTenant(ctx), 'customer', data.id, data.patch);
  }

  @OnRpc(CustomersRpc.list)
  listCustomers(data: PageQuery, ctx: RpcContext) {
    return this.parties.list(requireTenant(ctx), 'customer', data.limit, data.cursor);
  }

  @OnRpc(VendorsRpc.create)
  createVendor(data: PartyCreate, ctx: RpcContext) {
    return this.parties.create(requireTenant(ctx), 'vendor', data);
  }

  @OnRpc(VendorsRpc.get)
  getVendor(data: { id: string }, ctx: RpcContext) {
    return this.parties.get(requireTenant(ctx), 'vendor', data.id);
  }

  @OnRpc(VendorsRpc.update)
  updateVendor(data: { id: string; patch: PartyPatch }, ctx: RpcContext) {
    return this.parties.update(requireTenant(ctx), 'vendor', data.id, data.patch);
  }

  @OnRpc(VendorsRpc.list)
  listVendors(data: PageQuery, ctx: RpcContext) {
    return this.parties.list(requireTenant(ctx), 'vendor', data.limit, data.cursor);
  }
}
