import { AGING_BUCKETS, type AgingReportSchema, type Currency } from '@billing/contracts';
import { formatAmount } from '@billing/common';
import { parseDate } from '@billing/recurrence';
import type { z } from 'zod';

export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type AgingReport = z.infer<typeof AgingReportSchema>;

/** An invoice with money still owed on `as_of` (its receivable balance in the journal). */
export interface Receivable {
  invoiceId: string;
  number: string | null;
  customerId: string | null;
  dueDate: string;
  currency: Currency;
  amountDueMinor: bigint;
}

/** Whole days from the due date to `asOf`: 0 on the due date, negative before it. */
export function daysPastDue(dueDate: string, asOf: string): number {
  return parseDate(asOf) - parseDate(dueDate);
}

/** Not yet past due is current; then 1–30, 31–60, 61–90 and more than 90 days past due. */
export function agingBucket(days: number): AgingBucket {
  if (days <= 0) return 'current';
  if (days <= 30) return '1_30';
  if (days <= 60) return '31_60';
  if (days <= 90) return '61_90';
  return '90_plus';
}

/** Receivables by currency (never summed across currencies) and bucket, oldest due date first. */
export function agingReport(asOf: string, receivables: readonly Receivable[]): AgingReport {
  const byCurrency = new Map<Currency, Receivable[]>();
  for (const r of receivables) {
    if (r.amountDueMinor <= 0n) continue;
    const list = byCurrency.get(r.currency) ?? [];
    list.push(r);
    byCurrency.set(r.currency, list);
  }
  const currencies = [...byCurrency.keys()].sort();
  return {
    as_of: asOf,
    currencies: currencies.map((currency) => {
      const sums = new Map<AgingBucket, bigint>(AGING_BUCKETS.map((b) => [b, 0n]));
      let total = 0n;
      const invoices = [...byCurrency.get(currency)!]
        .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoiceId.localeCompare(b.invoiceId))
        .map((r) => {
          const days = daysPastDue(r.dueDate, asOf);
          const bucket = agingBucket(days);
          sums.set(bucket, sums.get(bucket)! + r.amountDueMinor);
          total += r.amountDueMinor;
          return {
            invoice_id: r.invoiceId,
            number: r.number,
            customer_id: r.customerId,
            due_date: r.dueDate,
            days_past_due: days,
            bucket,
            amount_due: formatAmount(r.amountDueMinor),
          };
        });
      const buckets = Object.fromEntries(AGING_BUCKETS.map((b) => [b, formatAmount(sums.get(b)!)])) as Record<
        AgingBucket,
        string
      >;
      return { currency, buckets, total: formatAmount(total), invoices };
    }),
  };
}
