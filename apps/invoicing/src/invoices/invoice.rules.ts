import type { Currency, FieldError } from '@billing/contracts';
import { ProblemError, formatAmount, parseAmount } from '@billing/common';
import { isValidDate } from '@billing/recurrence';
import { type InvoiceHeader, type InvoiceStatus, amountDueOf } from './invoice.model';

type Doc = Pick<InvoiceHeader, 'id' | 'type' | 'number' | 'status' | 'totalMinor' | 'amountPaidMinor'>;

/** "Invoice INV-000042" / "Bill 0190…" — how a message names the document. */
export function documentLabel(doc: Pick<InvoiceHeader, 'id' | 'type' | 'number'>): string {
  return `${doc.type === 'invoice' ? 'Invoice' : 'Bill'} ${doc.number ?? doc.id}`;
}

/** Only a draft is finalized; finalizing twice would number it twice. */
export function assertFinalizable(doc: Doc): void {
  if (doc.status === 'draft') return;
  if (doc.status === 'void')
    throw ProblemError.invalidState(`${documentLabel(doc)} is void and cannot be finalized.`);
  throw ProblemError.invalidState(`${documentLabel(doc)} is already finalized (${doc.status}).`);
}

/** Invoices are emailed (a draft is finalized first); bills never, and nothing void. */
export function assertSendable(doc: Doc): void {
  if (doc.type === 'bill') throw ProblemError.invalidState('Bills are never emailed.');
  if (doc.status === 'void')
    throw ProblemError.invalidState(`${documentLabel(doc)} is void and cannot be sent.`);
}

/**
 * How a document is voided: a draft simply (nothing was posted), an open one by the reversing entry of
 * its finalization. Money received must be refunded first, which this platform does not do yet.
 */
export function voidPlan(doc: Doc): 'discard_draft' | 'reverse' {
  switch (doc.status) {
    case 'draft':
      return 'discard_draft';
    case 'open':
      return 'reverse';
    case 'partially_paid':
    case 'paid':
      throw ProblemError.invalidState(
        `${documentLabel(doc)} has payments of ${formatAmount(doc.amountPaidMinor)} recorded and cannot be voided.`,
      );
    case 'void':
      throw ProblemError.invalidState(`${documentLabel(doc)} is already void.`);
  }
}

export interface PaymentInput {
  amount: string;
  currency: Currency;
  paidOn: string;
}

/**
 * The rules of a payment, in the order a user fixes them: the document must be payable (409), then
 * every field error at once (422): a positive amount in the document's currency, no more than is due,
 * dated between the issue date and today. Returns the amount in minor units.
 */
export function checkPayment(
  doc: Doc & Pick<InvoiceHeader, 'currency' | 'issueDate'>,
  input: PaymentInput,
  today: string,
): bigint {
  assertPayable(doc);
  const errors: FieldError[] = [];
  // The contract checked the shape (MoneySchema); a negative amount is a rule, not a shape.
  const amount = parseAmount(input.amount);
  const due = amountDueOf(doc);
  if (amount <= 0n) errors.push({ field: 'amount', message: 'must be positive', code: 'not_positive' });
  else if (amount > due) {
    errors.push({
      field: 'amount',
      message: `exceeds the amount due of ${formatAmount(due)} ${doc.currency}`,
      code: 'overpayment',
    });
  }
  if (input.currency !== doc.currency) {
    errors.push({
      field: 'currency',
      message: `must be ${doc.currency}, the currency of ${documentLabel(doc)}`,
      code: 'currency_mismatch',
    });
  }
  if (!isValidDate(input.paidOn)) {
    errors.push({ field: 'paid_on', message: 'must be a valid date YYYY-MM-DD', code: 'invalid_date' });
  } else if (input.paidOn > today) {
    errors.push({ field: 'paid_on', message: `cannot be in the future (today is ${today})`, code: 'future' });
  } else if (input.paidOn < doc.issueDate) {
    errors.push({
      field: 'paid_on',
      message: `cannot be before the issue date ${doc.issueDate}`,
      code: 'before_issue',
    });
  }
  if (errors.length) throw ProblemError.validation(errors, 'The payment cannot be recorded.');
  return amount;
}

function assertPayable(doc: Doc): void {
  switch (doc.status) {
    case 'open':
    case 'partially_paid':
      return;
    case 'draft':
      throw ProblemError.invalidState(
        `${documentLabel(doc)} is a draft: finalize it before recording a payment.`,
      );
    case 'void':
      throw ProblemError.invalidState(`${documentLabel(doc)} is void: it takes no payments.`);
    case 'paid':
      throw ProblemError.invalidState(`${documentLabel(doc)} is already paid in full.`);
  }
}

/** Where a payment leaves the document: partially paid, or paid once nothing is due. */
export function afterPayment(
  doc: Pick<InvoiceHeader, 'totalMinor' | 'amountPaidMinor'>,
  amountMinor: bigint,
): { amountPaidMinor: bigint; status: InvoiceStatus; fullyPaid: boolean } {
  const amountPaidMinor = doc.amountPaidMinor + amountMinor;
  const fullyPaid = amountPaidMinor === doc.totalMinor;
  return { amountPaidMinor, status: fullyPaid ? 'paid' : 'partially_paid', fullyPaid };
}
