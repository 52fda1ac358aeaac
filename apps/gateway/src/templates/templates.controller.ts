import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  type PageQuery,
  PageQuerySchema,
  PreviewQuerySchema,
  type TemplateClone,
  TemplateCloneSchema,
  type TemplateCreate,
  TemplateCreateSchema,
  type TemplateListQuery,
  TemplateListQuerySchema,
  type TemplatePatch,
  TemplatePatchSchema,
  type TenantContext,
} from '@billing/contracts';
import type { z } from 'zod';
import { CurrentTenant } from '../http/gateway-request';
import { EmptyBodySchema, IdPipe, ZodPipe } from '../http/zod.pipe';
import { TemplatesService } from './templates.service';

const TemplateId = new IdPipe('Template');
const NoBody = new ZodPipe(EmptyBodySchema);
const HistoryPage = new ZodPipe(PageQuerySchema.strict());

/** `/v1/templates`: one line per route. */
@Controller('v1/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  create(@CurrentTenant() t: TenantContext, @Body(new ZodPipe(TemplateCreateSchema)) body: TemplateCreate) {
    return this.templates.create(t, body);
  }

  @Get()
  list(@CurrentTenant() t: TenantContext, @Query(new ZodPipe(TemplateListQuerySchema)) q: TemplateListQuery) {
    return this.templates.list(t, q);
  }

  @Get(':id')
  get(@Param('id', TemplateId) id: string, @CurrentTenant() t: TenantContext) {
    return this.templates.get(t, id);
  }

  @Patch(':id')
  update(
    @Param('id', TemplateId) id: string,
    @CurrentTenant() t: TenantContext,
    @Body(new ZodPipe(TemplatePatchSchema)) body: TemplatePatch,
  ) {
    return this.templates.update(t, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id', TemplateId) id: string, @CurrentTenant() t: TenantContext) {
    return this.templates.delete(t, id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id', TemplateId) id: string, @CurrentTenant() t: TenantContext, @Body(NoBody) _: object) {
    return this.templates.act('pause', t, id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id', TemplateId) id: string, @CurrentTenant() t: TenantContext, @Body(NoBody) _: object) {
    return this.templates.act('resume', t, id);
  }

  @Post(':id/skip-next')
  @HttpCode(200)
  skipNext(@Param('id', TemplateId) id: string, @CurrentTenant() t: TenantContext, @Body(NoBody) _: object) {
    return this.templates.act('skipNext', t, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id', TemplateId) id: string, @CurrentTenant() t: TenantContext, @Body(NoBody) _: object) {
    return this.templates.act('cancel', t, id);
  }

  @Post(':id/clone')
  clone(
    @Param('id', TemplateId) id: string,
    @CurrentTenant() t: TenantContext,
    @Body(new ZodPipe(TemplateCloneSchema)) body: TemplateClone,
  ) {
    return this.templates.clone(t, id, body);
  }

  @Get(':id/preview')
  preview(
    @Param('id', TemplateId) id: string,
    @CurrentTenant() t: TenantContext,
    @Query(new ZodPipe(PreviewQuerySchema)) q: z.infer<typeof PreviewQuerySchema>,
  ) {
    return this.templates.preview(t, id, q.count);
  }

  @Get(':id/history')
  history(
    @Param('id', TemplateId) id: string,
    @CurrentTenant() t: TenantContext,
    @Query(HistoryPage) q: PageQuery,
  ) {
    return this.templates.history(t, id, q);
  }
}
