import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AsyncResource } from 'async_hooks';
import { CONFIG } from '@billing/common';
import type { SchedulerConfig } from '../app.module';
import { RunExecutor } from './run.executor';
import type { Run } from './run.model';

interface Job {
  run: Run;
  done: () => void;
}

/**
 * Runs are executed here, in the background, at most SCHEDULER_CONCURRENCY at a time. The run row is
 * the durable record: a run this process never finishes (it died) is taken over by the daily pass of
 * any replica. Runs execute outside the async context of whoever enqueued them, so a run started while
 * answering an idempotent request does not carry that request's id into its own calls.
 */
@Injectable()
export class RunQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('RunQueue');
  private readonly waiting: Job[] = [];
  private readonly active = new Set<Promise<void>>();
  private stopping = false;
  /** `pump` bound to the context the queue was created in (the application's, no request). */
  private readonly pumpDetached: () => void;

  constructor(
    private readonly executor: RunExecutor,
    @Inject(CONFIG) private readonly config: SchedulerConfig,
  ) {
    this.pumpDetached = AsyncResource.bind(() => this.pump());
  }

  /** Queues a run; the promise settles (never rejects) when it has finished or was abandoned. */
  enqueue(run: Run): Promise<void> {
    return new Promise<void>((done) => {
      this.waiting.push({ run, done });
      this.pumpDetached();
    });
  }

  /** Waits for the run at most `ms`; true when it finished in that time. */
  async enqueueAndWait(run: Run, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([this.enqueue(run).then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  get size(): number {
    return this.waiting.length + this.active.size;
  }

  private pump(): void {
    while (!this.stopping && this.active.size < this.config.SCHEDULER_CONCURRENCY && this.waiting.length) {
      const job = this.waiting.shift()!;
      const execution: Promise<void> = this.executor
        .execute(job.run, () => this.stopping)
        .catch((err: Error) => this.logger.error(`run ${job.run.id} stopped: ${err.message}`))
        .finally(() => {
          this.active.delete(execution);
          job.done();
          this.pump();
        });
      this.active.add(execution);
    }
  }

  /** Lets the runs in progress end at their next page; fails those that never started. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const never = this.waiting.splice(0);
    await Promise.all(
      never.map((job) =>
        this.executor
          .abandon(job.run)
          .catch((err: Error) => this.logger.warn(`could not fail run ${job.run.id}: ${err.message}`))
          .finally(job.done),
      ),
    );
    await Promise.all([...this.active]);
  }
}
