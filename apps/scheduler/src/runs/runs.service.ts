import { Inject, Injectable } from '@nestjs/common';
import {
  type Page,
  type PageQuery,
  type RpcRequest,
  type RpcResponse,
  type RunSummary,
  type SchedulerRpc,
  type TenantContext,
  readRunResultCursor,
  runResultCursor,
} from '@billing/contracts';
import { CONFIG, ClockService, ProblemError, UnitOfWork, keysetPage, uuidv7 } from '@billing/common';
import type { SchedulerConfig } from '../app.module';
import { RunDocuments } from './run.documents';
import { mapRunSummary } from './run.model';
import { asOfProblem } from './run.plan';
import { RunQueue } from './run.queue';
import { RunRepository } from './run.repository';

export type RunRequest = RpcRequest<typeof SchedulerRpc.run>;
export type RunDetailQuery = RpcRequest<typeof SchedulerRpc.get>;
export type RunDetail = RpcResponse<typeof SchedulerRpc.get>;

/** The least a run's answer waits for invoicing's counts, however late it is. */
const MIN_COUNTS_WAIT_MS = 100;

/** Runs on demand and what runs did. */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunRepository,
    private readonly documents: RunDocuments,
    private readonly queue: RunQueue,
    private readonly uow: UnitOfWork,
    private readonly clock: ClockService,
    @Inject(CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /**
   * Runs now for the calling tenant, as of today in its time zone unless `as_of` (not after today) is
   * given. Answers when the run has finished, or with the run still running (its id is there to follow
   * it) after half of RPC_TIMEOUT_MS, so that a caller with the platform's timeout always gets an answer:
   * the counts invoicing adds to the summary get what is left of 80 % of the timeout, and without them
   * the summary shows what the scheduler knows. Concurrent runs are fine: each occurrence is claimed once.
   */
  async run(tenant: TenantContext, input: RunRequest): Promise<RunSummary> {
    const answerBy = Date.now() + Math.floor(this.config.RPC_TIMEOUT_MS * 0.8);
    const today = await this.clock.today(tenant.timezone);
    const asOf = input.as_of ?? today;
    const problem = asOfProblem(asOf, today);
    if (problem) throw ProblemError.field('as_of', problem, 'after_today');
    // The first transaction of an idempotent request records its answer: the run as it was created.
    const created = await this.uow.run(async (tx) =>
      mapRunSummary(await this.runs.insertManual(tx.manager, { id: uuidv7(), tenant, runDate: asOf })),
    );
    const run = await this.runs.find(tenant.id, created.id);
    if (run) await this.queue.enqueueAndWait(run, Math.floor(this.config.RPC_TIMEOUT_MS / 2));
    return this.summaryOf(tenant, created.id, Math.max(MIN_COUNTS_WAIT_MS, answerBy - Date.now()));
  }

  /** The tenant's runs, newest first. */
  async list(tenant: TenantContext, q: PageQuery): Promise<Page<RunSummary>> {
    const rows = await this.runs.list(tenant.id, q.limit, q.cursor);
    const counts = await this.documents.counts(
      tenant,
      await this.runs.counts(rows.slice(0, q.limit).map((r) => r.id)),
    );
    return keysetPage(rows, q.limit, (run) => mapRunSummary(run, counts.get(run.id)));
  }

  /** One run with a page of its results, by template and occurrence date. */
  async get(tenant: TenantContext, q: RunDetailQuery): Promise<RunDetail> {
    // The contract has checked the cursor's shape.
    const after = q.cursor === undefined ? null : readRunResultCursor(q.cursor);
    const run = await this.summaryOf(tenant, q.id);
    const rows = await this.runs.results(q.id, q.limit, after);
    const data = await this.documents.results(tenant, rows.slice(0, q.limit));
    const last = data[data.length - 1];
    return {
      run,
      results: {
        data,
        next_cursor:
          rows.length > q.limit && last
            ? runResultCursor({ templateId: last.template_id, occurrenceDate: last.occurrence_date })
            : null,
      },
    };
  }

  private async summaryOf(tenant: TenantContext, id: string, countsWithinMs?: number): Promise<RunSummary> {
    const run = await this.runs.find(tenant.id, id);
    if (!run) throw ProblemError.notFound('Scheduler run', id);
    const counts = await this.documents.counts(tenant, await this.runs.counts([id]), countsWithinMs);
    return mapRunSummary(run, counts.get(id));
  }
}
