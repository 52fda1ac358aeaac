import { spawn } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { Injectable, type INestApplication } from '@nestjs/common';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { defineRpc, durableName, eventStreamName, eventSubject } from '@billing/contracts';
import { z } from 'zod';
import {
  ClockService,
  DispatchTurn,
  EventConsumers,
  OnEvent,
  OnEventBatch,
  ParkedMessages,
  ProblemError,
  RpcClient,
  RpcServer,
  runInRequestScope,
  type Tx,
  UnitOfWork,
  DATA_SOURCE,
} from '@billing/common';
import type { EventEnvelope } from '@billing/contracts';
import type { DataSource } from 'typeorm';
import { Client } from 'pg';
import {
  ProbeAppModule,
  ProbeBatchEvent,
  ProbeEvent,
  TEST_NATS_URL,
  bootTestApp,
  createTestDatabase,
  dropBus,
  eventually,
  probeConfigSchema,
  testEnv,
  testTenant,
  uniqueName,
  connectNats,
  type TestDatabase,
} from '@billing/common/testing';

const ROOT_DIR = join(__dirname, '..', '..', '..');
const CHILD = join(ROOT_DIR, 'dist/libs/common/src/testing/outbox-crash-child.js');

/** What the probe consumer does with each event; tests switch it. */
const behaviour = {
  failFor: new Set<number>(),
  failTimes: new Map<number, number>(),
  calls: new Map<number, number>(),
};

@Injectable()
class ProbeConsumer {
  @OnEvent(ProbeEvent)
  async handle(event: EventEnvelope<{ n: number; note: string }>, tx: Tx): Promise<void> {
    const n = event.data.n;
    behaviour.calls.set(n, (behaviour.calls.get(n) ?? 0) + 1);
    const remaining = behaviour.failTimes.get(n) ?? 0;
    if (remaining > 0) {
      behaviour.failTimes.set(n, remaining - 1);
      throw new Error(`transient failure for ${n}`);
    }
    if (behaviour.failFor.has(n)) throw new Error(`probe ${n} always fails`);
    await tx.manager.query('INSERT INTO probes (n, note) VALUES ($1, $2)', [n, event.data.note]);
  }
}

const batchSizes: number[] = [];
const inFlight = { now: 0, most: 0 };

@Injectable()
class ProbeBatchConsumer {
  @OnEventBatch(ProbeBatchEvent, { max: 100, concurrency: 2 })
  async handle(events: Array<EventEnvelope<{ n: number }>>, tx: Tx): Promise<void> {
    batchSizes.push(events.length);
    inFlight.most = Math.max(inFlight.most, ++inFlight.now);
    try {
      await new Promise((r) => setTimeout(r, 20));
      if (events.some((e) => e.data.n === 13)) throw new Error('thirteen is poison');
      await tx.manager.query('INSERT INTO probe_batches (n) SELECT unnest($1::int[])', [
        events.map((e) => e.data.n),
      ]);
    } finally {
      inFlight.now--;
    }
  }
}

/** What the ordered consumer saw, in the order its batches reached their ordered part. */
const orderedSeen: number[] = [];

@Injectable()
class OrderedProbeConsumer {
  @OnEventBatch(ProbeBatchEvent, { max: 3, concurrency: 2, name: 'ordered', inbox: false })
  async handle(events: Array<EventEnvelope<{ n: number }>>, _tx: Tx, turn: DispatchTurn): Promise<void> {
    const ours = events.filter((e) => e.data.n >= 1000);
    if (ours.length === 0) return;
    // Batches take different times, as real ones do; only the ordered part must follow the stream.
    await new Promise((r) => setTimeout(r, Math.random() * 15));
    await turn.wait(5_000);
    orderedSeen.push(...ours.map((e) => e.data.n));
    turn.pass();
  }
}

async function streamCount(root: string): Promise<number> {
  const nc = await connectNats({ servers: TEST_NATS_URL });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(eventStreamName(root));
    return info.state.messages;
  } finally {
    await nc.close();
  }
}

function runChild(
  mode: string,
  env: NodeJS.ProcessEnv,
): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', join(ROOT_DIR, 'scripts/paths.js'), CHILD, mode, '5'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, out }));
  });
}

