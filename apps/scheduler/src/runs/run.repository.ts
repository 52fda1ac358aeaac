import { Inject, Injectable } from '@nestjs/common';
import { type TenantContext, occurrenceKey } from '@billing/contracts';
import { DATA_SOURCE, pgArray, rowsOf, toIso } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Outcome, Run, RunCounts, RunResultView, RunStatus, RunTrigger } from './run.model';
import type { RunResultPosition } from '@billing/contracts';
import type { ResultRow } from './run.plan';

interface RunRow {
  id: string;
  tenant_id: string;
  tenant: TenantContext;
  run_date: string;
  trigger: RunTrigger;
  status: RunStatus;
  attempt: number;
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
}

interface ResultViewRow {
  template_id: string;
  occurrence_date: string;
  outcome: Outcome;
  reason: string | null;
  invoice_id: string | null;
  next_occurrence_date: string | null;
}

export interface NewRun {
  id: string;
  tenant: TenantContext;
  runDate: string;
}

export interface OccurrenceRef {
  tenantId: string;
  templateId: string;
  occurrenceDate: string;
}

/** Errors are stored up to this many characters (the logs have the rest). */
const MAX_ERROR = 4000;

/** The only SQL of the scheduler: runs, claims and results. */
@Injectable()
export class RunRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async insertManual(m: EntityManager, run: NewRun): Promise<Run> {
    const [row]: RunRow[] = await m.query(
      `INSERT INTO runs (id, tenant_id, tenant, run_date, trigger) VALUES ($1, $2, $3, $4, 'manual') RETURNING *`,
      [run.id, run.tenant.id, JSON.stringify(run.tenant), run.runDate],
    );
    return mapRun(row);
  }

  /**
   * Today's scheduled runs of a page of tenants in one statement; a tenant that already has its
   * scheduled run for that date (another replica was faster) is left out of the answer.
   */
  async insertScheduled(runs: NewRun[]): Promise<Run[]> {
    if (runs.length === 0) return [];
    const rows: RunRow[] = await this.dataSource.query(
      `INSERT INTO runs (id, tenant_id, tenant, run_date, trigger)
       SELECT u.id, u.tenant_id, u.tenant, u.run_date, 'scheduled'
       FROM unnest($1::uuid[], $2::uuid[], $3::jsonb[], $4::date[]) AS u(id, tenant_id, tenant, run_date)
       ON CONFLICT (tenant_id, run_date) WHERE trigger = 'scheduled' DO NOTHING
       RETURNING *`,
      [
        runs.map((r) => r.id),
        runs.map((r) => r.tenant.id),
        runs.map((r) => JSON.stringify(r.tenant)),
        runs.map((r) => r.runDate),
      ],
    );
    return rows.map(mapRun);
  }

  /**
   * Takes over runs left behind: running but silent for `afterMs` (their process died), and failed
   * scheduled runs of the last day with attempts left, failed `afterMs` ago. Each gets a new attempt,
   * so a worker still holding the old one stops at its next page; replicas share them (SKIP LOCKED).
   */
  async takeOver(afterMs: number, maxAttempts: number, limit: number): Promise<Run[]> {
    const result: unknown = await this.dataSource.query(
      `UPDATE runs SET status = 'running', attempt = attempt + 1, heartbeat_at = now(),
         finished_at = NULL, error = NULL
       WHERE id IN (
         SELECT id FROM runs
         WHERE (status = 'running' AND heartbeat_at < now() - $1 * interval '1 millisecond')
            OR (status = 'failed' AND trigger = 'scheduled' AND attempt < $2
                AND finished_at < now() - $1 * interval '1 millisecond'
                AND started_at > now() - interval '1 day')
         ORDER BY started_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [afterMs, maxAttempts, limit],
    );
    return rowsOf<RunRow>(result).map(mapRun);
  }

  /** Marks the run alive; false when another worker took it over (or it finished). */
  async heartbeat(m: EntityManager, run: Run): Promise<boolean> {
    const result: unknown = await m.query(
      `UPDATE runs SET heartbeat_at = now() WHERE id = $1 AND attempt = $2 AND status = 'running' RETURNING id`,
      [run.id, run.attempt],
    );
    return rowsOf(result).length > 0;
  }

  /** Ends the run's attempt; nothing happens when another worker holds the run by now. */
  async finish(run: Run, status: Exclude<RunStatus, 'running'>, error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE runs SET status = $3, error = $4, finished_at = now(), heartbeat_at = now()
       WHERE id = $1 AND attempt = $2 AND status = 'running'`,
      [run.id, run.attempt, status, error === null ? null : error.slice(0, MAX_ERROR)],
    );
  }

  /**
   * Claims occurrences for the run: each claimed one is stored as the run's `pending` result (with the
   * next occurrence it leads to). The answer holds the keys this call claimed (`occurrenceKey`); an
   * occurrence another run (or an earlier attempt of this one) claimed is left alone — the unique
   * index on claimed results is the guarantee.
   */
  async claim(
    m: EntityManager,
    run: Run,
    wanted: Array<OccurrenceRefKey & { next: string | null }>,
  ): Promise<Set<string>> {
    if (wanted.length === 0) return new Set();
    const rows: Array<{ template_id: string; occurrence_date: string }> = await m.query(
      `INSERT INTO run_results (run_id, tenant_id, template_id, occurrence_date, outcome, next_occurrence_date,
         claimed)
       SELECT $2, $1, u.template_id, u.occurrence_date, 'pending', u.next, true
       FROM unnest($3::uuid[], $4::date[], $5::date[]) AS u(template_id, occurrence_date, next)
       ON CONFLICT (tenant_id, template_id, occurrence_date) WHERE claimed DO NOTHING
       RETURNING template_id, occurrence_date`,
      [
        run.tenantId,
        run.id,
        pgArray(wanted.map((w) => w.templateId)),
        pgArray(wanted.map((w) => w.occurrenceDate)),
        pgArray(wanted.map((w) => w.next)),
      ],
    );
    return new Set(rows.map((r) => occurrenceKey(r.template_id, r.occurrence_date)));
  }

  /** Which run claimed each of these occurrences (a separate statement sees the claims of runs that
   * committed while ours waited on them). */
  async claimedBy(
    m: EntityManager,
    tenantId: string,
    keys: OccurrenceRefKey[],
  ): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows: Array<{ template_id: string; occurrence_date: string; run_id: string }> = await m.query(
      `SELECT s.template_id, s.occurrence_date, s.run_id
       FROM unnest($2::uuid[], $3::date[]) AS u(template_id, occurrence_date)
       CROSS JOIN LATERAL (
         SELECT template_id, occurrence_date, run_id FROM run_results
         WHERE claimed AND tenant_id = $1 AND template_id = u.template_id AND occurrence_date = u.occurrence_date
       ) s`,
      [tenantId, keys.map((k) => k.templateId), keys.map((k) => k.occurrenceDate)],
    );
    return new Map(rows.map((r) => [occurrenceKey(r.template_id, r.occurrence_date), r.run_id]));
  }

  /** Results the run records without claiming: skipped (another run's) and failed before any claim. */
  async insertResults(m: EntityManager, run: Run, results: ResultRow[]): Promise<void> {
    if (results.length === 0) return;
    await m.query(
      `INSERT INTO run_results (run_id, tenant_id, template_id, occurrence_date, outcome, reason,
         next_occurrence_date)
       SELECT $1, $2, u.template_id, u.occurrence_date, u.outcome, u.reason, u.next
       FROM unnest($3::uuid[], $4::date[], $5::occurrence_outcome[], $6::text[], $7::date[])
         AS u(template_id, occurrence_date, outcome, reason, next)
       ON CONFLICT DO NOTHING`,
      [
        run.id,
        run.tenantId,
        pgArray(results.map((r) => r.templateId)),
        pgArray(results.map((r) => r.occurrenceDate)),
        pgArray(results.map((r) => r.outcome)),
        pgArray(results.map((r) => r.reason)),
        pgArray(results.map((r) => r.next)),
      ],
    );
  }

  async find(tenantId: string, id: string): Promise<Run | null> {
    const [row]: RunRow[] = await this.dataSource.query(
      'SELECT * FROM runs WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    return row ? mapRun(row) : null;
  }

  /** The tenant's runs, newest first; `limit + 1` rows (the extra one says there is more). */
  async list(tenantId: string, limit: number, before?: string): Promise<Run[]> {
    const rows: RunRow[] = await this.dataSource.query(
      `SELECT * FROM runs WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id < $2::uuid)
       ORDER BY id DESC LIMIT $3`,
      [tenantId, before ?? null, limit + 1],
    );
    return rows.map(mapRun);
  }

  /** Counts per run, from the results themselves (never counters that could drift). */
  async counts(runIds: string[]): Promise<Map<string, RunCounts>> {
    if (runIds.length === 0) return new Map();
    const rows: Array<RunCounts & { run_id: string }> = await this.dataSource.query(
      `SELECT run_id,
         count(DISTINCT template_id)::int AS templates,
         count(*)::int AS occurrences,
         count(*) FILTER (WHERE outcome = 'pending')::int AS pending,
         count(*) FILTER (WHERE outcome = 'generated')::int AS generated,
         count(*) FILTER (WHERE outcome = 'skipped')::int AS skipped,
         count(*) FILTER (WHERE outcome = 'failed')::int AS failed
       FROM run_results WHERE run_id = ANY($1::uuid[]) GROUP BY run_id`,
      [runIds],
    );
    return new Map(rows.map(({ run_id, ...counts }) => [run_id, counts]));
  }

  /** A run's results by template and date after the cursor; `limit + 1` rows. */
  async results(runId: string, limit: number, after: RunResultPosition | null): Promise<RunResultView[]> {
    const rows: ResultViewRow[] = await this.dataSource.query(
      `SELECT template_id, occurrence_date, outcome, reason, invoice_id, next_occurrence_date
       FROM run_results
       WHERE run_id = $1 AND ($2::uuid IS NULL OR (template_id, occurrence_date) > ($2::uuid, $3::date))
       ORDER BY template_id, occurrence_date
       LIMIT $4`,
      [runId, after?.templateId ?? null, after?.occurrenceDate ?? null, limit + 1],
    );
    return rows;
  }

  /** The occurrences of a run whose result is failed. */
  async failedKeys(runId: string): Promise<Array<{ template_id: string; occurrence_date: string }>> {
    return this.dataSource.query(
      `SELECT template_id, occurrence_date::text AS occurrence_date FROM run_results
       WHERE run_id = $1 AND outcome = 'failed'`,
      [runId],
    );
  }

  /** Invoicing could not generate: the claiming run's result fails with the reason, unless generated. */
  async markFailed(m: EntityManager, failures: Array<OccurrenceRef & { reason: string }>): Promise<void> {
    if (failures.length === 0) return;
    await m.query(
      `UPDATE run_results r SET outcome = 'failed', reason = u.reason, updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::text[]) AS u(tenant_id, template_id, occurrence_date, reason)
       WHERE r.claimed AND r.tenant_id = u.tenant_id AND r.template_id = u.template_id
         AND r.occurrence_date = u.occurrence_date AND r.outcome IN ('pending', 'failed')`,
      [...refColumns(failures), failures.map((f) => f.reason.slice(0, MAX_ERROR))],
    );
  }

  /** The template completed: no next occurrence on the result of its latest claimed occurrence. */
  async clearNextOnLatest(
    m: EntityManager,
    templates: Array<{ tenantId: string; templateId: string }>,
  ): Promise<void> {
    if (templates.length === 0) return;
    await m.query(
      `UPDATE run_results r SET next_occurrence_date = NULL, updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[]) AS u(tenant_id, template_id)
       CROSS JOIN LATERAL (
         SELECT run_id, template_id, occurrence_date FROM run_results x
         WHERE x.claimed AND x.tenant_id = u.tenant_id AND x.template_id = u.template_id
         ORDER BY x.occurrence_date DESC LIMIT 1
       ) latest
       WHERE r.run_id = latest.run_id AND r.template_id = latest.template_id
         AND r.occurrence_date = latest.occurrence_date`,
      [templates.map((t) => t.tenantId), templates.map((t) => t.templateId)],
    );
  }
}

export interface OccurrenceRefKey {
  templateId: string;
  occurrenceDate: string;
}

function refColumns(refs: OccurrenceRef[]): [string[], string[], string[]] {
  return [refs.map((r) => r.tenantId), refs.map((r) => r.templateId), refs.map((r) => r.occurrenceDate)];
}

function mapRun(row: RunRow): Run {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    tenant: row.tenant,
    runDate: row.run_date,
    trigger: row.trigger,
    status: row.status,
    attempt: row.attempt,
    startedAt: toIso(row.started_at),
    finishedAt: row.finished_at === null ? null : toIso(row.finished_at),
    error: row.error,
  };
}
