import { Inject, Injectable } from '@nestjs/common';
import type { EventContract, EventData } from '@billing/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, NATS } from '../tokens';
import type { BusConnection } from './nats';
import { buildEvent, insertOutbox, OutboxRelay, type OutboxMessage } from './outbox';

/** One database transaction plus the events it will publish when (and only if) it commits. */
export interface Tx {
  readonly manager: EntityManager;
  publish<C extends EventContract>(contract: C, tenantId: string, data: EventData<C>): void;
}

@Injectable()
export class UnitOfWork {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(NATS) private readonly bus: BusConnection,
    private readonly relay: OutboxRelay,
  ) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const pending: OutboxMessage[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const out = await work(this.tx(manager, pending));
      await insertOutbox(manager, pending);
      return out;
    });
    if (pending.length) this.relay.kick();
    return result;
  }

  /** For a transaction someone else manages (the event consumer): events go out with its commit. */
  tx(manager: EntityManager, pending: OutboxMessage[]): Tx {
    const root = this.bus.root;
    return {
      manager,
      publish: (contract, tenantId, data) => pending.push(buildEvent(root, contract, tenantId, data)),
    };
  }
}
