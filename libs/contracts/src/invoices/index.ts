import { z } from 'zod';
import { defineEvent, defineRpc } from '../define';
import {
  CalendarDateSchema,
  CurrencySchema,
  DateSchema,
  IdSchema,
  MoneySchema,
  PageQuerySchema,
  TimestampSchema,
  pageOf,
  text,
} from '../primitives';
import { DeliveryViewSchema } from '../deliveries';
import { LineItemViewSchema, TemplateTypeSchema } from '../templates/template.schemas';

export const INVOICE_STATUSES = ['draft', 'open', 'partially_paid', 'paid', 'void'] as const;
export const InvoiceStatusSchema = z.enum(INVOICE_STATUSES);
export type InvoiceStatus = z.infer<typeof InvoiceStatusSchema>;

/**
 * Where the invoice email stands: `not_requested` (a draft, a bill, or never sent), `pending` (asked for,
 * on its way), `sent` (`sent_at`), `failed` (the notifier gave up; `delivery_error` says why).
 */
export const INVOICE_DELIVERY_STATUSES = ['not_requested', 'pending', 'sent', 'failed'] as const;
export const InvoiceDeliveryStatusSchema = z.enum(INVOICE_DELIVERY_STATUSES);
export type InvoiceDeliveryStatus = z.infer<typeof InvoiceDeliveryStatusSchema>;

/** A priced line: the same shape as a template's (quantity × price and tax, each rounded half-up). */
export const InvoiceLineViewSchema = LineItemViewSchema;

