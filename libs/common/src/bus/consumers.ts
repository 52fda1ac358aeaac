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
import type { z } from 'zod';
import type { BaseConfig } from '../config/config';
import { uuidv7 } from '../ids';
import { Metrics } from '../metrics/metrics';
import { CONFIG, DATA_SOURCE, NATS, SERVICE_NAME } from '../tokens';
import {
  EVENT_BATCH_HANDLER,
  EVENT_HANDLER,
  type BatchHandlerOptions,
  type EventHandlerOptions,
} from './decorators';
import { HandlerDiscovery } from './discovery';
import { DispatchOrder, DispatchTurn } from './dispatch-order';
import type { BusConnection } from './nats';
import { type Tx, UnitOfWork } from './unit-of-work';

/** `turn`: see DispatchOrder; a handler that needs no order among concurrent batches ignores it. */
export type EventHandler = (event: EventEnvelope, tx: Tx, turn: DispatchTurn) => Promise<void>;
export type BatchEventHandler = (events: EventEnvelope[], tx: Tx, turn: DispatchTurn) => Promise<void>;

interface Subscription {
  consumer: string;
  contract: EventContract;
  /** What is validated on receipt: the contract's data, or the part of it the consumer reads. */
  data: z.ZodType;
  handle: EventHandler;
  /** Event ids go through the inbox (false: the handler is idempotent by its own keys). */
  inbox: boolean;
  /** Batch consumers get up to `max` events in one transaction. */
  batch?: { handle: BatchEventHandler; max: number; concurrency?: number; linger?: number };
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
    return this.add({
      consumer: this.consumerName(contract, options),
      contract,
      data: options.data ?? contract.data,
      inbox: options.inbox ?? true,
      handle,
    });
  }

  /** Registers a batch handler (`@OnEventBatch`): many events, one transaction, one inbox insert. */
  registerBatch(contract: EventContract, handle: BatchEventHandler, options: BatchHandlerOptions): string {
    return this.add({
      consumer: this.consumerName(contract, options),
      contract,
      data: options.data ?? contract.data,
      inbox: options.inbox ?? true,
      handle: (event, tx, turn) => handle([event], tx, turn),
      batch: { handle, max: options.max, concurrency: options.concurrency, linger: options.linger },
    });
  }

  private consumerName(contract: EventContract, options: EventHandlerOptions): string {
    const base = durableName(this.service, contract);
    return options.name ? `${base}_${options.name}` : base;
  }

  private add(s: Subscription): string {
    this.subscriptions.set(s.consumer, s);
    if (this.running) void this.startOne(s);
    return s.consumer;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const m of this.discovery.methodsWith<{ contract: EventContract; options: EventHandlerOptions }>(
      EVENT_HANDLER,
    )) {
      this.register(m.meta.contract, (event, tx) => m.call(event, tx) as Promise<void>, m.meta.options);
    }
    for (const m of this.discovery.methodsWith<{ contract: EventContract; options: BatchHandlerOptions }>(
      EVENT_BATCH_HANDLER,
    )) {
      this.registerBatch(
        m.meta.contract,
        (events, tx, turn) => m.call(events, tx, turn) as Promise<void>,
        m.meta.options,
      );
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
      max_ack_pending: Math.max(1000, (s.batch?.max ?? 0) * 4),
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
    const messages = await consumer.consume({ max_messages: Math.max(64, s.batch?.max ?? 0) });
    s.messages = messages;
    s.loop = this.drain(s, messages).catch((err: Error) =>
      this.logger.error(`consumer ${s.consumer} stopped: ${err.message}`),
    );
  }

  /**
   * Messages are queued as they arrive and handled in order: one at a time, or for a batch consumer as
   * many as have arrived (up to its maximum) while the previous batch was being committed — with
   * `concurrency` > 1, that many batches in flight at once (each its own transaction; the handler must
   * be safe against itself, as the inbox and unique keys make generation).
   */
  private async drain(s: Subscription, messages: ConsumerMessages): Promise<void> {
    const queue: JsMsg[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    /** When the oldest message waiting arrived (for `linger`). */
    let waitingSince = 0;
    const pump = (async () => {
      for await (const msg of messages) {
        if (queue.length === 0) waitingSince = Date.now();
        queue.push(msg);
        wake?.();
      }
    })().finally(() => {
      closed = true;
      wake?.();
    });
    const limit = s.batch?.concurrency ?? 1;
    const linger = s.batch?.linger ?? 0;
    const max = s.batch?.max ?? 1;
    const inflight = new Set<Promise<void>>();
    const order = new DispatchOrder();
    for (;;) {
      if (queue.length === 0 || inflight.size >= limit) {
        if (queue.length === 0 && closed && inflight.size === 0) break;
        // Wait for a message to arrive or a batch in flight to finish.
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), ...inflight]);
        wake = undefined;
        continue;
      }
      const lingerLeft = waitingSince + linger - Date.now();
      if (queue.length < max && lingerLeft > 0 && !closed) {
        // A fuller batch is worth the wait: more events, or the linger is over.
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          wake = () => {
            if (queue.length >= max || closed) resolve();
          };
          timer = setTimeout(resolve, lingerLeft);
        });
        clearTimeout(timer);
        wake = undefined;
        continue;
      }
      const taken = queue.splice(0, max);
      if (queue.length > 0) waitingSince = Date.now();
      const turn = order.next();
      const work: Promise<void> = (
        s.batch && taken.length > 1 ? this.processBatch(s, taken, turn) : this.processEach(s, taken, turn)
      ).finally(() => {
        turn.pass();
        inflight.delete(work);
      });
      inflight.add(work);
    }
    await pump;
  }

  private async processEach(s: Subscription, msgs: JsMsg[], turn: DispatchTurn): Promise<void> {
    for (const msg of msgs) await this.process(s, msg, turn);
  }

  /**
   * A batch in one transaction: one inbox insert for every event id, the handler with the fresh events,
   * one commit, then every message acked. If the batch fails, each message is handled on its own with
   * the usual retry and parking, so one bad event never holds the others back.
   */
  private async processBatch(s: Subscription, msgs: JsMsg[], turn: DispatchTurn): Promise<void> {
    const decoded: Array<{ msg: JsMsg; event: EventEnvelope }> = [];
    for (const msg of msgs) {
      try {
        decoded.push({ msg, event: this.decode(s, decoder.decode(msg.data)) });
      } catch {
        await this.process(s, msg); // parks it as a contract violation
      }
    }
    if (decoded.length === 0) return;
    try {
      const fresh = await this.uow.run(async (tx) => {
        // Sorted: two batches of one consumer in flight lock their inbox keys in the same order.
        const ids = [...new Set(decoded.map((d) => d.event.event_id))].sort();
        const claimed: Array<{ event_id: string }> = s.inbox
          ? await tx.manager.query(
              `INSERT INTO inbox (consumer, event_id) SELECT $1, unnest($2::uuid[])
               ON CONFLICT DO NOTHING RETURNING event_id`,
              [s.consumer, ids],
            )
          : ids.map((event_id) => ({ event_id }));
        const open = new Set(claimed.map((c) => c.event_id));
        const events = decoded.map((d) => d.event).filter((e) => open.delete(e.event_id));
        if (events.length) await s.batch!.handle(events, tx, turn);
        return events.length;
      });
      for (const d of decoded) d.msg.ack();
      this.metrics.eventsConsumed.inc({ consumer: s.consumer, outcome: 'processed' }, fresh);
      if (decoded.length > fresh) {
        this.metrics.eventsConsumed.inc(
          { consumer: s.consumer, outcome: 'duplicate' },
          decoded.length - fresh,
        );
      }
    } catch (err) {
      this.logger.warn(
        `${s.consumer}: batch of ${decoded.length} failed (${(err as Error).message}); handling one by one`,
      );
      turn.pass(); // one by one, the batch's order is no longer kept
      for (const d of decoded) await this.process(s, d.msg);
    }
  }

  /** Handles one delivery; exported for the parked-message replay through `runHandler`. */
  private async process(s: Subscription, msg: JsMsg, turn = DispatchTurn.free): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    const raw = decoder.decode(msg.data);
    let event: EventEnvelope | undefined;
    try {
      event = this.decode(s, raw);
      const outcome = await this.runHandler(s, event, turn);
      msg.ack();
      this.metrics.eventsConsumed.inc({ consumer: s.consumer, outcome });
    } catch (err) {
      const error = err as Error;
      const poison = err instanceof ContractViolation;
      if (poison || deliveries >= this.config.BUS_MAX_DELIVER) {
        try {
          await this.park(s, msg.subject, event?.event_id ?? null, raw, error, deliveries);
          // No reason: nats-server before 2.10 ignores a termination that carries one, and the message
          // would come back after the ack wait to be parked again (the reason is in the parked row).
          msg.term();
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

  decode(s: Pick<Subscription, 'contract' | 'data'>, raw: string): EventEnvelope {
    const contract = s.contract;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new ContractViolation('payload is not JSON');
    }
    const envelope = EventEnvelopeSchema.safeParse(json);
    if (!envelope.success) throw new ContractViolation(`bad envelope: ${envelope.error.message}`);
    const data = s.data.safeParse(envelope.data.data);
    if (!data.success) throw new ContractViolation(`bad ${contract.name} data: ${data.error.message}`);
    return { ...envelope.data, data: data.data };
  }

  /** Runs the handler once per event id per consumer, in one transaction with the inbox record. */
  async runHandler(
    s: Subscription,
    event: EventEnvelope,
    turn = DispatchTurn.free,
  ): Promise<'processed' | 'duplicate'> {
    return this.uow.run(async (tx) => {
      if (s.inbox) {
        const claimed: unknown[] = await tx.manager.query(
          `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
          [s.consumer, event.event_id],
        );
        if (claimed.length === 0) return 'duplicate';
      }
      await s.handle(event, tx, turn);
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
