import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type EventContract, type EventData, type EventEnvelope, eventSubject } from '@billing/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { BaseConfig } from '../config/config';
import { uuidv7 } from '../ids';
import { Metrics } from '../metrics/metrics';
import { CONFIG, DATA_SOURCE, NATS } from '../tokens';
import type { BusConnection } from './nats';
import { JetStreamPublisher } from './publisher';

export interface OutboxMessage {
  id: string;
  subject: string;
  /** The envelope as JSON: stored in the outbox and published byte for byte. */
  payload: string;
  /** The outbox row's sequence number, once stored. */
  seq?: string;
}

/**
 * Builds the envelope of an event; with `validate` (the default) its data is checked against the
 * contract before it is stored.
 */
export function buildEvent<C extends EventContract>(
  root: string,
  contract: C,
  tenantId: string,
  data: EventData<C>,
  eventId?: string,
  validate = true,
): OutboxMessage {
  const id = eventId ?? uuidv7();
  const envelope: EventEnvelope = {
    event_id: id,
    event_type: `${contract.name}.v${contract.version}`,
    schema_version: contract.version,
    tenant_id: tenantId,
    occurred_at: new Date().toISOString(),
    data: validate ? contract.data.parse(data) : data,
  };
  return { id, subject: eventSubject(root, contract), payload: JSON.stringify(envelope) };
}

/**
 * Separates the payloads of a batch in one text parameter. JSON.stringify escapes every control
 * character, so this one never occurs in a payload.
 */
const SEPARATOR = '\x1e';

/** Stores events in the caller's transaction; they are published only if it commits. */
export async function insertOutbox(manager: EntityManager, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  // Three text parameters for the whole batch, split by PostgreSQL: no array literal to escape element
  // by element here, no JSON to parse there.
  const rows: Array<{ id: string; seq: string }> = await manager.query(
    `INSERT INTO outbox (id, subject, payload)
     SELECT * FROM unnest(string_to_array($1::text, ',')::uuid[], string_to_array($2::text, E'\\x1e'),
       string_to_array($3::text, E'\\x1e'))
     RETURNING id, seq`,
    [
      messages.map((m) => m.id).join(','),
      messages.map((m) => m.subject).join(SEPARATOR),
      messages.map((m) => m.payload).join(SEPARATOR),
    ],
  );
  const seqs = new Map(rows.map((r) => [r.id, r.seq]));
  for (const m of messages) m.seq = seqs.get(m.id);
}

const BATCH = 1000;
/** Committed events kept in memory for the direct path at most; the rest wait in the outbox. */
const FRESH_LIMIT = 50_000;
/** Published rows are deleted this many at a time (or when nothing else is waiting). */
const DELETE_BATCH = 5000;

