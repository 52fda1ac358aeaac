import { z } from 'zod';
import { defineEvent, defineRpc } from '../define';
import {
  CalendarDateSchema,
  CurrencySchema,
  DateSchema,
  IdSchema,
  PageQuerySchema,
  TimestampSchema,
  cursorSchema,
  pageOf,
  queryDecimal,
  readIdCursor,
  requiredText,
  text,
} from '../primitives';
import { FrequencySchema, TemplateCreateSchema, TemplateTypeSchema, TemplateViewSchema } from '../templates';
import { PartyViewSchema } from '../parties';

/** Most rows one import may hold (a file, JSON or CSV). */
export const MAX_IMPORT_ROWS = 100_000;
/** Most rows in one `imports.append` call: stays well under NATS's 1 MiB max payload. */
export const MAX_IMPORT_CHUNK_ROWS = 2_000;

export const DIRECTIONS = ['incoming', 'outgoing'] as const;
export const DirectionSchema = z.enum(DIRECTIONS, { error: 'must be "incoming" or "outgoing"' });
export type Direction = z.infer<typeof DirectionSchema>;

/**
 * A positive amount as a decimal string. Every platform currency has two decimals, so a third decimal
 * is refused rather than rounded.
 */
export const PositiveAmountSchema = z
  .string({ error: 'must be a decimal string such as "49.00"' })
  .regex(/^\d{1,13}(\.\d{1,2})?$/, {
    error: 'must be a positive decimal with at most 2 decimals (the currency has 2), e.g. "49.00"',
  })
  .refine((v) => /[1-9]/.test(v), { error: 'must be greater than zero' });

/**
 * One past transaction as imported (a JSON item or a CSV row). `direction` says whose money moved:
 * `incoming` (a customer paid us) or `outgoing` (we paid a vendor); `amount` is always positive.
 */
export const TransactionInputSchema = z
  .object({
    date: CalendarDateSchema,
    amount: PositiveAmountSchema,
    direction: DirectionSchema,
    currency: CurrencySchema,
    counterparty: requiredText(200),
    description: text(500).trim().nullable().optional(),
    /** The bank's or ledger's id: re-importing it adds nothing. Without it a row is keyed by its content. */
    external_id: requiredText(128).nullable().optional(),
  })
  .strict();
export type TransactionInput = z.infer<typeof TransactionInputSchema>;

/** `POST /v1/transactions` with `application/json`. */
export const TransactionImportJsonSchema = z
  .object({
    transactions: z
      .array(z.unknown())
      .min(1, { error: 'needs at least one transaction' })
      .max(MAX_IMPORT_ROWS, { error: `holds at most ${MAX_IMPORT_ROWS} transactions per import` }),
  })
  .strict();

/** The CSV columns (header row required; any order; names case-insensitive). */
export const TRANSACTION_CSV_COLUMNS = [
  'date',
  'amount',
  'direction',
  'currency',
  'counterparty',
  'description',
  'external_id',
] as const;
export const REQUIRED_CSV_COLUMNS = ['date', 'amount', 'direction', 'currency', 'counterparty'] as const;

export const IMPORT_STATUSES = ['receiving', 'queued', 'importing', 'mining', 'completed', 'failed'] as const;
export const ImportStatusSchema = z.enum(IMPORT_STATUSES);

export const ImportViewSchema = z.object({
  id: IdSchema,
  format: z.enum(['json', 'csv']),
  /** receiving (upload in progress) → queued → importing → mining → completed, or failed. */
  status: ImportStatusSchema,
  rows_total: z.number().int(),
  /** Rows stored so far (new or already known). */
  rows_processed: z.number().int(),
  /** New transactions. */
  rows_added: z.number().int(),
  /** Rows already imported before (same external id, or same content and position among equals). */
  rows_duplicate: z.number().int(),
  /** Counterparty streams (name, direction, currency) this import touched, and how many are re-mined. */
  groups_total: z.number().int(),
  groups_mined: z.number().int(),
  /** 0..1 over both phases (rows stored, then groups mined). */
  progress: z.number().min(0).max(1),
  error: z.string().nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  finished_at: TimestampSchema.nullable(),
});
export type ImportView = z.infer<typeof ImportViewSchema>;

