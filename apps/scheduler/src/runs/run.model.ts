import type { RunSummary, TenantContext, RunResultSchema } from '@billing/contracts';
import type { z } from 'zod';

export type RunTrigger = RunSummary['trigger'];
export type RunStatus = RunSummary['status'];
export type RunCounts = RunSummary['counts'];
export type RunResultView = z.infer<typeof RunResultSchema>;
export type Outcome = RunResultView['outcome'];

/** A scheduler run: one tenant, one date, published page by page. */
export interface Run {
  id: string;
  tenantId: string;
  /** The tenant as the run started; a replica taking the run over calls with it. */
  tenant: TenantContext;
  runDate: string;
  trigger: RunTrigger;
  status: RunStatus;
  /** Raised by every (re)start: the worker holding the current attempt owns the run. */
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export const NO_RESULTS: RunCounts = {
  templates: 0,
  occurrences: 0,
  pending: 0,
  generated: 0,
  skipped: 0,
  failed: 0,
};

/** The run as the API shows it; the counts come from its results (see RunRepository.counts). */
export function mapRunSummary(run: Run, counts: RunCounts = NO_RESULTS): RunSummary {
  return {
    id: run.id,
    run_date: run.runDate,
    trigger: run.trigger,
    status: run.status,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    error: run.error,
    counts,
  };
}
