import fc from 'fast-check';
import {
  type Currency,
  type InvoiceView,
  InvoicesRpc,
  LedgerRpc,
  type TenantContext,
} from '@billing/contracts';
import { ClockService, formatAmount, parseAmount, uuidv7 } from '@billing/common';
import { testTenant } from '@billing/common/testing';
import { InvoicingHarness, due, problemOf } from './support';

const TODAY = '2026-07-01';

const lineArb = fc.record({
  description: fc.constant('Work'),
  quantity: fc.constantFrom('1', '2', '0.5', '3.25', '10'),
  unit_price: fc.integer({ min: 1, max: 500_000 }).map((c) => formatAmount(BigInt(c))),
  tax_rate: fc.constantFrom('0', '5', '8.25', '20', '7.125'),
});
const documentArb = fc.record({
  type: fc.constantFrom('invoice' as const, 'bill' as const),
  currency: fc.constantFrom<Currency>('USD', 'EUR', 'CAD'),
  autoSend: fc.boolean(),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 3 }),
});
/** What to do to document `target % count`; `share` picks a payment amount out of what is due. */
const operationArb = fc.record({
  kind: fc.constantFrom('finalize', 'pay', 'pay', 'pay_rest', 'void', 'send'),
  target: fc.nat(),
  share: fc.integer({ min: 1, max: 100 }),
});

