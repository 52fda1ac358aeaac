import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { findFreePort } from '../scripts/launcher';
import { ADMIN_TOKEN, client, createTenant, startE2eSystem, type E2eSystem } from './helpers';

type Api = ReturnType<typeof client>;
const ROOT_DIR = join(__dirname, '..');

/** Seeds `count` daily templates starting today (half of them auto-send) through the API. */
async function seedTemplates(api: Api, customerId: string, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const i = next++;
        const res = await api.post('/v1/templates', {
          type: 'invoice',
          customer_id: customerId,
          frequency: 'daily',
          auto_send: i % 2 === 0,
          line_items: [{ description: `Seat ${i}`, quantity: '3', unit_price: '19.99', tax_rate: '7.5' }],
        });
        if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }),
  );
}

async function sql<T = any>(e2e: E2eSystem, text: string, params: unknown[] = []): Promise<T[]> {
  const pg = new Client({ connectionString: e2e.db.url });
  await pg.connect();
  try {
    return (await pg.query(text, params)).rows as T[];
  } finally {
    await pg.end();
  }
}

const invoiceCount = async (e2e: E2eSystem) =>
  (await sql<{ n: number }>(e2e, 'SELECT count(*)::int AS n FROM invoicing.invoices'))[0].n;

async function waitFor<T>(check: () => Promise<T | null | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every occurrence exactly once, every template advanced, the ledger balanced. */
async function expectExactlyOnce(e2e: E2eSystem, api: Api, count: number, date: string): Promise<void> {
  await waitFor(async () => (await invoiceCount(e2e)) >= count);
  const [stats] = await sql(
    e2e,
    `SELECT count(*)::int AS invoices, count(DISTINCT (template_id, occurrence_date))::int AS keys,
            min(occurrence_date)::text AS first, max(occurrence_date)::text AS last
       FROM invoicing.invoices`,
  );
  expect(stats).toEqual({ invoices: count, keys: count, first: date, last: date });
  await waitFor(async () => {
    const [t] = await sql(
      e2e,
      'SELECT count(*)::int AS n FROM templates.templates WHERE generated_count = 1',
    );
    return t.n === count;
  });
  const tb = (await api.get('/v1/reports/trial-balance')).body;
  expect(tb.currencies.length).toBeGreaterThan(0);
  for (const c of tb.currencies) expect(c.difference).toBe('0.00');
  const [ledger] = await sql(
    e2e,
    `SELECT count(DISTINCT e.id)::int AS entries, sum(l.debit_minor)::text AS debit, sum(l.credit_minor)::text AS credit
       FROM invoicing.journal_entries e JOIN invoicing.journal_lines l ON l.entry_id = e.id`,
  );
  expect(ledger.entries).toBe(count / 2); // the auto-send half was finalized
  expect(ledger.debit).toBe(ledger.credit);
}

describe('faults: nothing generated twice or lost', () => {
  describe('with the shared NATS', () => {
    let e2e: E2eSystem;
    let api: Api;
    let customerId: string;

    beforeEach(async () => {
      e2e = await startE2eSystem(['gateway', 'templates', 'invoicing', 'scheduler']);
      expect(
        (await client(e2e.url, ADMIN_TOKEN).put('/v1/admin/clock', { today: '2027-03-01' })).status,
      ).toBe(200);
      ({ api } = await createTenant(e2e.url, 'Fault Agency'));
      customerId = (await api.post('/v1/customers', { name: 'Northwind', email: 'ap@northwind.test' })).body
        .id;
    }, 120_000);

    afterEach(async () => {
      await e2e?.close();
    });

    it('invoicing SIGKILLed in the middle of a large run and restarted → every occurrence exactly once', async () => {
      const count = 3000;
      await seedTemplates(api, customerId, count);
      expect((await api.post('/v1/scheduler/runs', {})).status).toBe(201);
      const before = await waitFor(async () => {
        const n = await invoiceCount(e2e);
        return n > 0 ? n : null;
      });
      await e2e.system.kill('invoicing', 'SIGKILL');
      const atKill = await invoiceCount(e2e);
      expect(atKill).toBeLessThan(count);
      expect(before).toBeLessThanOrEqual(atKill);
      await e2e.system.restart('invoicing');
      await expectExactlyOnce(e2e, api, count, '2027-03-01');
    }, 300_000);

    it('two scheduler instances running the same day → no duplicate', async () => {
      const count = 1000;
      await seedTemplates(api, customerId, count);
      const second = await startSecondScheduler(e2e);
      try {
        const runs = await Promise.all(Array.from({ length: 6 }, () => api.post('/v1/scheduler/runs', {})));
        for (const r of runs) expect(r.status).toBe(201);
        await expectExactlyOnce(e2e, api, count, '2027-03-01');
        const [claims] = await sql(e2e, 'SELECT count(*)::int AS n FROM scheduler.run_results WHERE claimed');
        expect(claims.n).toBe(count);
      } finally {
        second.kill('SIGTERM');
      }
    }, 300_000);

    it('the same due event delivered again (another message id) → still one invoice', async () => {
      await seedTemplates(api, customerId, 10);
      expect((await api.post('/v1/scheduler/runs', {})).status).toBe(201);
      await waitFor(async () => (await invoiceCount(e2e)) === 10);
      // Publish a copy of every occurrence.due with a fresh message id: the bus cannot deduplicate it.
      const nc = await connect({ servers: e2e.system.natsUrl });
      const jsm = await jetstreamManager(nc);
      const stream = `${e2e.root.toUpperCase()}_EVENTS`;
      const info = await jsm.streams.info(stream);
      let copies = 0;
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
        const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
        if (!msg?.subject.endsWith('.occurrence.due.v1')) continue;
        const body = msg.json<{ event_id: string }>();
        body.event_id = '0190f0e0-0000-7000-8000-' + String(seq).padStart(12, '0');
        await jetstream(nc).publish(msg.subject, JSON.stringify(body), { msgID: `copy-${seq}` });
        copies++;
      }
      await nc.close();
      expect(copies).toBe(10);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await invoiceCount(e2e)).toBe(10);
    }, 120_000);
  });

  describe('with a NATS server of its own', () => {
    let nats: ChildProcess | undefined;
    let natsArgs: string[];
    let e2e: E2eSystem;

    const startNats = () =>
      new Promise<ChildProcess>((resolve, reject) => {
        const child = spawn(process.env.NATS_SERVER_BIN ?? 'nats-server', natsArgs, { stdio: 'ignore' });
        child.on('error', reject);
        setTimeout(() => resolve(child), 500);
      });

    afterAll(async () => {
      await e2e?.close();
      nats?.kill('SIGTERM');
    });

    it('NATS restarted in the middle of a run → nothing lost, nothing twice', async () => {
      const port = await findFreePort(24222);
      natsArgs = [
        '-js',
        '-a',
        '127.0.0.1',
        '-p',
        String(port),
        '-sd',
        mkdtempSync(join(tmpdir(), 'billing-nats-')),
      ];
      nats = await startNats();
      e2e = await startE2eSystem(['gateway', 'templates', 'invoicing', 'scheduler'], {
        natsUrl: `nats://127.0.0.1:${port}`,
      });
      expect(
        (await client(e2e.url, ADMIN_TOKEN).put('/v1/admin/clock', { today: '2027-03-01' })).status,
      ).toBe(200);
      const { api } = await createTenant(e2e.url, 'Restart Agency');
      const customerId = (await api.post('/v1/customers', { name: 'Northwind', email: 'ap@northwind.test' }))
        .body.id;
      const count = 2000;
      await seedTemplates(api, customerId, count);
      expect((await api.post('/v1/scheduler/runs', {})).status).toBe(201);
      await waitFor(async () => (await invoiceCount(e2e)) > 0);
      nats.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 2000));
      nats = await startNats();
      await expectExactlyOnce(e2e, api, count, '2027-03-01');
    }, 300_000);
  });
});

/** A second scheduler process on the same database and bus, as a second replica would be. */
async function startSecondScheduler(e2e: E2eSystem): Promise<ChildProcess> {
  const port = await findFreePort(e2e.system.ports.scheduler + 100);
  const child = spawn(
    process.execPath,
    ['-r', join(ROOT_DIR, 'scripts/paths.js'), join(ROOT_DIR, 'dist/apps/scheduler/src/main.js')],
    {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: e2e.db.url,
        NATS_URL: e2e.system.natsUrl,
        BUS_ROOT: e2e.root,
        CLOCK_MODE: 'manual',
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    },
  );
  await waitFor(async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
    return res?.status === 200;
  }, 60_000);
  return child;
}
