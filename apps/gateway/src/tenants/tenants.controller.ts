import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  type PageQuery,
  type TenantContext,
  type TenantCreate,
  TenantCreateSchema,
  type TenantPatch,
  TenantPatchSchema,
} from '@billing/contracts';
import { AdminOnly, CurrentTenant } from '../http/gateway-request';
import { EmptyBodySchema, IdPipe, ZodPipe } from '../http/zod.pipe';
import { TenantListQuerySchema } from './tenant.schemas';
import { TenantsService } from './tenants.service';

const TenantId = new IdPipe('Tenant');

/** Operator API for tenants and their API keys. */
@AdminOnly()
@Controller('v1/admin/tenants')
export class AdminTenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  create(@Body(new ZodPipe(TenantCreateSchema)) body: TenantCreate) {
    return this.tenants.create(body);
  }

  @Get()
  list(@Query(new ZodPipe(TenantListQuerySchema)) q: PageQuery) {
    return this.tenants.list(q);
  }

  @Get(':id')
  get(@Param('id', TenantId) id: string) {
    return this.tenants.get(id);
  }

  @Patch(':id')
  update(@Param('id', TenantId) id: string, @Body(new ZodPipe(TenantPatchSchema)) body: TenantPatch) {
    return this.tenants.update(id, body);
  }

  @Post(':id/api-keys')
  issueKey(@Param('id', TenantId) id: string, @Body(new ZodPipe(EmptyBodySchema)) _: object) {
    return this.tenants.issueKey(id);
  }

  @Get(':id/api-keys')
  listKeys(@Param('id', TenantId) id: string, @Query(new ZodPipe(TenantListQuerySchema)) q: PageQuery) {
    return this.tenants.listKeys(id, q);
  }

  @Post(':id/api-keys/:keyId/revoke')
  @HttpCode(200)
  revokeKey(@Param('id', TenantId) id: string, @Param('keyId', new IdPipe('API key')) keyId: string) {
    return this.tenants.revokeKey(id, keyId);
  }
}

/** `/v1/tenant`: the caller's own tenant. */
@Controller('v1/tenant')
export class TenantController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  get(@CurrentTenant() t: TenantContext) {
    return this.tenants.get(t.id);
  }

  /** Name, address and paper size: what the tenant's invoice PDFs print. */
  @Patch()
  update(@CurrentTenant() t: TenantContext, @Body(new ZodPipe(TenantPatchSchema)) body: TenantPatch) {
    return this.tenants.update(t.id, body);
  }
}
