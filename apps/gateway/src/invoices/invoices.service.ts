import { Injectable } from '@nestjs/common';
import {
  type InvoiceListQuery,
  type InvoiceView,
  InvoicesRpc,
  type Page,
  type PaymentCreate,
  type PaymentView,
  type TenantContext,
} from '@billing/contracts';
import { RpcClient } from '@billing/common';

export type InvoiceAction = 'finalize' | 'send' | 'void';

/** Invoices, bills and their payments live in the invoicing service; forwarded with the caller's tenant. */
@Injectable()
export class InvoicesService {
  constructor(private readonly rpc: RpcClient) {}

  list(tenant: TenantContext, query: InvoiceListQuery): Promise<Page<InvoiceView>> {
    return this.rpc.call(InvoicesRpc.list, query, tenant);
  }

  get(tenant: TenantContext, id: string): Promise<InvoiceView> {
    return this.rpc.call(InvoicesRpc.get, { id }, tenant);
  }

  act(action: InvoiceAction, tenant: TenantContext, id: string): Promise<InvoiceView> {
    return this.rpc.call(InvoicesRpc[action], { id }, tenant);
  }

  recordPayment(
    tenant: TenantContext,
    id: string,
    payment: PaymentCreate,
  ): Promise<{ invoice: InvoiceView; payment: PaymentView }> {
    return this.rpc.call(InvoicesRpc.recordPayment, { id, payment }, tenant);
  }

  listPayments(tenant: TenantContext, id: string): Promise<{ data: PaymentView[] }> {
    return this.rpc.call(InvoicesRpc.listPayments, { id }, tenant);
  }
}
