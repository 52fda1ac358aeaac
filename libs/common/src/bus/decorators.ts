import { SetMetadata } from '@nestjs/common';
import type { EventContract, RpcContract } from '@billing/contracts';
import type { z } from 'zod';

export const RPC_HANDLER = Symbol('RPC_HANDLER');
export const EVENT_HANDLER = Symbol('EVENT_HANDLER');
export const EVENT_BATCH_HANDLER = Symbol('EVENT_BATCH_HANDLER');

export interface EventHandlerOptions {
  /** Durable consumer name suffix when one service needs two subscriptions to the same event. */
  name?: string;
  /**
   * The part of the event's data this consumer reads, when it reads little of a large event: validated
   * on receipt instead of the whole contract, and all the handler gets (unknown keys are stripped).
   */
  data?: z.ZodType;
  /**
   * Record each event id in the inbox so a redelivered event is skipped (default). `false` only for a
   * handler that is idempotent by its own keys — handling the same event twice changes nothing (e.g.
   * generation: one document per occurrence, a unique key) — which saves a write per event.
   */
  inbox?: boolean;
}

export interface BatchHandlerOptions extends EventHandlerOptions {
  /** Most events handed to one call (one transaction). */
  max: number;
  /** Batches in flight at once in one process (default 1: strictly one after the other). */
  concurrency?: number;
  /**
   * Milliseconds a batch may wait for more events before it starts, when fewer than `max` are there
   * (default 0: it starts with what arrived). For a consumer off the hot path, fuller batches mean
   * fewer transactions and statements for the same events, at the cost of that much latency.
   */
  linger?: number;
}

/** Marks a method as the answer to a request/reply contract: `(data, ctx) => Promise<response>`. */
export const OnRpc = (contract: RpcContract) => SetMetadata(RPC_HANDLER, contract);

/**
 * Marks a method as a durable JetStream consumer of an event: `(event, tx) => Promise<void>`. It runs in
 * the consumer's transaction; the message is acked after that commit.
 */
export const OnEvent = (contract: EventContract, options: EventHandlerOptions = {}) =>
  SetMetadata(EVENT_HANDLER, { contract, options });

/**
 * Like @OnEvent, for throughput: `(events, tx, turn) => Promise<void>` gets every event that arrived
 * while the previous batch was committing (at most `max`), deduplicated by event id, in one transaction.
 * With `concurrency` > 1, `turn` (a DispatchTurn) lets the part of the handler that must follow the
 * stream's order wait for the batches taken before it.
 */
export const OnEventBatch = (contract: EventContract, options: BatchHandlerOptions) =>
  SetMetadata(EVENT_BATCH_HANDLER, { contract, options });
