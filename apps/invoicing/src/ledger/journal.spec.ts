import fc from 'fast-check';
import { priceLines } from '@billing/common';
import {
  type JournalLine,
  type PostedDocument,
  UnbalancedEntryError,
  assertBalanced,
  finalizationEntry,
  finalizationLines,
  mapJournalEntry,
  paymentEntry,
  paymentLines,
  reversalEntry,
} from './journal';

const doc = (over: Partial<PostedDocument> = {}): PostedDocument => ({
  id: 'inv-1',
  tenantId: 'tenant-1',
  type: 'invoice',
  currency: 'USD',
  subtotalMinor: 150000n,
  taxMinor: 12375n,
  totalMinor: 162375n,
  ...over,
});

const sides = (lines: JournalLine[]) =>
  lines.map((l) => [l.account, l.debitMinor.toString(), l.creditMinor.toString()]);

/** Per-account net (debit − credit) of some lines. */
function netByAccount(lines: JournalLine[]): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const l of lines) net.set(l.account, (net.get(l.account) ?? 0n) + l.debitMinor - l.creditMinor);
  return net;
}

describe('journal entry builders', () => {
  it('posts a finalized invoice: Dr receivable total, Cr revenue subtotal, Cr sales tax', () => {
    expect(sides(finalizationLines(doc()))).toEqual([
      ['accounts_receivable', '162375', '0'],
      ['revenue', '0', '150000'],
      ['sales_tax_payable', '0', '12375'],
    ]);
  });

  it('posts a finalized bill: Dr expenses and tax receivable, Cr payable', () => {
    expect(sides(finalizationLines(doc({ type: 'bill' })))).toEqual([
      ['expenses', '150000', '0'],
      ['tax_receivable', '12375', '0'],
      ['accounts_payable', '0', '162375'],
    ]);
  });

  it('omits zero-amount lines (an untaxed document has no tax line)', () => {
    const untaxed = doc({ subtotalMinor: 5000n, taxMinor: 0n, totalMinor: 5000n });
    expect(sides(finalizationLines(untaxed))).toEqual([
      ['accounts_receivable', '5000', '0'],
      ['revenue', '0', '5000'],
    ]);
    expect(sides(finalizationLines({ ...untaxed, type: 'bill' }))).toEqual([
      ['expenses', '5000', '0'],
      ['accounts_payable', '0', '5000'],
    ]);
  });

  it('posts payments: invoice Dr cash Cr receivable; bill Dr payable Cr cash', () => {
    expect(sides(paymentLines('invoice', 700n))).toEqual([
      ['cash', '700', '0'],
      ['accounts_receivable', '0', '700'],
    ]);
    expect(sides(paymentLines('bill', 700n))).toEqual([
      ['accounts_payable', '700', '0'],
      ['cash', '0', '700'],
    ]);
  });

  it('builds entries with their kind, date, currency and links', () => {
    const fin = finalizationEntry(doc({ currency: 'EUR' }), 'e1', '2026-01-31');
    expect(fin).toMatchObject({
      kind: 'invoice_finalized',
      invoiceId: 'inv-1',
      entryDate: '2026-01-31',
      currency: 'EUR',
      reversesId: null,
      paymentId: null,
    });
    const pay = paymentEntry(
      doc({ type: 'bill' }),
      { id: 'p1', amountMinor: 10n, paidOn: '2026-02-02' },
      'e2',
    );
    expect(pay).toMatchObject({ kind: 'bill_payment', paymentId: 'p1', entryDate: '2026-02-02' });
    const rev = reversalEntry(fin, 'invoice', 'e3', '2026-02-05');
    expect(rev).toMatchObject({ kind: 'invoice_voided', reversesId: 'e1', currency: 'EUR' });
    expect(sides(rev.lines)).toEqual([
      ['accounts_receivable', '0', '162375'],
      ['revenue', '150000', '0'],
      ['sales_tax_payable', '12375', '0'],
    ]);
    expect(mapJournalEntry({ ...rev, createdAt: '2026-02-05T00:00:00.000Z' }).lines[0]).toEqual({
      account: 'accounts_receivable',
      debit: '0.00',
      credit: '1623.75',
    });
  });

  it('refuses what is not a balanced entry', () => {
    const line = (debitMinor: bigint, creditMinor: bigint): JournalLine => ({
      account: 'cash',
      debitMinor,
      creditMinor,
    });
    expect(() => assertBalanced([line(5n, 0n)])).toThrow(UnbalancedEntryError);
    expect(() => assertBalanced([line(5n, 0n), line(0n, 4n)])).toThrow(/debits 0.05 ≠ credits 0.04/);
    expect(() => assertBalanced([line(5n, 5n), line(0n, 0n)])).toThrow(/exactly one positive side/);
    expect(() => assertBalanced([line(-5n, 0n), line(0n, -5n)])).toThrow(UnbalancedEntryError);
    expect(() => paymentLines('invoice', 0n)).toThrow(UnbalancedEntryError);
  });
});

const lineArb = fc.record({
  description: fc.constant('line'),
  quantity: fc
    .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 9999 }))
    .map(([u, f]) => `${u}.${String(f).padStart(4, '0')}`),
  unit_price: fc
    .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99 }))
    .map(([u, c]) => `${u}.${String(c).padStart(2, '0')}`),
  tax_rate: fc
    .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 9999 }))
    .map(([u, f]) => `${u}.${String(f).padStart(4, '0')}`),
});

const documentArb = fc
  .record({
    type: fc.constantFrom('invoice' as const, 'bill' as const),
    lines: fc.array(lineArb, { minLength: 1 }),
  })
  .map(({ type, lines }) => ({ type, totals: priceLines(lines).totals }))
  .filter(({ totals }) => totals.totalMinor > 0n);

describe('every entry balances, over random documents', () => {
  it('finalization, any split of payments, and a void of the finalization all balance', () => {
    fc.assert(
      fc.property(documentArb, fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 5 }), (d, weights) => {
        const posted = doc({ type: d.type, ...d.totals });
        const fin = finalizationEntry(posted, 'f', '2026-01-01');
        const all = [...fin.lines];
        // Split the total into payments proportional to the weights; the last one pays the rest.
        const sum = weights.reduce((a, b) => a + b, 0);
        let paid = 0n;
        weights.forEach((w, i) => {
          const amount =
            i === weights.length - 1
              ? posted.totalMinor - paid
              : (posted.totalMinor * BigInt(w)) / BigInt(sum);
          if (amount <= 0n) return;
          paid += amount;
          all.push(
            ...paymentEntry(posted, { id: `p${i}`, amountMinor: amount, paidOn: '2026-01-02' }, `e${i}`)
              .lines,
          );
        });
        const debits = all.reduce((a, l) => a + l.debitMinor, 0n);
        const credits = all.reduce((a, l) => a + l.creditMinor, 0n);
        expect(debits).toBe(credits);
        // Fully paid: the receivable (or payable) is back to zero.
        const open =
          netByAccount(all).get(d.type === 'invoice' ? 'accounts_receivable' : 'accounts_payable') ?? 0n;
        expect(open).toBe(
          weights.length ? 0n : d.type === 'invoice' ? posted.totalMinor : -posted.totalMinor,
        );

        // A void reverses the finalization exactly: every account nets to zero.
        const reversal = reversalEntry(fin, d.type, 'r', '2026-01-03');
        for (const net of netByAccount([...fin.lines, ...reversal.lines]).values()) expect(net).toBe(0n);
      }),
      { numRuns: 500 },
    );
  });
});
