import { Injectable } from '@nestjs/common';
import {
  InvoicesRpc,
  type Page,
  type PageQuery,
  type RpcResponse,
  type TemplateClone,
  type TemplateCreate,
  type TemplateListQuery,
  type TemplatePatch,
  type TemplatePreview,
  type TemplateView,
  TemplatesRpc,
  type TenantContext,
} from '@billing/contracts';
import { RpcClient } from '@billing/common';

export type TemplateAction = 'pause' | 'resume' | 'skipNext' | 'cancel';
export type TemplateHistory = RpcResponse<typeof InvoicesRpc.templateHistory>;

/**
 * Recurring templates live in the templates service, what they generated in the invoicing service; the
 * gateway forwards with the caller's tenant.
 */
@Injectable()
export class TemplatesService {
  constructor(private readonly rpc: RpcClient) {}

  create(tenant: TenantContext, input: TemplateCreate): Promise<TemplateView> {
    return this.rpc.call(TemplatesRpc.create, input, tenant);
  }

  list(tenant: TenantContext, query: TemplateListQuery): Promise<Page<TemplateView>> {
    return this.rpc.call(TemplatesRpc.list, query, tenant);
  }

  get(tenant: TenantContext, id: string): Promise<TemplateView> {
    return this.rpc.call(TemplatesRpc.get, { id }, tenant);
  }

  update(tenant: TenantContext, id: string, patch: TemplatePatch): Promise<TemplateView> {
    return this.rpc.call(TemplatesRpc.update, { id, patch }, tenant);
  }

  async delete(tenant: TenantContext, id: string): Promise<void> {
    await this.rpc.call(TemplatesRpc.delete, { id }, tenant);
  }

  act(action: TemplateAction, tenant: TenantContext, id: string): Promise<TemplateView> {
    return this.rpc.call(TemplatesRpc[action], { id }, tenant);
  }

  clone(tenant: TenantContext, id: string, overrides: TemplateClone): Promise<TemplateView> {
    return this.rpc.call(TemplatesRpc.clone, { id, overrides }, tenant);
  }

  preview(tenant: TenantContext, id: string, count: number): Promise<TemplatePreview> {
    return this.rpc.call(TemplatesRpc.preview, { id, count }, tenant);
  }

  /**
   * The invoices a template generated. The template is looked up first, so an id that is not a template
   * of this tenant is a 404 rather than an empty history.
   */
  async history(tenant: TenantContext, id: string, page: PageQuery): Promise<TemplateHistory> {
    await this.get(tenant, id);
    return this.rpc.call(InvoicesRpc.templateHistory, { template_id: id, ...page }, tenant);
  }
}
