import { Injectable } from '@nestjs/common';
import {
  CustomersRpc,
  type Page,
  type PageQuery,
  type PartyCreate,
  type PartyPatch,
  type PartyView,
  type TenantContext,
  VendorsRpc,
} from '@billing/contracts';
import { RpcClient } from '@billing/common';

export type PartyKind = 'customers' | 'vendors';

const CONTRACTS = { customers: CustomersRpc, vendors: VendorsRpc } as const;

/** Customers and vendors live in the invoicing service; the gateway forwards with the caller's tenant. */
@Injectable()
export class PartiesService {
  constructor(private readonly rpc: RpcClient) {}

  create(kind: PartyKind, tenant: TenantContext, input: PartyCreate): Promise<PartyView> {
    return this.rpc.call(CONTRACTS[kind].create, input, tenant);
  }

  get(kind: PartyKind, tenant: TenantContext, id: string): Promise<PartyView> {
    return this.rpc.call(CONTRACTS[kind].get, { id }, tenant);
  }

  list(kind: PartyKind, tenant: TenantContext, query: PageQuery): Promise<Page<PartyView>> {
    return this.rpc.call(CONTRACTS[kind].list, query, tenant);
  }

  update(kind: PartyKind, tenant: TenantContext, id: string, patch: PartyPatch): Promise<PartyView> {
    return this.rpc.call(CONTRACTS[kind].update, { id, patch }, tenant);
  }
}
