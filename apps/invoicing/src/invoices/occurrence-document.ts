import type { OccurrenceDue } from '@billing/contracts';
import { parseAmount, priceLines } from '@billing/common';
import { addDays, isValidDate } from '@billing/recurrence';
import type { Invoice, InvoiceLine } from './invoice.model';

/** The largest amount a money field carries (13 digits and 2 decimals), in minor units. */
export const MAX_AMOUNT_MINOR = 999_999_999_999_999n;

/** What one due occurrence generates, before it is stored (no id, number or timestamps yet). */
export type OccurrenceDocument = Pick<
  Invoice,
  | 'tenantId'
  | 'type'
  | 'customerId'
  | 'vendorId'
  | 'templateId'
  | 'occurrenceDate'
  | 'occurrenceIndex'
  | 'runId'
  | 'issueDate'
  | 'dueDate'
  | 'currency'
  | 'subtotalMinor'
  | 'taxMinor'
  | 'totalMinor'
  | 'description'
  | 'notes'
  | 'autoSend'
  | 'lines'
> & { templateId: string; occurrenceDate: string };

export type OccurrenceOutcome = { ok: true; document: OccurrenceDocument } | { ok: false; reason: string };

/**
 * Prices a due occurrence into its document: lines priced half-up one by one (`priceLines`), issue
 * date = occurrence date, due date = issue + days_until_due. A rule that retrying cannot fix gives a
 * reason instead (reported as `occurrence.failed`); whether the customer or vendor exists is asked of
 * the database by the caller.
 */
export function documentFromOccurrence(tenantId: string, due: OccurrenceDue): OccurrenceOutcome {
  const doc = due.document;
  if (!isValidDate(due.occurrence_date)) {
    return { ok: false, reason: `occurrence_date ${due.occurrence_date} is not a calendar date` };
  }
  const partyId = doc.type === 'invoice' ? doc.customer_id : doc.vendor_id;
  if (!partyId) {
    return {
      ok: false,
      reason: doc.type === 'invoice' ? 'an invoice needs a customer_id' : 'a bill needs a vendor_id',
    };
  }
  let priced: ReturnType<typeof priceLines>;
  try {
    priced = priceLines(doc.lines);
  } catch (err) {
    return { ok: false, reason: `the lines cannot be priced: ${(err as Error).message}` };
  }
  const negative = priced.lines.findIndex((l) => l.amount.startsWith('-'));
  if (negative >= 0) return { ok: false, reason: `line ${negative + 1} has a negative amount` };
  const { subtotalMinor, taxMinor, totalMinor } = priced.totals;
  if (totalMinor <= 0n) return { ok: false, reason: 'the total must be positive' };
  if (totalMinor > MAX_AMOUNT_MINOR) {
    return { ok: false, reason: 'the total exceeds 9999999999999.99, the largest amount billed' };
  }
  // Every line is now between zero and the total, so each amount is a valid money field.
  const lines: InvoiceLine[] = priced.lines.map((l) => ({
    description: l.description,
    quantity: l.quantity,
    unitPriceMinor: parseAmount(l.unit_price),
    taxRate: l.tax_rate,
    amountMinor: parseAmount(l.amount),
    taxMinor: parseAmount(l.tax),
  }));
  return {
    ok: true,
    document: {
      tenantId,
      type: doc.type,
      customerId: doc.type === 'invoice' ? partyId : null,
      vendorId: doc.type === 'bill' ? partyId : null,
      templateId: due.template_id,
      occurrenceDate: due.occurrence_date,
      occurrenceIndex: due.occurrence_index,
      runId: due.run_id,
      issueDate: due.occurrence_date,
      dueDate: addDays(due.occurrence_date, doc.days_until_due),
      currency: doc.currency,
      subtotalMinor,
      taxMinor,
      totalMinor,
      description: doc.description,
      notes: doc.notes,
      // Bills are never emailed, whatever the template said.
      autoSend: doc.type === 'invoice' && doc.auto_send,
      lines,
    },
  };
}

/** The key of an occurrence inside one tenant: one document per key, ever. */
export function occurrenceKeyOf(d: { tenantId: string; templateId: string; occurrenceDate: string }): string {
  return `${d.tenantId}:${d.templateId}:${d.occurrenceDate}`;
}
