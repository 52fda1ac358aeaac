import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerConfig,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import {
  type EventContract,
  type EventEnvelope,
  EventEnvelopeSchema,
  type ServiceName,
  durableName,
  eventStreamName,
  eventSubject,
} from '@billing/contracts';
import type { DataSource } from 'typeorm';
import type { BaseConfig } from '../config/config';
import { uuidv7 } from '../ids';
import { Metrics } from '../metrics/metrics';
import { CONFIG, DATA_SOURCE, NATS, SERVICE_NAME } from '../tokens';
import { EVENT_HANDLER, type EventHandlerOptions } from './decorators';
import { HandlerDiscovery } from './discovery';
import type { BusConnection } from './nats';
import { type Tx, UnitOfWork } from './unit-of-work';

export type EventHandler = (event: EventEnvelope, tx: Tx) => Promise<void>;

interface Subscription {
  consumer: string;
  contract: EventContract;
  handle: EventHandler;
  messages?: ConsumerMessages;
  loop?: Promise<void>;
}

/** Raised when a message does not match its contract: retrying cannot help, it is parked at once. */
class ContractViolation extends Error {}

const decoder = new TextDecoder();
const NANOS = 1_000_000;

/**
 * Durable JetStream consumers. Per message: decode and validate the envelope and data against the
 * contract; in one transaction record the event id in the inbox (a redelivered id is skipped) and run the
 * handler; commit; then ack. A failure is nak'ed with backoff; at the maximum number of deliveries the
 * message is parked in the app's database (an operator lists and replays it) and terminated.
 */
@Injectable()
export class EventConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventConsumers');
  private readonly subscriptions = new Map<string, Subscription>();
  private running = false;

  constructor(
    @Inject(NATS) private readonly bus: BusConnection,
    @Inject(SERVICE_NAME) private readonly service: ServiceName,
    @Inject(CONFIG) private readonly config: BaseConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly discovery: HandlerDiscovery,
    private readonly metrics: Metrics,
  ) {}

  /** Registers a handler; used by the @OnEvent discovery and by tests. */
  register(contract: EventContract, handle: EventHandler, options: EventHandlerOptions = {}): string {
    const base = durableName(this.service, contract);
    const consumer = options.name ? `${base}_${options.name}` : base;
    this.subscriptions.set(consumer, { consumer, contract, handle });
    if (this.running) void this.startOne(this.subscriptions.get(consumer)!);
    return consumer;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const m of this.discovery.methodsWith<{ contract: EventContract; options: EventHandlerOptions }>(
      EVENT_HANDLER,
    )) {
      this.register(m.meta.contract, (event, tx) => m.call(event, tx) as Promise<void>, m.meta.options);
    }
    this.running = true;
    await Promise.all([...this.subscriptions.values()].map((s) => this.startOne(s)));
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    for (const s of this.subscriptions.values()) await s.messages?.close();
    await Promise.all([...this.subscriptions.values()].map((s) => s.loop ?? Promise.resolve()));
  }

  handlerFor(consumer: string): Subscription | undefined {
    return this.subscriptions.get(consumer);
  }

  private async startOne(s: Subscription): Promise<void> {
    const stream = eventStreamName(this.bus.root);
    const jsm = await jetstreamManager(this.bus.nc);
    const config: Partial<ConsumerConfig> = {
      durable_name: s.consumer,
      filter_subject: eventSubject(this.bus.root, s.contract),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: this.config.BUS_ACK_WAIT_MS * NANOS,
      // Deliveries are counted by us (parking at BUS_MAX_DELIVER); the server never drops a message.
      max_deliver: -1,
      max_ack_pending: 1000,
    };
    try {
      await jsm.consumers.info(stream, s.consumer);
      await jsm.consumers.update(stream, s.consumer, {
        ack_wait: config.ack_wait,
        max_ack_pending: config.max_ack_pending,
      });
    } catch {
      await jsm.consumers.add(stream, config);
    }
    const consumer = await jetstream(this.bus.nc).consumers.get(stream, s.consumer);
    s.messages = await consumer.consume({ max_messages: 64 });
    s.loop = (async () => {
      for await (const msg of s.messages!) {
        await this.process(s, msg);
      }
    })().catch((err: Error) => this.logger.error(`consumer ${s.consumer} stopped: ${err.message}`));
  }

  /** Handles one delivery; exported for the parked-message replay through `runHandler`. */
  private async process(s: Subscription, msg: JsMsg): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    const raw = decoder.decode(msg.data);
    let event: EventEnvelope | undefined;
    try {
      event = this.decode(s.contract, raw);
      const outcome = await this.runHandler(s, event);
      await msg.ackAck().catch(() => msg.ack());
      this.metrics.eventsConsumed.inc({ consumer: s.consumer, outcome });
    } catch (err) {
      const error = err as Error;
      const poison = err instanceof ContractViolation;
      if (poison || deliveries >= this.config.BUS_MAX_DELIVER) {
        try {
          await this.park(s, msg.subject, event?.event_id ?? null, raw, error, deliveries);
          msg.term(poison ? 'contract violation' : 'max deliveries');
          this.metrics.eventsConsumed.inc({ consumer: s.consumer, outcome: 'parked' });
          this.logger.warn(
            `parked ${msg.subject} for ${s.consumer} after ${deliveries} deliveries: ${error.message}`,
          );
          return;
        } catch (parkErr) {
          this.logger.error(`could not park message: ${(parkErr as Error).message}`);
        }
      }
      const backoff = this.config.BUS_BACKOFF_MS;
      msg.nak(backoff[Math.min(deliveries - 1, backoff.length - 1)]);
      this.metrics.eventsConsumed.inc({ consumer: s.consumer, outcome: 'retry' });
      this.logger.warn(`${s.consumer} failed delivery ${deliveries} of ${msg.subject}: ${error.message}`);
    }
  }

  decode(contract: EventContract, raw: string): EventEnvelope {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new ContractViolation('payload is not JSON');
    }
    const envelope = EventEnvelopeSchema.safeParse(json);
    if (!envelope.success) throw new ContractViolation(`bad envelope: ${envelope.error.message}`);
    const data = contract.data.safeParse(envelope.data.data);
    if (!data.success) throw new ContractViolation(`bad ${contract.name} data: ${data.error.message}`);
    return { ...envelope.data, data: data.data };
  }

  /** Runs the handler once per event id per consumer, in one transaction with the inbox record. */
  async runHandler(s: Subscription, event: EventEnvelope): Promise<'processed' | 'duplicate'> {
    return this.uow.run(async (tx) => {
      const claimed: unknown[] = await tx.manager.query(
        `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [s.consumer, event.event_id],
      );
      if (claimed.length === 0) return 'duplicate';
      await s.handle(event, tx);
      return 'processed';
    });
  }

  private async park(
    s: Subscription,
    subject: string,
    eventId: string | null,
    payload: string,
    error: Error,
    deliveries: number,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO parked_messages (id, consumer, subject, event_id, payload, error, deliveries)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [uuidv7(), s.consumer, subject, eventId, payload, error.message.slice(0, 4000), deliveries],
    );
  }
}