/**
 * Publishes committed events to JetStream with `Nats-Msg-Id` = event id, then deletes their outbox rows.
 *
 * Two paths. The direct one: right after a commit, the unit of work hands the relay the events it just
 * stored, and the relay publishes them from memory (no read back) and deletes their rows. The recovery
 * one: rows still there — the process died between commit and publish, or NATS refused — are found by
 * polling, the first pass at boot taking all of them and later passes the ones older than
 * OUTBOX_CLAIM_AFTER_MS (a younger row is most likely on its own process's direct path), shared between
 * replicas through `FOR UPDATE SKIP LOCKED`. Either way a row is deleted only after JetStream acked it; a
 * crash in between publishes the same id again, which JetStream drops as a duplicate within its window
 * (and consumers drop by event id after that).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly publisher: JetStreamPublisher;
  /** Committed events waiting for the direct path. */
  private fresh: OutboxMessage[] = [];
  /** Sequence numbers of published rows not deleted yet. */
  private toDelete: string[] = [];
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private kicked = false;
  /** Until the first recovery pass succeeded, it takes rows of any age. */
  private recovered = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(NATS) bus: BusConnection,
    @Inject(CONFIG) private readonly config: BaseConfig,
    private readonly metrics: Metrics,
  ) {
    this.publisher = new JetStreamPublisher(bus.nc);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
    this.publisher.close();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.deletePublished().catch(() => undefined); // else only republished at the next start
  }

  /**
   * Events of a transaction that committed: published next, straight from memory. Past FRESH_LIMIT
   * waiting (NATS unreachable for a while) they are not kept in memory: their rows are in the outbox,
   * and the recovery pass publishes them.
   */
  published(messages: OutboxMessage[]): void {
    if (messages.length === 0) return;
    for (const m of messages) if (this.fresh.length < FRESH_LIMIT) this.fresh.push(m);
    this.kick();
  }

  /** Asks for a pass now. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Publishes everything in the outbox whatever its age (tests, shutdown); returns how many. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishStored(0);
      total += n;
      if (n < BATCH) return total;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    let lastRecovery = 0;
    while (this.running) {
      this.kicked = false;
      try {
        while (this.fresh.length > 0) await this.publishFresh();
        // The recovery pass runs on the poll interval (not after every commit), and never ahead of
        // the direct path.
        if (!this.recovered) {
          await this.drain();
          this.recovered = true;
          lastRecovery = Date.now();
        } else if (Date.now() - lastRecovery >= this.config.OUTBOX_POLL_MS) {
          lastRecovery = Date.now();
          const minAge = this.config.OUTBOX_CLAIM_AFTER_MS;
          while (this.fresh.length === 0 && (await this.publishStored(minAge)) === BATCH);
        }
        failures = 0;
      } catch (err) {
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          this.logger.warn(`outbox relay failed (${failures}x), will retry: ${(err as Error).message}`);
        }
      }
      if (!this.running) break;
      if (this.kicked && failures === 0) continue;
      const delay = failures
        ? Math.min(this.config.OUTBOX_POLL_MS * 2 ** failures, 10_000)
        : this.config.OUTBOX_POLL_MS;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /**
   * The direct path: a batch of committed events from memory. When publishing fails the batch is
   * dropped from memory — its rows stay, and the recovery path publishes them. The rows of what was
   * published are deleted a few batches at a time (a crash before that only republishes them, which
   * JetStream drops as duplicates).
   */
  private async publishFresh(): Promise<void> {
    const batch = this.fresh.splice(0, BATCH);
    await this.publisher.publishAll(
      batch.map((m) => ({ subject: m.subject, data: m.payload, msgId: m.id })),
      10_000,
    );
    for (const m of batch) if (m.seq !== undefined) this.toDelete.push(m.seq);
    this.metrics.eventsPublished.inc(batch.length);
    if (this.toDelete.length >= DELETE_BATCH || this.fresh.length === 0) await this.deletePublished();
  }

  private async deletePublished(): Promise<void> {
    if (this.toDelete.length === 0) return;
    const seqs = this.toDelete;
    this.toDelete = [];
    try {
      await this.dataSource.query("DELETE FROM outbox WHERE seq = ANY(string_to_array($1, ',')::bigint[])", [
        seqs.join(','),
      ]);
    } catch (err) {
      this.toDelete.push(...seqs); // tried again with the next ones; meanwhile they are only republished
      throw err;
    }
  }

  /** The recovery path: rows at least `minAgeMs` old, oldest first; returns how many were published. */
  private async publishStored(minAgeMs: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ seq: string; id: string; subject: string; payload: string }> = await manager.query(
        `SELECT seq, id, subject, payload FROM outbox
         WHERE created_at <= now() - $1 * interval '1 millisecond'
         ORDER BY seq LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [minAgeMs],
      );
      if (rows.length === 0) return 0;
      await this.publisher.publishAll(
        rows.map((row) => ({ subject: row.subject, data: row.payload, msgId: row.id })),
        10_000,
      );
      await manager.query('DELETE FROM outbox WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
      this.metrics.eventsPublished.inc(rows.length);
      return rows.length;
    });
  }
}
