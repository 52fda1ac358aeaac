import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Page, type ParkedMessage, type ServiceName, parkedRpc } from '@billing/contracts';
import type { DataSource } from 'typeorm';
import { ProblemError } from '../errors/problem.error';
import { keysetPage, toIso } from '../db/sql';
import { DATA_SOURCE, SERVICE_NAME } from '../tokens';
import { EventConsumers } from './consumers';
import { RpcServer } from './rpc';

interface ParkedRow {
  id: string;
  consumer: string;
  subject: string;
  event_id: string | null;
  payload: string;
  error: string;
  deliveries: number;
  parked_at: Date;
  replayed_at: Date | null;
}

/** Operator view of parked messages: list them, replay one through its consumer's handler. */
@Injectable()
export class ParkedMessages implements OnApplicationBootstrap {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SERVICE_NAME) private readonly service: ServiceName,
    private readonly consumers: EventConsumers,
    private readonly rpc: RpcServer,
  ) {}

  onApplicationBootstrap(): void {
    const contracts = parkedRpc(this.service);
    this.rpc.register(contracts.list, (q) =>
      this.list(q as { limit: number; cursor?: string; include_replayed?: boolean }),
    );
    this.rpc.register(contracts.replay, (q) => this.replay((q as { id: string }).id));
  }

  async list(q: {
    limit: number;
    cursor?: string;
    include_replayed?: boolean;
  }): Promise<Page<ParkedMessage>> {
    const rows: ParkedRow[] = await this.dataSource.query(
      `SELECT * FROM parked_messages
       WHERE ($1::uuid IS NULL OR id > $1::uuid) AND ($2 OR replayed_at IS NULL)
       ORDER BY id LIMIT $3`,
      [q.cursor ?? null, q.include_replayed ?? false, q.limit + 1],
    );
    return keysetPage(rows, q.limit, mapParked);
  }

  async replay(
    id: string,
  ): Promise<{ id: string; outcome: 'processed' | 'already_processed' | 'failed'; error: string | null }> {
    const [row]: ParkedRow[] = await this.dataSource.query('SELECT * FROM parked_messages WHERE id = $1', [
      id,
    ]);
    if (!row) throw ProblemError.notFound('Parked message', id);
    if (row.replayed_at) return { id, outcome: 'already_processed', error: null };
    const subscription = this.consumers.handlerFor(row.consumer);
    if (!subscription)
      throw ProblemError.invalidState(`No consumer ${row.consumer} runs in ${this.service}.`);
    try {
      const event = this.consumers.decode(subscription, row.payload);
      const outcome = await this.consumers.runHandler(subscription, event);
      await this.dataSource.query('UPDATE parked_messages SET replayed_at = now() WHERE id = $1', [id]);
      return { id, outcome: outcome === 'duplicate' ? 'already_processed' : 'processed', error: null };
    } catch (err) {
      const message = (err as Error).message;
      await this.dataSource.query('UPDATE parked_messages SET error = $2 WHERE id = $1', [
        id,
        message.slice(0, 4000),
      ]);
      return { id, outcome: 'failed', error: message };
    }
  }
}

function mapParked(row: ParkedRow): ParkedMessage {
  return {
    id: row.id,
    consumer: row.consumer,
    subject: row.subject,
    event_id: row.event_id,
    payload: row.payload,
    error: row.error,
    deliveries: row.deliveries,
    parked_at: toIso(row.parked_at),
    replayed_at: row.replayed_at ? toIso(row.replayed_at) : null,
  };
}
