import type { INestApplication } from '@nestjs/common';
import { LedgerRpc, SchedulerRpc, type TenantContext, parkedRpc } from '@billing/contracts';
import { ProblemError, uuidv7 } from '@billing/common';
import { createTestDatabase, dropBus, uniqueName, type TestDatabase } from '@billing/common/testing';
import { FakeServices } from './fake-services';
import { agingReport, journalEntryView, runResult, runSummary, trialBalance } from './fixtures';
import { ADMIN_TOKEN, type Api, bootGateway } from './support';

/** The gateway alone on its bus; the invoicing (ledger) and scheduler services are fakes. */
describe('gateway: journal, reports and scheduler runs (fake services)', () => {
  let db: TestDatabase;
  let root: string;
  let gateway: INestApplication;
  let api: Api;
  let fakes: FakeServices;
  let key: string;
  let context: TenantContext;

  beforeAll(async () => {
    db = await createTestDatabase('gwled');
    root = uniqueName('gwled');
    ({ app: gateway, api } = await bootGateway(db, root));
    fakes = await FakeServices.connect(root);
    const created = await api.createTenant('Acme Retainers', { timezone: 'Australia/Sydney' });
    key = created.api_key;
    context = {
      id: created.tenant.id,
      name: 'Acme Retainers',
      base_currency: 'USD',
      timezone: 'Australia/Sydney',
    };
  });

  afterEach(async () => {
    const errors = [...fakes.errors];
    await fakes.reset();
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await fakes?.close();
    await gateway?.close();
    await db?.drop();
    await dropBus(root);
  });

  const fields = (body: { errors: Array<{ field: string }> }) => body.errors.map((e) => e.field).sort();

  describe('GET /v1/journal-entries', () => {
    it('pages the journal, filtered by invoice, for the caller tenant', async () => {
      const invoiceId = uuidv7();
      const page = { data: [journalEntryView(invoiceId)], next_cursor: null };
      await fakes.answer(LedgerRpc.journal, () => page);
      const res = await api.get(
        `/v1/journal-entries?invoice_id=${invoiceId}&limit=20&cursor=0190f0e0-0000-7000-8000-0000000000c1`,
        key,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual(page);
      expect((await api.get('/v1/journal-entries', key)).status).toBe(200);
      expect(fakes.callsTo(LedgerRpc.journal)).toEqual([
        expect.objectContaining({
          tenant: context,
          data: { invoice_id: invoiceId, limit: 20, cursor: '0190f0e0-0000-7000-8000-0000000000c1' },
        }),
        expect.objectContaining({ tenant: context, data: { limit: 50 } }),
      ]);
    });

    it('answers bad filters with 422 naming each, without calling the service', async () => {
      const res = await api.get('/v1/journal-entries?invoice_id=INV-1&limit=-1&kind=invoice_finalized', key);
      expect(res.status).toBe(422);
      expect(fields(res.body)).toEqual(['invoice_id', 'kind', 'limit']);
      expect(fakes.calls).toEqual([]);
    });
  });

  describe('GET /v1/reports/trial-balance and /v1/reports/aging', () => {
    it('forwards as_of (or nothing) and answers the report', async () => {
      const [invoiceId, customerId] = [uuidv7(), uuidv7()];
      await fakes.answer(LedgerRpc.trialBalance, ({ as_of }) => trialBalance(as_of ?? '2026-01-16'));
      await fakes.answer(LedgerRpc.aging, ({ as_of }) =>
        agingReport(as_of ?? '2026-01-16', invoiceId, customerId),
      );
      const trial = await api.get('/v1/reports/trial-balance?as_of=2026-01-31', key);
      expect(trial.status).toBe(200);
      expect(trial.body).toEqual(trialBalance('2026-01-31'));
      const aging = await api.get('/v1/reports/aging?as_of=2026-01-31', key);
      expect(aging.status).toBe(200);
      expect(aging.body).toEqual(agingReport('2026-01-31', invoiceId, customerId));
      const today = await api.get('/v1/reports/aging', key);
      expect(today.body.as_of).toBe('2026-01-16');
      expect(fakes.calls.map((c) => [c.operation, c.data, c.tenant])).toEqual([
        [LedgerRpc.trialBalance.name, { as_of: '2026-01-31' }, context],
        [LedgerRpc.aging.name, { as_of: '2026-01-31' }, context],
        [LedgerRpc.aging.name, {}, context],
      ]);
    });

    it.each(['trial-balance', 'aging'])(
      '%s answers a bad as_of or an unknown parameter with 422',
      async (report) => {
        const res = await api.get(`/v1/reports/${report}?as_of=31/01/2026&currency=USD`, key);
        expect(res.status).toBe(422);
        expect(fields(res.body)).toEqual(['as_of', 'currency']);
        expect(res.body.errors.find((e: { field: string }) => e.field === 'as_of').message).toBe(
          'must be a date YYYY-MM-DD',
        );
        expect(fakes.calls).toEqual([]);
      },
    );
  });

  describe('/v1/scheduler/runs', () => {
    it('runs now: 201 with the run summary, as_of optional, body optional', async () => {
      await fakes.answer(SchedulerRpc.run, ({ as_of }) =>
        runSummary({ run_date: as_of ?? '2026-01-16', trigger: 'manual' }),
      );
      const bare = await api.post('/v1/scheduler/runs', key);
      expect(bare.status).toBe(201);
      expect(bare.body).toMatchObject({ run_date: '2026-01-16', trigger: 'manual', status: 'published' });
      const dated = await api.post('/v1/scheduler/runs', key, { as_of: '2026-03-31' });
      expect(dated.status).toBe(201);
      expect(dated.body.run_date).toBe('2026-03-31');
      expect(fakes.callsTo(SchedulerRpc.run)).toEqual([
        expect.objectContaining({ tenant: context, data: {} }),
        expect.objectContaining({ tenant: context, data: { as_of: '2026-03-31' } }),
      ]);
    });

    it('refuses a bad as_of or another field with 422, without calling the scheduler', async () => {
      const res = await api.post('/v1/scheduler/runs', key, { as_of: 'tomorrow', dry_run: true });
      expect(res.status).toBe(422);
      expect(fields(res.body)).toEqual(['as_of', 'dry_run']);
      expect(fakes.calls).toEqual([]);
    });

    it('replays a run requested again with the same Idempotency-Key instead of running twice', async () => {
      await fakes.answer(SchedulerRpc.run, () => runSummary());
      const idem = { 'idempotency-key': 'run-month-end' };
      const first = await api.post('/v1/scheduler/runs', key, { as_of: '2026-01-31' }, idem);
      const again = await api.post('/v1/scheduler/runs', key, { as_of: '2026-01-31' }, idem);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(fakes.callsTo(SchedulerRpc.run)).toHaveLength(1);
      expect(fakes.callsTo(SchedulerRpc.run)[0].requestId).toMatch(/^[0-9a-f]{64}$/);
    });

    it('passes a 409 of the scheduler through (a run already in progress)', async () => {
      await fakes.answer(SchedulerRpc.run, () => {
        throw ProblemError.invalidState('A run for 2026-01-31 is in progress.');
      });
      const res = await api.post('/v1/scheduler/runs', key, {});
      expect(res.status).toBe(409);
      expect(res.body.type).toBe('/problems/invalid-state');
    });

    it('lists past runs in pages', async () => {
      const page = { data: [runSummary(), runSummary({ trigger: 'scheduled' })], next_cursor: 'r2' };
      await fakes.answer(SchedulerRpc.list, () => page);
      const res = await api.get(
        '/v1/scheduler/runs?limit=2&cursor=0190f0e0-0000-7000-8000-0000000000c1',
        key,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual(page);
      expect(fakes.callsTo(SchedulerRpc.list)).toEqual([
        expect.objectContaining({
          tenant: context,
          data: { limit: 2, cursor: '0190f0e0-0000-7000-8000-0000000000c1' },
        }),
      ]);
      const bad = await api.get('/v1/scheduler/runs?limit=0&status=failed', key);
      expect(bad.status).toBe(422);
      expect(fields(bad.body)).toEqual(['limit', 'status']);
      expect(fakes.callsTo(SchedulerRpc.list)).toHaveLength(1);
    });

    it('shows a run with a page of its per-template results', async () => {
      const run = runSummary();
      const detail = {
        run,
        results: { data: [runResult(), runResult()], next_cursor: `${run.id}:2027-01-31` },
      };
      await fakes.answer(SchedulerRpc.get, ({ id }) => {
        if (id !== run.id) throw ProblemError.notFound('Scheduler run', id);
        return detail;
      });
      const res = await api.get(`/v1/scheduler/runs/${run.id}?limit=2`, key);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(detail);
      const next = await api.get(`/v1/scheduler/runs/${run.id}?limit=2&cursor=${run.id}:2027-01-31`, key);
      expect(next.status).toBe(200);
      expect(fakes.callsTo(SchedulerRpc.get).map((c) => c.data)).toEqual([
        { id: run.id, limit: 2 },
        { id: run.id, limit: 2, cursor: `${run.id}:2027-01-31` },
      ]);
      expect(fakes.callsTo(SchedulerRpc.get)[0].tenant).toEqual(context);
      const unknown = await api.get(`/v1/scheduler/runs/${uuidv7()}`, key);
      expect(unknown.status).toBe(404);
      expect(unknown.body.type).toBe('/problems/not-found');
    });

    it('answers 404 for a malformed run id and 422 for a bad results page, calling nothing', async () => {
      const malformed = await api.get('/v1/scheduler/runs/last', key);
      expect(malformed.status).toBe(404);
      const bad = await api.get(`/v1/scheduler/runs/${uuidv7()}?limit=1000`, key);
      expect(bad.status).toBe(422);
      expect(fields(bad.body)).toEqual(['limit']);
      expect(fakes.calls).toEqual([]);
    });

    it('answers 503 when the scheduler is not running', async () => {
      const res = await api.post('/v1/scheduler/runs', key, {});
      expect(res.status).toBe(503);
      expect(res.body.detail).toMatch(/scheduler/);
    });
  });

  describe('admin: parked messages of the scheduler', () => {
    it('lists and replays them through the scheduler, without a tenant', async () => {
      const scheduler = parkedRpc('scheduler');
      const parkedId = uuidv7();
      await fakes.answer(scheduler.list, () => ({ data: [], next_cursor: null }));
      await fakes.answer(scheduler.replay, ({ id }) => ({ id, outcome: 'processed' as const, error: null }));
      const list = await api.get('/v1/admin/parked?service=scheduler&limit=5', ADMIN_TOKEN);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ data: [], next_cursor: null });
      const replay = await api.post(`/v1/admin/parked/scheduler/${parkedId}/replay`, ADMIN_TOKEN);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ id: parkedId, outcome: 'processed', error: null });
      expect(fakes.calls).toEqual([
        expect.objectContaining({ operation: scheduler.list.name, tenant: null, data: { limit: 5 } }),
        expect.objectContaining({ operation: scheduler.replay.name, tenant: null, data: { id: parkedId } }),
      ]);
      const unknown = await api.get('/v1/admin/parked?service=billing', ADMIN_TOKEN);
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors[0]).toMatchObject({
        field: 'service',
        message: expect.stringMatching(/scheduler/),
      });
    });
  });

  it('needs an API key on every ledger and scheduler route', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/v1/journal-entries'],
      ['GET', '/v1/reports/trial-balance'],
      ['GET', '/v1/reports/aging'],
      ['POST', '/v1/scheduler/runs'],
      ['GET', '/v1/scheduler/runs'],
      ['GET', `/v1/scheduler/runs/${uuidv7()}`],
    ];
    for (const [method, path] of routes) {
      const res = await api.request(method, path, { token: null });
      expect(res.status).toBe(401);
      expect(res.body.type).toBe('/problems/unauthorized');
      expect((await api.request(method, path, { token: ADMIN_TOKEN })).status).toBe(401);
    }
    expect(fakes.calls).toEqual([]);
  });
});
