import { z } from 'zod';
import { ProblemSchema } from './problem';

/** Every event on the bus carries this envelope; `event_id` is also the `Nats-Msg-Id`. */
export const EventEnvelopeSchema = z
  .object({
    event_id: z.uuid(),
    event_type: z.string().min(1),
    schema_version: z.number().int().positive(),
    tenant_id: z.uuid(),
    occurred_at: z.iso.datetime({ offset: true }),
    data: z.unknown(),
  })
  .strict();

export interface EventEnvelope<T = unknown> {
  event_id: string;
  event_type: string;
  schema_version: number;
  tenant_id: string;
  occurred_at: string;
  data: T;
}

/** The tenant a call is made for; the gateway resolves it from the API key. */
export const TenantContextSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    base_currency: z.string(),
    timezone: z.string(),
  })
  .strict();
export type TenantContext = z.infer<typeof TenantContextSchema>;

export const RpcRequestEnvelopeSchema = z
  .object({
    tenant: TenantContextSchema.nullable(),
    data: z.unknown(),
    /** Idempotent request id: a retry with the same id gets the first result, not a second effect. */
    request_id: z.string().min(16).max(128).nullable().optional(),
  })
  .strict();
export interface RpcRequestEnvelope<T = unknown> {
  tenant: TenantContext | null;
  data: T;
  request_id?: string | null;
}

export type RpcReply<T = unknown> =
  { ok: true; data: T } | { ok: false; problem: z.infer<typeof ProblemSchema> };
