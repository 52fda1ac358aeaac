import { z } from 'zod';
import { isValidDate } from '@billing/recurrence';
import { defineRpc } from '../define';
import { occurrenceKey } from '../occurrences';
import {
  CalendarDateSchema,
  DateSchema,
  IdSchema,
  PageQuerySchema,
  TimestampSchema,
  cursorSchema,
  pageOf,
} from '../primitives';

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

/** Where a page of a run's results ends: results are ordered by template, then occurrence date. */
export interface RunResultPosition {
  templateId: string;
  occurrenceDate: string;
}

/** The cursor of a run's results: the last one shown, `<template_id>:<occurrence_date>`. */
export function runResultCursor(p: RunResultPosition): string {
  return occurrenceKey(p.templateId, p.occurrenceDate);
}

export function readRunResultCursor(cursor: string): RunResultPosition | null {
  const sep = cursor.lastIndexOf(':');
  const templateId = cursor.slice(0, sep);
  const occurrenceDate = cursor.slice(sep + 1);
  return sep > 0 && IdSchema.safeParse(templateId).success && isValidDate(occurrenceDate)
    ? { templateId: templateId.toLowerCase(), occurrenceDate }
    : null;
}

/** `limit` and `cursor` of a run's results. */
export const RunResultsQuerySchema = PageQuerySchema.extend({
  cursor: cursorSchema(readRunResultCursor).optional(),
}).strict();
export type RunResultsQuery = z.infer<typeof RunResultsQuerySchema>;

export const RunDetailQuerySchema = RunResultsQuerySchema.extend({ id: IdSchema }).strict();

export const SchedulerRpc = {
  /** Runs now for the calling tenant (today in its time zone unless `as_of` is given). */
  run: defineRpc(
    'scheduler',
    'runs.create',
    1,
    z.object({ as_of: CalendarDateSchema.optional() }).strict(),
    RunSummarySchema,
  ),
  list: defineRpc('scheduler', 'runs.list', 1, PageQuerySchema.strict(), pageOf(RunSummarySchema)),
  get: defineRpc('scheduler', 'runs.get', 1, RunDetailQuerySchema, RunDetailSchema),
} as const;
