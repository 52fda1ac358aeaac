import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { eventStreamName } from '@billing/contracts';
import { Client } from 'pg';
import {
  TEST_NATS_URL,
  createTestDatabase,
  dropBus,
  uniqueName,
  type TestDatabase,
} from '@billing/common/testing';
import { findFreePort, startSystem, type AppName, type RunningSystem } from '../scripts/launcher';

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

export interface E2eSystem {
  system: RunningSystem;
  db: TestDatabase;
  root: string;
  url: string;
  close(): Promise<void>;
}

/**
 * A database of its own on another PostgreSQL server than the shared one (`createTestDatabase`), e.g.
 * a server the test stops and starts. `serverUrl` names a database to connect to for CREATE/DROP.
 */
export async function createDatabaseOn(serverUrl: string, prefix = 'e2e'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * The whole system as `npm start` runs it — one process per app, started by the same launcher — on
 * this test file's own database and bus root, with the manual clock. The database is created on the
 * shared test server unless `postgresUrl` names another server.
 */
export async function startE2eSystem(
  apps: AppName[] = ['gateway', 'templates', 'invoicing'],
  options: { natsUrl?: string; postgresUrl?: string; env?: Record<string, string> } = {},
): Promise<E2eSystem> {
  const db = options.postgresUrl
    ? await createDatabaseOn(options.postgresUrl, 'e2e')
    : await createTestDatabase('e2e');
  const root = uniqueName('e2e');
  const ports: Partial<Record<AppName, number>> = {};
  let next = 20000 + Math.floor(Math.random() * 20000);
  for (const app of apps) {
    const port = await findFreePort(next);
    ports[app] = port;
    next = port + 1;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'billing-e2e-'));
  const system = await startSystem({
    rootDir: join(__dirname, '..'),
    apps,
    ports,
    databaseUrl: db.url,
    natsUrl: options.natsUrl ?? TEST_NATS_URL,
    busRoot: root,
    clockMode: 'manual',
    adminToken: ADMIN_TOKEN,
    dataDir,
    stdio: 'file',
    build: false,
    createDevTenant: false,
    logLevel: 'warn',
    env: {
      BUS_BACKOFF_MS: '100,200',
      OUTBOX_POLL_MS: '100',
      RPC_TIMEOUT_MS: '1500',
      // Tests send bursts far above the production rate limits (the limiter still runs).
      RATE_LIMIT_KEY_RPS: '100000',
      RATE_LIMIT_KEY_BURST: '100000',
      RATE_LIMIT_ADDRESS_RPS: '100000',
      RATE_LIMIT_ADDRESS_BURST: '100000',
      ...options.env,
    },
    log: () => undefined,
  });
  return {
    system,
    db,
    root,
    url: system.gatewayUrl,
    close: async () => {
      await system.stop();
      await db.drop();
      await dropBus(root, options.natsUrl ?? TEST_NATS_URL);
    },
  };
}

export interface Http {
  status: number;
  body: any;
  headers: Headers;
}

export function client(base: string, key?: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    const response: Http = { status: res.status, body: parsed, headers: res.headers };
    return response;
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      call('POST', path, body ?? {}, headers),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    put: (path: string, body: unknown) => call('PUT', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

export async function createTenant(url: string, name: string, timezone = 'UTC') {
  const admin = client(url, ADMIN_TOKEN);
  const res = await admin.post('/v1/admin/tenants', { name, base_currency: 'USD', timezone });
  if (res.status !== 201)
    throw new Error(`tenant creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    tenant: res.body.tenant as { id: string },
    key: res.body.api_key as string,
    api: client(url, res.body.api_key),
  };
}

/** Every event stored on the test's stream, in order. */
export async function streamEvents(
  root: string,
): Promise<Array<{ subject: string; msgId: string | undefined; body: any }>> {
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = eventStreamName(root);
    const info = await jsm.streams.info(stream);
    const out = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (msg)
        out.push({ subject: msg.subject, msgId: msg.header?.get('Nats-Msg-Id'), body: msg.json<any>() });
    }
    return out;
  } finally {
    await nc.close();
  }
}
