import type { Account, Currency, InvoiceView, JOURNAL_KINDS, JournalEntryView } from '@billing/contracts';
import { formatAmount } from '@billing/common';

export type JournalKind = (typeof JOURNAL_KINDS)[number];
export type DocumentType = InvoiceView['type'];

/** One side of one account: exactly one of the two amounts is positive, the other zero. */
export interface JournalLine {
  account: Account;
  debitMinor: bigint;
  creditMinor: bigint;
}

export interface NewJournalEntry {
  id: string;
  tenantId: string;
  kind: JournalKind;
  invoiceId: string;
  paymentId: string | null;
  entryDate: string;
  currency: Currency;
  reversesId: string | null;
  lines: JournalLine[];
}

export interface JournalEntry extends NewJournalEntry {
  createdAt: string;
}

/** What a posting needs to know about the document. */
export interface PostedDocument {
  id: string;
  tenantId: string;
  type: DocumentType;
  currency: Currency;
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
}

export class UnbalancedEntryError extends Error {
  constructor(detail: string) {
    super(`journal entry rejected: ${detail}`);
    this.name = 'UnbalancedEntryError';
  }
}

const debit = (account: Account, amount: bigint): JournalLine => ({
  account,
  debitMinor: amount,
  creditMinor: 0n,
});
const credit = (account: Account, amount: bigint): JournalLine => ({
  account,
  debitMinor: 0n,
  creditMinor: amount,
});
/** Zero-amount lines say nothing and are never written. */
const nonZero = (lines: JournalLine[]) => lines.filter((l) => l.debitMinor !== 0n || l.creditMinor !== 0n);

/**
 * Finalizing recognises the document: an invoice is owed to us (Dr receivable, Cr revenue and the tax
 * we collect), a bill is owed by us (Dr expense and the tax we reclaim, Cr payable).
 */
export function finalizationLines(
  doc: Pick<PostedDocument, 'type' | 'subtotalMinor' | 'taxMinor' | 'totalMinor'>,
) {
  const lines =
    doc.type === 'invoice'
      ? [
          debit('accounts_receivable', doc.totalMinor),
          credit('revenue', doc.subtotalMinor),
          credit('sales_tax_payable', doc.taxMinor),
        ]
      : [
          debit('expenses', doc.subtotalMinor),
          debit('tax_receivable', doc.taxMinor),
          credit('accounts_payable', doc.totalMinor),
        ];
  return assertBalanced(nonZero(lines));
}

/** Money in on an invoice (Dr cash, Cr receivable); money out on a bill (Dr payable, Cr cash). */
export function paymentLines(type: DocumentType, amountMinor: bigint): JournalLine[] {
  const lines =
    type === 'invoice'
      ? [debit('cash', amountMinor), credit('accounts_receivable', amountMinor)]
      : [debit('accounts_payable', amountMinor), credit('cash', amountMinor)];
  return assertBalanced(nonZero(lines));
}

/** The exact mirror of an entry: every debit becomes a credit of the same amount and vice versa. */
export function reversalLines(lines: readonly JournalLine[]): JournalLine[] {
  return assertBalanced(
    lines.map((l) => ({ account: l.account, debitMinor: l.creditMinor, creditMinor: l.debitMinor })),
  );
}

/**
 * Throws unless the lines form a valid entry: at least two, each with exactly one positive side, and
 * debits equal to credits. Returns the lines for chaining.
 */
export function assertBalanced(lines: JournalLine[]): JournalLine[] {
  if (lines.length < 2) throw new UnbalancedEntryError(`needs at least two lines, has ${lines.length}`);
  let debits = 0n;
  let credits = 0n;
  for (const l of lines) {
    if (l.debitMinor < 0n || l.creditMinor < 0n || l.debitMinor > 0n === l.creditMinor > 0n) {
      throw new UnbalancedEntryError(`line on ${l.account} must have exactly one positive side`);
    }
    debits += l.debitMinor;
    credits += l.creditMinor;
  }
  if (debits !== credits) {
    throw new UnbalancedEntryError(`debits ${formatAmount(debits)} ≠ credits ${formatAmount(credits)}`);
  }
  return lines;
}

export function finalizationEntry(doc: PostedDocument, id: string, entryDate: string): NewJournalEntry {
  return {
    id,
    tenantId: doc.tenantId,
    kind: doc.type === 'invoice' ? 'invoice_finalized' : 'bill_finalized',
    invoiceId: doc.id,
    paymentId: null,
    entryDate,
    currency: doc.currency,
    reversesId: null,
    lines: finalizationLines(doc),
  };
}

export function paymentEntry(
  doc: PostedDocument,
  payment: { id: string; amountMinor: bigint; paidOn: string },
  id: string,
): NewJournalEntry {
  return {
    id,
    tenantId: doc.tenantId,
    kind: doc.type === 'invoice' ? 'invoice_payment' : 'bill_payment',
    invoiceId: doc.id,
    paymentId: payment.id,
    entryDate: payment.paidOn,
    currency: doc.currency,
    reversesId: null,
    lines: paymentLines(doc.type, payment.amountMinor),
  };
}

/** The void of a finalized document: the reversing entry of its finalization. */
export function reversalEntry(
  original: NewJournalEntry,
  type: DocumentType,
  id: string,
  entryDate: string,
): NewJournalEntry {
  return {
    id,
    tenantId: original.tenantId,
    kind: type === 'invoice' ? 'invoice_voided' : 'bill_voided',
    invoiceId: original.invoiceId,
    paymentId: null,
    entryDate,
    currency: original.currency,
    reversesId: original.id,
    lines: reversalLines(original.lines),
  };
}

export function mapJournalEntry(e: JournalEntry): JournalEntryView {
  return {
    id: e.id,
    kind: e.kind,
    invoice_id: e.invoiceId,
    payment_id: e.paymentId,
    entry_date: e.entryDate,
    currency: e.currency,
    reverses_id: e.reversesId,
    lines: e.lines.map((l) => ({
      account: l.account,
      debit: formatAmount(l.debitMinor),
      credit: formatAmount(l.creditMinor),
    })),
    created_at: e.createdAt,
  };
}
