import { SetMetadata } from '@nestjs/common';
import type { EventContract, RpcContract } from '@billing/contracts';

export const RPC_HANDLER = Symbol('RPC_HANDLER');
export const EVENT_HANDLER = Symbol('EVENT_HANDLER');

export interface EventHandlerOptions {
  /** Durable consumer name suffix when one service needs two subscriptions to the same event. */
  name?: string;
}

/** Marks a method as the answer to a request/reply contract: `(data, ctx) => Promise<response>`. */
export const OnRpc = (contract: RpcContract) => SetMetadata(RPC_HANDLER, contract);

/**
 * Marks a method as a durable JetStream consumer of an event: `(event, tx) => Promise<void>`. It runs in
 * the consumer's transaction; the message is acked after that commit.
 */
export const OnEvent = (contract: EventContract, options: EventHandlerOptions = {}) =>
  SetMetadata(EVENT_HANDLER, { contract, options });
