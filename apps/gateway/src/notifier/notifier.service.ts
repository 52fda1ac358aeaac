import { Injectable } from '@nestjs/common';
import {
  type DeliveryView,
  type InvoiceRemindersView,
  NotifierRpc,
  type ReminderPolicySet,
  type ReminderPolicyView,
  type ReminderRun,
  type TenantContext,
} from '@billing/contracts';
import { RpcClient } from '@billing/common';

/** Invoice PDFs, deliveries and reminders live in the notifier; forwarded with the caller's tenant. */
@Injectable()
export class NotifierService {
  constructor(private readonly rpc: RpcClient) {}

  async pdf(tenant: TenantContext, id: string): Promise<{ filename: string; content: Buffer }> {
    const pdf = await this.rpc.call(NotifierRpc.invoicePdf, { id }, tenant);
    return { filename: pdf.filename, content: Buffer.from(pdf.content_base64, 'base64') };
  }

  deliveries(tenant: TenantContext, id: string): Promise<{ data: DeliveryView[] }> {
    return this.rpc.call(NotifierRpc.deliveries, { id }, tenant);
  }

  reminders(tenant: TenantContext, id: string, paused: boolean): Promise<InvoiceRemindersView> {
    return this.rpc.call(paused ? NotifierRpc.pauseReminders : NotifierRpc.resumeReminders, { id }, tenant);
  }

  policy(tenant: TenantContext): Promise<ReminderPolicyView> {
    return this.rpc.call(NotifierRpc.getReminderPolicy, {}, tenant);
  }

  setPolicy(tenant: TenantContext, policy: ReminderPolicySet): Promise<ReminderPolicyView> {
    return this.rpc.call(NotifierRpc.setReminderPolicy, policy, tenant);
  }

  runReminders(tenant: TenantContext): Promise<ReminderRun> {
    return this.rpc.call(NotifierRpc.runReminders, {}, tenant);
  }
}