export const SUGGESTION_STATUSES = ['open', 'accepted', 'dismissed', 'expired'] as const;
export const SuggestionStatusSchema = z.enum(SUGGESTION_STATUSES);

/** A recurring pattern found in the transactions and the template it proposes. */
export const SuggestionViewSchema = z.object({
  id: IdSchema,
  /** open; accepted (a template was made); dismissed; expired (re-mining no longer finds it). */
  status: SuggestionStatusSchema,
  /** invoice for incoming money (from a customer), bill for outgoing (to a vendor). */
  type: TemplateTypeSchema,
  direction: DirectionSchema,
  counterparty: z.string(),
  /** The normalised name transactions were grouped by (`NETFLIX.COM*4821` and `Netflix Inc`: `netflix`). */
  counterparty_key: z.string(),
  description: z.string(),
  frequency: FrequencySchema,
  /** Typical day: of the month for monthly / quarterly / annually, of the week (0 = Monday) otherwise. */
  day_of_month: z.number().int().nullable(),
  day_of_week: z.number().int().nullable(),
  currency: CurrencySchema,
  average_amount: z.string(),
  last_amount: z.string(),
  first_date: DateSchema,
  last_date: DateSchema,
  next_date: DateSchema,
  occurrences: z.number().int(),
  confidence: z.number().min(0).max(1),
  template_id: IdSchema.nullable(),
  customer_id: IdSchema.nullable(),
  vendor_id: IdSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  accepted_at: TimestampSchema.nullable(),
  dismissed_at: TimestampSchema.nullable(),
});
export type SuggestionView = z.infer<typeof SuggestionViewSchema>;

/** Where a page of suggestions ends: they are listed by confidence (highest first), then id. */
export interface SuggestionPosition {
  confidence: string;
  id: string;
}

/** The cursor of the suggestion list: `<confidence with 3 decimals>_<id>`. */
export function suggestionCursor(row: { confidence: string | number; id: string }): string {
  return `${Number(row.confidence).toFixed(3)}_${row.id}`;
}

export function readSuggestionCursor(cursor: string): SuggestionPosition | null {
  const m = /^(0(?:\.\d{3})?|1(?:\.0{3})?)_(.{36})$/.exec(cursor);
  const id = m ? readIdCursor(m[2]) : null;
  return m && id ? { confidence: m[1], id } : null;
}

export const SuggestionListQuerySchema = PageQuerySchema.extend({
  cursor: cursorSchema(readSuggestionCursor).optional(),
  direction: DirectionSchema.optional(),
  min_confidence: queryDecimal(0, 1).optional(),
  /** Default `open`: accepted and dismissed suggestions do not come back unless asked for. */
  status: SuggestionStatusSchema.default('open'),
}).strict();
export type SuggestionListQuery = z.infer<typeof SuggestionListQuerySchema>;
export const SuggestionPageSchema = pageOf(SuggestionViewSchema);

const t = TemplateCreateSchema.shape;
/**
 * `POST /v1/suggestions/{id}/accept`: everything optional; validated like a template (the templates app
 * has the last word). The counterparty fields choose or create the customer / vendor.
 */
export const SuggestionAcceptSchema = z
  .object({
    /** Use this existing customer (invoice suggestions) or vendor (bill suggestions). */
    customer_id: t.customer_id,
    vendor_id: t.vendor_id,
    /** Name to find (by normalised name) or create the customer / vendor under. */
    counterparty_name: requiredText(200).optional(),
    /** Needed only when a customer must be created: invoices are emailed to it. */
    customer_email: z.email({ error: 'must be an email address' }).max(254).optional(),
    frequency: t.frequency.optional(),
    day_of_month: t.day_of_month,
    day_of_week: t.day_of_week,
    start_date: t.start_date,
    end_date: t.end_date,
    max_occurrences: t.max_occurrences,
    days_until_due: t.days_until_due,
    auto_send: t.auto_send,
    total: t.total.unwrap().unwrap().optional(),
    description: t.description,
    notes: t.notes,
  })
  .strict();
