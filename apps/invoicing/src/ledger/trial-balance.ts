import { ACCOUNTS, type Account, type Currency, type TrialBalanceSchema } from '@billing/contracts';
import { formatAmount } from '@billing/common';
import type { z } from 'zod';

export type TrialBalance = z.infer<typeof TrialBalanceSchema>;

/** Debits and credits posted to one account in one currency. */
export interface AccountSums {
  currency: Currency;
  account: Account;
  debitMinor: bigint;
  creditMinor: bigint;
}

/**
 * One block per currency with postings, listing the whole chart of accounts in its fixed order:
 * debit and credit are the sums posted, balance = debit − credit (so credit-normal accounts such as
 * revenue show a negative balance). The difference is the proof: always 0.00.
 */
export function trialBalance(asOf: string, sums: readonly AccountSums[]): TrialBalance {
  const byCurrency = new Map<Currency, Map<Account, AccountSums>>();
  for (const s of sums) {
    const accounts = byCurrency.get(s.currency) ?? new Map<Account, AccountSums>();
    const prior = accounts.get(s.account);
    accounts.set(s.account, {
      ...s,
      debitMinor: (prior?.debitMinor ?? 0n) + s.debitMinor,
      creditMinor: (prior?.creditMinor ?? 0n) + s.creditMinor,
    });
    byCurrency.set(s.currency, accounts);
  }
  return {
    as_of: asOf,
    currencies: [...byCurrency.keys()].sort().map((currency) => {
      const accounts = byCurrency.get(currency)!;
      let totalDebit = 0n;
      let totalCredit = 0n;
      const rows = ACCOUNTS.map((account) => {
        const debit = accounts.get(account)?.debitMinor ?? 0n;
        const credit = accounts.get(account)?.creditMinor ?? 0n;
        totalDebit += debit;
        totalCredit += credit;
        return {
          account,
          debit: formatAmount(debit),
          credit: formatAmount(credit),
          balance: formatAmount(debit - credit),
        };
      });
      return {
        currency,
        accounts: rows,
        total_debit: formatAmount(totalDebit),
        total_credit: formatAmount(totalCredit),
        difference: formatAmount(totalDebit - totalCredit),
      };
    }),
  };
}
