import {
  InvoiceEvents,
  type InvoiceListQuery,
  InvoicesRpc,
  LedgerRpc,
  type TenantContext,
} from '@billing/contracts';
import { ClockService, UnitOfWork } from '@billing/common';
import { DocumentNumberRepository } from '../src/invoices/document-number.repository';
import { eventually, testTenant } from '@billing/common/testing';
import { InvoicingHarness, due, problemOf } from './support';

const TODAY = '2026-03-15';

describe('invoicing: finalize, send, pay and void over NATS', () => {
  let h: InvoicingHarness;
  let tenant: TenantContext;
  let customer: string;
  let vendor: string;

  beforeAll(async () => {
    h = await InvoicingHarness.start();
    await h.app.get(ClockService).setManualDate(TODAY);
    tenant = testTenant();
    customer = await h.customer(tenant);
    vendor = await h.vendor(tenant);
  });

  afterAll(async () => {
    await h?.stop();
  });

  const draft = async (over: Parameters<typeof due>[1] = {}, date = '2026-02-01') =>
    (await h.generate(tenant, [due(over.type === 'bill' ? vendor : customer, over, { date })]))[0];
  const open = async (over: Parameters<typeof due>[1] = {}) =>
    h.rpc.call(InvoicesRpc.finalize, { id: (await draft(over)).id }, tenant);
  const pay = (id: string, amount: string, currency: 'USD' | 'EUR' = 'USD', paid_on?: string) =>
    h.rpc.call(
      InvoicesRpc.recordPayment,
      { id, payment: { amount, currency, ...(paid_on ? { paid_on } : {}) } },
      tenant,
    );
  const entries = async (invoiceId: string) =>
    (await h.rpc.call(LedgerRpc.journal, { limit: 50, invoice_id: invoiceId }, tenant)).data;

  it('numbers 50 drafts finalized concurrently 1..50 with no gap and no duplicate', async () => {
    const t = testTenant();
    const c = await h.customer(t);
    const drafts = await h.generate(
      t,
      Array.from({ length: 50 }, (_, i) => due(c, {}, { index: i })),
    );
    expect(drafts.every((d) => d.status === 'draft')).toBe(true);
    const finalized = await Promise.all(drafts.map((d) => h.rpc.call(InvoicesRpc.finalize, { id: d.id }, t)));
    expect(finalized.map((f) => f.number).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`),
    );
    // A second finalization is refused and consumes no number.
    expect(await problemOf(h.rpc.call(InvoicesRpc.finalize, { id: drafts[0].id }, t))).toMatchObject({
      status: 409,
    });
    const next = await h.generate(t, [due(c)]);
    expect((await h.rpc.call(InvoicesRpc.finalize, { id: next[0].id }, t)).number).toBe('INV-000051');
  });

  it('takes no number from a transaction that rolls back', async () => {
    const t = testTenant();
    const c = await h.customer(t);
    const [a, b] = await h.generate(t, [due(c), due(c)]);
    expect((await h.rpc.call(InvoicesRpc.finalize, { id: a.id }, t)).number).toBe('INV-000001');
    const numbers = h.app.get(DocumentNumberRepository);
    await expect(
      h.app.get(UnitOfWork).run(async (tx) => {
        await numbers.allocate(tx.manager, [{ tenantId: t.id, type: 'invoice', count: 5 }]);
        throw new Error('rolled back after taking numbers');
      }),
    ).rejects.toThrow('rolled back');
    expect((await h.rpc.call(InvoicesRpc.finalize, { id: b.id }, t)).number).toBe('INV-000002');
  });

  it('finalizes a draft: open, numbered, posted on its issue date, announced', async () => {
    const d = await draft();
    const f = await h.rpc.call(InvoicesRpc.finalize, { id: d.id }, tenant);
    expect(f).toMatchObject({ status: 'open', amount_due: '1623.75' });
    expect(f.number).toMatch(/^INV-\d{6}$/);
    expect(await entries(d.id)).toEqual([
      expect.objectContaining({ kind: 'invoice_finalized', entry_date: '2026-02-01', reverses_id: null }),
    ]);
    await eventually(async () => h.eventsOf(InvoiceEvents.finalized, d.id).length === 1);
  });

  it('records partial and full payments with their entries and events', async () => {
    const inv = await open();
    const first = await pay(inv.id, '600.00', 'USD', '2026-03-01');
    expect(first.invoice).toMatchObject({
      status: 'partially_paid',
      amount_paid: '600.00',
      amount_due: '1023.75',
      paid_at: null,
    });
    expect(first.payment).toMatchObject({
      amount: '600.00',
      currency: 'USD',
      paid_on: '2026-03-01',
      invoice_id: inv.id,
    });
    const second = await pay(inv.id, '1023.75');
    expect(second.invoice).toMatchObject({ status: 'paid', amount_paid: '1623.75', amount_due: '0.00' });
    expect(second.invoice.paid_at).not.toBeNull();
    expect(second.payment.paid_on).toBe(TODAY);

    const payments = await h.rpc.call(InvoicesRpc.listPayments, { id: inv.id }, tenant);
    expect(payments.data.map((p) => p.amount)).toEqual(['600.00', '1023.75']);
    const journal = await entries(inv.id);
    expect(journal.map((e) => [e.kind, e.entry_date, e.payment_id])).toEqual([
      ['invoice_finalized', '2026-02-01', null],
      ['invoice_payment', '2026-03-01', first.payment.id],
      ['invoice_payment', TODAY, second.payment.id],
    ]);
    expect(journal[1].lines).toEqual([
      { account: 'cash', debit: '600.00', credit: '0.00' },
      { account: 'accounts_receivable', debit: '0.00', credit: '600.00' },
    ]);
    await eventually(async () => h.eventsOf(InvoiceEvents.paymentRecorded, inv.id).length === 2);
    await eventually(async () => h.eventsOf(InvoiceEvents.paid, inv.id).length === 1);
    expect(h.eventsOf(InvoiceEvents.paymentRecorded, inv.id)[0].data.payment.id).toBe(first.payment.id);

    expect(await problemOf(pay(inv.id, '1.00'))).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/already paid/),
    });
  });

  it('pays a bill from cash: Dr accounts payable, Cr cash', async () => {
    const bill = await open({ type: 'bill' });
    expect(bill.number).toMatch(/^BILL-/);
    await pay(bill.id, '1623.75');
    const [, payment] = await entries(bill.id);
    expect(payment).toMatchObject({
      kind: 'bill_payment',
      lines: [
        { account: 'accounts_payable', debit: '1623.75', credit: '0.00' },
        { account: 'cash', debit: '0.00', credit: '1623.75' },
      ],
    });
  });

  it('refuses bad payments with clear 4xx problems and stores nothing', async () => {
    const inv = await open();
    await pay(inv.id, '23.75');
    const over = await problemOf(pay(inv.id, '1600.01'));
    expect(over).toMatchObject({
      status: 422,
      errors: [{ field: 'amount', message: 'exceeds the amount due of 1600.00 USD' }],
    });
    const currency = await problemOf(pay(inv.id, '10.00', 'EUR'));
    expect(currency).toMatchObject({ status: 422, errors: [{ field: 'currency' }] });
    expect(currency.errors?.[0].message).toMatch(/must be USD/);
    expect((await problemOf(pay(inv.id, '0.00'))).errors).toEqual([
      expect.objectContaining({ field: 'amount' }),
    ]);
    expect((await problemOf(pay(inv.id, '10.00', 'USD', '2026-03-16'))).errors).toEqual([
      expect.objectContaining({ field: 'paid_on' }),
    ]);
    expect((await problemOf(pay(inv.id, 'ten'))).status).toBe(422);

    const d = await draft();
    expect(await problemOf(pay(d.id, '10.00'))).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/draft/),
    });
    const v = await draft();
    await h.rpc.call(InvoicesRpc.void, { id: v.id }, tenant);
    expect(await problemOf(pay(v.id, '10.00'))).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/void/),
    });

    expect((await h.rpc.call(InvoicesRpc.listPayments, { id: inv.id }, tenant)).data).toHaveLength(1);
    expect(await h.rpc.call(InvoicesRpc.get, { id: inv.id }, tenant)).toMatchObject({ amount_paid: '23.75' });
    expect(await entries(d.id)).toEqual([]);
  });

  it('voids a draft without entries and an open invoice with the exact reversing entry', async () => {
    const d = await draft();
    const voidedDraft = await h.rpc.call(InvoicesRpc.void, { id: d.id }, tenant);
    expect(voidedDraft).toMatchObject({ status: 'void', number: null, amount_due: '0.00' });
    expect(voidedDraft.voided_at).not.toBeNull();
    expect(await entries(d.id)).toEqual([]);

    const inv = await open({
      lines: [
        { description: 'A', quantity: '3', unit_price: '19.99', tax_rate: '7.5' },
        { description: 'B', quantity: '1', unit_price: '5.00', tax_rate: '0' },
      ],
    });
    const voided = await h.rpc.call(InvoicesRpc.void, { id: inv.id }, tenant);
    expect(voided).toMatchObject({ status: 'void', number: inv.number });
    const [fin, rev] = await entries(inv.id);
    expect(rev).toMatchObject({
      kind: 'invoice_voided',
      reverses_id: fin.id,
      entry_date: TODAY,
      currency: 'USD',
    });
    expect(rev.lines).toEqual(
      fin.lines.map((l) => ({ account: l.account, debit: l.credit, credit: l.debit })),
    );
    await eventually(async () => h.eventsOf(InvoiceEvents.voided, inv.id).length === 1);

    expect(await problemOf(h.rpc.call(InvoicesRpc.void, { id: inv.id }, tenant))).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/already void/),
    });
    expect(await problemOf(h.rpc.call(InvoicesRpc.finalize, { id: inv.id }, tenant))).toMatchObject({
      status: 409,
    });
  });

  it('refuses to void a document with payments', async () => {
    const inv = await open();
    await pay(inv.id, '100.00');
    expect(await problemOf(h.rpc.call(InvoicesRpc.void, { id: inv.id }, tenant))).toMatchObject({
      status: 409,
      detail: expect.stringMatching(/has payments of 100\.00 recorded/),
    });
    expect((await h.rpc.call(InvoicesRpc.get, { id: inv.id }, tenant)).status).toBe('partially_paid');
  });

  it('sends invoices (finalizing drafts first), once, and never bills', async () => {
    const d = await draft();
    const sent = await h.rpc.call(InvoicesRpc.send, { id: d.id }, tenant);
    expect(sent).toMatchObject({ status: 'open', number: expect.stringMatching(/^INV-/) });
    expect(sent.send_requested_at).not.toBeNull();
    expect(await entries(d.id)).toHaveLength(1);
    await eventually(async () => h.eventsOf(InvoiceEvents.sendRequested, d.id).length === 1);
    expect(h.eventsOf(InvoiceEvents.finalized, d.id)).toHaveLength(1);

    const again = await h.rpc.call(InvoicesRpc.send, { id: d.id }, tenant);
    expect(again.send_requested_at).toBe(sent.send_requested_at);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.eventsOf(InvoiceEvents.sendRequested, d.id)).toHaveLength(1);

    const bill = await draft({ type: 'bill' });
    expect(await problemOf(h.rpc.call(InvoicesRpc.send, { id: bill.id }, tenant))).toMatchObject({
      status: 409,
      detail: 'Bills are never emailed.',
    });
    expect((await h.rpc.call(InvoicesRpc.get, { id: bill.id }, tenant)).status).toBe('draft');
  });

  it('marks each open invoice past due once', async () => {
    const t = testTenant();
    const c = await h.customer(t);
    const v = await h.vendor(t);
    const [late, notYet, paid, draftLate, bill] = await h.generate(t, [
      due(c, { days_until_due: 10 }, { date: '2026-01-01' }),
      due(c, { days_until_due: 30 }, { date: '2026-03-01' }),
      due(c, { days_until_due: 0 }, { date: '2026-01-01' }),
      due(c, { days_until_due: 0 }, { date: '2026-01-02' }),
      due(v, { type: 'bill', days_until_due: 0 }, { date: '2026-01-01' }),
    ]);
    for (const doc of [late, notYet, paid, bill]) await h.rpc.call(InvoicesRpc.finalize, { id: doc.id }, t);
    await h.rpc.call(
      InvoicesRpc.recordPayment,
      { id: paid.id, payment: { amount: '1623.75', currency: 'USD' } },
      t,
    );

    expect(await h.rpc.call(InvoicesRpc.markOverdue, { as_of: '2026-01-11' }, t)).toEqual({ marked: 0 });
    expect(await h.rpc.call(InvoicesRpc.markOverdue, { as_of: '2026-01-12' }, t)).toEqual({ marked: 1 });
    expect(await h.rpc.call(InvoicesRpc.markOverdue, { as_of: '2026-03-15' }, t)).toEqual({ marked: 0 });
    expect(await h.rpc.call(InvoicesRpc.markOverdue, { as_of: '2026-04-01' }, t)).toEqual({ marked: 1 });
    const overdue = await eventually(async () => {
      const found = h.events.filter((e) => e.event_type === 'invoice.overdue.v1' && e.tenant_id === t.id);
      return found.length === 2 ? found : null;
    });
    expect(
      overdue.map((e) => [
        (e.data as { invoice: { id: string } }).invoice.id,
        (e.data as { as_of: string }).as_of,
      ]),
    ).toEqual([
      [late.id, '2026-01-12'],
      [notYet.id, '2026-04-01'],
    ]);
    expect(draftLate.status).toBe('draft');
    expect(await problemOf(h.rpc.call(InvoicesRpc.markOverdue, { as_of: '2026-02-30' }, t))).toMatchObject({
      status: 422,
      errors: [{ field: 'as_of' }],
    });
  });

  it('lists with filters and keyset pages, and shows what a template generated', async () => {
    const t = testTenant();
    const c1 = await h.customer(t);
    const c2 = await h.customer(t);
    const v = await h.vendor(t);
    const template = '0190a1b2-0000-7000-8000-00000000abcd';
    const docs = await h.generate(t, [
      due(c1, { auto_send: true }, { templateId: template, date: '2026-01-01' }),
      due(c1, {}, { templateId: template, date: '2026-02-01' }),
      due(c1, { auto_send: true }, { templateId: template, date: '2026-03-01' }),
      due(c2, {}),
      due(v, { type: 'bill' }),
    ]);
    const list = (q: Partial<InvoiceListQuery>) =>
      h.rpc.call(InvoicesRpc.list, { limit: 50, ...q }, t).then((p) => p.data.map((i) => i.id).sort());
    const ids = (...i: number[]) => i.map((n) => docs[n].id).sort();
    expect(await list({ type: 'bill' })).toEqual(ids(4));
    expect(await list({ type: 'invoice' })).toEqual(ids(0, 1, 2, 3));
    expect(await list({ status: 'open' })).toEqual(ids(0, 2));
    expect(await list({ status: 'draft', customer_id: c1 })).toEqual(ids(1));
    expect(await list({ customer_id: c2 })).toEqual(ids(3));
    expect(await list({ vendor_id: v })).toEqual(ids(4));
    expect(await list({ template_id: template })).toEqual(ids(0, 1, 2));

    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.rpc.call(InvoicesRpc.list, { limit: 2, ...(cursor ? { cursor } : {}) }, t);
      pages.push(...page.data.map((i) => i.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([...pages].sort());
    expect([...pages].sort()).toEqual(ids(0, 1, 2, 3, 4));
    expect((await problemOf(h.rpc.call(InvoicesRpc.list, { limit: 2, cursor: 'nope' }, t))).errors).toEqual([
      expect.objectContaining({ field: 'cursor' }),
    ]);

    await h.rpc.call(
      InvoicesRpc.recordPayment,
      { id: docs[0].id, payment: { amount: '100.00', currency: 'USD' } },
      t,
    );
    const first = await h.rpc.call(InvoicesRpc.templateHistory, { template_id: template, limit: 2 }, t);
    const rest = await h.rpc.call(
      InvoicesRpc.templateHistory,
      { template_id: template, limit: 2, cursor: first.next_cursor! },
      t,
    );
    expect(rest.next_cursor).toBeNull();
    const history = [...first.data, ...rest.data];
    expect(history.map((i) => i.invoice_id)).toEqual([...ids(0, 1, 2)].sort());
    const jan = history.find((i) => i.occurrence_date === '2026-01-01')!;
    expect(jan).toMatchObject({
      invoice_id: docs[0].id,
      number: 'INV-000001',
      status: 'partially_paid',
      total: '1623.75',
      amount_due: '1523.75',
      currency: 'USD',
      due_date: '2026-01-31',
      sent_at: null,
    });
    expect(history.find((i) => i.occurrence_date === '2026-02-01')).toMatchObject({
      status: 'draft',
      number: null,
    });
  });

  it("never shows one tenant another tenant's documents (404)", async () => {
    const inv = await open();
    const other = testTenant();
    for (const call of [
      h.rpc.call(InvoicesRpc.get, { id: inv.id }, other),
      h.rpc.call(InvoicesRpc.finalize, { id: inv.id }, other),
      h.rpc.call(InvoicesRpc.send, { id: inv.id }, other),
      h.rpc.call(InvoicesRpc.void, { id: inv.id }, other),
      h.rpc.call(
        InvoicesRpc.recordPayment,
        { id: inv.id, payment: { amount: '1.00', currency: 'USD' } },
        other,
      ),
      h.rpc.call(InvoicesRpc.listPayments, { id: inv.id }, other),
    ]) {
      expect(await problemOf(call)).toMatchObject({ status: 404 });
    }
    expect((await h.rpc.call(InvoicesRpc.list, { limit: 50 }, other)).data).toEqual([]);
    expect((await h.rpc.call(LedgerRpc.journal, { limit: 50 }, other)).data).toEqual([]);
    expect((await h.rpc.call(InvoicesRpc.get, { id: inv.id }, tenant)).status).toBe('open');
  });
});
