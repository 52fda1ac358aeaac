import { Injectable } from '@nestjs/common';
import {
  CustomersRpc,
  InvoicesRpc,
  type TenantContext,
  TenantsRpc,
  type TenantView,
} from '@billing/contracts';
import { ProblemError, RpcClient } from '@billing/common';
import type { InvoiceSources } from './invoice-document';

/** What a PDF or an email is made of, asked of its owners at render time (they are the truth). */
@Injectable()
export class InvoiceSourcesService {
  constructor(private readonly rpc: RpcClient) {}

  tenant(tenantId: string): Promise<TenantView> {
    return this.rpc.call(TenantsRpc.get, { id: tenantId }, null);
  }

  async load(tenantId: string, invoiceId: string): Promise<InvoiceSources> {
    const tenant = await this.tenant(tenantId);
    const ctx = tenantContext(tenant);
    const invoice = await this.rpc.call(InvoicesRpc.get, { id: invoiceId }, ctx);
    if (invoice.type !== 'invoice' || !invoice.customer_id) {
      throw ProblemError.invalidState('Only invoices are rendered and emailed; bills come from vendors.');
    }
    const customer = await this.rpc.call(CustomersRpc.get, { id: invoice.customer_id }, ctx);
    return { invoice, tenant, customer };
  }
}

export function tenantContext(t: TenantView): TenantContext {
  return { id: t.id, name: t.name, base_currency: t.base_currency, timezone: t.timezone };
}
