import { jetstream } from '@nats-io/jetstream';
import { TransactionEvents, eventSubject } from '@billing/contracts';
import { DATA_SOURCE, uuidv7 } from '@billing/common';
import { connectNats, eventually, TEST_NATS_URL } from '@billing/common/testing';
import type { DataSource } from 'typeorm';
import { generateHistory, toTransactionInputs } from '../src/generator/history';
import { csv, monthly, SuggestionsSystem } from './support';

jest.setTimeout(120_000);

const HEADER = ['date', 'amount', 'direction', 'currency', 'counterparty', 'description', 'external_id'];

/** Imports, mining, accept and dismiss through the REST API, over real RPC, PostgreSQL and NATS. */
describe('suggestions: import, mine, accept, dismiss', () => {
  let sys: SuggestionsSystem;
  let db: DataSource;

  beforeAll(async () => {
    sys = await SuggestionsSystem.start('sugg');
    db = sys.suggestions.get<DataSource>(DATA_SOURCE);
    await sys.setToday('2026-07-10');
  });

  afterAll(async () => {
    await sys?.close();
  });

  async function tenant(name: string) {
    return (await sys.api.createTenant(name)).api_key;
  }

  const count = async (sql: string, params: unknown[]) =>
    (await db.query<Array<{ n: number }>>(sql, params))[0].n;

  /** Imports and waits for the job to finish. */
  async function importAndWait(key: string, body: unknown, contentType = 'application/json') {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await sys.api.request('POST', '/v1/transactions', {
      token: key,
      raw,
      headers: { 'content-type': contentType },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/v1/transactions/imports/${res.body.id}`);
    return eventually(async () => {
      const job = await sys.api.get(`/v1/transactions/imports/${res.body.id}`, key);
      return job.body.status === 'completed' ? job.body : null;
    }, 60_000);
  }

  const suggestions = async (key: string, query = '') =>
    (await sys.api.get(`/v1/suggestions${query}`, key)).body;

  it('a CSV of name variants, weekend shifts, a missed month and two streams of one vendor', async () => {
    const key = await tenant('Mining Co');
    const rows: Array<Array<string | number>> = [];
    // Netflix, written four ways, on the 5th (a weekend date moved to Monday), May 2026 missed.
    const names = ['NETFLIX.COM*4821', 'Netflix Inc', 'NETFLIX INC.', 'PAYPAL *NETFLIX'];
    monthly('2025-01', 18, 5).forEach((d, i) => {
      if (d === '2026-05-05') return;
      const day = new Date(`${d}T00:00:00Z`).getUTCDay();
      const shifted = day === 6 ? d.replace(/-05$/, '-07') : day === 0 ? d.replace(/-05$/, '-06') : d;
      rows.push([shifted, '15.49', 'outgoing', 'USD', names[i % 4], 'Streaming', '']);
    });
    // One vendor, two streams: a 49.00 monthly subscription and a 1,200.00 quarterly fee.
    monthly('2025-01', 18, 12).forEach((d) =>
      rows.push([d, '49.00', 'outgoing', 'USD', 'Acme Cloud LLC', 'Plan', '']),
    );
    monthly('2025-01', 18, 20)
      .filter((_, i) => i % 3 === 0)
      .forEach((d) => rows.push([d, '1200.00', 'outgoing', 'USD', 'ACME CLOUD', 'Support', '']));
    // A one-off among them, and a customer paying a retainer with a little drift.
    rows.push(['2025-06-17', '310.00', 'outgoing', 'USD', 'Acme Cloud', 'Setup', '']);
    monthly('2025-01', 18, 1).forEach((d, i) =>
      rows.push([
        d,
        (2500 + (i % 3) * 10).toFixed(2),
        'incoming',
        'USD',
        'Northwind Traders Ltd',
        'Retainer',
        '',
      ]),
    );
    const job = await importAndWait(key, csv(HEADER, rows), 'text/csv');
    expect(job).toMatchObject({
      format: 'csv',
      rows_total: rows.length,
      rows_added: rows.length,
      rows_duplicate: 0,
      progress: 1,
    });

    const list = await suggestions(key);
    const byName = (k: string, f: string) =>
      list.data.find((s: any) => s.counterparty_key === k && s.frequency === f);
    expect(list.data).toHaveLength(4);
    expect(list.data.map((s: any) => s.confidence)).toEqual(
      [...list.data.map((s: any) => s.confidence)].sort((a, b) => b - a),
    );
    expect(byName('netflix', 'monthly')).toMatchObject({
      type: 'bill',
      day_of_month: 5,
      average_amount: '15.49',
      occurrences: 17,
      last_date: '2026-06-05',
      next_date: '2026-07-05',
      counterparty: 'Netflix Inc',
    });
    expect(byName('acmecloud', 'monthly')).toMatchObject({
      average_amount: '49.00',
      day_of_month: 12,
      occurrences: 18,
    });
    expect(byName('acmecloud', 'quarterly')).toMatchObject({
      average_amount: '1200.00',
      day_of_month: 20,
      occurrences: 6,
      next_date: '2026-07-20',
    });
    expect(byName('northwindtraders', 'monthly')).toMatchObject({
      type: 'invoice',
      average_amount: '2510.00',
      last_amount: '2520.00',
    });
    for (const s of list.data) {
      expect(s.confidence).toBeGreaterThan(0.5);
      expect(s.confidence).toBeLessThanOrEqual(1);
    }
    // Filters.
    expect((await suggestions(key, '?direction=incoming')).data).toHaveLength(1);
    const strict = (await suggestions(key, '?min_confidence=0.99')).data;
    expect(strict.every((s: any) => s.confidence >= 0.99)).toBe(true);
    const page = await suggestions(key, '?limit=3');
    expect(page.data).toHaveLength(3);
    const rest = await suggestions(key, `?limit=3&cursor=${page.next_cursor}`);
    expect([...page.data, ...rest.data].map((s: any) => s.id)).toEqual(list.data.map((s: any) => s.id));
    expect((await sys.api.get('/v1/suggestions?min_confidence=2', key)).status).toBe(422);
  });

  it('re-importing the same file adds nothing; two identical payments on one day stay two', async () => {
    const key = await tenant('Twice Co');
    const body = {
      transactions: [
        { date: '2026-03-02', amount: '20.00', direction: 'outgoing', currency: 'USD', counterparty: 'Cafe' },
        { date: '2026-03-02', amount: '20.00', direction: 'outgoing', currency: 'USD', counterparty: 'Cafe' },
        {
          date: '2026-03-03',
          amount: '99.90',
          direction: 'incoming',
          currency: 'EUR',
          counterparty: 'Globex',
          external_id: 'bank-1',
        },
      ],
    };
    expect(await importAndWait(key, body)).toMatchObject({ rows_added: 3, rows_duplicate: 0 });
    expect(await importAndWait(key, body)).toMatchObject({ rows_added: 0, rows_duplicate: 3 });
    // One more identical coffee in a later file is the same first coffee again; the external id is kept.
    const next = { transactions: [...body.transactions, { ...body.transactions[0] }] };
    expect(await importAndWait(key, next)).toMatchObject({ rows_added: 1, rows_duplicate: 3 });
    const tenantId = (await sys.api.get('/v1/tenant', key)).body.id;
    expect(await count('SELECT count(*)::int AS n FROM transactions WHERE tenant_id = $1', [tenantId])).toBe(
      4,
    );
  });

  it('bad rows are reported with row and field, and nothing of the file is stored', async () => {
    const key = await tenant('Bad Rows Co');
    const before = await count('SELECT count(*)::int AS n FROM imports', []);
    const bad = csv(HEADER, [
      ['2026-01-05', '10.00', 'outgoing', 'USD', 'Ok Vendor', '', ''],
      ['2026-02-30', '10.001', 'sideways', 'JPY', '', '', ''],
    ]);
    const res = await sys.api.request('POST', '/v1/transactions', {
      token: key,
      raw: bad,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const fields = res.body.errors.map((e: any) => e.field).sort();
    expect(fields).toEqual([
      'rows[2].amount',
      'rows[2].counterparty',
      'rows[2].currency',
      'rows[2].date',
      'rows[2].direction',
    ]);
    expect(res.body.errors.find((e: any) => e.field === 'rows[2].amount').message).toMatch(
      /at most 2 decimals.*line 3/,
    );
    const json = await sys.api.post('/v1/transactions', key, {
      transactions: [
        {
          date: '2026-01-05',
          amount: 10,
          direction: 'outgoing',
          currency: 'USD',
          counterparty: 'X',
          extra: 1,
        },
      ],
    });
    expect(json.status).toBe(422);
    expect(json.body.errors.map((e: any) => e.field).sort()).toEqual(['rows[1].amount', 'rows[1].extra']);
    const header = await sys.api.request('POST', '/v1/transactions', {
      token: key,
      raw: 'date,amount,payee\n2026-01-01,1.00,x\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(header.status).toBe(422);
    expect(header.body.errors.map((e: any) => e.field)).toEqual([
      'columns[3]',
      'columns.direction',
      'columns.currency',
      'columns.counterparty',
    ]);
    // The same external id twice in one file: refused after upload, and the upload is gone.
    const twice = await sys.api.post('/v1/transactions', key, {
      transactions: [1, 2].map(() => ({
        date: '2026-01-05',
        amount: '1.00',
        direction: 'outgoing',
        currency: 'USD',
        counterparty: 'X',
        external_id: 'same',
      })),
    });
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toEqual([
      { field: 'rows[2].external_id', message: 'repeats the external id of row 1', code: 'duplicate' },
    ]);
    const xml = await sys.api.request('POST', '/v1/transactions', {
      token: key,
      raw: '<x/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(await count('SELECT count(*)::int AS n FROM imports', [])).toBe(before);
    expect(await count('SELECT count(*)::int AS n FROM import_rows', [])).toBe(0);
  });

  it('a large import runs as a job with progress; re-mining after a new import updates in place', async () => {
    const key = await tenant('Big Co');
    const history = generateHistory({ seed: 11, counterparties: 1200, endDate: '2026-06-30' });
    const rows = toTransactionInputs(history);
    expect(rows.length).toBeGreaterThan(25_000);
    const cut = rows.findIndex((r) => r.date > '2026-03-31');
    const first = await sys.api.post('/v1/transactions', key, { transactions: rows.slice(0, cut) });
    expect(first.status).toBe(202);
    const seen = new Set<string>();
    const done = await eventually(
      async () => {
        const job = (await sys.api.get(`/v1/transactions/imports/${first.body.id}`, key)).body;
        seen.add(job.status);
        expect(job.progress).toBeGreaterThanOrEqual(0);
        expect(job.progress).toBeLessThanOrEqual(1);
        return job.status === 'completed' ? job : null;
      },
      90_000,
      20,
    );
    expect(done).toMatchObject({
      rows_total: cut,
      rows_processed: cut,
      rows_added: cut,
      groups_mined: done.groups_total,
    });
    const before = await allSuggestions(key);
    expect(before.length).toBeGreaterThan(700);

    const second = await importAndWait(key, { transactions: rows });
    expect(second).toMatchObject({ rows_added: rows.length - cut, rows_duplicate: cut });
    const after = await allSuggestions(key);
    const ids = new Set(after.map((s) => s.id));
    // The streams found before are the same suggestions, moved on (more occurrences, a later date).
    const kept = before.filter((s) => ids.has(s.id));
    expect(kept.length / before.length).toBeGreaterThan(0.95);
    const moved = after.filter((s) => before.some((b) => b.id === s.id && b.last_date < s.last_date));
    expect(moved.length).toBeGreaterThan(kept.length * 0.8);
    const dbCount = await count(
      `SELECT count(*)::int AS n FROM suggestions WHERE tenant_id = (SELECT tenant_id FROM imports WHERE id = $1)`,
      [first.body.id],
    );
    expect(dbCount).toBeLessThan(after.length + before.length * 0.1);
  });

  async function allSuggestions(key: string): Promise<any[]> {
    const out: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await suggestions(key, `?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      out.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    return out;
  }

  it('accept creates the bill template and the vendor (once, whatever the retries); dismiss hides for good', async () => {
    const key = await tenant('Accept Co');
    const vendors = (await sys.api.get('/v1/vendors', key)).body.data;
    expect(vendors).toHaveLength(0);
    const rows = monthly('2025-06', 13, 12).map((d) => [
      d,
      '49.00',
      'outgoing',
      'USD',
      'ACME CLOUD LLC',
      'Plan',
      `a-${d}`,
    ]);
    rows.push(
      ...monthly('2025-06', 13, 3).map((d) => [
        d,
        '2500.00',
        'incoming',
        'USD',
        'Northwind',
        'Retainer',
        `n-${d}`,
      ]),
    );
    rows.push(
      ...monthly('2025-06', 13, 25).map((d) => [
        d,
        '80.00',
        'outgoing',
        'USD',
        'Gym',
        'Membership',
        `g-${d}`,
      ]),
    );
    await importAndWait(key, csv(HEADER, rows), 'text/csv');
    const list = (await suggestions(key)).data;
    const acme = list.find((s: any) => s.counterparty_key === 'acmecloud');
    const northwind = list.find((s: any) => s.counterparty_key === 'northwind');
    const gym = list.find((s: any) => s.counterparty_key === 'gym');

    // Overrides are validated like a template.
    const invalid = await sys.api.post(`/v1/suggestions/${acme.id}/accept`, key, {
      days_until_due: 400,
      auto_send: 'yes',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((e: any) => e.field).sort()).toEqual(['auto_send', 'days_until_due']);
    const past = await sys.api.post(`/v1/suggestions/${acme.id}/accept`, key, { start_date: '2026-01-01' });
    expect(past.status).toBe(422);
    expect(past.body.errors[0].field).toBe('start_date');

    // Two accepts at once: one vendor, one template.
    const [a, b] = await Promise.all([
      sys.api.post(`/v1/suggestions/${acme.id}/accept`, key, { days_until_due: 15 }),
      sys.api.post(`/v1/suggestions/${acme.id}/accept`, key, { days_until_due: 15 }),
    ]);
    const ok = [a, b].filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of [a, b]) expect([200, 409]).toContain(r.status);
    const accepted = ok[0].body;
    expect(accepted.template).toMatchObject({
      type: 'bill',
      vendor_id: accepted.counterparty.id,
      frequency: 'monthly',
      day_of_month: 12,
      start_date: '2026-07-12',
      next_occurrence_date: '2026-07-12',
      total: '49.00',
      currency: 'USD',
      days_until_due: 15,
      status: 'active',
    });
    expect(accepted.counterparty).toMatchObject({ name: 'ACME CLOUD LLC', created: true });
    expect(accepted.suggestion).toMatchObject({
      status: 'accepted',
      template_id: accepted.template.id,
      vendor_id: accepted.counterparty.id,
    });
    expect((await sys.api.get('/v1/vendors', key)).body.data).toHaveLength(1);
    expect((await sys.api.get('/v1/templates', key)).body.data).toHaveLength(1);
    const again = await sys.api.post(`/v1/suggestions/${acme.id}/accept`, key, {});
    expect(again.status).toBe(409);
    expect((await sys.api.get('/v1/templates', key)).body.data).toHaveLength(1);

    // An Idempotency-Key replays the first answer.
    const idem = { 'idempotency-key': uuidv7() };
    const first = await sys.api.post(
      `/v1/suggestions/${gym.id}/accept`,
      key,
      { counterparty_name: 'Gym & Co' },
      idem,
    );
    const replay = await sys.api.post(
      `/v1/suggestions/${gym.id}/accept`,
      key,
      { counterparty_name: 'Gym & Co' },
      idem,
    );
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.body.template.id).toBe(first.body.template.id);
    expect(first.body.counterparty.name).toBe('Gym & Co');

    // A customer must be created with an email; an existing one is found by its normalised name.
    const noEmail = await sys.api.post(`/v1/suggestions/${northwind.id}/accept`, key, {});
    expect(noEmail.status).toBe(422);
    expect(noEmail.body.errors[0].field).toBe('customer_email');
    const customer = (
      await sys.api.post('/v1/customers', key, { name: 'Northwind, Inc.', email: 'ap@nw.test' })
    ).body;
    const invoice = await sys.api.post(`/v1/suggestions/${northwind.id}/accept`, key, {
      auto_send: true,
      total: '2600.00',
    });
    expect(invoice.status).toBe(200);
    expect(invoice.body.counterparty).toMatchObject({ id: customer.id, created: false });
    expect(invoice.body.template).toMatchObject({
      type: 'invoice',
      customer_id: customer.id,
      auto_send: true,
      total: '2600.00',
      day_of_month: 3,
      start_date: '2026-08-03',
    });

    // Accepted ones do not come back, even after re-mining.
    expect((await suggestions(key)).data).toHaveLength(0);
    expect((await suggestions(key, '?status=accepted')).data).toHaveLength(3);
    const more = monthly('2026-07', 1, 12).map((d) => [
      d,
      '49.00',
      'outgoing',
      'USD',
      'Acme Cloud',
      'Plan',
      `a-${d}`,
    ]);
    await importAndWait(key, csv(HEADER, more), 'text/csv');
    expect((await suggestions(key)).data).toHaveLength(0);
  });

  it('dismissed suggestions stay dismissed; transactions from the bus are mined too', async () => {
    const key = await tenant('Bus Co');
    const tenantId = (await sys.api.get('/v1/tenant', key)).body.id;
    const nc = await connectNats({ servers: TEST_NATS_URL });
    const js = jetstream(nc);
    const publish = async (date: string, amount: string, n: string) => {
      const eventId = uuidv7();
      await js.publish(
        eventSubject(sys.root, TransactionEvents.recorded),
        JSON.stringify({
          event_id: eventId,
          event_type: 'transaction.recorded',
          schema_version: 1,
          tenant_id: tenantId,
          occurred_at: new Date().toISOString(),
          data: {
            source: 'bank_feed',
            external_id: n,
            date,
            amount,
            direction: 'outgoing',
            currency: 'GBP',
            counterparty: 'Office Lease Ltd',
          },
        }),
        { msgID: eventId },
      );
    };
    try {
      for (const [i, d] of monthly('2025-10', 9, 1).entries()) await publish(d, '900.00', `lease-${i}`);
      await publish(monthly('2025-10', 1, 1)[0], '900.00', 'lease-0'); // republished: nothing new
      const found = await eventually(async () => {
        const list = (await suggestions(key)).data;
        return list.length === 1 && list[0].occurrences === 9 ? list[0] : null;
      }, 20_000);
      expect(found).toMatchObject({
        counterparty_key: 'officelease',
        frequency: 'monthly',
        currency: 'GBP',
        average_amount: '900.00',
      });
      const dismissed = await sys.api.post(`/v1/suggestions/${found.id}/dismiss`, key);
      expect(dismissed.status).toBe(200);
      expect(dismissed.body.status).toBe('dismissed');
      expect((await sys.api.post(`/v1/suggestions/${found.id}/accept`, key, {})).status).toBe(409);
      await publish('2026-07-01', '900.00', 'lease-9');
      await eventually(
        async () =>
          (await count('SELECT count(*)::int AS n FROM mining_queue', [])) === 0 &&
          (await count('SELECT count(*)::int AS n FROM transactions WHERE tenant_id = $1', [tenantId])) ===
            10,
      );
      await new Promise((r) => setTimeout(r, 300));
      expect((await suggestions(key)).data).toHaveLength(0);
      expect((await suggestions(key, '?status=dismissed')).data.map((s: any) => s.id)).toEqual([found.id]);
      expect((await sys.api.get(`/v1/suggestions/${uuidv7()}`, key)).status).toBe(404);
    } finally {
      await nc.close();
    }
  });
});
