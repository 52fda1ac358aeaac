import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { TenantsRpc } from '@billing/contracts';
import { CONFIG, ClockService, RpcClient } from '@billing/common';
import type { NotifierConfig } from '../app.module';
import { RemindersService } from './reminders.service';

const TENANT_PAGE = 200;

/**
 * The daily reminder pass. Every REMINDERS_CHECK_MS, on every replica: each tenant whose today (its
 * time zone, or the manual clock) has no pass yet gets one. Thin: the pass is claimed per tenant and
 * date in the database, so only one process runs it.
 */
@Injectable()
export class DailyReminders implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DailyReminders');
  private ticking = false;

  constructor(
    private readonly rpc: RpcClient,
    private readonly clock: ClockService,
    private readonly reminders: RemindersService,
    private readonly registry: SchedulerRegistry,
    @Inject(CONFIG) private readonly config: NotifierConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.REMINDERS_DAILY) return;
    this.registry.addInterval(
      'reminder-passes',
      setInterval(() => void this.onInterval(), this.config.REMINDERS_CHECK_MS),
    );
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('interval', 'reminder-passes'))
      this.registry.deleteInterval('reminder-passes');
  }

  async onInterval(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.tick();
    } catch (err) {
      this.logger.warn(`reminder passes: ${(err as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  /** One check of every tenant; answers how many reminders were queued. */
  async tick(): Promise<number> {
    let queued = 0;
    let cursor: string | undefined;
    const todayByZone = new Map<string, string>();
    do {
      const page = await this.rpc.call(TenantsRpc.list, { limit: TENANT_PAGE, cursor }, null);
      for (const tenant of page.data) {
        try {
          let today = todayByZone.get(tenant.timezone);
          if (today === undefined) {
            today = await this.clock.today(tenant.timezone);
            todayByZone.set(tenant.timezone, today);
          }
          queued += await this.reminders.pass(tenant.id, today, true);
        } catch (err) {
          this.logger.warn(`reminder pass of tenant ${tenant.id}: ${(err as Error).message}`);
        }
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    if (queued) this.logger.log(`reminder passes queued ${queued} reminder(s)`);
    return queued;
  }
}