/** An invoice (to a customer) or a bill (from a vendor): one table, one lifecycle. */
export const InvoiceViewSchema = z.object({
  id: IdSchema,
  type: TemplateTypeSchema,
  /** `INV-000042` / `BILL-000042`, gapless per tenant, given at finalization. */
  number: z.string().nullable(),
  status: InvoiceStatusSchema,
  customer_id: IdSchema.nullable(),
  vendor_id: IdSchema.nullable(),
  template_id: IdSchema.nullable(),
  occurrence_date: DateSchema.nullable(),
  issue_date: DateSchema,
  due_date: DateSchema,
  currency: CurrencySchema,
  lines: z.array(InvoiceLineViewSchema),
  subtotal: z.string(),
  tax: z.string(),
  total: z.string(),
  amount_paid: z.string(),
  amount_due: z.string(),
  description: z.string().nullable(),
  notes: z.string().nullable(),
  auto_send: z.boolean(),
  finalized_at: TimestampSchema.nullable(),
  sent_at: TimestampSchema.nullable(),
  send_requested_at: TimestampSchema.nullable(),
  delivery_status: InvoiceDeliveryStatusSchema,
  delivery_error: z.string().nullable(),
  paid_at: TimestampSchema.nullable(),
  voided_at: TimestampSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type InvoiceView = z.infer<typeof InvoiceViewSchema>;

export const InvoiceListQuerySchema = PageQuerySchema.extend({
  type: TemplateTypeSchema.optional(),
  status: InvoiceStatusSchema.optional(),
  customer_id: IdSchema.optional(),
  vendor_id: IdSchema.optional(),
  template_id: IdSchema.optional(),
}).strict();
export type InvoiceListQuery = z.infer<typeof InvoiceListQuerySchema>;
export const InvoicePageSchema = pageOf(InvoiceViewSchema);

export const PaymentCreateSchema = z
  .object({
    amount: MoneySchema,
    currency: CurrencySchema,
    /** The day the money moved; defaults to today in the tenant's time zone. */
    paid_on: CalendarDateSchema.optional(),
    reference: text(200).optional(),
  })
  .strict();
export type PaymentCreate = z.infer<typeof PaymentCreateSchema>;

export const PaymentViewSchema = z.object({
  id: IdSchema,
  invoice_id: IdSchema,
  amount: z.string(),
  currency: CurrencySchema,
  paid_on: DateSchema,
  reference: z.string().nullable(),
  created_at: TimestampSchema,
});
export type PaymentView = z.infer<typeof PaymentViewSchema>;

/** What a template generated (GET /v1/templates/{id}/history). */
export const TemplateHistoryItemSchema = z.object({
  invoice_id: IdSchema,
  number: z.string().nullable(),
  occurrence_date: DateSchema,
  status: InvoiceStatusSchema,
  total: z.string(),
  amount_due: z.string(),
  currency: CurrencySchema,
  due_date: DateSchema,
  sent_at: TimestampSchema.nullable(),
  created_at: TimestampSchema,
});

const ById = z.object({ id: IdSchema }).strict();

export const InvoicesRpc = {
  get: defineRpc('invoicing', 'invoices.get', 1, ById, InvoiceViewSchema),
  list: defineRpc('invoicing', 'invoices.list', 1, InvoiceListQuerySchema, InvoicePageSchema),
  finalize: defineRpc('invoicing', 'invoices.finalize', 1, ById, InvoiceViewSchema),
  /** Asks the notifier to deliver it (invoices only; finalizes a draft first). */
  send: defineRpc('invoicing', 'invoices.send', 1, ById, InvoiceViewSchema),
  void: defineRpc('invoicing', 'invoices.void', 1, ById, InvoiceViewSchema),
  recordPayment: defineRpc(
    'invoicing',
    'invoices.record_payment',
    1,
    z.object({ id: IdSchema, payment: PaymentCreateSchema }).strict(),
    z.object({ invoice: InvoiceViewSchema, payment: PaymentViewSchema }),
  ),
  listPayments: defineRpc(
    'invoicing',
    'invoices.list_payments',
    1,
    ById,
    z.object({ data: z.array(PaymentViewSchema) }),
  ),
  templateHistory: defineRpc(
    'invoicing',
    'invoices.template_history',
    1,
    PageQuerySchema.extend({ template_id: IdSchema }).strict(),
    pageOf(TemplateHistoryItemSchema),
  ),
  /** The documents of these occurrences, where they exist (what the scheduler's run results show). */
  ofOccurrences: defineRpc(
    'invoicing',
    'invoices.of_occurrences',
    1,
    z
      .object({
        occurrences: z
          .array(z.object({ template_id: IdSchema, occurrence_date: DateSchema }).strict())
          .max(1000),
      })
      .strict(),
    z.object({
      data: z.array(z.object({ template_id: IdSchema, occurrence_date: DateSchema, invoice_id: IdSchema })),
    }),
  ),
  /** How many documents the due occurrences of each run became (the scheduler's run counts). */
  countByRun: defineRpc(
    'invoicing',
    'invoices.count_by_run',
    1,
    z.object({ run_ids: z.array(IdSchema).max(200) }).strict(),
    z.object({ data: z.array(z.object({ run_id: IdSchema, documents: z.number().int() })) }),
  ),
  /** Marks open invoices past due as of a date (the scheduler's daily pass); each once. */
  markOverdue: defineRpc(
    'invoicing',
    'invoices.mark_overdue',
    1,
    z.object({ as_of: CalendarDateSchema }).strict(),
    z.object({ marked: z.number().int() }),
  ),
} as const;

const InvoiceEventSchema = z.object({ invoice: InvoiceViewSchema });

export const InvoiceEvents = {
  /** A document was created from a due occurrence (draft, or already finalized when auto-send). */
  generated: defineEvent(
    'invoice.generated',
    1,
    InvoiceEventSchema.extend({ run_id: IdSchema.nullable(), occurrence_index: z.number().int().nullable() }),
  ),
  finalized: defineEvent('invoice.finalized', 1, InvoiceEventSchema),
  /** Someone pressed send (or auto-send): the notifier delivers it. */
  sendRequested: defineEvent('invoice.send_requested', 1, InvoiceEventSchema),
  /** Published by the notifier once the invoice email was accepted (the invoice as it was rendered). */
  sent: defineEvent('invoice.sent', 1, InvoiceEventSchema.extend({ delivery: DeliveryViewSchema })),
  paymentRecorded: defineEvent(
    'invoice.payment_recorded',
    1,
    InvoiceEventSchema.extend({ payment: PaymentViewSchema }),
  ),
  paid: defineEvent('invoice.paid', 1, InvoiceEventSchema),
  voided: defineEvent('invoice.voided', 1, InvoiceEventSchema),
  overdue: defineEvent('invoice.overdue', 1, InvoiceEventSchema.extend({ as_of: DateSchema })),
} as const;