describe('outbox: a committed fact is published even when the process dies', () => {
  beforeAll(() => {
    if (!existsSync(CHILD)) throw new Error(`${CHILD} is missing: run "npm run build" first (npm test does)`);
  });

  it.each(['before-publish', 'after-publish'])(
    'survives SIGKILL %s',
    async (mode) => {
      const db = await createTestDatabase('outbox');
      const root = uniqueName('ob');
      const env = testEnv(db, root);
      let app: INestApplication | undefined;
      try {
        const { signal, out } = await runChild(mode, env);
        expect({ signal, out: out.includes('committed') || mode === 'before-publish' }).toEqual({
          signal: 'SIGKILL',
          out: true,
        });
        // The child died; the facts are committed and still in the outbox.
        const pg = new Client({ connectionString: db.url });
        await pg.connect();
        const counts = await pg.query(
          'SELECT (SELECT count(*)::int FROM probe.probes) AS probes, (SELECT count(*)::int FROM probe.outbox) AS outbox',
        );
        await pg.end();
        expect(counts.rows[0]).toEqual({ probes: 5, outbox: 5 });
        // before-publish: nothing reached NATS; after-publish: all 5 did, but the rows were not deleted.
        expect(await streamCount(root)).toBe(mode === 'before-publish' ? 0 : 5);

        ({ app } = await bootTestApp(probeConfigSchema, (c) => ProbeAppModule.forRoot(c), env));
        const ds = app.get<DataSource>(DATA_SOURCE);
        // The restarted relay (its first pass at boot) publishes the pending rows; JetStream deduplicates
        // the ones already published (Nats-Msg-Id = event id).
        await eventually(async () => (await ds.query('SELECT count(*)::int AS n FROM outbox'))[0].n === 0);
        expect(await streamCount(root)).toBe(5);

        const nc = await connectNats({ servers: TEST_NATS_URL });
        const jsm = await jetstreamManager(nc);
        const ids = new Set<string>();
        for (let seq = 1; seq <= 5; seq++) {
          const msg = await jsm.streams.getMessage(eventStreamName(root), { seq });
          const body = msg!.json<{ event_id: string }>();
          expect(msg!.header.get('Nats-Msg-Id')).toBe(body.event_id);
          ids.add(body.event_id);
        }
        expect(ids.size).toBe(5);
        await nc.close();
      } finally {
        await app?.close();
        await db.drop();
        await dropBus(root);
      }
    },
    60_000,
  );
});