describe('invoicing: the ledger and its reports', () => {
  let h: InvoicingHarness;

  beforeAll(async () => {
    h = await InvoicingHarness.start();
    await h.app.get(ClockService).setManualDate(TODAY);
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('keeps the trial balance at zero in every currency through a random mix of operations', async () => {
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(documentArb, { minLength: 3, maxLength: 8 }),
        fc.array(operationArb, { minLength: 5, maxLength: 25 }),
        async (documents, operations) => {
          const tenant = testTenant();
          const customer = await h.customer(tenant);
          const vendor = await h.vendor(tenant);
          const docs = await h.generate(
            tenant,
            documents.map((d) =>
              due(d.type === 'invoice' ? customer : vendor, {
                type: d.type,
                currency: d.currency,
                auto_send: d.autoSend,
                lines: d.lines,
              }),
            ),
          );
          for (const op of operations) {
            const doc = docs[op.target % docs.length];
            const current = await h.rpc.call(InvoicesRpc.get, { id: doc.id }, tenant);
            // Refused operations (409/422) are part of the mix: they must leave the ledger untouched.
            await apply(tenant, current, op).then(
              () => applied++,
              (err: unknown) => {
                const status = (err as { problem?: { status: number } }).problem?.status;
                if (status !== 409 && status !== 422) throw err;
              },
            );
          }
          await expectLedgerMatchesDocuments(tenant);
        },
      ),
      { numRuns: 6 },
    );
    expect(applied).toBeGreaterThan(6);
  }, 120_000);

  async function apply(
    tenant: TenantContext,
    doc: InvoiceView,
    op: { kind: string; share: number },
  ): Promise<unknown> {
    const due = parseAmount(doc.amount_due);
    switch (op.kind) {
      case 'finalize':
        return h.rpc.call(InvoicesRpc.finalize, { id: doc.id }, tenant);
      case 'void':
        return h.rpc.call(InvoicesRpc.void, { id: doc.id }, tenant);
      case 'send':
        return h.rpc.call(InvoicesRpc.send, { id: doc.id }, tenant);
      default: {
        const amount = op.kind === 'pay_rest' ? due : (due * BigInt(op.share)) / 100n;
        return h.rpc.call(
          InvoicesRpc.recordPayment,
          { id: doc.id, payment: { amount: formatAmount(amount), currency: doc.currency } },
          tenant,
        );
      }
    }
  }

  /** Every currency balances, and each account says what the documents say. */
  async function expectLedgerMatchesDocuments(tenant: TenantContext): Promise<void> {
    const tb = await h.rpc.call(LedgerRpc.trialBalance, {}, tenant);
    const docs = (await h.rpc.call(InvoicesRpc.list, { limit: 200 }, tenant)).data;
    const expected = new Map<string, Record<string, bigint>>();
    for (const d of docs) {
      if (d.status === 'draft' || d.status === 'void') continue;
      const acc = expected.get(d.currency) ?? {
        accounts_receivable: 0n,
        accounts_payable: 0n,
        cash: 0n,
        revenue: 0n,
        expenses: 0n,
        sales_tax_payable: 0n,
        tax_receivable: 0n,
      };
      const paid = parseAmount(d.amount_paid);
      if (d.type === 'invoice') {
        acc.accounts_receivable += parseAmount(d.amount_due);
        acc.revenue -= parseAmount(d.subtotal);
        acc.sales_tax_payable -= parseAmount(d.tax);
        acc.cash += paid;
      } else {
        acc.accounts_payable -= parseAmount(d.amount_due);
        acc.expenses += parseAmount(d.subtotal);
        acc.tax_receivable += parseAmount(d.tax);
        acc.cash -= paid;
      }
      expected.set(d.currency, acc);
    }
    for (const block of tb.currencies) {
      expect(block.difference).toBe('0.00');
      expect(block.total_debit).toBe(block.total_credit);
      const balances = Object.fromEntries(block.accounts.map((a) => [a.account, a.balance]));
      const want = expected.get(block.currency) ?? {};
      for (const [account, amount] of Object.entries(want))
        expect(balances[account]).toBe(formatAmount(amount));
    }
    // Currencies with nothing posted (only drafts, or everything voided) still balance: all zeros.
    for (const currency of expected.keys()) expect(tb.currencies.map((c) => c.currency)).toContain(currency);
  }

  it('ages open receivables by days past due, per currency, as of any date', async () => {
    const tenant = testTenant();
    const customer = await h.customer(tenant);
    const vendor = await h.vendor(tenant);
    const at = (date: string, over: Parameters<typeof due>[1] = {}) =>
      due(
        over.type === 'bill' ? vendor : customer,
        { auto_send: over.type !== 'bill', days_until_due: 0, ...over },
        { date },
      );
    const [current, d10, d41, d71, d180, paidOff, voided, eur, bill] = await h.generate(tenant, [
      at('2026-06-28', { days_until_due: 17 }),
      at('2026-06-20'),
      at('2026-05-20'),
      at('2026-04-20'),
      at('2026-01-01'),
      at('2026-06-01'),
      at('2026-06-02'),
      at('2026-06-25', { currency: 'EUR' }),
      at('2026-01-01', { type: 'bill' }),
    ]);
    await h.rpc.call(InvoicesRpc.finalize, { id: bill.id }, tenant);
    const pay = (id: string, amount: string, paid_on: string, currency: Currency = 'USD') =>
      h.rpc.call(InvoicesRpc.recordPayment, { id, payment: { amount, currency, paid_on } }, tenant);
    await pay(paidOff.id, '1623.75', '2026-06-10');
    await pay(d41.id, '623.75', '2026-06-15');
    await h.rpc.call(InvoicesRpc.void, { id: voided.id }, tenant);

    // Today (the default date): paid and void invoices are gone, bills are never receivables.
    const aging = await h.rpc.call(LedgerRpc.aging, {}, tenant);
    expect(aging.as_of).toBe(TODAY);
    expect(aging.currencies.map((c) => c.currency)).toEqual(['EUR', 'USD']);
    const usd = aging.currencies[1];
    expect(usd.buckets).toEqual({
      current: '1623.75',
      '1_30': '1623.75',
      '31_60': '1000.00',
      '61_90': '1623.75',
      '90_plus': '1623.75',
    });
    expect(usd.total).toBe('7495.00');
    expect(usd.invoices.map((i) => [i.invoice_id, i.days_past_due, i.bucket, i.amount_due])).toEqual([
      [d180.id, 181, '90_plus', '1623.75'],
      [d71.id, 72, '61_90', '1623.75'],
      [d41.id, 42, '31_60', '1000.00'],
      [d10.id, 11, '1_30', '1623.75'],
      [current.id, -14, 'current', '1623.75'],
    ]);
    expect(usd.invoices[0]).toMatchObject({
      number: d180.number,
      customer_id: customer,
      due_date: '2026-01-01',
    });
    expect(aging.currencies[0]).toMatchObject({ total: '1623.75', buckets: { '1_30': '1623.75' } });

    // Aging reads the journal: its totals are the trial balance's receivables.
    const tb = await h.rpc.call(LedgerRpc.trialBalance, {}, tenant);
    for (const block of aging.currencies) {
      const ar = tb.currencies
        .find((c) => c.currency === block.currency)!
        .accounts.find((a) => a.account === 'accounts_receivable')!;
      expect(ar.balance).toBe(block.total);
    }

    // Before a payment and the void, those invoices were still owed in full.
    // Documents not yet issued then are not there.
    const earlier = await h.rpc.call(LedgerRpc.aging, { as_of: '2026-06-05' }, tenant);
    expect(earlier.currencies.map((c) => c.currency)).toEqual(['USD']);
    expect(earlier.currencies[0].invoices.map((i) => [i.invoice_id, i.days_past_due, i.amount_due])).toEqual([
      [d180.id, 155, '1623.75'],
      [d71.id, 46, '1623.75'],
      [d41.id, 16, '1623.75'],
      [paidOff.id, 4, '1623.75'],
      [voided.id, 3, '1623.75'],
    ]);
    expect(eur.status).toBe('open');

    expect(await problemOf(h.rpc.call(LedgerRpc.aging, { as_of: '2026-13-01' }, tenant))).toMatchObject({
      status: 422,
      errors: [{ field: 'as_of' }],
    });
  });

  it('reports the trial balance as of a date, and lists the journal in keyset pages', async () => {
    const tenant = testTenant();
    const customer = await h.customer(tenant);
    const [a, b] = await h.generate(tenant, [
      due(customer, { auto_send: true }, { date: '2026-01-10' }),
      due(customer, { auto_send: true }, { date: '2026-03-10' }),
    ]);
    await h.rpc.call(
      InvoicesRpc.recordPayment,
      { id: a.id, payment: { amount: '23.75', currency: 'USD', paid_on: '2026-02-01' } },
      tenant,
    );

    const january = await h.rpc.call(LedgerRpc.trialBalance, { as_of: '2026-01-31' }, tenant);
    expect(january.currencies).toHaveLength(1);
    const jan = Object.fromEntries(january.currencies[0].accounts.map((x) => [x.account, x]));
    expect(jan.accounts_receivable).toEqual({
      account: 'accounts_receivable',
      debit: '1623.75',
      credit: '0.00',
      balance: '1623.75',
    });
    expect(jan.revenue.balance).toBe('-1500.00');
    expect(jan.sales_tax_payable.balance).toBe('-123.75');
    expect(jan.cash.balance).toBe('0.00');
    expect(january.currencies[0]).toMatchObject({
      total_debit: '1623.75',
      total_credit: '1623.75',
      difference: '0.00',
    });
    expect((await h.rpc.call(LedgerRpc.trialBalance, { as_of: '2025-12-31' }, tenant)).currencies).toEqual(
      [],
    );
    const now = await h.rpc.call(LedgerRpc.trialBalance, {}, tenant);
    expect(now.as_of).toBe(TODAY);
    expect(now.currencies[0].accounts.find((x) => x.account === 'cash')?.balance).toBe('23.75');

    const first = await h.rpc.call(LedgerRpc.journal, { limit: 2 }, tenant);
    const second = await h.rpc.call(LedgerRpc.journal, { limit: 2, cursor: first.next_cursor! }, tenant);
    expect(second.next_cursor).toBeNull();
    const all = [...first.data, ...second.data];
    expect(all.map((e) => e.kind).sort()).toEqual([
      'invoice_finalized',
      'invoice_finalized',
      'invoice_payment',
    ]);
    expect(new Set(all.map((e) => e.invoice_id))).toEqual(new Set([a.id, b.id]));
  });

  it('refuses in the database an entry that does not balance, and any change to the journal', async () => {
    const tenant = testTenant();
    const [inv] = await h.generate(tenant, [due(await h.customer(tenant), { auto_send: true })]);
    const entryId = uuidv7();
    const attempt = h.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO journal_entries (id, tenant_id, kind, invoice_id, entry_date, currency)
         VALUES ($1, $2, 'invoice_finalized', $3, '2026-01-31', 'USD')`,
        [entryId, tenant.id, inv.id],
      );
      await m.query(
        `INSERT INTO journal_lines (entry_id, line_no, account, debit_minor, credit_minor)
         VALUES ($1, 0, 'accounts_receivable', 100, 0), ($1, 1, 'revenue', 0, 99)`,
        [entryId],
      );
    });
    await expect(attempt).rejects.toThrow(/does not balance/);
    await expect(h.ds.query(`UPDATE journal_lines SET debit_minor = debit_minor + 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(h.ds.query(`DELETE FROM journal_entries WHERE invoice_id = $1`, [inv.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(
      h.ds.query(`UPDATE invoices SET amount_paid_minor = total_minor + 1 WHERE id = $1`, [inv.id]),
    ).rejects.toThrow(/invoices_paid_within_total/);
    await expect(h.ds.query(`UPDATE invoices SET number = NULL WHERE id = $1`, [inv.id])).rejects.toThrow(
      /invoices_number_iff_finalized/,
    );
  });
});
