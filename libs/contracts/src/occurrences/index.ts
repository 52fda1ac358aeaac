import { z } from 'zod';
import { defineEvent } from '../define';
import { CurrencySchema, DateSchema, DecimalSchema, IdSchema, MoneySchema } from '../primitives';
import { TemplateTypeSchema } from '../templates/template.schemas';

/** What one occurrence generates: the template's document as it stood when the occurrence fell due. */
export const OccurrenceDocumentSchema = z.object({
  type: TemplateTypeSchema,
  customer_id: IdSchema.nullable(),
  vendor_id: IdSchema.nullable(),
  currency: CurrencySchema,
  days_until_due: z.number().int().min(0).max(365),
  auto_send: z.boolean(),
  description: z.string().nullable(),
  notes: z.string().nullable(),
  /** Always lines: a template with a bare total gives one untaxed line of that amount. */
  lines: z
    .array(
      z.object({
        description: z.string(),
        quantity: DecimalSchema,
        unit_price: MoneySchema,
        tax_rate: DecimalSchema,
      }),
    )
    .min(1),
});
export type OccurrenceDocument = z.infer<typeof OccurrenceDocumentSchema>;

/**
 * One due occurrence of a template. Its event id is `uuidFromName("<template_id>:<occurrence_date>")`,
 * so the same occurrence is the same message whoever publishes it; invoicing keeps one document per
 * (template_id, occurrence_date) whatever is redelivered.
 */
export const OccurrenceDueSchema = z.object({
  run_id: IdSchema,
  template_id: IdSchema,
  occurrence_date: DateSchema,
  /** Index of the occurrence in the template's schedule (skipped ones included). */
  occurrence_index: z.number().int().min(0),
  document: OccurrenceDocumentSchema,
});
export type OccurrenceDue = z.infer<typeof OccurrenceDueSchema>;

export const OccurrenceFailedSchema = z.object({
  run_id: IdSchema,
  template_id: IdSchema,
  occurrence_date: DateSchema,
  reason: z.string(),
});
export type OccurrenceFailed = z.infer<typeof OccurrenceFailedSchema>;

export const OccurrenceEvents = {
  due: defineEvent('occurrence.due', 1, OccurrenceDueSchema),
  /** Invoicing could not generate the document (a rule, not a transient error): visible in the run. */
  failed: defineEvent('occurrence.failed', 1, OccurrenceFailedSchema),
} as const;

/** The key of an occurrence: one document per key, ever. */
export function occurrenceKey(templateId: string, occurrenceDate: string): string {
  return `${templateId}:${occurrenceDate}`;
}
