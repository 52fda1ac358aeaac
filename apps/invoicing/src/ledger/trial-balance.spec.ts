import { ACCOUNTS } from '@billing/contracts';
import { trialBalance } from './trial-balance';

describe('trial balance', () => {
  it('lists the whole chart per currency with sums, signed balances and a zero difference', () => {
    const tb = trialBalance('2026-01-31', [
      { currency: 'USD', account: 'accounts_receivable', debitMinor: 10825n, creditMinor: 5000n },
      { currency: 'USD', account: 'revenue', debitMinor: 0n, creditMinor: 10000n },
      { currency: 'USD', account: 'sales_tax_payable', debitMinor: 0n, creditMinor: 825n },
      { currency: 'USD', account: 'cash', debitMinor: 5000n, creditMinor: 0n },
      { currency: 'CAD', account: 'expenses', debitMinor: 300n, creditMinor: 0n },
      { currency: 'CAD', account: 'accounts_payable', debitMinor: 0n, creditMinor: 300n },
    ]);
    expect(tb.currencies.map((c) => c.currency)).toEqual(['CAD', 'USD']);
    const usd = tb.currencies[1];
    expect(usd.accounts.map((a) => a.account)).toEqual([...ACCOUNTS]);
    expect(usd.accounts.find((a) => a.account === 'accounts_receivable')).toEqual({
      account: 'accounts_receivable',
      debit: '108.25',
      credit: '50.00',
      balance: '58.25',
    });
    expect(usd.accounts.find((a) => a.account === 'revenue')?.balance).toBe('-100.00');
    expect(usd.accounts.find((a) => a.account === 'expenses')).toMatchObject({
      debit: '0.00',
      balance: '0.00',
    });
    expect(usd).toMatchObject({ total_debit: '158.25', total_credit: '158.25', difference: '0.00' });
    expect(tb.currencies[0]).toMatchObject({ total_debit: '3.00', difference: '0.00' });
  });

  it('adds up repeated rows of one account and shows an imbalance if one were ever stored', () => {
    const tb = trialBalance('2026-01-31', [
      { currency: 'EUR', account: 'cash', debitMinor: 100n, creditMinor: 0n },
      { currency: 'EUR', account: 'cash', debitMinor: 50n, creditMinor: 0n },
      { currency: 'EUR', account: 'revenue', debitMinor: 0n, creditMinor: 100n },
    ]);
    expect(tb.currencies[0]).toMatchObject({ total_debit: '1.50', total_credit: '1.00', difference: '0.50' });
  });

  it('is empty before anything is posted', () => {
    expect(trialBalance('2026-01-01', [])).toEqual({ as_of: '2026-01-01', currencies: [] });
  });
});
