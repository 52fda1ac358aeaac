import type { INestApplication } from '@nestjs/common';
import {
  createTestDatabase,
  dropBus,
  eventually,
  uniqueName,
  type TestDatabase,
} from '@billing/common/testing';
import { Client } from 'pg';
import puppeteer from 'puppeteer';
import { SuggestionsSystem, csv } from '../../suggestions/test/support';
import { buildOpenApiDocument } from '../src/openapi/document';
import { ADMIN_TOKEN, Api, type ApiResponse, bootGateway } from './support';

/**
 * The input classes an outside probe found answered with 500 or silently accepted, each as a class:
 * text rules in the contracts, a depth limit before the Idempotency-Key fingerprint, one integer and
 * one cursor parser, strict bodies, a code on every field error; then rate limits shared by replicas,
 * security headers and CORS. Every refusal must store nothing.
 */
describe('gateway hardening', () => {
  let sys: SuggestionsSystem;
  let api: Api;
  let key: string;
  let pg: Client;
  let customerId: string;

  beforeAll(async () => {
    sys = await SuggestionsSystem.start('gwhard');
    api = sys.api;
    await sys.setToday('2027-01-15');
    key = (await api.createTenant('Hardening Agency')).api_key;
    pg = new Client({ connectionString: sys.db.url });
    await pg.connect();
    customerId = (await api.post('/v1/customers', key, { name: 'Northwind', email: 'ap@northwind.test' }))
      .body.id;
  }, 60_000);

  afterAll(async () => {
    await pg?.end();
    await sys?.close();
  });

  /** Rows of every table that holds facts (not the bus's or the gateway's bookkeeping). */
  async function rowCounts(): Promise<Record<string, number>> {
    const { rows: tables } = await pg.query<{ t: string }>(
      `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
       WHERE table_schema IN ('gateway', 'templates', 'invoicing', 'suggestions')
         AND table_type = 'BASE TABLE'
         AND table_name NOT IN ('migrations', 'outbox', 'inbox', 'request_log', 'idempotency_keys', 'rate_limits')`,
    );
    const sql = tables.map(({ t }) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(' UNION ALL ');
    const { rows } = await pg.query<{ t: string; n: number }>(sql);
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  }

  /** A 422 that names `field` with `code`, every error with a code, and nothing stored. */
  async function refused(send: () => Promise<ApiResponse>, field: string, code: unknown): Promise<void> {
    const before = await rowCounts();
    const res = await send();
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({
      status: 422,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field, code }));
    for (const e of res.body.errors) expect(e.code).toEqual(expect.stringMatching(/^[a-z_]+$/));
    expect(await rowCounts()).toEqual(before);
  }

  describe('text: NUL and unpaired surrogates are refused on their field, in JSON and in CSV', () => {
    const NUL = 'v\u0000';
    const SURROGATE = 'l\ud800';
    const template = (extra: Record<string, unknown>) => ({
      type: 'invoice',
      customer_id: customerId,
      frequency: 'monthly',
      line_items: [{ description: 'Retainer', quantity: '1', unit_price: '100.00' }],
      ...extra,
    });
    const line = (description: string) => [{ description, quantity: '1', unit_price: '100.00' }];
    const cases: Array<[string, string, (bad: string) => Promise<ApiResponse>, string]> = [
      ['POST /v1/vendors', 'name', (bad) => api.post('/v1/vendors', key, { name: bad }), 'name'],
      [
        'POST /v1/customers',
        'name',
        (bad) => api.post('/v1/customers', key, { name: bad, email: 'a@b.test' }),
        'name',
      ],
      [
        'POST /v1/customers',
        'address.line1',
        (bad) =>
          api.post('/v1/customers', key, {
            name: 'A',
            email: 'a@b.test',
            address: { line1: bad, city: 'Paris', country: 'FR' },
          }),
        'address.line1',
      ],
      [
        'POST /v1/templates',
        'description',
        (bad) => api.post('/v1/templates', key, template({ description: bad })),
        'description',
      ],
      [
        'POST /v1/templates',
        'notes',
        (bad) => api.post('/v1/templates', key, template({ notes: bad })),
        'notes',
      ],
      [
        'POST /v1/templates',
        'line description',
        (bad) => api.post('/v1/templates', key, template({ line_items: line(bad) })),
        'line_items[0].description',
      ],
      [
        'POST /v1/invoices/{id}/payments',
        'reference',
        (bad) =>
          api.post('/v1/invoices/0190f0e0-0000-7000-8000-000000000001/payments', key, {
            amount: '10.00',
            currency: 'USD',
            reference: bad,
          }),
        'reference',
      ],
      [
        'POST /v1/admin/tenants',
        'name',
        (bad) => api.post('/v1/admin/tenants', ADMIN_TOKEN, { name: bad, base_currency: 'USD' }),
        'name',
      ],
      ['PATCH /v1/tenant', 'name', (bad) => api.patch('/v1/tenant', key, { name: bad }), 'name'],
      ...(['counterparty', 'description', 'external_id'] as const).map(
        (f): [string, string, (bad: string) => Promise<ApiResponse>, string] => [
          'POST /v1/transactions (JSON)',
          f,
          (bad) =>
            api.post('/v1/transactions', key, {
              transactions: [
                {
                  date: '2026-12-01',
                  amount: '9.00',
                  direction: 'outgoing',
                  currency: 'USD',
                  counterparty: 'Acme',
                },
                {
                  date: '2026-12-02',
                  amount: '9.00',
                  direction: 'outgoing',
                  currency: 'USD',
                  counterparty: 'Acme',
                  [f]: bad,
                },
              ],
            }),
          `rows[2].${f}`,
        ],
      ),
      ...(['counterparty', 'description', 'external_id'] as const).map(
        (f): [string, string, (bad: string) => Promise<ApiResponse>, string] => [
          'POST /v1/transactions (CSV)',
          f,
          (bad) => {
            const cells = { counterparty: 'Acme', description: 'Monthly', external_id: 'tx-2', [f]: bad };
            return api.request('POST', '/v1/transactions', {
              token: key,
              headers: { 'content-type': 'text/csv' },
              raw: csv(
                ['date', 'amount', 'direction', 'currency', 'counterparty', 'description', 'external_id'],
                [
                  ['2026-12-01', '9.00', 'outgoing', 'USD', 'Acme', 'Monthly', 'tx-1'],
                  [
                    '2026-12-02',
                    '9.00',
                    'outgoing',
                    'USD',
                    cells.counterparty,
                    cells.description,
                    cells.external_id,
                  ],
                ],
              ),
            });
          },
          `rows[2].${f}`,
        ],
      ),
    ];

    it.each(cases)('%s %s: NUL', async (_route, _name, send, field) => {
      await refused(() => send(NUL), field, 'nul_character');
    });

    it.each(cases.filter(([route]) => !route.includes('CSV')))(
      '%s %s: a lone surrogate',
      async (_route, _name, send, field) => {
        await refused(() => send(SURROGATE), field, 'invalid_unicode');
      },
    );

    it('stores the same text once it is clean, as it was sent (no U+FFFD)', async () => {
      const res = await api.post('/v1/customers', key, { name: 'Ünïcode 😀 שלום', email: 'u@b.test' });
      expect(res.status).toBe(201);
      expect((await api.get(`/v1/customers/${res.body.id}`, key)).body.name).toBe('Ünïcode 😀 שלום');
    });
  });

  describe('a body nested too deep is a 422 before the Idempotency-Key fingerprint', () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const posts = Object.entries(buildOpenApiDocument().paths ?? {})
      .filter(([, item]) => item?.post)
      .map(([path]) => path.replace(/\{\w+\}/g, '0190f0e0-0000-7000-8000-000000000001'));

    it('finds every POST route', () => {
      expect(posts.length).toBeGreaterThanOrEqual(13);
    });

    it.each(posts)('POST %s, 5,000 levels, with an Idempotency-Key', async (path) => {
      const token = path.startsWith('/v1/admin') ? ADMIN_TOKEN : key;
      await refused(
        () =>
          api.request('POST', path, {
            token,
            raw: deep(5000),
            headers: { 'content-type': 'application/json', 'idempotency-key': `deep-${path}` },
          }),
        '(body)',
        'too_deep',
      );
    });

    it('imports a file sent with an Idempotency-Key, once (each call of the import is recorded apart)', async () => {
      const body = {
        transactions: [
          {
            date: '2026-11-01',
            amount: '12.00',
            direction: 'outgoing',
            currency: 'USD',
            counterparty: 'Keyed',
          },
          {
            date: '2026-12-01',
            amount: '12.00',
            direction: 'outgoing',
            currency: 'USD',
            counterparty: 'Keyed',
          },
        ],
      };
      const headers = { 'idempotency-key': 'import-once' };
      const first = await api.post('/v1/transactions', key, body, headers);
      expect(first.status).toBe(202);
      const done = await eventually(async () => {
        const job = (await api.get(`/v1/transactions/imports/${first.body.id}`, key)).body;
        return job.status === 'completed' ? job : null;
      });
      expect(done).toMatchObject({ rows_total: 2, rows_added: 2 });
      const again = await api.post('/v1/transactions', key, body, headers);
      expect(again.status).toBe(202);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body.id).toBe(first.body.id);
    });

    it('accepts what the API really nests (an import of rows)', async () => {
      const res = await api.post('/v1/transactions', key, {
        transactions: [
          { date: '2026-12-01', amount: '9.00', direction: 'outgoing', currency: 'USD', counterparty: 'Zed' },
        ],
      });
      expect(res.status).toBe(202);
    });
  });

  describe('one integer parser and one cursor parser for every list', () => {
    it.each(['1e2', '%205', '0x10', '5.0', '-1', '5&limit=6', '1'.repeat(30)])(
      'limit=%s is a 422',
      async (limit) => {
        await refused(() => api.get(`/v1/customers?limit=${limit}`, key), 'limit', expect.any(String));
      },
    );

    it.each([
      ['/v1/customers', 'tenant'],
      ['/v1/templates', 'tenant'],
      ['/v1/invoices', 'tenant'],
      ['/v1/journal-entries', 'tenant'],
      ['/v1/suggestions', 'tenant'],
      ['/v1/scheduler/runs', 'tenant'],
      ['/v1/admin/tenants', 'admin'],
      ['/v1/admin/parked?service=templates&', 'admin'],
      ['/v1/admin/parked?service=suggestions&', 'admin'],
    ])('%s answers a garbage cursor with 422', async (path, who) => {
      const sep = path.endsWith('&') ? '' : '?';
      const token = who === 'admin' ? ADMIN_TOKEN : key;
      await refused(() => api.get(`${path}${sep}cursor=garbage`, token), 'cursor', 'invalid_cursor');
    });

    it('keeps the lists working with the cursors they hand out', async () => {
      const page = await api.get('/v1/admin/parked?service=templates&limit=1', ADMIN_TOKEN);
      expect(page.status).toBe(200);
    });
  });

  describe('strict bodies and queries on every route', () => {
    it('refuses a body on revoke, which takes none; revokes without one', async () => {
      const tenant = await api.createTenant('Revoker');
      const issued = await api.post(`/v1/admin/tenants/${tenant.tenant.id}/api-keys`, ADMIN_TOKEN, {});
      const path = `/v1/admin/tenants/${tenant.tenant.id}/api-keys/${issued.body.key.id}/revoke`;
      await refused(() => api.post(path, ADMIN_TOKEN, { reason: 'x' }), '(body)', 'unexpected_body');
      expect((await api.request('POST', path, { token: ADMIN_TOKEN })).status).toBe(200);
    });

    it('refuses a query parameter on a route that takes none, and a body on a DELETE', async () => {
      await refused(() => api.get('/v1/tenant?verbose=1', key), 'verbose', 'unknown_field');
      const template = await api.post('/v1/templates', key, {
        type: 'invoice',
        customer_id: customerId,
        frequency: 'monthly',
        total: '10.00',
      });
      const path = `/v1/templates/${template.body.id}`;
      await refused(
        () => api.request('DELETE', path, { token: key, body: { force: true } }),
        '(body)',
        'unexpected_body',
      );
      expect((await api.get(path, key)).status).toBe(200);
      expect((await api.request('DELETE', path, { token: key })).status).toBe(204);
    });
  });

  describe('dates are calendar days the platform can hold', () => {
    it('refuses the manual clock at 0000-01-01, and the reports still answer', async () => {
      await refused(
        () => api.request('PUT', '/v1/admin/clock', { token: ADMIN_TOKEN, body: { today: '0000-01-01' } }),
        'today',
        'date_out_of_range',
      );
      expect((await api.get('/v1/reports/trial-balance', key)).status).toBe(200);
      expect((await api.get('/v1/admin/clock', ADMIN_TOKEN)).body.manual_date).toBe('2027-01-15');
    });

    it('refuses a template starting in the year 9999 (its previews could not be written)', async () => {
      await refused(
        () =>
          api.post('/v1/templates', key, {
            type: 'invoice',
            customer_id: customerId,
            frequency: 'monthly',
            start_date: '9999-12-31',
            total: '10.00',
          }),
        'start_date',
        'date_out_of_range',
      );
    });
  });

  describe('every 4xx names what was wrong', () => {
    it('401 names the Authorization header, 415 the Content-Type, 400 and 413 the body', async () => {
      const unauthorized = await api.get('/v1/customers', 'bk_not_a_key');
      expect(unauthorized.body.errors).toEqual([
        expect.objectContaining({ field: 'Authorization', code: 'unauthorized' }),
      ]);
      const text = await api.request('POST', '/v1/customers', {
        token: key,
        raw: 'x',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.body.errors).toEqual([
        expect.objectContaining({ field: 'Content-Type', code: 'unsupported_media_type' }),
      ]);
      const bad = await api.request('POST', '/v1/customers', {
        token: key,
        raw: '{',
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: '(body)', code: 'malformed_json' })]);
      const big = await api.post('/v1/customers', key, { name: 'x'.repeat(2_000_000), email: 'a@b.test' });
      expect(big.status).toBe(413);
      expect(big.body.errors).toEqual([expect.objectContaining({ field: '(body)', code: 'too_large' })]);
    });

    it('a body that is not valid UTF-8 is a 400, in JSON and in CSV, not text changed to U+FFFD', async () => {
      const before = await rowCounts();
      for (const [type, bytes] of [
        [
          'application/json',
          Buffer.concat([
            Buffer.from('{"name":"Caf'),
            Buffer.from([0xe9]),
            Buffer.from('","email":"c@b.test"}'),
          ]),
        ],
        [
          'text/csv',
          Buffer.concat([
            Buffer.from('date,amount,direction,currency,counterparty\n2026-12-01,9.00,outgoing,USD,Caf'),
            Buffer.from([0xe9, 0x0a]),
          ]),
        ],
      ] as const) {
        const res = await fetch(`${api.url}${type === 'text/csv' ? '/v1/transactions' : '/v1/customers'}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': type },
          body: bytes,
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ errors: [{ field: '(body)', code: 'invalid_utf8' }] });
      }
      expect(await rowCounts()).toEqual(before);
    });

    it('an Idempotency-Key reused for another request names the header; an empty key is named too', async () => {
      const first = await api.post('/v1/vendors', key, { name: 'Reuse' }, { 'idempotency-key': 'reuse-1' });
      expect(first.status).toBe(201);
      const other = await api.post('/v1/vendors', key, { name: 'Other' }, { 'idempotency-key': 'reuse-1' });
      expect(other.status).toBe(422);
      expect(other.body.errors).toEqual([
        expect.objectContaining({ field: 'Idempotency-Key', code: 'idempotency_key_reused' }),
      ]);
      await refused(() => api.post('/v1/vendors', key, { name: 'V', '': 1 }), '""', 'unknown_field');
      await refused(() => api.get('/v1/customers?=1', key), '""', 'unknown_field');
    });

    it('a request head over 16 KB is a 431 problem, not a bare status line', async () => {
      const res = await api.get(`/v1/customers?cursor=${'x'.repeat(20_000)}`, key);
      expect(res.status).toBe(431);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        type: '/problems/headers-too-large',
        errors: [{ field: '(headers)', code: 'too_large' }],
      });
    });

    it('a path that cannot be percent-decoded names no resource: 404, not 400 or 500', async () => {
      const res = await api.get('/v1/customers/%E0%A4%A', key);
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('/problems/not-found');
    });
  });

  describe('security headers', () => {
    it('on the API: nosniff, no referrer, nothing may load, nothing cached', async () => {
      const res = await api.get('/v1/customers', key);
      expect(Object.fromEntries(res.headers)).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
        'x-frame-options': 'DENY',
        'content-security-policy': expect.stringContaining("default-src 'none'"),
      });
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it('no-store on the responses that carry an API key, and on errors', async () => {
      const created = await api.post('/v1/admin/tenants', ADMIN_TOKEN, {
        name: 'Secret Keeper',
        base_currency: 'EUR',
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      const issued = await api.post(`/v1/admin/tenants/${created.body.tenant.id}/api-keys`, ADMIN_TOKEN, {});
      expect(issued.headers.get('cache-control')).toBe('no-store');
      expect((await api.get('/v1/customers', 'bk_nope')).headers.get('cache-control')).toBe('no-store');
    });

    it('Swagger UI works under its CSP (no violation, the operations render)', async () => {
      const csp = (await api.request('GET', '/docs/')).headers.get('content-security-policy');
      expect(csp).toContain("script-src 'self'");
      const browser = await puppeteer.launch({
        executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      });
      try {
        const page = await browser.newPage();
        const violations: string[] = [];
        page.on('console', (msg) => {
          if (/Content.Security.Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
        });
        await page.goto(`${api.url}/docs/`, { waitUntil: 'networkidle0' });
        await page.waitForSelector('.swagger-ui .info .title', { timeout: 15_000 });
        expect(await page.$eval('.swagger-ui .info .title', (e) => e.textContent)).toContain(
          'Recurring billing API',
        );
        expect((await page.$$('.opblock')).length).toBeGreaterThan(40);
        expect(violations).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 60_000);
  });

  describe('CORS is off unless CORS_ORIGINS says otherwise', () => {
    const preflight = (a: Api, origin: string) =>
      a.request('OPTIONS', '/v1/customers', {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      });

    it('answers a preflight with a 403 problem naming the Origin, by default', async () => {
      const res = await preflight(api, 'https://evil.test');
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({
        type: '/problems/cors-origin-not-allowed',
        errors: [{ field: 'Origin', code: 'origin_not_allowed' }],
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('lets the configured origins in, and only them', async () => {
      const { app, api: other } = await bootGateway(sys.db, sys.root, {
        CORS_ORIGINS: 'https://console.example.com,http://localhost:5173',
      });
      try {
        const ok = await preflight(other, 'https://console.example.com');
        expect(ok.status).toBe(204);
        expect(Object.fromEntries(ok.headers)).toMatchObject({
          'access-control-allow-origin': 'https://console.example.com',
          'access-control-allow-methods': expect.stringContaining('PATCH'),
          'access-control-allow-headers': expect.stringContaining('Idempotency-Key'),
          vary: expect.stringContaining('Origin'),
        });
        const read = await other.request('GET', '/v1/customers', {
          token: key,
          headers: { origin: 'http://localhost:5173' },
        });
        expect(read.status).toBe(200);
        expect(read.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
        expect(read.headers.get('access-control-expose-headers')).toContain('RateLimit-Remaining');
        expect((await preflight(other, 'https://console.example.com.evil.test')).status).toBe(403);
      } finally {
        await app.close();
      }
    });
  });
});

describe('rate limits shared by two gateway replicas', () => {
  let db: TestDatabase;
  let root: string;
  let replicas: Array<{ app: INestApplication; api: Api }>;
  let key: string;

  beforeAll(async () => {
    db = await createTestDatabase('gwrate');
    root = uniqueName('gwrate');
    const limits = {
      RATE_LIMIT_KEY_RPS: '1',
      RATE_LIMIT_KEY_BURST: '5',
      RATE_LIMIT_ADDRESS_RPS: '1',
      RATE_LIMIT_ADDRESS_BURST: '3',
      // Each test speaks from its own client address (X-Forwarded-For), as behind a load balancer.
      TRUST_PROXY: 'loopback',
    };
    replicas = [await bootGateway(db, root, limits), await bootGateway(db, root, limits)];
    key = (await replicas[0].api.createTenant('Busy Client')).api_key;
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas ?? []) await r.app.close();
    await db?.drop();
    await dropBus(root);
  });

  const from = (address: string) => ({ 'x-forwarded-for': address });
  const get = (i: number, token: string, address: string) =>
    replicas[i % 2].api.request('GET', '/v1/tenant', { token, headers: from(address) });

  it('counts an API key across replicas: the burst, then 429 with Retry-After and RateLimit headers', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(i, key, '10.0.0.1')).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[5]).toBe(429);
    const refused = await get(0, key, '10.0.0.1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: '/problems/rate-limited',
      status: 429,
      errors: [{ field: 'Authorization', code: 'rate_limited' }],
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-limit')).toBe('5');
    // Another address does not help: the limit is the key's.
    expect((await get(1, key, '10.0.0.99')).status).toBe(429);
    await new Promise((r) => setTimeout(r, Number(refused.headers.get('retry-after')) * 1000));
    const again = await get(1, key, '10.0.0.1');
    expect(again.status).toBe(200);
    expect(again.headers.get('ratelimit-limit')).toBe('5');
  }, 30_000);

  it('refuses an address after its failed attempts, on every replica, before looking the key up', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(i, `bk_${'x'.repeat(43)}`, '10.0.0.2')).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const noKey = await replicas[1].api.request('GET', '/v1/tenant', { headers: from('10.0.0.2') });
    expect(noKey.status).toBe(429);
    expect(noKey.body.errors).toEqual([expect.objectContaining({ code: 'too_many_failures' })]);
    // A valid key this replica has not seen yet is not looked up from a blocked address either…
    const fresh = await replicas[0].api.post('/v1/admin/tenants', ADMIN_TOKEN, {
      name: 'Fresh',
      base_currency: 'USD',
    });
    expect((await get(0, fresh.body.api_key, '10.0.0.2')).status).toBe(429);
    // …and other addresses are not affected.
    expect((await get(0, fresh.body.api_key, '10.0.0.3')).status).toBe(200);
  }, 30_000);

  it('does not keep a 429 as the outcome of an Idempotency-Key', async () => {
    const admin = (body?: unknown) =>
      replicas[1].api.request(body ? 'POST' : 'GET', '/v1/admin/tenants', {
        token: ADMIN_TOKEN,
        body,
        headers: { ...from('10.0.0.4'), ...(body ? { 'idempotency-key': 'limited-once' } : {}) },
      });
    // The admin token has a bucket of its own: spend it.
    let spent = await admin();
    while (spent.status === 200) spent = await admin();
    expect(spent.status).toBe(429);
    const first = await admin({ name: 'Once', base_currency: 'USD' });
    expect(first.status).toBe(429);
    await new Promise((r) => setTimeout(r, Number(first.headers.get('retry-after')) * 1000));
    const second = await admin({ name: 'Once', base_currency: 'USD' });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
  }, 30_000);
});