export type SuggestionAccept = z.infer<typeof SuggestionAcceptSchema>;

export const SuggestionAcceptedSchema = z.object({
  suggestion: SuggestionViewSchema,
  template: TemplateViewSchema,
  /** The customer (invoice) or vendor (bill) the template bills; `created` when accept made it. */
  counterparty: PartyViewSchema.extend({ created: z.boolean() }),
});
export type SuggestionAccepted = z.infer<typeof SuggestionAcceptedSchema>;

const ById = z.object({ id: IdSchema }).strict();

export const SuggestionsRpc = {
  /** Opens an import of `rows_total` rows (already validated by the caller). */
  beginImport: defineRpc(
    'suggestions',
    'imports.begin',
    1,
    z
      .object({
        format: z.enum(['json', 'csv']),
        rows_total: z.number().int().min(1).max(MAX_IMPORT_ROWS),
      })
      .strict(),
    ImportViewSchema,
  ),
  /** Stages rows `first_row ..` of an import (1-based row numbers of the file); repeatable. */
  appendImport: defineRpc(
    'suggestions',
    'imports.append',
    1,
    z
      .object({
        import_id: IdSchema,
        first_row: z.number().int().min(1).max(MAX_IMPORT_ROWS),
        rows: z.array(TransactionInputSchema).min(1).max(MAX_IMPORT_CHUNK_ROWS),
      })
      .strict(),
    z.object({ import_id: IdSchema, rows_received: z.number().int() }),
  ),
  /** Every row is staged: the import runs as a job. Answers when done or after half the RPC timeout. */
  commitImport: defineRpc('suggestions', 'imports.commit', 1, ById, ImportViewSchema),
  getImport: defineRpc('suggestions', 'imports.get', 1, ById, ImportViewSchema),
  list: defineRpc('suggestions', 'suggestions.list', 1, SuggestionListQuerySchema, SuggestionPageSchema),
  get: defineRpc('suggestions', 'suggestions.get', 1, ById, SuggestionViewSchema),
  accept: defineRpc(
    'suggestions',
    'suggestions.accept',
    1,
    z.object({ id: IdSchema, overrides: SuggestionAcceptSchema }).strict(),
    SuggestionAcceptedSchema,
  ),
  dismiss: defineRpc('suggestions', 'suggestions.dismiss', 1, ById, SuggestionViewSchema),
} as const;

export const SuggestionEventSchema = z.object({ suggestion: SuggestionViewSchema });

export const SuggestionEvents = {
  created: defineEvent('suggestion.created', 1, SuggestionEventSchema),
  /** Re-mining changed what the suggestion proposes (amounts, dates, confidence …) or expired it. */
  updated: defineEvent('suggestion.updated', 1, SuggestionEventSchema),
  accepted: defineEvent(
    'suggestion.accepted',
    1,
    SuggestionEventSchema.extend({ template_id: IdSchema, counterparty_id: IdSchema }),
  ),
  dismissed: defineEvent('suggestion.dismissed', 1, SuggestionEventSchema),
} as const;

/**
 * A transaction another platform (a bank feed, a ledger) publishes on the bus for the suggestions
 * app: `<root>.transaction.recorded.v1`, with the usual envelope (event id = Nats-Msg-Id, tenant id).
 * `source` names the publishing platform; `external_id` is required, so a republished transaction
 * is recognised (`source` + `external_id` is its key).
 */
export const TransactionRecordedSchema = TransactionInputSchema.extend({
  source: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, { error: 'must be a lower-case platform name' }),
  external_id: requiredText(128),
});
export type TransactionRecorded = z.infer<typeof TransactionRecordedSchema>;

export const TransactionEvents = {
  recorded: defineEvent('transaction.recorded', 1, TransactionRecordedSchema),
} as const;
