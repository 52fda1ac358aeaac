import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  type PageQuery,
  type PartyCreate,
  PartyCreateSchema,
  PartyListQuerySchema,
  type PartyPatch,
  PartyPatchSchema,
  type TenantContext,
} from '@billing/contracts';
import { CurrentTenant } from '../http/gateway-request';
import { IdPipe, ZodPipe } from '../http/zod.pipe';
import { PartiesService } from './parties.service';

/** `/v1/customers`: one line per route. */
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly parties: PartiesService) {}

  @Post()
  create(@CurrentTenant() t: TenantContext, @Body(new ZodPipe(PartyCreateSchema)) body: PartyCreate) {
    return this.parties.create('customers', t, body);
  }

  @Get()
  list(@CurrentTenant() t: TenantContext, @Query(new ZodPipe(PartyListQuerySchema)) q: PageQuery) {
    return this.parties.list('customers', t, q);
  }

  @Get(':id')
  get(@Param('id', new IdPipe('Customer')) id: string, @CurrentTenant() t: TenantContext) {
    return this.parties.get('customers', t, id);
  }

  @Patch(':id')
  update(
    @Param('id', new IdPipe('Customer')) id: string,
    @CurrentTenant() t: TenantContext,
    @Body(new ZodPipe(PartyPatchSchema)) body: PartyPatch,
  ) {
    return this.parties.update('customers', t, id, body);
  }
}

/** `/v1/vendors`: one line per route. */
@Controller('v1/vendors')
export class VendorsController {
  constructor(private readonly parties: PartiesService) {}

  @Post()
  create(@CurrentTenant() t: TenantContext, @Body(new ZodPipe(PartyCreateSchema)) body: PartyCreate) {
    return this.parties.create('vendors', t, body);
  }

  @Get()
  list(@CurrentTenant() t: TenantContext, @Query(new ZodPipe(PartyListQuerySchema)) q: PageQuery) {
    return this.parties.list('vendors', t, q);
  }

  @Get(':id')
  get(@Param('id', new IdPipe('Vendor')) id: string, @CurrentTenant() t: TenantContext) {
    return this.parties.get('vendors', t, id);
  }

  @Patch(':id')
  update(
    @Param('id', new IdPipe('Vendor')) id: string,
    @CurrentTenant() t: TenantContext,
    @Body(new ZodPipe(PartyPatchSchema)) body: PartyPatch,
  ) {
    return this.parties.update('vendors', t, id, body);
  }
}
