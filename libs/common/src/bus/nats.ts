import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { clockBucketName, eventStreamName, eventStreamSubjects } from '@billing/contracts';

export interface BusConnection {
  nc: NatsConnection;
  root: string;
}

export async function connectBus(url: string, name: string, root: string): Promise<BusConnection> {
  const nc = await connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: 5000,
  });
  await ensureEventStream(await jetstreamManager(nc), root);
  return { nc, root };
}

const DAY_NS = 24 * 60 * 60 * 1_000_000_000;

/**
 * The one event stream: every family under `<root>.<family>.>`; Nats-Msg-Id deduplication over a
 * window longer than any relay restart; 30 days kept for subscribers that replay history.
 */
export async function ensureEventStream(jsm: JetStreamManager, root: string): Promise<void> {
  const name = eventStreamName(root);
  const subjects = eventStreamSubjects(root);
  const config = {
    name,
    subjects,
    duplicate_window: 15 * 60 * 1_000_000_000,
    max_age: 30 * DAY_NS,
  };
  try {
    const info = await jsm.streams.info(name);
    const missing = subjects.filter((s) => !info.config.subjects?.includes(s));
    if (missing.length) await jsm.streams.update(name, { ...info.config, subjects });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.streams.add(config);
    } catch (addErr) {
      // Another replica created it between our look-up and our add.
      if (!/already in use|exists/i.test(String(addErr))) throw addErr;
    }
  }
}

export async function clockBucket(nc: NatsConnection, root: string) {
  return new Kvm(nc).create(clockBucketName(root), { history: 1 });
}

export function isNotFound(err: unknown): boolean {
  return /not found/i.test(String((err as Error)?.message ?? err));
}
