import { z } from 'zod';
import { defineRpc } from '../define';
import { DateSchema, IdSchema, PageQuerySchema, TimestampSchema, pageOf } from '../primitives';

export const RUN_TRIGGERS = ['scheduled', 'manual'] as const;
export const OCCURRENCE_OUTCOMES = ['pending', 'generated', 'skipped', 'failed'] as const;

export const RunSummarySchema = z.object({
  id: IdSchema,
  run_date: DateSchema,
  trigger: z.enum(RUN_TRIGGERS),
  status: z.enum(['running', 'published', 'failed']),
  started_at: TimestampSchema,
  finished_at: TimestampSchema.nullable(),
  error: z.string().nullable(),
  counts: z.object({
    templates: z.number().int(),
    occurrences: z.number().int(),
    pending: z.number().int(),
    generated: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
  }),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** Per template and occurrence: what the run did and what came of it. */
export const RunResultSchema = z.object({
  template_id: IdSchema,
  occurrence_date: DateSchema,
  outcome: z.enum(OCCURRENCE_OUTCOMES),
  /** skipped: why (already scheduled by an earlier run); failed: the reason invoicing gave. */
  reason: z.string().nullable(),
  invoice_id: IdSchema.nullable(),
  next_occurrence_date: DateSchema.nullable(),
});

export const RunDetailSchema = z.object({ run: RunSummarySchema, results: pageOf(RunResultSchema) });

export const SchedulerRpc = {
  /** Runs now for the calling tenant (today in its time zone unless `as_of` is given). */
  run: defineRpc(
    'scheduler',
    'runs.create',
    1,
    z.object({ as_of: DateSchema.optional() }).strict(),
    RunSummarySchema,
  ),
  list: defineRpc('scheduler', 'runs.list', 1, PageQuerySchema.strict(), pageOf(RunSummarySchema)),
  get: defineRpc(
    'scheduler',
    'runs.get',
    1,
    PageQuerySchema.extend({ id: IdSchema }).strict(),
    RunDetailSchema,
  ),
} as const;
