import { z } from 'zod';
import { defineRpc } from '../define';
import {
  CalendarDateSchema,
  CurrencySchema,
  DateSchema,
  IdSchema,
  PageQuerySchema,
  TimestampSchema,
  pageOf,
} from '../primitives';

export const ACCOUNTS = [
  'accounts_receivable',
  'revenue',
  'sales_tax_payable',
  'cash',
  'accounts_payable',
  'expenses',
  'tax_receivable',
] as const;
export const AccountSchema = z.enum(ACCOUNTS);
export type Account = z.infer<typeof AccountSchema>;

export const JOURNAL_KINDS = [
  'invoice_finalized',
  'invoice_payment',
  'invoice_voided',
  'bill_finalized',
  'bill_payment',
  'bill_voided',
] as const;

/** A balanced journal entry: the debits equal the credits. Amounts are decimal strings. */
export const JournalEntryViewSchema = z.object({
  id: IdSchema,
  kind: z.enum(JOURNAL_KINDS),
  invoice_id: IdSchema,
  payment_id: IdSchema.nullable(),
  entry_date: DateSchema,
  currency: CurrencySchema,
  /** The entry this one reverses (void). */
  reverses_id: IdSchema.nullable(),
  lines: z.array(z.object({ account: AccountSchema, debit: z.string(), credit: z.string() })),
  created_at: TimestampSchema,
});
export type JournalEntryView = z.infer<typeof JournalEntryViewSchema>;

export const JournalListQuerySchema = PageQuerySchema.extend({ invoice_id: IdSchema.optional() }).strict();

/** Per currency until FX conversion arrives; every currency's debits equal its credits. */
export const TrialBalanceSchema = z.object({
  as_of: DateSchema,
  currencies: z.array(
    z.object({
      currency: CurrencySchema,
      accounts: z.array(
        z.object({ account: AccountSchema, debit: z.string(), credit: z.string(), balance: z.string() }),
      ),
      total_debit: z.string(),
      total_credit: z.string(),
      /** total_debit − total_credit: always "0.00". */
      difference: z.string(),
    }),
  ),
});

export const AGING_BUCKETS = ['current', '1_30', '31_60', '61_90', '90_plus'] as const;
export const AgingReportSchema = z.object({
  as_of: DateSchema,
  currencies: z.array(
    z.object({
      currency: CurrencySchema,
      buckets: z.record(z.enum(AGING_BUCKETS), z.string()),
      total: z.string(),
      invoices: z.array(
        z.object({
          invoice_id: IdSchema,
          number: z.string().nullable(),
          customer_id: IdSchema.nullable(),
          due_date: DateSchema,
          days_past_due: z.number().int(),
          bucket: z.enum(AGING_BUCKETS),
          amount_due: z.string(),
        }),
      ),
    }),
  ),
});

export const ReportQuerySchema = z.object({ as_of: CalendarDateSchema.optional() }).strict();

export const LedgerRpc = {
  journal: defineRpc(
    'invoicing',
    'ledger.journal',
    1,
    JournalListQuerySchema,
    pageOf(JournalEntryViewSchema),
  ),
  trialBalance: defineRpc('invoicing', 'ledger.trial_balance', 1, ReportQuerySchema, TrialBalanceSchema),
  aging: defineRpc('invoicing', 'ledger.aging', 1, ReportQuerySchema, AgingReportSchema),
} as const;
