import { Controller } from '@nestjs/common';
import {
  type TemplateClone,
  type TemplateCreate,
  type TemplateListQuery,
  type TemplatePatch,
  TemplatesRpc,
} from '@billing/contracts';
import { OnRpc, type RpcContext, requireTenant } from '@billing/common';
import { TemplatesService } from './templates.service';

/** NATS request/reply handlers for templates; one line each. */
@Controller()
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @OnRpc(TemplatesRpc.create)
  create(data: TemplateCreate, ctx: RpcContext) {
    return this.templates.create(requireTenant(ctx), data);
  }

  @OnRpc(TemplatesRpc.get)
  get(data: { id: string }, ctx: RpcContext) {
    return this.templates.get(requireTenant(ctx), data.id);
  }

  @OnRpc(TemplatesRpc.list)
  list(data: TemplateListQuery, ctx: RpcContext) {
    return this.templates.list(requireTenant(ctx), data);
  }

  @OnRpc(TemplatesRpc.update)
  update(data: { id: string; patch: TemplatePatch }, ctx: RpcContext) {
    return this.templates.update(requireTenant(ctx), data.id, data.patch);
  }

  @OnRpc(TemplatesRpc.delete)
  delete(data: { id: string }, ctx: RpcContext) {
    return this.templates.delete(requireTenant(ctx), data.id);
  }

  @OnRpc(TemplatesRpc.pause)
  pause(data: { id: string }, ctx: RpcContext) {
    return this.templates.pause(requireTenant(ctx), data.id);
  }

  @OnRpc(TemplatesRpc.resume)
  resume(data: { id: string }, ctx: RpcContext) {
    return this.templates.resume(requireTenant(ctx), data.id);
  }

  @OnRpc(TemplatesRpc.skipNext)
  skipNext(data: { id: string }, ctx: RpcContext) {
    return this.templates.skipNext(requireTenant(ctx), data.id);
  }

  @OnRpc(TemplatesRpc.cancel)
  cancel(data: { id: string }, ctx: RpcContext) {
    return this.templates.cancel(requireTenant(ctx), data.id);
  }

  @OnRpc(TemplatesRpc.clone)
  clone(data: { id: string; overrides: TemplateClone }, ctx: RpcContext) {
    return this.templates.clone(requireTenant(ctx), data.id, data.overrides);
  }

  @OnRpc(TemplatesRpc.preview)
  preview(data: { id: string; count: number }, ctx: RpcContext) {
    return this.templates.preview(requireTenant(ctx), data.id, data.count);
  }
}
