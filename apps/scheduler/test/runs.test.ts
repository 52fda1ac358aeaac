import { jetstream } from '@nats-io/jetstream';
import {
  OccurrenceEvents,
  SchedulerRpc,
  type TemplateView,
  type TenantContext,
  type RunSummary,
  eventSubject,
} from '@billing/contracts';
import { DATA_SOURCE, ProblemError, requestIdOfCall, runInRequestScope, uuidv7 } from '@billing/common';
import { eventually } from '@billing/common/testing';
import type { DataSource } from 'typeorm';
import { DailyRuns } from '../src/daily/daily-runs';
import { RunsService } from '../src/runs/runs.service';
import { TestSystem } from './support';

jest.setTimeout(60_000);

/** Runs as an operator sees them: replicas, repeated runs, failures, the daily pass and the API. */
describe('scheduler runs: replicas, repeats, failures and the daily pass', () => {
  let sys: TestSystem;
  let db: DataSource;

  beforeAll(async () => {
    sys = await TestSystem.start('runs', { SCHEDULER_RETRY_AFTER_MS: '1000' });
    db = sys.schedulers[0].get<DataSource>(DATA_SOURCE);
  });

  afterAll(async () => {
    await sys?.close();
  });

  const daily = (customerId: string, startDate: string, extra = {}) => ({
    type: 'invoice' as const,
    customer_id: customerId,
    frequency: 'daily' as const,
    start_date: startDate,
    total: '10.00',
    ...extra,
  });

  async function fail(call: Promise<unknown>): Promise<ProblemError['problem']> {
    const err = await call.then(
      () => new Error('expected the call to fail'),
      (e: unknown) => e,
    );
    if (!(err instanceof ProblemError)) throw err;
    return err.problem;
  }

  const runsOf = async (tenant: TenantContext) =>
    (await sys.rpc.call(SchedulerRpc.list, { limit: 200 }, tenant)).data;

  it('two scheduler instances running the same day at once: one document per occurrence', async () => {
    const { tenant, customerId } = await sys.tenant('Replicas');
    await sys.setToday('2027-07-01');
    const templates: TemplateView[] = [];
    for (let i = 0; i < 10; i++) templates.push(await sys.template(tenant, daily(customerId, '2027-07-01')));
    await sys.setToday('2027-07-03');

    const [a, b] = await Promise.all(sys.schedulers.map((s) => s.get(RunsService).run(tenant, {})));
    const [da, dbb] = await Promise.all([sys.settled(tenant, a.id), sys.settled(tenant, b.id)]);
    const results = [...da.results.data, ...dbb.results.data];
    for (const t of templates) {
      for (const date of ['2027-07-01', '2027-07-02', '2027-07-03']) {
        const mine = results.filter((r) => r.template_id === t.id && r.occurrence_date === date);
        expect(mine.filter((r) => r.outcome === 'generated')).toHaveLength(1);
        expect(mine.filter((r) => r.outcome !== 'generated').every((r) => r.outcome === 'skipped')).toBe(
          true,
        );
        expect(sys.publishedFor(t.id).filter((p) => p.data.occurrence_date === date)).toHaveLength(1);
      }
      expect(await sys.issueDates(tenant, t.id)).toEqual(['2027-07-01', '2027-07-02', '2027-07-03']);
    }
    expect(da.run.counts.generated + dbb.run.counts.generated).toBe(30);
    // Both saw the same occurrences due: the one that claimed second shows them skipped.
    expect(da.run.counts.skipped + dbb.run.counts.skipped).toBeGreaterThan(0);
  });

  it('the same run twice: the second shows skipped; results follow the documents whenever they come', async () => {
    const { tenant, customerId } = await sys.tenant('Twice');
    await sys.setToday('2027-08-01');
    const first = await sys.template(tenant, daily(customerId, '2027-08-01'));
    const second = await sys.template(tenant, daily(customerId, '2027-08-01'));
    // Invoicing is down: nothing is generated, the templates stay where they are.
    await sys.stop('invoicing');
    let one: RunSummary;
    try {
      one = await sys.run(tenant);
      expect(one).toMatchObject({ status: 'published', counts: { occurrences: 2, pending: 2 } });
      expect(one.error).toMatch(/^Marking overdue invoices failed: .*invoicing service is unavailable/);
      const two = await sys.run(tenant);
      expect(two).toMatchObject({ status: 'published', counts: { occurrences: 2, skipped: 2, pending: 0 } });
      expect((await sys.detail(tenant, two.id)).results.data).toEqual(
        [first, second]
          .map((t) => ({
            template_id: t.id,
            occurrence_date: '2027-08-01',
            outcome: 'skipped',
            reason: `already scheduled by run ${one.id}`,
            invoice_id: null,
            next_occurrence_date: null,
          }))
          .sort((x, y) => x.template_id.localeCompare(y.template_id)),
      );

      // Invoicing reports a failure for one occurrence (say a rule refused it): visible in the run.
      const failed = {
        event_id: uuidv7(),
        event_type: 'occurrence.failed.v1',
        schema_version: 1,
        tenant_id: tenant.id,
        occurred_at: new Date().toISOString(),
        data: {
          run_id: one.id,
          template_id: first.id,
          occurrence_date: '2027-08-01',
          reason: 'customer is archived',
        },
      };
      await jetstream(sys.rpc.nc).publish(
        eventSubject(sys.root, OccurrenceEvents.failed),
        JSON.stringify(failed),
        {
          msgID: failed.event_id,
        },
      );
      await eventually(async () => {
        const d = await sys.detail(tenant, one.id);
        return d.results.data.find((r) => r.template_id === first.id)?.outcome === 'failed' ? d : null;
      });
      const d = await sys.detail(tenant, one.id);
      expect(d.results.data.find((r) => r.template_id === first.id)).toMatchObject({
        outcome: 'failed',
        reason: 'customer is archived',
      });
      expect(d.run.counts).toMatchObject({ pending: 1, failed: 1 });
    } finally {
      await sys.boot('invoicing');
    }
    // Invoicing is back and generates what was published (a document replaces the earlier failure).
    const settled = await sys.settled(tenant, one.id);
    expect(settled.results.data.map((r) => r.outcome)).toEqual(['generated', 'generated']);
    for (const t of [first, second]) {
      expect(await sys.issueDates(tenant, t.id)).toEqual(['2027-08-01']);
      expect(sys.publishedFor(t.id)).toHaveLength(1);
    }
  });

  it('a page that fails fails the run; the next run picks the rest up', async () => {
    const { tenant, customerId } = await sys.tenant('Outage');
    await sys.setToday('2027-09-01');
    const t = await sys.template(tenant, daily(customerId, '2027-09-01'));
    await sys.stop('templates');
    let failed;
    try {
      failed = await sys.run(tenant);
    } finally {
      await sys.boot('templates');
    }
    expect(failed).toMatchObject({ status: 'failed', counts: { occurrences: 0 } });
    expect(failed.error).toMatch(/templates service is unavailable/);
    expect(failed.finished_at).not.toBeNull();
    await sys.setToday('2027-09-02');
    await sys.runAndSettle(tenant);
    expect(await sys.issueDates(tenant, t.id)).toEqual(['2027-09-01', '2027-09-02']);
  });

  describe('the daily pass', () => {
    const tick = (i = 0) => sys.schedulers[i].get(DailyRuns).tick();
    const scheduledRuns = async (
      date: string,
    ): Promise<Array<{ tenant_id: string; status: string; attempt: number }>> =>
      db.query(`SELECT tenant_id, status, attempt FROM runs WHERE trigger = 'scheduled' AND run_date = $1`, [
        date,
      ]);

    it('starts one scheduled run per tenant and day, whatever the number of replicas', async () => {
      sys.tenants.splice(0);
      const tenants = [];
      await sys.setToday('2027-10-01');
      for (const name of ['Daily A', 'Daily B', 'Daily C']) {
        const { tenant, customerId } = await sys.tenant(name);
        const t = await sys.template(tenant, daily(customerId, '2027-10-01'));
        tenants.push({ tenant, template: t });
      }
      const [a, b] = await Promise.all([tick(0), tick(1)]);
      expect(a.started + b.started).toBe(3);
      expect(await scheduledRuns('2027-10-01')).toHaveLength(3);
      for (const { tenant, template } of tenants) {
        const [run] = await runsOf(tenant);
        expect(run).toMatchObject({ trigger: 'scheduled', run_date: '2027-10-01' });
        await sys.settled(tenant, run.id);
        expect(await sys.issueDates(tenant, template.id)).toEqual(['2027-10-01']);
      }
      expect((await tick(0)).started + (await tick(1)).started).toBe(0);

      await sys.setToday('2027-10-02');
      expect((await tick(1)).started).toBe(3);
      for (const { tenant, template } of tenants) {
        const [run] = await runsOf(tenant);
        await sys.settled(tenant, run.id);
        await eventually(async () =>
          (await sys.issueDates(tenant, template.id)).length === 2 ? true : null,
        );
      }
    });

    it('retries a failed scheduled run and takes over a run whose process died', async () => {
      sys.tenants.splice(0);
      await sys.setToday('2027-11-01');
      const { tenant, customerId } = await sys.tenant('Retried');
      const t = await sys.template(tenant, daily(customerId, '2027-11-01'));
      await sys.stop('templates');
      try {
        expect((await tick()).started).toBe(1);
        await eventually(async () => {
          const [run] = await scheduledRuns('2027-11-01');
          return run?.status === 'failed' ? run : null;
        });
      } finally {
        await sys.boot('templates');
      }
      await new Promise((r) => setTimeout(r, 1100));
      expect(await tick()).toEqual({ started: 0, resumed: 1 });
      const [run] = await runsOf(tenant);
      const settled = await sys.settled(tenant, run.id);
      expect(settled.run).toMatchObject({ status: 'published', error: null });
      expect((await scheduledRuns('2027-11-01'))[0].attempt).toBe(2);
      expect(await sys.issueDates(tenant, t.id)).toEqual(['2027-11-01']);

      // A manual run left running by a process that died: taken over once it has been silent long enough.
      await sys.setToday('2027-11-02');
      const orphan = uuidv7();
      await db.query(
        `INSERT INTO runs (id, tenant_id, tenant, run_date, trigger, heartbeat_at)
         VALUES ($1, $2, $3, '2027-11-02', 'manual', now() - interval '1 hour')`,
        [orphan, tenant.id, JSON.stringify(tenant)],
      );
      sys.tenants.splice(0);
      expect((await tick()).resumed).toBe(1);
      const resumed = await sys.settled(tenant, orphan);
      expect(resumed.run.status).toBe('published');
      expect(await sys.issueDates(tenant, t.id)).toEqual(['2027-11-01', '2027-11-02']);
    });
  });

  describe('the API', () => {
    let tenant: TenantContext;
    let runIds: string[];

    beforeAll(async () => {
      const created = await sys.tenant('API');
      tenant = created.tenant;
      await sys.setToday('2027-12-01');
      for (let i = 0; i < 3; i++) await sys.template(tenant, daily(created.customerId, '2027-12-01'));
      await sys.setToday('2027-12-02');
      runIds = [];
      for (const asOf of ['2027-12-01', undefined, undefined])
        runIds.push((await sys.runAndSettle(tenant, asOf)).run.id);
    });

    it('lists runs newest first, a page at a time', async () => {
      const first = await sys.rpc.call(SchedulerRpc.list, { limit: 2 }, tenant);
      expect(first.data.map((r) => r.id)).toEqual([runIds[2], runIds[1]]);
      expect(first.next_cursor).toBe(runIds[1]);
      const rest = await sys.rpc.call(SchedulerRpc.list, { limit: 2, cursor: first.next_cursor! }, tenant);
      expect(rest.data.map((r) => r.id)).toEqual([runIds[0]]);
      expect(rest.next_cursor).toBeNull();
      expect(rest.data[0]).toMatchObject({
        run_date: '2027-12-01',
        counts: { templates: 3, occurrences: 3, generated: 3 },
      });
    });

    it('shows a run with its results a page at a time, by template and date', async () => {
      const all = (await sys.detail(tenant, runIds[1])).results.data;
      expect(all.map((r) => r.occurrence_date)).toEqual(['2027-12-02', '2027-12-02', '2027-12-02']);
      const page1 = await sys.detail(tenant, runIds[1], 2);
      expect(page1.results.data).toEqual(all.slice(0, 2));
      const page2 = await sys.detail(tenant, runIds[1], 2, page1.results.next_cursor!);
      expect(page2.results).toEqual({ data: all.slice(2), next_cursor: null });
      // Run the same day again: nothing left to do.
      expect((await sys.detail(tenant, runIds[2])).results.data).toEqual([]);
    });

    it("never shows another tenant's runs, and refuses bad input", async () => {
      const other = (await sys.tenant('Other')).tenant;
      expect(await runsOf(other)).toEqual([]);
      expect(await fail(sys.rpc.call(SchedulerRpc.get, { id: runIds[0], limit: 10 }, other))).toMatchObject({
        status: 404,
      });
      expect(
        (await fail(sys.rpc.call(SchedulerRpc.list, { limit: 10, cursor: 'nope' }, tenant))).errors,
      ).toEqual([{ field: 'cursor', message: 'is not a valid cursor', code: 'invalid_cursor' }]);
      expect(
        (await fail(sys.rpc.call(SchedulerRpc.get, { id: runIds[0], limit: 10, cursor: 'nope' }, tenant)))
          .errors,
      ).toEqual([{ field: 'cursor', message: 'is not a valid cursor', code: 'invalid_cursor' }]);
      expect((await fail(sys.run(tenant, '2027-12-03'))).errors).toEqual([
        { field: 'as_of', message: 'must not be after today (2027-12-02)', code: 'after_today' },
      ]);
      expect((await fail(sys.run(tenant, '2027-02-30'))).errors).toEqual([
        { field: 'as_of', message: 'is not a calendar date', code: 'invalid_date' },
      ]);
      expect((await fail(sys.rpc.call(SchedulerRpc.run, {}, null))).status).toBe(409);
    });

    it('answers a retried idempotent run request with the first run, running it once', async () => {
      const requestId = `req-${uuidv7()}`;
      const call = () => runInRequestScope(requestId, false, () => sys.run(tenant));
      const first = await call();
      const again = await call();
      expect(again.id).toBe(first.id);
      const runs = await runsOf(tenant);
      expect(runs.filter((r) => r.id === first.id)).toHaveLength(1);
      expect(runs).toHaveLength(runIds.length + 1);
      // The run itself went on outside the request: its calls did not carry the request's id (had they,
      // its overdue pass would be recorded under the id derived from the scheduler's call).
      await sys.settled(tenant, first.id);
      const scheduled = requestIdOfCall(requestId, 'scheduler.runs.create.v1', 0);
      const carried: Array<{ n: number }> = await db.query(
        'SELECT count(*)::int AS n FROM invoicing.request_log WHERE request_id = $1',
        [requestIdOfCall(scheduled, 'invoicing.invoices.mark_overdue.v1', 0)],
      );
      expect(carried[0].n).toBe(0);
    });
  });
});
