import { TemplatesRpc, VendorsRpc, occurrenceKey } from '@billing/contracts';
import { uuidFromName } from '@billing/common';
import { TestSystem } from './support';

jest.setTimeout(60_000);

/**
 * The schedule end to end: templates, invoicing and the scheduler on one database and one bus, the
 * manual clock moved day by day, every run followed until its documents exist and the templates moved on.
 */
describe('scheduler: every due occurrence becomes one document on its own date', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await TestSystem.start('sched');
  });

  afterAll(async () => {
    await sys?.close();
  });

  const daily = (customerId: string, startDate: string, extra = {}) => ({
    type: 'invoice' as const,
    customer_id: customerId,
    frequency: 'daily' as const,
    start_date: startDate,
    total: '10.00',
    ...extra,
  });

  it('monthly on the 31st from January, run month by month: Jan 31, Feb 28, Mar 31, Apr 30', async () => {
    const { tenant, customerId } = await sys.tenant('Monthly');
    await sys.setToday('2027-01-01');
    const t = await sys.template(tenant, {
      type: 'invoice',
      customer_id: customerId,
      frequency: 'monthly',
      start_date: '2027-01-31',
      total: '1500.00',
      description: 'Retainer',
      days_until_due: 14,
    });
    const months = ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30'];
    const runs = [];
    for (const day of months) {
      await sys.setToday(day);
      runs.push(await sys.runAndSettle(tenant));
    }

    const docs = await sys.documents(tenant, t.id);
    expect(docs.map((d) => [d.issue_date, d.occurrence_date, d.due_date])).toEqual([
      ['2027-01-31', '2027-01-31', '2027-02-14'],
      ['2027-02-28', '2027-02-28', '2027-03-14'],
      ['2027-03-31', '2027-03-31', '2027-04-14'],
      ['2027-04-30', '2027-04-30', '2027-05-14'],
    ]);
    expect(docs[0]).toMatchObject({
      template_id: t.id,
      type: 'invoice',
      customer_id: customerId,
      total: '1500.00',
      lines: [expect.objectContaining({ description: 'Retainer', quantity: '1', unit_price: '1500.00' })],
    });

    // Each run shows what it generated, the document's id and where the template went next.
    const next = ['2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31'];
    runs.forEach((r, i) => {
      expect(r.run).toMatchObject({
        run_date: months[i],
        trigger: 'manual',
        status: 'published',
        error: null,
        counts: { templates: 1, occurrences: 1, pending: 0, generated: 1, skipped: 0, failed: 0 },
      });
      expect(r.results.data).toEqual([
        {
          template_id: t.id,
          occurrence_date: months[i],
          outcome: 'generated',
          reason: null,
          invoice_id: docs[i].id,
          next_occurrence_date: next[i],
        },
      ]);
    });
    expect(await sys.getTemplate(tenant, t.id)).toMatchObject({
      status: 'active',
      generated_count: 4,
      last_generated_date: '2027-04-30',
      next_occurrence_date: '2027-05-31',
    });
  });

  it('a scheduler down for three days, then run once, generates each missed day with its own date', async () => {
    const { tenant, customerId } = await sys.tenant('Catch-up');
    await sys.setToday('2027-02-01');
    const t = await sys.template(tenant, daily(customerId, '2027-02-02', { days_until_due: 5 }));
    // Down on the 2nd, 3rd and 4th; run once on the 4th.
    await sys.setToday('2027-02-04');
    const run = await sys.runAndSettle(tenant);
    expect(run.results.data.map((r) => [r.occurrence_date, r.outcome])).toEqual([
      ['2027-02-02', 'generated'],
      ['2027-02-03', 'generated'],
      ['2027-02-04', 'generated'],
    ]);
    // Each result shows where the template stood once it had counted that document: right after it,
    // or further on when later documents (generated in parallel batches) were counted first.
    for (const r of run.results.data) {
      expect(r.next_occurrence_date! > r.occurrence_date && r.next_occurrence_date! <= '2027-02-05').toBe(
        true,
      );
    }
    expect(run.results.data[2].next_occurrence_date).toBe('2027-02-05');
    const docs = await sys.documents(tenant, t.id);
    expect(docs.map((d) => [d.issue_date, d.due_date])).toEqual([
      ['2027-02-02', '2027-02-07'],
      ['2027-02-03', '2027-02-08'],
      ['2027-02-04', '2027-02-09'],
    ]);
    expect(run.results.data.map((r) => r.invoice_id)).toEqual(docs.map((d) => d.id));
    expect(await sys.getTemplate(tenant, t.id)).toMatchObject({
      generated_count: 3,
      next_occurrence_date: '2027-02-05',
    });
  });

  it('max_occurrences and end_date complete the template', async () => {
    const { tenant, customerId } = await sys.tenant('Limits');
    await sys.setToday('2027-03-01');
    const capped = await sys.template(tenant, daily(customerId, '2027-03-01', { max_occurrences: 2 }));
    const ending = await sys.template(tenant, {
      ...daily(customerId, '2027-03-01', { end_date: '2027-03-15' }),
      frequency: 'weekly',
    });
    await sys.setToday('2027-03-20');
    const run = await sys.runAndSettle(tenant);

    expect(await sys.issueDates(tenant, capped.id)).toEqual(['2027-03-01', '2027-03-02']);
    expect(await sys.issueDates(tenant, ending.id)).toEqual(['2027-03-01', '2027-03-08', '2027-03-15']);
    for (const t of [capped, ending]) {
      expect(await sys.getTemplate(tenant, t.id)).toMatchObject({
        status: 'completed',
        next_occurrence_date: null,
      });
    }
    const last = (id: string) => run.results.data.filter((r) => r.template_id === id).pop();
    expect(last(capped.id)).toMatchObject({ outcome: 'generated', next_occurrence_date: null });
    expect(last(ending.id)).toMatchObject({ outcome: 'generated', next_occurrence_date: null });
    expect(run.run.counts).toMatchObject({ templates: 2, occurrences: 5, generated: 5 });

    await sys.setToday('2027-03-31');
    expect((await sys.runAndSettle(tenant)).results.data).toEqual([]);
  });

  it('pause then resume: the occurrences inside the pause are never generated', async () => {
    const { tenant, customerId } = await sys.tenant('Paused');
    await sys.setToday('2027-04-01');
    const t = await sys.template(tenant, daily(customerId, '2027-04-01'));
    await sys.runAndSettle(tenant);
    await sys.setToday('2027-04-02');
    await sys.rpc.call(TemplatesRpc.pause, { id: t.id }, tenant);
    await sys.setToday('2027-04-05');
    expect((await sys.runAndSettle(tenant)).results.data).toEqual([]);
    const resumed = await sys.rpc.call(TemplatesRpc.resume, { id: t.id }, tenant);
    expect(resumed.next_occurrence_date).toBe('2027-04-05');
    await sys.runAndSettle(tenant);
    expect(await sys.issueDates(tenant, t.id)).toEqual(['2027-04-01', '2027-04-05']);
  });

  it('skip next: the skipped occurrence is not generated and does not count', async () => {
    const { tenant, customerId } = await sys.tenant('Skipping');
    await sys.setToday('2027-05-01');
    const t = await sys.template(tenant, daily(customerId, '2027-05-01', { max_occurrences: 2 }));
    expect((await sys.rpc.call(TemplatesRpc.skipNext, { id: t.id }, tenant)).next_occurrence_date).toBe(
      '2027-05-02',
    );
    await sys.setToday('2027-05-05');
    await sys.runAndSettle(tenant);
    expect(await sys.issueDates(tenant, t.id)).toEqual(['2027-05-02', '2027-05-03']);
    expect(await sys.getTemplate(tenant, t.id)).toMatchObject({
      status: 'completed',
      generated_count: 2,
      skipped_count: 1,
    });
  });

  it('bills go to their vendor like invoices to their customer', async () => {
    const { tenant } = await sys.tenant('Bills');
    const vendor = await sys.rpc.call(VendorsRpc.create, { name: 'Hosting Co', currency: 'EUR' }, tenant);
    await sys.setToday('2027-06-01');
    const t = await sys.template(tenant, {
      type: 'bill',
      vendor_id: vendor.id,
      frequency: 'monthly',
      line_items: [{ description: 'Servers', quantity: '2', unit_price: '40.00', tax_rate: '10' }],
    });
    await sys.runAndSettle(tenant);
    const [bill] = await sys.documents(tenant, t.id);
    expect(bill).toMatchObject({
      type: 'bill',
      vendor_id: vendor.id,
      customer_id: null,
      currency: 'EUR',
      issue_date: '2027-06-01',
      subtotal: '80.00',
      tax: '8.00',
      total: '88.00',
    });
  });

  it('publishes each occurrence once, with its occurrence as message id', async () => {
    expect(sys.published.length).toBeGreaterThan(0);
    const keys = sys.published.map((p) => occurrenceKey(p.data.template_id, p.data.occurrence_date));
    expect(new Set(keys).size).toBe(keys.length);
    for (const p of sys.published) {
      expect(p.msgId).toBe(uuidFromName(occurrenceKey(p.data.template_id, p.data.occurrence_date)));
    }
  });
});
