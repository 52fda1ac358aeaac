import type { INestApplication } from '@nestjs/common';
import { TenantEvents, eventStreamName, eventSubject } from '@billing/contracts';
import {
  TEST_NATS_URL,
  bootTestApp,
  connectNats,
  createTestDatabase,
  dropBus,
  eventually,
  testEnv,
  uniqueName,
  type TestDatabase,
} from '@billing/common/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { createHash } from 'crypto';
import { Client } from 'pg';
import { InvoicingAppModule } from '../../invoicing/src/app.module';
import { invoicingConfigSchema } from '../../invoicing/src/config';
import { buildOpenApiDocument } from '../src/openapi/document';
import { ADMIN_TOKEN, type Api, bootGateway } from './support';

const PROBLEM_JSON = /^application\/problem\+json/;

describe('gateway: REST over the invoicing service', () => {
  let gatewayDb: TestDatabase;
  let invoicingDb: TestDatabase;
  let root: string;
  let gateway: INestApplication;
  let invoicing: INestApplication;
  let api: Api;
  let pg: Client;
  let nc: NatsConnection;
  let acme: { tenant: { id: string; name: string; timezone: string }; api_key: string };
  let globex: { tenant: { id: string }; api_key: string };

  beforeAll(async () => {
    [gatewayDb, invoicingDb] = await Promise.all([createTestDatabase('gw'), createTestDatabase('gwinv')]);
    root = uniqueName('gw');
    ({ app: invoicing } = await bootTestApp(
      invoicingConfigSchema,
      (c) => InvoicingAppModule.forRoot(c),
      testEnv(invoicingDb, root),
    ));
    ({ app: gateway, api } = await bootGateway(gatewayDb, root, { BODY_LIMIT: '4kb', CLOCK_MODE: 'manual' }));
    pg = new Client({ connectionString: gatewayDb.url, options: '-c search_path=gateway' });
    await pg.connect();
    nc = await connectNats({ servers: TEST_NATS_URL });
    acme = await api.createTenant('Acme Retainers', { timezone: 'america/new_york' });
    globex = await api.createTenant('Globex');
  });

  afterAll(async () => {
    await nc?.close();
    await pg?.end();
    await gateway?.close();
    await invoicing?.close();
    await Promise.all([gatewayDb?.drop(), invoicingDb?.drop()]);
    await dropBus(root);
  });

  const customer = (name = 'Northwind') => ({ name, email: 'ap@northwind.test' });

  describe('admin API', () => {
    it('refuses a missing or wrong admin token with a problem', async () => {
      for (const token of [null, 'wrong-token-wrong-token', acme.api_key]) {
        const res = await api.get('/v1/admin/tenants', token);
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(res.body).toMatchObject({
          type: '/problems/unauthorized',
          status: 401,
          errors: [{ field: 'Authorization', code: 'unauthorized' }],
        });
      }
    });

    it('creates a tenant with a canonical time zone, lists it and publishes tenant.created', async () => {
      expect(acme.tenant).toMatchObject({ name: 'Acme Retainers', timezone: 'America/New_York' });
      expect(acme.api_key).toMatch(/^bk_[A-Za-z0-9_-]{43}$/);
      const list = await api.get('/v1/admin/tenants?limit=200', ADMIN_TOKEN);
      expect(list.status).toBe(200);
      expect(list.body.data.map((t: { id: string }) => t.id)).toEqual(
        expect.arrayContaining([acme.tenant.id, globex.tenant.id]),
      );
      const jsm = await jetstreamManager(nc);
      const event = await eventually(async () => {
        const msg = await jsm.streams.getMessage(eventStreamName(root), {
          last_by_subj: eventSubject(root, TenantEvents.created),
        });
        return msg?.json<{ tenant_id: string }>();
      });
      expect(event.tenant_id).toBe(globex.tenant.id);
    });

    it('rejects an unknown time zone and stores nothing', async () => {
      const before = await pg.query('SELECT count(*)::int AS n FROM tenants');
      const res = await api.post('/v1/admin/tenants', ADMIN_TOKEN, {
        name: 'Nowhere',
        base_currency: 'USD',
        timezone: 'Mars/Olympus_Mons',
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'timezone' })]);
      const after = await pg.query('SELECT count(*)::int AS n FROM tenants');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('stores API keys only as SHA-256 hashes with a short prefix', async () => {
      const issued = await api.post(`/v1/admin/tenants/${acme.tenant.id}/api-keys`, ADMIN_TOKEN);
      expect(issued.status).toBe(201);
      const keys = [acme.api_key, issued.body.api_key as string];
      const { rows } = await pg.query(
        'SELECT key_hash, prefix FROM api_keys WHERE tenant_id = $1 ORDER BY id',
        [acme.tenant.id],
      );
      expect(rows).toEqual(
        keys.map((k) => ({
          key_hash: createHash('sha256').update(k).digest('hex'),
          prefix: k.slice(0, 11),
        })),
      );
      const dump = await pg.query(
        `SELECT string_agg(t::text, ' ') AS all FROM (
           SELECT row_to_json(a)::text AS t FROM api_keys a
           UNION ALL SELECT row_to_json(i)::text FROM idempotency_keys i
           UNION ALL SELECT row_to_json(o)::text FROM outbox o) x`,
      );
      for (const key of keys) expect(String(dump.rows[0].all)).not.toContain(key.slice(11));
      const me = await api.get('/v1/tenant', issued.body.api_key);
      expect(me.body).toMatchObject({ id: acme.tenant.id, name: 'Acme Retainers' });
    });

    it('revokes a key: it stops working, the others keep working', async () => {
      const issued = await api.post(`/v1/admin/tenants/${globex.tenant.id}/api-keys`, ADMIN_TOKEN);
      expect((await api.get('/v1/customers', issued.body.api_key)).status).toBe(200);
      const revoked = await api.post(
        `/v1/admin/tenants/${globex.tenant.id}/api-keys/${issued.body.key.id}/revoke`,
        ADMIN_TOKEN,
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body.revoked_at).toEqual(expect.any(String));
      expect((await api.get('/v1/customers', issued.body.api_key)).status).toBe(401);
      expect((await api.get('/v1/customers', globex.api_key)).status).toBe(200);
      const listed = await api.get(`/v1/admin/tenants/${globex.tenant.id}/api-keys`, ADMIN_TOKEN);
      expect(listed.body.data).toHaveLength(2);
      expect(JSON.stringify(listed.body)).not.toContain(issued.body.api_key);
    });

    it('sets, shows and clears the manual clock', async () => {
      const set = await api.request('PUT', '/v1/admin/clock', {
        token: ADMIN_TOKEN,
        body: { today: '2031-02-28' },
      });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ mode: 'manual', manual_date: '2031-02-28', today_utc: '2031-02-28' });
      expect((await api.get('/v1/admin/clock', ADMIN_TOKEN)).body.manual_date).toBe('2031-02-28');
      const bad = await api.request('PUT', '/v1/admin/clock', {
        token: ADMIN_TOKEN,
        body: { today: '2031-02-30' },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0].field).toBe('today');
      const cleared = await api.request('DELETE', '/v1/admin/clock', { token: ADMIN_TOKEN });
      expect(cleared.status).toBe(200);
      expect(cleared.body.manual_date).toBeNull();
    });

    it('lists parked messages of a service and 404s a replay of an unknown one', async () => {
      const list = await api.get('/v1/admin/parked?service=invoicing&include_replayed=true', ADMIN_TOKEN);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ data: [], next_cursor: null });
      const bad = await api.get('/v1/admin/parked?service=billing', ADMIN_TOKEN);
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0].field).toBe('service');
      const replay = await api.post(
        '/v1/admin/parked/invoicing/0190a0e0-0000-7000-8000-000000000000/replay',
        ADMIN_TOKEN,
      );
      expect(replay.status).toBe(404);
      const unknownService = await api.post(
        '/v1/admin/parked/billing/0190a0e0-0000-7000-8000-000000000000/replay',
        ADMIN_TOKEN,
      );
      expect(unknownService.status).toBe(404);
    });
  });

  describe('tenant API', () => {
    it('needs a valid API key; /health, /metrics and /docs do not', async () => {
      for (const token of [null, 'bk_nope', `bk_${'A'.repeat(43)}`, ADMIN_TOKEN]) {
        const res = await api.get('/v1/customers', token);
        expect(res.status).toBe(401);
        expect(res.body.type).toBe('/problems/unauthorized');
      }
      const basic = await api.request('GET', '/v1/customers', {
        headers: { authorization: `Basic ${acme.api_key}` },
      });
      expect(basic.status).toBe(401);
      expect((await api.get('/health')).status).toBe(200);
      expect((await api.get('/metrics')).status).toBe(200);
      expect((await api.get('/docs/')).body).toContain('swagger');
      const doc = await api.get('/docs/openapi.json');
      expect(doc.body).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
    });

    it('creates, reads, updates and lists customers and vendors', async () => {
      const created = await api.post('/v1/customers', acme.api_key, customer());
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Northwind', currency: 'USD' });
      expect((await api.get(`/v1/customers/${created.body.id}`, acme.api_key)).body).toEqual(created.body);
      const patched = await api.patch(`/v1/customers/${created.body.id}`, acme.api_key, { currency: 'CAD' });
      expect(patched.status).toBe(200);
      expect(patched.body.currency).toBe('CAD');
      const vendor = await api.post('/v1/vendors', acme.api_key, { name: 'Paper Co' });
      expect(vendor.status).toBe(201);
      const vendors = await api.get('/v1/vendors', acme.api_key);
      expect(vendors.body).toEqual({ data: [vendor.body], next_cursor: null });
      const me = await api.get('/v1/tenant', acme.api_key);
      expect(me.body).toMatchObject({
        id: acme.tenant.id,
        base_currency: 'USD',
        timezone: 'America/New_York',
      });
    });

    it("answers 404 for another tenant's customer and for an id that is not a UUID", async () => {
      const mine = await api.post('/v1/customers', acme.api_key, customer('Mine'));
      const theirs = await api.get(`/v1/customers/${mine.body.id}`, globex.api_key);
      expect(theirs.status).toBe(404);
      expect(theirs.body.type).toBe('/problems/not-found');
      const patch = await api.patch(`/v1/customers/${mine.body.id}`, globex.api_key, { name: 'Stolen' });
      expect(patch.status).toBe(404);
      const list = await api.get('/v1/customers?limit=200', globex.api_key);
      expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(mine.body.id);
      const malformed = await api.get('/v1/customers/not-a-uuid', acme.api_key);
      expect(malformed.status).toBe(404);
      expect(malformed.headers.get('content-type')).toMatch(PROBLEM_JSON);
    });

    it('pages with limit and cursor and validates them', async () => {
      const tenant = await api.createTenant('Pager');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++)
        ids.push((await api.post('/v1/vendors', tenant.api_key, { name: `V${i}` })).body.id);
      const first = await api.get('/v1/vendors?limit=2', tenant.api_key);
      const second = await api.get(`/v1/vendors?limit=2&cursor=${first.body.next_cursor}`, tenant.api_key);
      expect([...first.body.data, ...second.body.data].map((v: { id: string }) => v.id)).toEqual(ids);
      expect(second.body.next_cursor).toBeNull();
      for (const query of ['limit=0', 'limit=201', 'limit=abc', 'colour=red']) {
        const bad = await api.get(`/v1/vendors?${query}`, tenant.api_key);
        expect(bad.status).toBe(422);
      }
    });
  });

  describe('errors', () => {
    it('answers malformed JSON with 400', async () => {
      const res = await api.request('POST', '/v1/customers', {
        token: acme.api_key,
        raw: '{"name": "Broken",',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({
        type: '/problems/malformed-json',
        status: 400,
        errors: [{ field: '(body)', code: 'malformed_json' }],
      });
    });

    it('answers a body over BODY_LIMIT with 413', async () => {
      const res = await api.post('/v1/customers', acme.api_key, { ...customer(), name: 'x'.repeat(5000) });
      expect(res.status).toBe(413);
      expect(res.body.type).toBe('/problems/payload-too-large');
    });

    it('answers a non-JSON body with 415', async () => {
      const res = await api.request('POST', '/v1/customers', {
        token: acme.api_key,
        raw: 'name=Northwind',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(415);
      expect(res.body.type).toBe('/problems/unsupported-media-type');
    });

    it('answers unknown and invalid fields with 422 naming each, and stores nothing', async () => {
      const before = await api.get('/v1/customers?limit=200', acme.api_key);
      const res = await api.post('/v1/customers', acme.api_key, {
        ...customer(),
        colour: 'red',
        address: { line1: '1 Main St', city: 'Springfield', country: 'usa' },
      });
      expect(res.status).toBe(422);
      expect(res.body.type).toBe('/problems/validation-error');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'colour', message: 'is not a known field', code: 'unknown_field' },
          expect.objectContaining({ field: 'address.country' }),
        ]),
      );
      expect((await api.get('/v1/customers?limit=200', acme.api_key)).body).toEqual(before.body);
    });

    it('answers an unknown route with a 404 problem', async () => {
      const res = await api.get('/v1/nothing-here', acme.api_key);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({ type: '/problems/not-found', status: 404 });
    });

    it('records request durations per route pattern', async () => {
      const metrics = await api.get('/metrics');
      expect(metrics.body).toMatch(
        /billing_http_request_duration_seconds_count\{[^}]*method="GET",route="\/v1\/customers\/:id",status="200"/,
      );
      expect(metrics.body).toMatch(
        /billing_http_request_duration_seconds_count\{[^}]*route="unmatched",status="404"/,
      );
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response and creates one customer', async () => {
      const tenant = await api.createTenant('Idempotent');
      const key = { 'idempotency-key': 'create-northwind-1' };
      const first = await api.post('/v1/customers', tenant.api_key, customer(), key);
      const again = await api.post('/v1/customers', tenant.api_key, customer(), key);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      const list = await api.get('/v1/customers', tenant.api_key);
      expect(list.body.data).toHaveLength(1);
      // Keys are per tenant: another tenant's identical key is a new request.
      const other = await api.post('/v1/customers', globex.api_key, customer(), key);
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(first.body.id);
    });

    it('answers a key reused for a different request with 422', async () => {
      const key = { 'idempotency-key': 'reuse-me' };
      expect((await api.post('/v1/customers', acme.api_key, customer('A'), key)).status).toBe(201);
      const reused = await api.post('/v1/customers', acme.api_key, customer('B'), key);
      expect(reused.status).toBe(422);
      expect(reused.body.type).toBe('/problems/idempotency-key-reused');
      const otherPath = await api.post('/v1/vendors', acme.api_key, { name: 'A' }, key);
      expect(otherPath.status).toBe(422);
    });

    it('replays a 4xx outcome too, and stores admin tenant creation without the key in clear', async () => {
      const key = { 'idempotency-key': 'bad-customer' };
      const first = await api.post('/v1/customers', acme.api_key, { name: 'No Email' }, key);
      const again = await api.post('/v1/customers', acme.api_key, { name: 'No Email' }, key);
      expect(first.status).toBe(422);
      expect(again.status).toBe(422);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);

      const tenantKey = { 'idempotency-key': '3f9e2d7a-1b4c-4e8f-9a6d-0c5b7e1f2a3d' };
      const body = { name: 'Once Only', base_currency: 'EUR' };
      const created = await api.post('/v1/admin/tenants', ADMIN_TOKEN, body, tenantKey);
      const replayed = await api.post('/v1/admin/tenants', ADMIN_TOKEN, body, tenantKey);
      expect(created.status).toBe(201);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(replayed.body).toEqual(created.body);
      const { rows } = await pg.query("SELECT count(*)::int AS n FROM tenants WHERE name = 'Once Only'");
      expect(rows[0].n).toBe(1);
      const stored = await pg.query("SELECT response FROM idempotency_keys WHERE scope = 'admin'");
      for (const row of stored.rows as Array<{ response: Buffer }>) {
        expect(row.response.toString('latin1')).not.toContain(created.body.api_key);
      }
    });

    it('rejects an unusable key', async () => {
      const res = await api.post('/v1/customers', acme.api_key, customer(), {
        'idempotency-key': 'x'.repeat(256),
      });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('Idempotency-Key');
    });
  });

  describe('with the admin API disabled and the system clock', () => {
    let plain: INestApplication;
    let plainApi: Api;

    beforeAll(async () => {
      ({ app: plain, api: plainApi } = await bootGateway(gatewayDb, root, { ADMIN_TOKEN: '' }));
    });

    afterAll(async () => {
      await plain?.close();
    });

    it('answers every admin call with 401 saying admin is disabled', async () => {
      const res = await plainApi.get('/v1/admin/tenants', ADMIN_TOKEN);
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/admin API is disabled/);
      expect((await plainApi.get('/v1/tenant', acme.api_key)).status).toBe(200);
    });
  });
});
