import { Inject, Injectable } from '@nestjs/common';
import type { EventContract, EventData } from '@billing/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { BaseConfig } from '../config/config';
import { CONFIG, DATA_SOURCE, NATS } from '../tokens';
import type { BusConnection } from './nats';
import { buildEvent, insertOutbox, OutboxRelay, type OutboxMessage } from './outbox';
import { AlreadyApplied, currentRequestScope } from './request-scope';

/** One database transaction plus the events it will publish when (and only if) it commits. */
export interface Tx {
  readonly manager: EntityManager;
  /** `eventId` for events whose id is a key (see `uuidFromName`); otherwise a fresh UUIDv7. */
  publish<C extends EventContract>(contract: C, tenantId: string, data: EventData<C>, eventId?: string): void;
}

@Injectable()
export class UnitOfWork {
  /** Outgoing events are checked against their contracts (BUS_VALIDATE_OUTGOING; off in production). */
  private readonly validate: boolean;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(NATS) private readonly bus: BusConnection,
    private readonly relay: OutboxRelay,
    @Inject(CONFIG) config: BaseConfig,
  ) {
    this.validate = config.BUS_VALIDATE_OUTGOING ?? config.NODE_ENV !== 'production';
  }

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const pending: OutboxMessage[] = [];
    const scope = currentRequestScope();
    const claim = scope?.recordsResult && !scope.claimed ? scope : undefined;
    const result = await this.dataSource.transaction(async (manager) => {
      if (claim) {
        // Concurrent copies of one request queue on this row; the later ones find the result.
        const claimed: unknown[] = await manager.query(
          'INSERT INTO request_log (request_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING request_id',
          [claim.requestId],
        );
        if (claimed.length === 0) {
          const [row]: Array<{ result: unknown }> = await manager.query(
            'SELECT result FROM request_log WHERE request_id = $1',
            [claim.requestId],
          );
          throw new AlreadyApplied(row?.result ?? null);
        }
      }
      const out = await work(this.tx(manager, pending));
      await insertOutbox(manager, pending);
      if (claim) {
        await manager.query('UPDATE request_log SET result = $2 WHERE request_id = $1', [
          claim.requestId,
          JSON.stringify(out ?? null),
        ]);
      }
      return out;
    });
    if (claim) claim.claimed = true;
    this.relay.published(pending);
    return result;
  }

  /** For a transaction someone else manages (the event consumer): events go out with its commit. */
  tx(manager: EntityManager, pending: OutboxMessage[]): Tx {
    const root = this.bus.root;
    const validate = this.validate;
    return {
      manager,
      publish: (contract, tenantId, data, eventId) =>
        pending.push(buildEvent(root, contract, tenantId, data, eventId, validate)),
    };
  }
}
