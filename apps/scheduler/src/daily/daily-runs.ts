import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { TenantsRpc } from '@billing/contracts';
import { CONFIG, ClockService, RpcClient, uuidv7 } from '@billing/common';
import type { SchedulerConfig } from '../app.module';
import { RunQueue } from '../runs/run.queue';
import { RunRepository } from '../runs/run.repository';
import { scheduledRunsFor, zonesOf } from './daily.plan';

const EVERY_MS = 60_000;
const TENANT_PAGE = 200;
const TAKE_OVER_PAGE = 100;

/**
 * The daily schedule. Every minute, on every replica: each tenant whose today (in its time zone, or the
 * manual clock) has no scheduled run yet gets one, and runs left behind (a process died, a failed
 * scheduled run with attempts left) are taken over. Thin: it only inserts run rows and enqueues them;
 * the unique (tenant, date) index decides between replicas, and the loser simply skips.
 */
@Injectable()
export class DailyRuns {
  private readonly logger = new Logger('DailyRuns');
  private ticking = false;

  constructor(
    private readonly rpc: RpcClient,
    private readonly clock: ClockService,
    private readonly runs: RunRepository,
    private readonly queue: RunQueue,
    @Inject(CONFIG) private readonly config: SchedulerConfig,
  ) {}

  @Interval('daily-runs', EVERY_MS)
  async onInterval(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.tick();
    } catch (err) {
      this.logger.warn(`daily runs: ${(err as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  /** One pass; answers how many runs it started and took over (those run in the background). */
  async tick(): Promise<{ started: number; resumed: number }> {
    let started = 0;
    let cursor: string | undefined;
    do {
      const page = await this.rpc.call(TenantsRpc.list, { limit: TENANT_PAGE, cursor }, null);
      const todayByZone = await this.todayByZone(zonesOf(page.data));
      const created = await this.runs.insertScheduled(
        scheduledRunsFor(page.data, todayByZone).map((r) => ({ id: uuidv7(), ...r })),
      );
      for (const run of created) void this.queue.enqueue(run);
      started += created.length;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    const resumed = await this.runs.takeOver(
      this.config.SCHEDULER_RETRY_AFTER_MS,
      this.config.SCHEDULER_MAX_ATTEMPTS,
      TAKE_OVER_PAGE,
    );
    for (const run of resumed) void this.queue.enqueue(run);
    if (started || resumed.length) {
      this.logger.log(`daily runs: ${started} started, ${resumed.length} taken over`);
    }
    return { started, resumed: resumed.length };
  }

  private async todayByZone(zones: string[]): Promise<Map<string, string>> {
    const dates = new Map<string, string>();
    for (const zone of zones) {
      try {
        dates.set(zone, await this.clock.today(zone));
      } catch (err) {
        this.logger.warn(`tenants in time zone ${zone} are not scheduled: ${(err as Error).message}`);
      }
    }
    return dates;
  }
}
