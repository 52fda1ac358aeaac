import { ProblemError } from '@billing/common';
import type { InvoiceHeader } from './invoice.model';
import { afterPayment, assertFinalizable, assertSendable, checkPayment, voidPlan } from './invoice.rules';

type Doc = Parameters<typeof checkPayment>[0];
const doc = (over: Partial<InvoiceHeader> = {}): Doc => ({
  id: '0190a1b2-0000-7000-8000-000000000001',
  type: 'invoice',
  number: 'INV-000007',
  status: 'open',
  totalMinor: 10000n,
  amountPaidMinor: 0n,
  currency: 'USD',
  issueDate: '2026-01-10',
  ...over,
});

function problem(fn: () => unknown): ProblemError['problem'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProblemError) return err.problem;
    throw err;
  }
  throw new Error('expected a problem');
}

const pay = (amount: string, over: { currency?: 'USD' | 'EUR'; paidOn?: string } = {}) => ({
  amount,
  currency: over.currency ?? ('USD' as const),
  paidOn: over.paidOn ?? '2026-01-20',
});

describe('lifecycle rules', () => {
  it('finalizes drafts only', () => {
    expect(() => assertFinalizable(doc({ status: 'draft', number: null }))).not.toThrow();
    expect(problem(() => assertFinalizable(doc({ status: 'open' })))).toMatchObject({
      status: 409,
      detail: 'Invoice INV-000007 is already finalized (open).',
    });
    expect(problem(() => assertFinalizable(doc({ status: 'void', number: null }))).detail).toMatch(
      /^Invoice 0190.* is void/,
    );
  });

  it('never emails a bill or a void invoice', () => {
    expect(problem(() => assertSendable(doc({ type: 'bill', number: 'BILL-000001' })))).toMatchObject({
      status: 409,
      detail: 'Bills are never emailed.',
    });
    expect(problem(() => assertSendable(doc({ status: 'void' }))).status).toBe(409);
    expect(() => assertSendable(doc({ status: 'draft' }))).not.toThrow();
    expect(() => assertSendable(doc({ status: 'paid' }))).not.toThrow();
  });

  it('voids a draft without posting, an open document by reversal, and nothing with payments', () => {
    expect(voidPlan(doc({ status: 'draft' }))).toBe('discard_draft');
    expect(voidPlan(doc({ status: 'open' }))).toBe('reverse');
    expect(problem(() => voidPlan(doc({ status: 'partially_paid', amountPaidMinor: 2500n })))).toMatchObject({
      status: 409,
      detail: 'Invoice INV-000007 has payments of 25.00 recorded and cannot be voided.',
    });
    expect(problem(() => voidPlan(doc({ status: 'paid', amountPaidMinor: 10000n }))).status).toBe(409);
    expect(problem(() => voidPlan(doc({ status: 'void' }))).detail).toMatch(/already void/);
  });
});

describe('payment rules', () => {
  const today = '2026-02-01';

  it('accepts a partial and a full payment and says where they leave the document', () => {
    expect(checkPayment(doc(), pay('40.00'), today)).toBe(4000n);
    expect(afterPayment(doc(), 4000n)).toEqual({
      amountPaidMinor: 4000n,
      status: 'partially_paid',
      fullyPaid: false,
    });
    const partly = doc({ status: 'partially_paid', amountPaidMinor: 4000n });
    expect(checkPayment(partly, pay('60.00'), today)).toBe(6000n);
    expect(afterPayment(partly, 6000n)).toEqual({ amountPaidMinor: 10000n, status: 'paid', fullyPaid: true });
  });

  it('refuses drafts, void and fully paid documents with 409', () => {
    for (const status of ['draft', 'void', 'paid'] as const) {
      expect(problem(() => checkPayment(doc({ status }), pay('1.00'), today)).status).toBe(409);
    }
    expect(problem(() => checkPayment(doc({ status: 'draft' }), pay('1.00'), today)).detail).toMatch(
      /draft: finalize it/,
    );
  });

  it('refuses an overpayment on amount, naming the amount due', () => {
    const p = problem(() =>
      checkPayment(doc({ status: 'partially_paid', amountPaidMinor: 2500n }), pay('75.01'), today),
    );
    expect(p.status).toBe(422);
    expect(p.errors).toEqual([
      { field: 'amount', message: 'exceeds the amount due of 75.00 USD', code: 'overpayment' },
    ]);
  });

  it('refuses zero and negative amounts', () => {
    expect(problem(() => checkPayment(doc(), pay('0.00'), today)).errors?.[0]).toMatchObject({
      field: 'amount',
      message: 'must be positive',
    });
    expect(problem(() => checkPayment(doc(), pay('-5'), today)).errors?.[0].field).toBe('amount');
  });

  it('refuses another currency on currency', () => {
    expect(problem(() => checkPayment(doc(), pay('10.00', { currency: 'EUR' }), today)).errors).toEqual([
      {
        field: 'currency',
        message: 'must be USD, the currency of Invoice INV-000007',
        code: 'currency_mismatch',
      },
    ]);
  });

  it('dates a payment between the issue date and today', () => {
    const field = (paidOn: string) =>
      problem(() => checkPayment(doc(), pay('1.00', { paidOn }), today)).errors?.map((e) => e.code);
    expect(field('2026-02-02')).toEqual(['future']);
    expect(field('2026-01-09')).toEqual(['before_issue']);
    expect(field('2026-02-30')).toEqual(['invalid_date']);
    expect(checkPayment(doc(), pay('1.00', { paidOn: '2026-01-10' }), today)).toBe(100n);
    expect(checkPayment(doc(), pay('1.00', { paidOn: today }), today)).toBe(100n);
  });

  it('names every bad field at once', () => {
    const p = problem(() =>
      checkPayment(doc(), pay('500.00', { currency: 'EUR', paidOn: '2030-01-01' }), today),
    );
    expect(p.errors?.map((e) => e.field)).toEqual(['amount', 'currency', 'paid_on']);
  });
});
