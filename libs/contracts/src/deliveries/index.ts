import { z } from 'zod';
import { defineEvent, defineRpc } from '../define';
import { DateSchema, IdSchema, TimestampSchema } from '../primitives';

/** What the notifier emails about an invoice: the invoice itself, or a payment reminder. */
export const DELIVERY_KINDS = ['invoice', 'reminder'] as const;
export const DeliveryKindSchema = z.enum(DELIVERY_KINDS);
export type DeliveryKind = z.infer<typeof DeliveryKindSchema>;

/**
 * `pending` (waiting for its first or next attempt), `sending` (an attempt in flight), `sent`, `failed`
 * (attempts exhausted or refused for good; `delivery.failed` was published) and `cancelled` (nothing to
 * send any more: the invoice was paid or voided, or its reminders were paused, before the attempt).
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
export const DeliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

/** One email about one invoice: at most one per invoice and kind (and reminder offset). */
export const DeliveryViewSchema = z.object({
  id: IdSchema,
  invoice_id: IdSchema,
  kind: DeliveryKindSchema,
  /** Reminders: the policy's day offset from the due date it was sent for (-3 = three days before). */
  reminder_offset: z.number().int().nullable(),
  status: DeliveryStatusSchema,
  /** The address it went (or was to go) to; null when the customer has none. */
  recipient: z.string().nullable(),
  /** The stable Message-ID every attempt carries, derived from the delivery. */
  message_id: z.string(),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  next_attempt_at: TimestampSchema.nullable(),
  sent_at: TimestampSchema.nullable(),
  failed_at: TimestampSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type DeliveryView = z.infer<typeof DeliveryViewSchema>;

export const REMINDER_OFFSET_LIMIT = 365;
export const REMINDER_OFFSETS_MAX = 20;

/** A tenant's reminder policy: day offsets from the due date, each an integer in ±365, no repeats. */
export const ReminderPolicySetSchema = z
  .object({
    offsets: z
      .array(
        z
          .number({ error: 'must be a whole number of days' })
          .int({ error: 'must be a whole number of days' })
          .min(-REMINDER_OFFSET_LIMIT, { error: `must be at least -${REMINDER_OFFSET_LIMIT}` })
          .max(REMINDER_OFFSET_LIMIT, { error: `must be at most ${REMINDER_OFFSET_LIMIT}` }),
      )
      .max(REMINDER_OFFSETS_MAX, { error: `must have at most ${REMINDER_OFFSETS_MAX} offsets` })
      .refine((offsets) => new Set(offsets).size === offsets.length, { error: 'must not repeat an offset' }),
  })
  .strict();
export type ReminderPolicySet = z.infer<typeof ReminderPolicySetSchema>;

export const ReminderPolicyViewSchema = z.object({
  /** Sorted ascending; empty = no reminders (the default). */
  offsets: z.array(z.number().int()),
  updated_at: TimestampSchema.nullable(),
});
export type ReminderPolicyView = z.infer<typeof ReminderPolicyViewSchema>;

export const InvoiceRemindersViewSchema = z.object({
  invoice_id: IdSchema,
  paused: z.boolean(),
});
export type InvoiceRemindersView = z.infer<typeof InvoiceRemindersViewSchema>;

export const InvoicePdfSchema = z.object({
  filename: z.string(),
  /** The PDF, base64 (it travels in a JSON reply over NATS). */
  content_base64: z.string(),
});
export type InvoicePdf = z.infer<typeof InvoicePdfSchema>;

export const ReminderRunSchema = z.object({
  /** The tenant's today the pass ran for. */
  as_of: DateSchema,
  /** Reminders queued for sending by this pass. */
  queued: z.number().int(),
});
export type ReminderRun = z.infer<typeof ReminderRunSchema>;

const ById = z.object({ id: IdSchema }).strict();

/** Answered by the notifier, for the calling tenant. */
export const NotifierRpc = {
  invoicePdf: defineRpc('notifier', 'invoices.pdf', 1, ById, InvoicePdfSchema),
  deliveries: defineRpc(
    'notifier',
    'invoices.deliveries',
    1,
    ById,
    z.object({ data: z.array(DeliveryViewSchema) }),
  ),
  getReminderPolicy: defineRpc(
    'notifier',
    'reminders.policy.get',
    1,
    z.object({}).strict(),
    ReminderPolicyViewSchema,
  ),
  setReminderPolicy: defineRpc(
    'notifier',
    'reminders.policy.set',
    1,
    ReminderPolicySetSchema,
    ReminderPolicyViewSchema,
  ),
  pauseReminders: defineRpc('notifier', 'reminders.pause', 1, ById, InvoiceRemindersViewSchema),
  resumeReminders: defineRpc('notifier', 'reminders.resume', 1, ById, InvoiceRemindersViewSchema),
  /** Runs today's reminder pass for the tenant now (the daily pass does it by itself). */
  runReminders: defineRpc('notifier', 'reminders.run', 1, z.object({}).strict(), ReminderRunSchema),
} as const;

const DeliveryEventSchema = z.object({ delivery: DeliveryViewSchema });

export const DeliveryEvents = {
  /** An email could not be delivered: attempts exhausted, or refused for good (no address, 5xx). */
  failed: defineEvent('delivery.failed', 1, DeliveryEventSchema),
  /** A payment reminder went out (the invoice email itself is `invoice.sent`). */
  reminderSent: defineEvent('delivery.reminder_sent', 1, DeliveryEventSchema),
} as const;
