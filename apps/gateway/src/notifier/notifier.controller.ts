import { Body, Controller, Get, HttpCode, Param, Post, Put, StreamableFile } from '@nestjs/common';
import { type ReminderPolicySet, ReminderPolicySetSchema, type TenantContext } from '@billing/contracts';
import { CurrentTenant } from '../http/gateway-request';
import { EmptyBodySchema, IdPipe, ZodPipe } from '../http/zod.pipe';
import { NotifierService } from './notifier.service';

const InvoiceId = new IdPipe('Invoice');
const NoBody = new ZodPipe(EmptyBodySchema);

/** An invoice's PDF, its emails and its reminders (`/v1/invoices/{id}/…`); one line per route. */
@Controller('v1/invoices')
export class InvoiceDeliveryController {
  constructor(private readonly notifier: NotifierService) {}

  @Get(':id/pdf')
  async pdf(@Param('id', InvoiceId) id: string, @CurrentTenant() t: TenantContext) {
    const pdf = await this.notifier.pdf(t, id);
    return new StreamableFile(pdf.content, {
      type: 'application/pdf',
      disposition: `inline; filename="${pdf.filename}"`,
      length: pdf.content.length,
    });
  }

  @Get(':id/deliveries')
  deliveries(@Param('id', InvoiceId) id: string, @CurrentTenant() t: TenantContext) {
    return this.notifier.deliveries(t, id);
  }

  @Post(':id/reminders/pause')
  @HttpCode(200)
  pause(@Param('id', InvoiceId) id: string, @CurrentTenant() t: TenantContext, @Body(NoBody) _: object) {
    return this.notifier.reminders(t, id, true);
  }

  @Post(':id/reminders/resume')
  @HttpCode(200)
  resume(@Param('id', InvoiceId) id: string, @CurrentTenant() t: TenantContext, @Body(NoBody) _: object) {
    return this.notifier.reminders(t, id, false);
  }
}

/** The tenant's reminder policy and the reminder pass on demand. */
@Controller('v1/reminders')
export class RemindersController {
  constructor(private readonly notifier: NotifierService) {}

  @Get('policy')
  policy(@CurrentTenant() t: TenantContext) {
    return this.notifier.policy(t);
  }

  @Put('policy')
  setPolicy(
    @CurrentTenant() t: TenantContext,
    @Body(new ZodPipe(ReminderPolicySetSchema)) body: ReminderPolicySet,
  ) {
    return this.notifier.setPolicy(t, body);
  }

  @Post('runs')
  @HttpCode(200)
  run(@CurrentTenant() t: TenantContext, @Body(NoBody) _: object) {
    return this.notifier.runReminders(t);
  }
}
