import { type Receivable, agingBucket, agingReport, daysPastDue } from './aging';

const receivable = (over: Partial<Receivable>): Receivable => ({
  invoiceId: 'i',
  number: 'INV-000001',
  customerId: 'c',
  dueDate: '2026-03-31',
  currency: 'USD',
  amountDueMinor: 100n,
  ...over,
});

describe('receivables aging', () => {
  it('counts whole calendar days past the due date', () => {
    expect(daysPastDue('2026-03-31', '2026-03-31')).toBe(0);
    expect(daysPastDue('2026-03-31', '2026-03-30')).toBe(-1);
    expect(daysPastDue('2026-02-28', '2026-03-01')).toBe(1);
    expect(daysPastDue('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysPastDue('2025-12-31', '2026-01-01')).toBe(1);
  });

  it.each([
    [-10, 'current'],
    [0, 'current'],
    [1, '1_30'],
    [30, '1_30'],
    [31, '31_60'],
    [60, '31_60'],
    [61, '61_90'],
    [90, '61_90'],
    [91, '90_plus'],
    [4000, '90_plus'],
  ])('puts %i days past due in %s', (days, bucket) => {
    expect(agingBucket(days)).toBe(bucket);
  });

  it('sums per currency and bucket, lists the invoices oldest first, skips what is settled', () => {
    const report = agingReport('2026-05-01', [
      receivable({ invoiceId: 'a', dueDate: '2026-05-01', amountDueMinor: 1000n }),
      receivable({ invoiceId: 'b', dueDate: '2026-04-30', amountDueMinor: 250n }),
      receivable({ invoiceId: 'c', dueDate: '2026-01-01', amountDueMinor: 5n }),
      receivable({ invoiceId: 'd', dueDate: '2026-03-20', currency: 'EUR', amountDueMinor: 99n }),
      receivable({ invoiceId: 'e', dueDate: '2026-01-01', amountDueMinor: 0n }),
    ]);
    expect(report.as_of).toBe('2026-05-01');
    expect(report.currencies.map((c) => c.currency)).toEqual(['EUR', 'USD']);
    const usd = report.currencies[1];
    expect(usd.buckets).toEqual({
      current: '10.00',
      '1_30': '2.50',
      '31_60': '0.00',
      '61_90': '0.00',
      '90_plus': '0.05',
    });
    expect(usd.total).toBe('12.55');
    expect(usd.invoices.map((i) => [i.invoice_id, i.days_past_due, i.bucket])).toEqual([
      ['c', 120, '90_plus'],
      ['b', 1, '1_30'],
      ['a', 0, 'current'],
    ]);
    expect(report.currencies[0]).toMatchObject({ total: '0.99', buckets: { '31_60': '0.99' } });
  });

  it('is empty when nothing is owed', () => {
    expect(agingReport('2026-01-01', [])).toEqual({ as_of: '2026-01-01', currencies: [] });
  });
});
