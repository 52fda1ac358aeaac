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
  envelope: EventEnvelope;
}

/** Builds the envelope of an event and checks its data against the contract before it is stored. */
export function buildEvent<C extends EventContract>(
  root: string,
  contract: C,
  tenantId: string,
  data: EventData<C>,
  eventId?: string,
): OutboxMessage {
  const id = eventId ?? uuidv7();
  const envelope: EventEnvelope = {
    event_id: id,
    event_type: `${contract.name}.v${contract.version}`,
    schema_version: contract.version,
    tenant_id: tenantId,
    occurred_at: new Date().toISOString(),
    data: contract.data.parse(data),
  };
  return { id, subject: eventSubject(root, contract), envelope };
}

/** Stores events in the caller's transaction; they are published only if it commits. */
export async function insertOutbox(manager: EntityManager, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  // One jsonb parameter for the whole batch: PostgreSQL parses one document instead of one per row.
  await manager.query(
    `INSERT INTO outbox (id, subject, payload)
     SELECT (m->>'id')::uuid, m->>'subject', m->'envelope' FROM jsonb_array_elements($1::jsonb) AS m`,
    [JSON.stringify(messages)],
  );
}

const BATCH = 1000;

/**
 * Publishes committed outbox rows to JetStream with `Nats-Msg-Id` = event id, then deletes them.
 * A crash after publishing and before deleting republishes the same ids, which JetStream drops as
 * duplicates within its window (and consumers drop by event id after that). Several replicas share the
 * work through `FOR UPDATE SKIP LOCKED`.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly publisher: JetStreamPublisher;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private kicked = false;

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
  }

  /** Asks for a drain now (called after a commit that stored events). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Publishes everything pending; returns how many rows were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n < BATCH) return total;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.kicked = false;
      try {
        await this.drain();
        failures = 0;
      } catch (err) {
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          this.logger.warn(`outbox relay failed (${failures}x), will retry: ${(err as Error).message}`);
        }
      }
      if (!this.running) break;
      if (this.kicked) continue;
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

  private async publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // payload::text: the stored JSON goes out as PostgreSQL prints it, never parsed here.
      const rows: Array<{ id: string; subject: string; payload: string }> = await manager.query(
        `SELECT id, subject, payload::text AS payload FROM outbox ORDER BY seq LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      await this.publisher.publishAll(
        rows.map((row) => ({ subject: row.subject, data: row.payload, msgId: row.id })),
        10_000,
      );
      await manager.query('DELETE FROM outbox WHERE id = ANY($1::uuid[])', [rows.map((r) => r.id)]);
      this.metrics.eventsPublished.inc(rows.length);
      return rows.length;
    });
  }
}
