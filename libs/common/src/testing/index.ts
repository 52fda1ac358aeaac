/**
 * Helpers for integration tests against the real PostgreSQL and NATS: every test file gets its own
 * database and its own bus root (so its own stream, consumers and clock bucket).
 */
import { randomBytes } from 'crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { clockBucketName, eventStreamName } from '@billing/contracts';
import { Client } from 'pg';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export function uniqueName(prefix = 't'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: TEST_PG_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Removes the stream and clock bucket of a test bus root. */
export async function dropBus(root: string, natsUrl = TEST_NATS_URL): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(eventStreamName(root)).catch(() => false);
    await jsm.streams.delete(`KV_${clockBucketName(root)}`).catch(() => false);
  } finally {
    await nc.close();
  }
}

/** The environment an app needs for a test: its own database and bus root, fast retries. */
export function testEnv(
  db: TestDatabase,
  root: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    NATS_URL: TEST_NATS_URL,
    BUS_ROOT: root,
    BUS_MAX_DELIVER: '3',
    BUS_BACKOFF_MS: '50,100',
    OUTBOX_POLL_MS: '50',
    OUTBOX_CLAIM_AFTER_MS: '200',
    RPC_TIMEOUT_MS: '3000',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Polls `check` until it returns a truthy value or the time is up. */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export { connect as connectNats } from '@nats-io/transport-node';
export * from './app';
export * from './probe';
export * from './unsafe-text';
