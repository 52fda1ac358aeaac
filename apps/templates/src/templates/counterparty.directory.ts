import { Injectable } from '@nestjs/common';
import { CustomersRpc, type PartyView, type TenantContext, VendorsRpc } from '@billing/contracts';
import { ProblemError, RpcClient } from '@billing/common';
import type { TemplateType } from './template.model';

/** Looks up a template's customer or vendor in the invoicing app, which owns them. */
@Injectable()
export class CounterpartyDirectory {
  constructor(private readonly rpc: RpcClient) {}

  /**
   * The customer (invoice) or vendor (bill), or null when the tenant has none with that id. Any other
   * failure (invoicing unavailable 503, too slow 504) propagates: a template is never stored unchecked.
   */
  async find(tenant: TenantContext, type: TemplateType, id: string): Promise<PartyView | null> {
    const contract = type === 'invoice' ? CustomersRpc.get : VendorsRpc.get;
    try {
      return await this.rpc.call(contract, { id }, tenant);
    } catch (err) {
      if (err instanceof ProblemError && err.problem.status === 404) return null;
      throw err;
    }
  }
}
