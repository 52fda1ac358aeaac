import { ADMIN_TOKEN, client, createTenant, startE2eSystem, streamEvents, type E2eSystem } from './helpers';

/**
 * The system started as separate processes the way `npm start` does it, driven only through HTTP.
 */
describe('end to end: gateway → templates / invoicing over NATS', () => {
  let e2e: E2eSystem;
  let api: ReturnType<typeof client>;
  let customerId: string;
  let vendorId: string;

  beforeAll(async () => {
    e2e = await startE2eSystem();
    const admin = client(e2e.url, ADMIN_TOKEN);
    expect((await admin.put('/v1/admin/clock', { today: '2026-01-15' })).status).toBe(200);
    ({ api } = await createTenant(e2e.url, 'Retainer Agency'));
    customerId = (await api.post('/v1/customers', { name: 'Northwind', email: 'ap@northwind.test' })).body.id;
    vendorId = (await api.post('/v1/vendors', { name: 'Hosting Co', currency: 'EUR' })).body.id;
  }, 120_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('serves health, metrics and the API docs on every app', async () => {
    for (const [app, port] of Object.entries(e2e.system.ports)) {
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect({ app, status: health.status }).toEqual({ app, status: 200 });
      const body = (await health.json()) as { details: Record<string, { status: string }> };
      expect(body.details).toMatchObject({ database: { status: 'up' }, nats: { status: 'up' } });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('process_cpu_user_seconds_total');
    }
    expect((await fetch(`${e2e.url}/docs/`)).status).toBe(200);
    const spec = (await (await fetch(`${e2e.url}/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/v1/templates', '/v1/templates/{id}/preview']),
    );
  });

  it('creates a monthly template on the 31st and previews Jan 31, Feb 28, Mar 31, Apr 30', async () => {
    const created = await api.post('/v1/templates', {
      type: 'invoice',
      customer_id: customerId,
      frequency: 'monthly',
      day_of_month: 31,
      start_date: '2026-01-20',
      days_until_due: 15,
      currency: 'USD',
      line_items: [
        { description: 'Retainer', quantity: '1', unit_price: '1500.00', tax_rate: '8.25' },
        { description: 'Extra hours', quantity: '2.5', unit_price: '120.00' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'active',
      next_occurrence_date: '2026-01-31',
      generated_count: 0,
      subtotal: '1800.00',
      tax: '123.75',
      total: '1923.75',
    });
    const preview = await api.get(`/v1/templates/${created.body.id}/preview?count=4`);
    expect(preview.status).toBe(200);
    expect(preview.body.occurrences.map((o: any) => [o.issue_date, o.due_date, o.total])).toEqual([
      ['2026-01-31', '2026-02-15', '1923.75'],
      ['2026-02-28', '2026-03-15', '1923.75'],
      ['2026-03-31', '2026-04-15', '1923.75'],
      ['2026-04-30', '2026-05-15', '1923.75'],
    ]);
  });

  it('answers bad input with a problem naming each field and stores nothing', async () => {
    const before = (await api.get('/v1/templates?limit=200')).body.data.length;
    const res = await api.post('/v1/templates', {
      type: 'bill',
      customer_id: customerId,
      frequency: 'weekly',
      day_of_month: 3,
      start_date: '2026-01-10',
      auto_send: true,
      total: '-5.00',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['vendor_id', 'day_of_month', 'start_date', 'auto_send', 'total']),
    );
    expect((await api.get('/v1/templates?limit=200')).body.data.length).toBe(before);
  });

  it('runs the whole lifecycle and publishes an event for each step', async () => {
    const bill = await api.post('/v1/templates', {
      type: 'bill',
      vendor_id: vendorId,
      frequency: 'weekly',
      day_of_week: 4,
      start_date: '2026-01-15',
      total: '99.00',
    });
    expect(bill.status).toBe(201);
    expect(bill.body).toMatchObject({ currency: 'EUR', next_occurrence_date: '2026-01-16' });
    const id = bill.body.id as string;

    expect((await api.post(`/v1/templates/${id}/pause`)).body.status).toBe('paused');
    expect((await api.post(`/v1/templates/${id}/pause`)).status).toBe(409);
    expect((await api.post(`/v1/templates/${id}/resume`)).body).toMatchObject({
      status: 'active',
      next_occurrence_date: '2026-01-16',
    });
    expect((await api.post(`/v1/templates/${id}/skip-next`)).body.next_occurrence_date).toBe('2026-01-23');
    const clone = await api.post(`/v1/templates/${id}/clone`, {});
    expect(clone.status).toBe(201);
    expect(clone.body).toMatchObject({ status: 'active', generated_count: 0, start_date: '2026-01-15' });
    expect((await api.patch(`/v1/templates/${id}`, { total: '120.00' })).body.total).toBe('120.00');
    expect((await api.post(`/v1/templates/${id}/cancel`)).body.status).toBe('cancelled');
    expect((await api.post(`/v1/templates/${id}/resume`)).status).toBe(409);
    const deleted = await api.delete(`/v1/templates/${id}`);
    expect(deleted.status).toBeLessThan(300);
    expect((await api.get(`/v1/templates/${id}`)).status).toBe(404);

    const lifecycle = [
      'template.created',
      'template.paused',
      'template.resumed',
      'template.skipped',
      'template.updated',
      'template.cancelled',
      'template.deleted',
    ];
    const events = await waitForEvents(e2e.root, (all) =>
      lifecycle.every((type) =>
        all.some((e) => e.body.event_type === `${type}.v1` && e.body.data.template.id === id),
      ),
    );
    const mine = events.filter((e) => e.body.data?.template?.id === id);
    expect(mine.map((e) => e.body.event_type)).toEqual(lifecycle.map((t) => `${t}.v1`));
    for (const e of mine) expect(e.msgId).toBe(e.body.event_id);
  });

  it('keeps tenants apart: another tenant gets 404, never 403', async () => {
    const { api: other } = await createTenant(e2e.url, 'Someone Else');
    const mine = (await api.get('/v1/templates?limit=1')).body.data[0];
    expect((await other.get(`/v1/templates/${mine.id}`)).status).toBe(404);
    expect((await other.get(`/v1/customers/${customerId}`)).status).toBe(404);
    expect((await other.get('/v1/templates')).body.data).toEqual([]);
    expect((await client(e2e.url).get('/v1/templates')).status).toBe(401);
  });

  it('filters and pages the template list', async () => {
    const types = (await api.get('/v1/templates?type=invoice')).body.data.map((t: any) => t.type);
    expect(new Set(types)).toEqual(new Set(['invoice']));
    const byCustomer = await api.get(`/v1/templates?customer_id=${customerId}&status=active`);
    expect(
      byCustomer.body.data.every((t: any) => t.customer_id === customerId && t.status === 'active'),
    ).toBe(true);
    const first = await api.get('/v1/templates?limit=1');
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await api.get(`/v1/templates?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
  });

  it('replays an idempotent POST instead of creating twice', async () => {
    const headers = { 'idempotency-key': `idem-${Date.now()}` };
    const a = await api.post('/v1/customers', { name: 'Once Only', email: 'once@only.test' }, headers);
    const b = await api.post('/v1/customers', { name: 'Once Only', email: 'once@only.test' }, headers);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    const all = (await api.get('/v1/customers?limit=200')).body.data.filter(
      (c: any) => c.name === 'Once Only',
    );
    expect(all).toHaveLength(1);
  });

  it('loses and duplicates nothing when the templates process is SIGKILLed mid-burst and clients retry', async () => {
    const body = {
      type: 'invoice',
      customer_id: customerId,
      frequency: 'daily',
      start_date: '2026-01-15',
      total: '10.00',
    };
    // Five clients create templates back to back, each request with its own Idempotency-Key; the
    // templates process is killed while they do.
    const attempts: Array<{ key: string; status: number; body: any }> = [];
    let stop = false;
    let counter = 0;
    const clients = Array.from({ length: 5 }, async () => {
      while (!stop) {
        const key = `burst-${Date.now()}-${counter++}`;
        const res = await api.post('/v1/templates', body, { 'idempotency-key': key });
        attempts.push({ key, ...res });
      }
    });
    await new Promise((r) => setTimeout(r, 500));
    await e2e.system.kill('templates', 'SIGKILL');
    await new Promise((r) => setTimeout(r, 2000)); // past the gateway's RPC timeout (1.5 s)
    stop = true;
    await Promise.all(clients);
    // Every answer is a success or a clear 503/504 — never a hang.
    for (const a of attempts) expect([201, 503, 504]).toContain(a.status);
    expect(attempts.filter((a) => a.status === 201).length).toBeGreaterThan(5);
    expect(attempts.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    await e2e.system.restart('templates');

    // A client retries each failed request with the same key: the ones that were committed before the
    // crash come back as they were, the others are created now — none twice.
    const ids = new Map<string, string>();
    for (const a of attempts) {
      const res = a.status === 201 ? a : await api.post('/v1/templates', body, { 'idempotency-key': a.key });
      expect(res.status).toBe(201);
      ids.set(a.key, res.body.id);
    }
    expect(new Set(ids.values()).size).toBe(attempts.length);

    const stored = (await listAll(api, '/v1/templates?type=invoice&limit=200')).filter(
      (t) => t.frequency === 'daily',
    );
    expect(stored.map((t) => t.id).sort()).toEqual([...ids.values()].sort());
    // Each stored template has exactly one template.created event on the stream.
    const events = await waitForEvents(e2e.root, (all) =>
      stored.every((t) =>
        all.some((e) => e.body.event_type === 'template.created.v1' && e.body.data.template.id === t.id),
      ),
    );
    for (const t of stored) {
      const created = events.filter(
        (e) => e.body.event_type === 'template.created.v1' && e.body.data.template.id === t.id,
      );
      expect(created).toHaveLength(1);
    }
  }, 90_000);
});

async function waitForEvents(root: string, done: (all: Awaited<ReturnType<typeof streamEvents>>) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const all = await streamEvents(root);
    if (done(all) || Date.now() > deadline) return all;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function listAll(api: ReturnType<typeof client>, path: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const res = await api.get(cursor ? `${path}&cursor=${cursor}` : path);
    out.push(...res.body.data);
    cursor = res.body.next_cursor;
  } while (cursor);
  return out;
}
