import { isValidDate } from '@billing/recurrence';
import { z } from 'zod';

export const CURRENCIES = ['USD', 'CAD', 'AUD', 'EUR', 'GBP'] as const;
export const CurrencySchema = z.enum(CURRENCIES, { error: `must be one of ${CURRENCIES.join(', ')}` });
export type Currency = z.infer<typeof CurrencySchema>;

/**
 * The stable `code` of a field error that a zod refinement reports: refinements put it in their
 * `params` (`{ params: { code: 'invalid_cursor' } }`) and `zodFieldErrors` reads it from there.
 */
export interface IssueParams {
  code: string;
}
const issue = (error: string, code: string) => ({ error, params: { code } satisfies IssueParams });

// ---- text ----------------------------------------------------------------------------------------------

const NUL = '\u0000';
/** A UTF-16 surrogate without its partner: not a character, and stored as U+FFFD if let through. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The two things no text field may hold, whatever else it allows: NUL (U+0000), which PostgreSQL's
 * text cannot store, and an unpaired surrogate (`"\ud800"` in JSON), which is not a character at all.
 * Every free-text field of every contract is built from `text()` or `requiredText()`, so the rule is
 * the same for JSON bodies, CSV rows and events, and a bad value is a 422 naming the field.
 */
function textRules<S extends z.ZodString>(schema: S): S {
  return schema
    .refine((v) => !v.includes(NUL), issue('must not contain the NUL character (U+0000)', 'nul_character'))
    .refine(
      (v) => !LONE_SURROGATE.test(v),
      issue('must be valid Unicode text (it holds an unpaired surrogate)', 'invalid_unicode'),
    );
}

/** Optional free text (notes, descriptions): at most `max` characters, any character but the two above. */
export function text(max: number): z.ZodString {
  return textRules(
    z.string({ error: 'must be a string' }).max(max, { error: `must be at most ${max} characters` }),
  );
}

/** A name or label that must say something: trimmed, 1 to `max` characters. */
export function requiredText(max: number): z.ZodString {
  return textRules(
    z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, { error: 'is required' })
      .max(max, { error: `must be at most ${max} characters` }),
  );
}

// ---- dates ---------------------------------------------------------------------------------------------

/** A date as the platform writes it, `YYYY-MM-DD` (what views and events carry). */
export const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' });

/** The dates the platform accepts as input: its calendar runs from 1900 to the end of 2999. */
export const FIRST_DATE = '1900-01-01';
export const LAST_DATE = '2999-12-31';

/**
 * A date given as input (start and end dates, `as_of`, a payment's day, the manual clock, an imported
 * transaction's day): a real calendar day, `2027-02-30` and `0000-01-01` are refused, within
 * FIRST_DATE..LAST_DATE so every date derived from it (due dates, the next occurrences) stays writable.
 */
export const CalendarDateSchema = z
  .string({ error: 'must be a date YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD', abort: true })
  .refine(isValidDate, { ...issue('is not a calendar date', 'invalid_date'), abort: true })
  .refine(
    (v) => v >= FIRST_DATE && v <= LAST_DATE,
    issue(`must be between ${FIRST_DATE} and ${LAST_DATE}`, 'date_out_of_range'),
  );

// ---- numbers -------------------------------------------------------------------------------------------

/** Money as a decimal string with at most two decimals, e.g. "1500.00". Never a float. */
export const MoneySchema = z
  .string({ error: 'must be a decimal string such as "1500.00"' })
  .regex(/^-?\d{1,13}(\.\d{1,2})?$/, {
    error: 'must be a decimal string with at most 2 decimals, e.g. "1500.00"',
  });

/** Quantities and rates: decimal strings (numbers are accepted and read as their decimal text). */
export const DecimalSchema = z
  .union([z.string(), z.number()], { error: 'must be a decimal string such as "1.5"' })
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .pipe(
    z
      .string()
      .regex(/^\d{1,9}(\.\d{1,4})?$/, { error: 'must be a non-negative decimal with at most 4 decimals' }),
  );

const DIGITS = /^-?(0|[1-9]\d{0,14})$/;

/**
 * The one integer parser of query strings: decimal digits with an optional minus sign and nothing
 * else, so `1e2`, ` 5`, `0x10`, `5.0` and `limit=1&limit=2` are refused rather than read as numbers.
 * A number (the same query forwarded over the bus, already parsed) passes as it is.
 */
export function queryInt(min: number, max: number) {
  const range = `must be an integer from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && DIGITS.test(v) ? Number(v) : v),
    z.number({ error: range }).int({ error: range }).min(min, { error: range }).max(max, { error: range }),
  );
}

const DECIMAL = /^-?(0|[1-9]\d{0,14})(\.\d{1,15})?$/;

/** The same for a decimal query parameter (`min_confidence=0.8`). */
export function queryDecimal(min: number, max: number) {
  const range = `must be a number from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v),
    z.number({ error: range }).min(min, { error: range }).max(max, { error: range }),
  );
}

/** `true` or `false` in a query string (or a boolean, forwarded over the bus). */
export const QueryBooleanSchema = z.union(
  [z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')],
  {
    error: 'must be true or false',
  },
);

// ---- ids and pages -------------------------------------------------------------------------------------

export const IdSchema = z.uuid({ error: 'must be a UUID' });

export const TimestampSchema = z.iso.datetime({ offset: true });

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A page cursor: opaque to clients (hand back `next_cursor` as it came). Each list states which shape
 * its cursors have through `read`; anything else is a 422 `invalid_cursor` before a query runs.
 */
export function cursorSchema(read: (cursor: string) => unknown) {
  return z
    .string({ error: 'is not a valid cursor' })
    .refine((v) => v.length <= 200 && read(v) !== null, issue('is not a valid cursor', 'invalid_cursor'));
}

/** Most lists page by id (keyset): the cursor is the last id shown. */
export const readIdCursor = (cursor: string): string | null =>
  UUID_TEXT.test(cursor) ? cursor.toLowerCase() : null;

export const PageQuerySchema = z.object({
  limit: queryInt(1, 200).default(50),
  cursor: cursorSchema(readIdCursor).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
