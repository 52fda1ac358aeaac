import { z } from 'zod';
import {
  CalendarDateSchema,
  CurrencySchema,
  DateSchema,
  DecimalSchema,
  IdSchema,
  MoneySchema,
  PageQuerySchema,
  TimestampSchema,
  pageOf,
  queryInt,
  requiredText,
  text,
} from '../primitives';

export const TEMPLATE_TYPES = ['invoice', 'bill'] as const;
export const FREQUENCIES = ['daily', 'weekly', 'biweekly', 'monthly', 'quarterly', 'annually'] as const;
export const TEMPLATE_STATUSES = ['active', 'paused', 'completed', 'cancelled'] as const;

export const TemplateTypeSchema = z.enum(TEMPLATE_TYPES, { error: 'must be "invoice" or "bill"' });
export const FrequencySchema = z.enum(FREQUENCIES, { error: `must be one of ${FREQUENCIES.join(', ')}` });
export const TemplateStatusSchema = z.enum(TEMPLATE_STATUSES);

export const LineItemInputSchema = z
  .object({
    description: requiredText(500),
    quantity: DecimalSchema,
    unit_price: MoneySchema,
    /** Percent, e.g. "8.25" for 8.25 %. */
    tax_rate: DecimalSchema.optional(),
  })
  .strict();
export type LineItemInput = z.infer<typeof LineItemInputSchema>;

const templateFields = {
  customer_id: IdSchema.nullable().optional(),
  vendor_id: IdSchema.nullable().optional(),
  frequency: FrequencySchema,
  day_of_month: z.number().int({ error: 'must be an integer' }).min(1).max(31).nullable().optional(),
  day_of_week: z.number().int({ error: 'must be an integer' }).min(0).max(6).nullable().optional(),
  start_date: CalendarDateSchema,
  end_date: CalendarDateSchema.nullable().optional(),
  max_occurrences: z.number().int({ error: 'must be an integer' }).min(1).max(100000).nullable().optional(),
  days_until_due: z.number().int({ error: 'must be an integer' }).min(0).max(365),
  auto_send: z.boolean(),
  currency: CurrencySchema,
  total: MoneySchema.nullable(),
  line_items: z.array(LineItemInputSchema).min(1, { error: 'needs at least one line' }).max(200).nullable(),
  description: text(1000).nullable(),
  notes: text(5000).nullable(),
};

/** POST /v1/templates. Cross-field rules (SPEC section 2) are checked by the templates service. */
export const TemplateCreateSchema = z
  .object({
    type: TemplateTypeSchema,
    ...templateFields,
    start_date: templateFields.start_date.optional(),
    days_until_due: templateFields.days_until_due.optional(),
    auto_send: templateFields.auto_send.optional(),
    currency: templateFields.currency.optional(),
    total: templateFields.total.optional(),
    line_items: templateFields.line_items.optional(),
    description: templateFields.description.optional(),
    notes: templateFields.notes.optional(),
  })
  .strict();
export type TemplateCreate = z.infer<typeof TemplateCreateSchema>;

/** PATCH /v1/templates/{id}: any subset; `type` cannot change. */
export const TemplatePatchSchema = z.object(templateFields).partial().strict();
export type TemplatePatch = z.infer<typeof TemplatePatchSchema>;

export const LineItemViewSchema = z.object({
  description: z.string(),
  quantity: z.string(),
  unit_price: z.string(),
  tax_rate: z.string(),
  amount: z.string(),
  tax: z.string(),
});

export const TemplateViewSchema = z.object({
  id: IdSchema,
  type: TemplateTypeSchema,
  customer_id: IdSchema.nullable(),
  vendor_id: IdSchema.nullable(),
  frequency: FrequencySchema,
  day_of_month: z.number().int().nullable(),
  day_of_week: z.number().int().nullable(),
  start_date: DateSchema,
  end_date: DateSchema.nullable(),
  max_occurrences: z.number().int().nullable(),
  days_until_due: z.number().int(),
  auto_send: z.boolean(),
  currency: CurrencySchema,
  line_items: z.array(LineItemViewSchema).nullable(),
  subtotal: z.string(),
  tax: z.string(),
  total: z.string(),
  description: z.string().nullable(),
  notes: z.string().nullable(),
  status: TemplateStatusSchema,
  next_occurrence_date: DateSchema.nullable(),
  generated_count: z.number().int(),
  skipped_count: z.number().int(),
  last_generated_date: DateSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type TemplateView = z.infer<typeof TemplateViewSchema>;

export const TemplateListQuerySchema = PageQuerySchema.extend({
  type: TemplateTypeSchema.optional(),
  status: TemplateStatusSchema.optional(),
  customer_id: IdSchema.optional(),
  vendor_id: IdSchema.optional(),
}).strict();
export type TemplateListQuery = z.infer<typeof TemplateListQuerySchema>;
export const TemplatePageSchema = pageOf(TemplateViewSchema);

/** Clone overrides. `end_date` is needed to renew a template whose end date has passed. */
export const TemplateCloneSchema = z
  .object({
    start_date: CalendarDateSchema.optional(),
    end_date: CalendarDateSchema.nullable().optional(),
    customer_id: IdSchema.optional(),
    vendor_id: IdSchema.optional(),
  })
  .strict();
export type TemplateClone = z.infer<typeof TemplateCloneSchema>;

export const PreviewQuerySchema = z.object({ count: queryInt(1, 120).default(12) }).strict();

export const OccurrencePreviewSchema = z.object({
  sequence: z.number().int(),
  issue_date: DateSchema,
  due_date: DateSchema,
  currency: CurrencySchema,
  subtotal: z.string(),
  tax: z.string(),
  total: z.string(),
});
export const TemplatePreviewSchema = z.object({
  template_id: IdSchema,
  status: TemplateStatusSchema,
  occurrences: z.array(OccurrencePreviewSchema),
});
export type TemplatePreview = z.infer<typeof TemplatePreviewSchema>;
