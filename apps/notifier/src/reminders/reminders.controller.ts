import { Controller } from '@nestjs/common';
import { NotifierRpc, type ReminderPolicySet } from '@billing/contracts';
import { OnRpc, type RpcContext, requireTenant } from '@billing/common';
import { RemindersService } from './reminders.service';

/** Reminder policy, pausing and running the pass; one line each. */
@Controller()
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @OnRpc(NotifierRpc.getReminderPolicy)
  policy(_: object, ctx: RpcContext) {
    return this.reminders.policy(requireTenant(ctx));
  }

  @OnRpc(NotifierRpc.setReminderPolicy)
  setPolicy(data: ReminderPolicySet, ctx: RpcContext) {
    return this.reminders.setPolicy(requireTenant(ctx), data);
  }

  @OnRpc(NotifierRpc.pauseReminders)
  pause(data: { id: string }, ctx: RpcContext) {
    return this.reminders.setPaused(requireTenant(ctx), data.id, true);
  }

  @OnRpc(NotifierRpc.resumeReminders)
  resume(data: { id: string }, ctx: RpcContext) {
    return this.reminders.setPaused(requireTenant(ctx), data.id, false);
  }

  @OnRpc(NotifierRpc.runReminders)
  run(_: object, ctx: RpcContext) {
    return this.reminders.runNow(requireTenant(ctx));
  }
}