describe('durable consumers, request/reply and the clock', () => {
  let db: TestDatabase;
  let root: string;
  let app: INestApplication;
  let uow: UnitOfWork;
  let ds: DataSource;
  const tenantId = testTenant().id;

  const publish = (n: number, note = `probe ${n}`) =>
    uow.run(async (tx) => tx.publish(ProbeEvent, tenantId, { n, note }));
  const probeRow = async (n: number) => {
    const rows: Array<{ note: string }> = await ds.query('SELECT note FROM probes WHERE n = $1', [n]);
    return rows[0];
  };

  beforeAll(async () => {
    db = await createTestDatabase('bus');
    root = uniqueName('bus');
    ({ app } = await bootTestApp(
      probeConfigSchema,
      (c) => ProbeAppModule.forRoot(c, [ProbeConsumer, ProbeBatchConsumer, OrderedProbeConsumer]),
      testEnv(db, root, { CLOCK_MODE: 'manual', RPC_TIMEOUT_MS: '300' }),
    ));
    uow = app.get(UnitOfWork);
    ds = app.get<DataSource>(DATA_SOURCE);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await dropBus(root);
  });

  it('handles an event once and acks it after its own commit', async () => {
    await publish(1);
    await eventually(() => probeRow(1));
    expect(behaviour.calls.get(1)).toBe(1);
  });

  it('drops a redelivered event id (the inbox), even when the bus dedupe window is bypassed', async () => {
    const nc = await connectNats({ servers: TEST_NATS_URL });
    const js = jetstream(nc);
    const envelope = {
      event_id: '0190f0e0-0000-7000-8000-00000000002a',
      event_type: 'tenant.probe.v1',
      schema_version: 1,
      tenant_id: tenantId,
      occurred_at: new Date().toISOString(),
      data: { n: 2, note: 'twice' },
    };
    const subject = eventSubject(root, ProbeEvent);
    await js.publish(subject, JSON.stringify(envelope), { msgID: 'copy-1' });
    await js.publish(subject, JSON.stringify(envelope), { msgID: 'copy-2' });
    await eventually(() => probeRow(2));
    await publish(3); // a later event proves both copies were consumed
    await eventually(() => probeRow(3));
    expect(behaviour.calls.get(2)).toBe(1);
    await nc.close();
  });

  it('retries a failing handler with backoff and succeeds without parking', async () => {
    behaviour.failTimes.set(4, 2);
    await publish(4);
    await eventually(() => probeRow(4));
    expect(behaviour.calls.get(4)).toBe(3);
    expect((await app.get(ParkedMessages).list({ limit: 50 })).data).toEqual([]);
  });

  it('parks a handler that keeps throwing after the maximum deliveries, then replays it', async () => {
    behaviour.failFor.add(5);
    await publish(5, 'eventually fixed');
    const parked = await eventually(async () => {
      const page = await app.get(ParkedMessages).list({ limit: 50 });
      return page.data.find((p) => p.error.includes('probe 5'));
    });
    expect(parked).toMatchObject({ deliveries: 3, consumer: 'templates_tenant_probe_v1' });
    await new Promise((r) => setTimeout(r, 500));
    expect(behaviour.calls.get(5)).toBe(3); // not looping
    expect(await probeRow(5)).toBeUndefined();

    behaviour.failFor.delete(5);
    const parkedService = app.get(ParkedMessages);
    expect(await parkedService.replay(parked.id)).toMatchObject({ outcome: 'processed' });
    expect(await probeRow(5)).toEqual({ note: 'eventually fixed' });
    expect(await parkedService.replay(parked.id)).toMatchObject({ outcome: 'already_processed' });
    expect((await parkedService.list({ limit: 50 })).data).toEqual([]);
    expect((await parkedService.list({ limit: 50, include_replayed: true })).data).toHaveLength(1);
  });

  it('parks a message that breaks its contract at once, without calling the handler', async () => {
    const nc = await connectNats({ servers: TEST_NATS_URL });
    await jetstream(nc).publish(eventSubject(root, ProbeEvent), 'not json at all');
    await jetstream(nc).publish(
      eventSubject(root, ProbeEvent),
      JSON.stringify({
        event_id: '0190f0e0-0000-7000-8000-0000000000ff',
        event_type: 'tenant.probe.v1',
        schema_version: 1,
        tenant_id: tenantId,
        occurred_at: new Date().toISOString(),
        data: { n: 'six' },
      }),
    );
    const parked = await eventually(async () => {
      const page = await app.get(ParkedMessages).list({ limit: 50 });
      return page.data.length >= 2 ? page.data : null;
    });
    expect(parked.map((p) => p.deliveries)).toEqual([1, 1]);
    expect(parked.map((p) => p.error).join()).toMatch(/not JSON.*bad tenant.probe data/s);
    // Parked means terminated on the stream, not waiting to come back after the ack wait (nats-server
    // 2.9 ignores a termination that carries a reason).
    const consumer = await (
      await jetstreamManager(nc)
    ).consumers.info(eventStreamName(root), durableName('templates', ProbeEvent));
    expect(consumer.num_ack_pending).toBe(0);
    await nc.close();
  });

  it('handles events in batches, and isolates a poison event without holding the others back', async () => {
    await uow.run(async (tx) => {
      for (let n = 1; n <= 400; n++) tx.publish(ProbeBatchEvent, tenantId, { n });
    });
    await eventually(async () => {
      const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM probe_batches');
      return count === 399;
    });
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(100);
    expect(inFlight.most).toBe(2); // two batches in flight at once, never more
    expect(await ds.query('SELECT count(DISTINCT n)::int AS n FROM probe_batches')).toEqual([{ n: 399 }]);
    const parked = await eventually(async () =>
      (await app.get(ParkedMessages).list({ limit: 50 })).data.find((p) => p.error.includes('thirteen')),
    );
    expect(parked.consumer).toBe('templates_tenant_probe_batch_v1');
    expect(await ds.query('SELECT n FROM probe_batches WHERE n = 13')).toEqual([]);
  });

  it('lets concurrent batches pass their ordered part in the order they were taken from the stream', async () => {
    const ns = Array.from({ length: 40 }, (_, i) => 1000 + i);
    for (const n of ns) await uow.run(async (tx) => tx.publish(ProbeBatchEvent, tenantId, { n }));
    await eventually(async () => orderedSeen.length === ns.length);
    expect(orderedSeen).toEqual(ns);
  });

  it('the event consumer registry knows its durable consumer', () => {
    expect(app.get(EventConsumers).handlerFor('templates_tenant_probe_v1')).toBeDefined();
  });

  describe('request/reply', () => {
    const Echo = defineRpc(
      'templates',
      'probe.echo',
      1,
      z.object({ text: z.string() }).strict(),
      z.object({ text: z.string() }),
    );
    const Fails = defineRpc(
      'templates',
      'probe.fails',
      1,
      z.object({ kind: z.enum(['problem', 'crash']) }),
      z.object({}),
    );
    const Slow = defineRpc('templates', 'probe.slow', 1, z.object({}), z.object({}));
    const Absent = defineRpc('suggestions', 'probe.absent', 1, z.object({}), z.object({}));

    beforeAll(() => {
      const server = app.get(RpcServer);
      server.register(Echo, async (data) => ({ text: (data as { text: string }).text.toUpperCase() }));
      server.register(Fails, async (data) => {
        if ((data as { kind: string }).kind === 'problem') throw ProblemError.invalidState('it is paused');
        throw new Error('secret internals');
      });
      server.register(Slow, () => new Promise((r) => setTimeout(() => r({}), 800)));
    });

    it('answers, validates and reports problems', async () => {
      const client = app.get(RpcClient);
      expect(await client.call(Echo, { text: 'hi' }, null)).toEqual({ text: 'HI' });
      await expect(client.call(Echo, { text: 1 } as never, null)).rejects.toMatchObject({
        problem: { status: 422, errors: [{ field: 'text' }] },
      });
      await expect(client.call(Fails, { kind: 'problem' }, null)).rejects.toMatchObject({
        problem: { status: 409, detail: 'it is paused' },
      });
      const crash = (await client
        .call(Fails, { kind: 'crash' }, null)
        .catch((e: unknown) => e)) as ProblemError;
      expect(crash.problem.status).toBe(500);
      expect(JSON.stringify(crash.problem)).not.toContain('secret');
    });

    it('applies an idempotent request once, however often and however concurrently it is retried', async () => {
      const Create = defineRpc(
        'templates',
        'probe.create',
        1,
        z.object({ n: z.number().int() }),
        z.object({ n: z.number().int(), token: z.string() }),
      );
      app.get(RpcServer).register(Create, (data) =>
        uow.run(async (tx) => {
          const n = (data as { n: number }).n;
          await tx.manager.query('INSERT INTO probes (n, note) VALUES ($1, $2)', [n, 'once']);
          tx.publish(ProbeEvent, tenantId, { n, note: 'once' });
          return { n, token: Math.random().toString(36) };
        }),
      );
      const client = app.get(RpcClient);
      const call = (requestId: string, n: number) =>
        runInRequestScope(requestId, false, () => client.call(Create, { n }, null));
      const first = await call('request-0000000000000001', 100);
      expect(await call('request-0000000000000001', 100)).toEqual(first);
      const concurrent = await Promise.all([1, 2, 3].map(() => call('request-0000000000000002', 101)));
      expect(new Set(concurrent.map((r) => r.token)).size).toBe(1);
      expect(await ds.query('SELECT n FROM probes WHERE n IN (100, 101) ORDER BY n')).toEqual([
        { n: 100 },
        { n: 101 },
      ]);
      // Without a request id every call is its own request (here: a duplicate key error → 500).
      await expect(client.call(Create, { n: 100 }, null)).rejects.toMatchObject({ problem: { status: 500 } });
    });

    it('turns no responder into 503 and no answer in time into 504, never a hang', async () => {
      const client = app.get(RpcClient);
      const started = Date.now();
      await expect(client.call(Absent, {}, null)).rejects.toMatchObject({ problem: { status: 503 } });
      await expect(client.call(Slow, {}, null)).rejects.toMatchObject({ problem: { status: 504 } });
      expect(Date.now() - started).toBeLessThan(800);
    });
  });

  it('keeps a manual date every process reads', async () => {
    const clock = app.get(ClockService);
    await clock.setManualDate('2027-02-28');
    expect(await clock.today('Pacific/Auckland')).toBe('2027-02-28');
    await expect(clock.setManualDate('2027-02-30')).rejects.toMatchObject({ problem: { status: 422 } });
    await clock.setManualDate(null);
    expect(await clock.manualDate()).toBeNull();
  });
});
