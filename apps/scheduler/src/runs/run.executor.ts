import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  InvoicesRpc,
  OccurrenceEvents,
  type RpcResponse,
  TemplatesRpc,
  occurrenceKey,
} from '@billing/contracts';
import { CONFIG, RpcClient, UnitOfWork, uuidFromName } from '@billing/common';
import type { SchedulerConfig } from '../app.module';
import type { Run } from './run.model';
import { type DueItem, claimOutcome, dueEvent, occurrencesOf } from './run.plan';
import { RunRepository } from './run.repository';

/** Waits between attempts to record a run's end (about half a minute in all). */
const FINISH_RETRIES_MS = [500, 1000, 2000, 4000, 8000, 15000];

/** Another worker took the run over (or it was finished): this one stops without a word. */
class RunLost extends Error {}

/** The process is stopping: the run ends failed, and is picked up again (scheduled) or re-run. */
export class RunInterrupted extends Error {
  constructor() {
    super('The scheduler stopped before the run finished; the next run picks up the rest.');
  }
}

/**
 * Executes one run: pages through the tenant's due occurrences and, per page in one transaction,
 * claims them, records a result for each and stores one `occurrence.due` per claimed occurrence (its
 * event id named after the occurrence, so any scheduler publishes the same message). Then the daily
 * overdue pass. A page that fails fails the run; what it did not claim, the next run finds due again.
 */
@Injectable()
export class RunExecutor {
  private readonly logger = new Logger('RunExecutor');

  constructor(
    private readonly runs: RunRepository,
    private readonly uow: UnitOfWork,
    private readonly rpc: RpcClient,
    @Inject(CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async execute(run: Run, stopping: () => boolean): Promise<void> {
    try {
      // The next page is asked for while the current one is written: the templates service computes
      // while this one commits. Its failure is handled from the start (and thrown where it is awaited):
      // a page that fails while the previous one is still being written must not be an unhandled
      // rejection, which would end the process.
      const fetchPage = (after?: string) => {
        const page = this.rpc.call(
          TemplatesRpc.due,
          { as_of: run.runDate, limit: this.config.SCHEDULER_PAGE_SIZE, after },
          run.tenant,
        );
        page.catch(() => undefined);
        return page;
      };
      let next: ReturnType<typeof fetchPage> | null = fetchPage();
      while (next) {
        const page: RpcResponse<typeof TemplatesRpc.due> = await next;
        next = page.next_after ? fetchPage(page.next_after) : null;
        if (stopping()) throw new RunInterrupted();
        await this.publishPage(run, page.items);
      }
    } catch (err) {
      if (err instanceof RunLost) {
        this.logger.log(`run ${run.id} attempt ${run.attempt} was taken over; stopping`);
        return;
      }
      this.logger.warn(`run ${run.id} for tenant ${run.tenantId} failed: ${(err as Error).message}`);
      await this.finish(run, 'failed', (err as Error).message);
      return;
    }
    await this.finish(run, 'published', await this.markOverdue(run));
  }

  /** Fails a run that will not be executed here after all (the process is stopping). */
  async abandon(run: Run): Promise<void> {
    await this.runs.finish(run, 'failed', new RunInterrupted().message);
  }

  /**
   * Records how the run ended, retried for a while: the usual reason it fails is the very database
   * outage that failed the run, and a run left `running` would wait minutes for the daily pass's
   * take-over. (Finishing twice changes nothing: only a running attempt is updated.)
   */
  private async finish(run: Run, status: 'published' | 'failed', error: string | null): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.runs.finish(run, status, error);
        return;
      } catch (err) {
        if (attempt >= FINISH_RETRIES_MS.length) throw err;
        this.logger.warn(`run ${run.id}: recording its end failed (${(err as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, FINISH_RETRIES_MS[attempt]));
      }
    }
  }

  private async publishPage(run: Run, items: DueItem[]): Promise<void> {
    await this.uow.run(async (tx) => {
      if (!(await this.runs.heartbeat(tx.manager, run))) throw new RunLost();
      const { wanted, broken } = occurrencesOf(items);
      const claimed = await this.runs.claim(tx.manager, run, wanted);
      const conflicts = wanted.filter((w) => !claimed.has(occurrenceKey(w.templateId, w.occurrenceDate)));
      const claimedBy = await this.runs.claimedBy(tx.manager, run.tenantId, conflicts);
      const { results, due } = claimOutcome(run.id, wanted, claimed, claimedBy);
      // The claimed ones are their own results already (pending); the rest are recorded here.
      await this.runs.insertResults(tx.manager, run, [
        ...results.filter((r) => r.outcome !== 'pending'),
        ...broken,
      ]);
      for (const o of due) {
        tx.publish(
          OccurrenceEvents.due,
          run.tenantId,
          dueEvent(run.id, o),
          uuidFromName(occurrenceKey(o.templateId, o.occurrenceDate)),
        );
      }
    });
  }

  /** Open invoices past due become overdue; a failure is the run's error but does not fail it. */
  private async markOverdue(run: Run): Promise<string | null> {
    try {
      await this.rpc.call(InvoicesRpc.markOverdue, { as_of: run.runDate }, run.tenant);
      return null;
    } catch (err) {
      this.logger.warn(`run ${run.id}: marking overdue invoices failed: ${(err as Error).message}`);
      return `Marking overdue invoices failed: ${(err as Error).message}`;
    }
  }
}
