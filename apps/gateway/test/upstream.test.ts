import type { INestApplication } from '@nestjs/common';
import { CustomersRpc, rpcSubject } from '@billing/contracts';
import {
  TEST_NATS_URL,
  connectNats,
  createTestDatabase,
  dropBus,
  uniqueName,
  type TestDatabase,
} from '@billing/common/testing';
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import { ADMIN_TOKEN, type Api, bootGateway } from './support';

const RPC_TIMEOUT_MS = 400;

/** The gateway alone on its bus: the invoicing service is either absent or a fake we control. */
describe('gateway: when the service behind a route is down or slow', () => {
  let db: TestDatabase;
  let root: string;
  let gateway: INestApplication;
  let api: Api;
  let nc: NatsConnection;
  let apiKey: string;
  let fake: Subscription | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('gwup');
    root = uniqueName('gwup');
    ({ app: gateway, api } = await bootGateway(db, root, { RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) }));
    nc = await connectNats({ servers: TEST_NATS_URL });
    apiKey = (await api.createTenant('Lonely')).api_key;
  });

  const pendingReplies = new Set<NodeJS.Timeout>();

  afterEach(async () => {
    await fake?.drain();
    fake = undefined;
    pendingReplies.forEach((timer) => clearTimeout(timer));
    pendingReplies.clear();
  });

  afterAll(async () => {
    await nc?.close();
    await gateway?.close();
    await db?.drop();
    await dropBus(root);
  });

  /** Answers customers.create after `delayMs` like the invoicing service would. */
  function fakeCreateCustomer(delayMs: number): void {
    let n = 0;
    fake = nc.subscribe(rpcSubject(root, CustomersRpc.create), {
      callback: (_err, msg: Msg) => {
        const { data } = msg.json<{ data: { name: string } }>();
        const view = {
          id: `0190a0e0-0000-7000-8000-${String(++n).padStart(12, '0')}`,
          name: data.name,
          email: null,
          address: null,
          currency: 'USD',
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        };
        const timer = setTimeout(() => {
          pendingReplies.delete(timer);
          msg.respond(JSON.stringify({ ok: true, data: view }));
        }, delayMs);
        pendingReplies.add(timer);
      },
    });
  }

  const body = { name: 'Northwind', email: 'ap@northwind.test' };

  it('answers 503 at once when no service answers the subject, and keeps no idempotent outcome', async () => {
    const key = { 'idempotency-key': 'retry-after-outage' };
    const started = Date.now();
    const down = await api.post('/v1/customers', apiKey, body, key);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
    expect(Date.now() - started).toBeLessThan(RPC_TIMEOUT_MS);

    fakeCreateCustomer(0);
    const retried = await api.post('/v1/customers', apiKey, body, key);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers 504 when the service does not answer within RPC_TIMEOUT_MS, never hangs', async () => {
    fakeCreateCustomer(RPC_TIMEOUT_MS * 5);
    const started = Date.now();
    const slow = await api.post('/v1/customers', apiKey, body);
    expect(slow.status).toBe(504);
    expect(slow.body).toMatchObject({ type: '/problems/upstream-timeout', status: 504 });
    expect(Date.now() - started).toBeLessThan(RPC_TIMEOUT_MS * 4);
  });

  it('answers 409 to a repeat while the first request with the key is in flight', async () => {
    fakeCreateCustomer(RPC_TIMEOUT_MS / 2);
    const key = { 'idempotency-key': 'in-flight' };
    const first = api.post('/v1/customers', apiKey, body, key);
    await new Promise((r) => setTimeout(r, RPC_TIMEOUT_MS / 8));
    const second = await api.post('/v1/customers', apiKey, body, key);
    expect(second.status).toBe(409);
    expect(second.body.type).toBe('/problems/idempotency-key-in-progress');
    const done = await first;
    expect(done.status).toBe(201);
    const replay = await api.post('/v1/customers', apiKey, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(done.body);
  });

  it('lists parked messages only of services that answer (503 otherwise)', async () => {
    const res = await api.get('/v1/admin/parked?service=templates', ADMIN_TOKEN);
    expect(res.status).toBe(503);
  });

  it('has no settable clock unless CLOCK_MODE=manual', async () => {
    const view = await api.get('/v1/admin/clock', ADMIN_TOKEN);
    expect(view.body).toMatchObject({ mode: 'system', manual_date: null });
    const put = await api.request('PUT', '/v1/admin/clock', {
      token: ADMIN_TOKEN,
      body: { today: '2030-01-01' },
    });
    expect(put.status).toBe(404);
    expect((await api.request('DELETE', '/v1/admin/clock', { token: ADMIN_TOKEN })).status).toBe(404);
  });
});
