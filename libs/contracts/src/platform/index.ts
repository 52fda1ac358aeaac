import { z } from 'zod';
import { defineRpc, type ServiceName } from '../define';
import { IdSchema, PageQuerySchema, QueryBooleanSchema, TimestampSchema, pageOf } from '../primitives';

/** A message a consumer gave up on after its maximum number of deliveries (or could not decode). */
export const ParkedMessageSchema = z.object({
  id: IdSchema,
  consumer: z.string(),
  subject: z.string(),
  event_id: z.string().nullable(),
  payload: z.string(),
  error: z.string(),
  deliveries: z.number().int(),
  parked_at: TimestampSchema,
  replayed_at: TimestampSchema.nullable(),
});
export type ParkedMessage = z.infer<typeof ParkedMessageSchema>;

export const ParkedListQuerySchema = PageQuerySchema.extend({
  include_replayed: QueryBooleanSchema.optional(),
}).strict();

export const ReplayResultSchema = z.object({
  id: IdSchema,
  outcome: z.enum(['processed', 'already_processed', 'failed']),
  error: z.string().nullable(),
});

/** Operator calls every service answers for its own parked messages. */
export function parkedRpc(service: ServiceName) {
  return {
    list: defineRpc(service, 'admin.parked.list', 1, ParkedListQuerySchema, pageOf(ParkedMessageSchema)),
    replay: defineRpc(
      service,
      'admin.parked.replay',
      1,
      z.object({ id: IdSchema }).strict(),
      ReplayResultSchema,
    ),
  } as const;
}

export const SERVICES_WITH_CONSUMERS: ServiceName[] = [
  'templates',
  'invoicing',
  'scheduler',
  'notifier',
  'suggestions',
];
