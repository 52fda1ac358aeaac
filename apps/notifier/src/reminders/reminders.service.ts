import { Injectable } from '@nestjs/common';
import {
  type InvoiceRemindersView,
  InvoicesRpc,
  type ReminderPolicySet,
  type ReminderPolicyView,
  type ReminderRun,
  type TenantContext,
} from '@billing/contracts';
import { ClockService, ProblemError, RpcClient, UnitOfWork } from '@billing/common';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { ReceivableRepository } from '../receivables/receivable.repository';
import { dueReminder, latestRemindableDueDate, normaliseOffsets } from './reminder.plan';
import { ReminderRepository } from './reminder.repository';

/** Reminder policies, pausing per invoice, and the pass that queues the reminders due on a day. */
@Injectable()
export class RemindersService {
  constructor(
    private readonly reminders: ReminderRepository,
    private readonly receivables: ReceivableRepository,
    private readonly deliveries: DeliveriesService,
    private readonly uow: UnitOfWork,
    private readonly rpc: RpcClient,
    private readonly clock: ClockService,
  ) {}

  async policy(tenant: TenantContext): Promise<ReminderPolicyView> {
    const p = await this.reminders.policy(tenant.id);
    return { offsets: normaliseOffsets(p.offsets), updated_at: p.updatedAt };
  }

  async setPolicy(tenant: TenantContext, input: ReminderPolicySet): Promise<ReminderPolicyView> {
    const p = await this.reminders.setPolicy(tenant.id, normaliseOffsets(input.offsets));
    return { offsets: p.offsets, updated_at: p.updatedAt };
  }

  async setPaused(tenant: TenantContext, invoiceId: string, paused: boolean): Promise<InvoiceRemindersView> {
    const invoice = await this.rpc.call(InvoicesRpc.get, { id: invoiceId }, tenant);
    if (invoice.type !== 'invoice') throw ProblemError.invalidState('Bills have no payment reminders.');
    await this.receivables.setPaused(tenant.id, invoiceId, invoice.status, paused);
    return { invoice_id: invoiceId, paused };
  }

  /** Today's pass for the calling tenant, now (whether or not the daily pass has run). */
  async runNow(tenant: TenantContext): Promise<ReminderRun> {
    const today = await this.clock.today(tenant.timezone);
    return { as_of: today, queued: await this.pass(tenant.id, today, false) };
  }

  /**
   * Queues every reminder due on `today`. `once`: the daily pass, claimed per tenant and date so that
   * replicas and repeated checks run it once. Either way a reminder is queued at most once: the
   * delivery key (invoice, reminder, offset) is unique.
   */
  async pass(tenantId: string, today: string, once: boolean): Promise<number> {
    const { offsets } = await this.reminders.policy(tenantId);
    return this.uow.run(async (tx) => {
      if (once && !(await this.reminders.claimPass(tx.manager, tenantId, today))) return 0;
      const latest = latestRemindableDueDate(offsets, today);
      const candidates = latest ? await this.receivables.remindable(tx.manager, tenantId, latest) : [];
      const requests = candidates.flatMap((r) => {
        const offset = dueReminder(offsets, r, today);
        return offset === null
          ? []
          : [{ tenantId, invoiceId: r.invoiceId, kind: 'reminder' as const, reminderOffset: offset }];
      });
      const queued = await this.deliveries.request(tx, requests);
      if (once) await this.reminders.recordPass(tx.manager, tenantId, today, queued);
      return queued;
    });
  }
}
