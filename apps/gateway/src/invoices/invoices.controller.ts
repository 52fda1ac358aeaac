import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  type InvoiceListQuery,
  InvoiceListQuerySchema,
  type PaymentCreate,
  PaymentCreateSchema,
  type TenantContext,
} from '@billing/contracts';
import { CurrentTenant } from '../http/gateway-request';
import { EmptyBodySchema, IdPipe, ZodPipe } from '../http/zod.pipe';
import { InvoicesService } from './invoices.service';

const InvoiceId = new IdPipe('Invoice');
const NoBody = new ZodPipe(EmptyBodySchema);

/** `/v1/invoices` (invoices and bills): one line per route. */
@Controller('v1/invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  list(@CurrentTenant() t: TenantContext, @Query(new ZodPipe(InvoiceListQuerySchema)) q: InvoiceListQuery) {
    return this.invoices.list(t, q);
  }

  @Get(':id')
  get(@Param('id', InvoiceId) id: string, @CurrentTenant() t: TenantContext) {
    return this.invoices.get(t, id);
  }

  @Post(':id/finalize')
  @HttpCode(200)
  finalize(@Param('id', InvoiceId) id: string, @CurrentTenant() t: TenantContext, @Body(NoBody) _: object) {
    return this.invoices.act('finalize', t, id);
  }

  @Post(':id/send')
  @HttpCode(200)
  send(@Param('id', InvoiceId) id: string, @CurrentTenant() t: TenantContext, @Body(NoBody) _: object) {
    return this.invoices.act('send', t, id);
  }

  @Post(':id/void')
  @HttpCode(200)
  void(@Param('id', InvoiceId) id: string, @CurrentTenant() t: TenantContext, @Body(NoBody) _: object) {
    return this.invoices.act('void', t, id);
  }

  @Post(':id/payments')
  recordPayment(
    @Param('id', InvoiceId) id: string,
    @CurrentTenant() t: TenantContext,
    @Body(new ZodPipe(PaymentCreateSchema)) body: PaymentCreate,
  ) {
    return this.invoices.recordPayment(t, id, body);
  }

  @Get(':id/payments')
  listPayments(@Param('id', InvoiceId) id: string, @CurrentTenant() t: TenantContext) {
    return this.invoices.listPayments(t, id);
  }
}
