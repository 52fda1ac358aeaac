import { Injectable } from '@nestjs/common';
import { CustomersRpc, type PartyView, type TenantContext, VendorsRpc } from '@billing/contracts';
import { RpcClient, runInRequestScope } from '@billing/common';
import { normaliseCounterparty } from '../mining/counterparty';

/** Pages of the party list read while looking a name up (200 a page, the list's maximum). */
const PAGE = 200;

/**
 * Customers and vendors live in invoicing. A suggestion's counterparty is found there by normalised
 * name (`NETFLIX INC.` finds the vendor `Netflix`), else created — under a request id derived from the
 * suggestion and the name, so a retried accept finds the party its first attempt created instead of
 * making a second one (invoicing records the result under that id).
 */
@Injectable()
export class CounterpartyDirectory {
  constructor(private readonly rpc: RpcClient) {}

  async findByName(
    tenant: TenantContext,
    kind: 'customer' | 'vendor',
    name: string,
  ): Promise<PartyView | null> {
    const contract = kind === 'customer' ? CustomersRpc.list : VendorsRpc.list;
    const key = normaliseCounterparty(name);
    let cursor: string | undefined;
    do {
      const page = await this.rpc.call(contract, { limit: PAGE, ...(cursor ? { cursor } : {}) }, tenant);
      const found = page.data.find((p) => normaliseCounterparty(p.name) === key);
      if (found) return found;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return null;
  }

  async get(tenant: TenantContext, kind: 'customer' | 'vendor', id: string): Promise<PartyView> {
    return this.rpc.call(kind === 'customer' ? CustomersRpc.get : VendorsRpc.get, { id }, tenant);
  }

  create(
    tenant: TenantContext,
    kind: 'customer' | 'vendor',
    input: { name: string; email?: string; currency: PartyView['currency'] },
    requestId: string,
  ): Promise<PartyView> {
    const contract = kind === 'customer' ? CustomersRpc.create : VendorsRpc.create;
    return runInRequestScope(requestId, false, () => this.rpc.call(contract, input, tenant));
  }
}
