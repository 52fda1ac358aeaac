import { z } from 'zod';

export const CURRENCIES = ['USD', 'CAD', 'AUD', 'EUR', 'GBP'] as const;
export const CurrencySchema = z.enum(CURRENCIES, { error: `must be one of ${CURRENCIES.join(', ')}` });
export type Currency = z.infer<typeof CurrencySchema>;

/** A calendar date `YYYY-MM-DD` (validity of the day itself is checked by the services). */
export const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' });

/** Money as a decimal string with at most two decimals, e.g. "1500.00". Never a float. */
export const MoneySchema = z
  .string({ error: 'must be a decimal string such as "1500.00"' })
  .regex(/^-?\d{1,13}(\.\d{1,2})?$/, {
    error: 'must be a decimal string with at most 2 decimals, e.g. "1500.00"',
  });

/** Quantities and rates: decimal strings (numbers are accepted and read as their decimal text). */
export const DecimalSchema = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .pipe(
    z
      .string()
      .regex(/^\d{1,9}(\.\d{1,4})?$/, { error: 'must be a non-negative decimal with at most 4 decimals' }),
  );

export const IdSchema = z.uuid({ error: 'must be a UUID' });

export const TimestampSchema = z.iso.datetime({ offset: true });

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
