import { InvoicesRpc, NotifierRpc, type TenantContext } from '@billing/contracts';
import { uuidv7 } from '@billing/common';
import { eventually } from '@billing/common/testing';
import { DailyReminders } from '../src/reminders/daily-reminders';
import { NotifierSystem } from './support';

jest.setTimeout(120_000);

/** Reminders on the policy's days, once each, never after payment or void, pausable. */
describe('notifier: payment reminders', () => {
  let sys: NotifierSystem;

  beforeAll(async () => {
    sys = await NotifierSystem.start();
    await sys.setToday('2027-01-31');
  });

  afterAll(async () => {
    await sys?.stop();
  });

  const run = (tenant: TenantContext) => sys.rpc.call(NotifierRpc.runReminders, {}, tenant);

  /** A tenant with a policy and one sent invoice (issued Jan 31, due Mar 2). */
  async function sentInvoice(offsets: number[]) {
    const tenant = await sys.tenant();
    await sys.rpc.call(NotifierRpc.setReminderPolicy, { offsets }, tenant);
    const email = `ap-${uuidv7().slice(-12)}@northwind.test`;
    const customer = await sys.customer(tenant, { email });
    const invoice = await sys.invoice(tenant, customer, { auto_send: true });
    await eventually(async () => sys.smtp.to(email).length === 1);
    await eventually(async () => (await sys.deliveries(invoice.id))[0]?.status === 'sent');
    return { tenant, email, invoice };
  }

  const subjects = (email: string) => sys.smtp.to(email).map((m) => m.headers.subject);

  it('sends each reminder on its day, once, and none after payment', async () => {
    const { tenant, email, invoice } = await sentInvoice([7, -3, 1, 14]);
    expect((await sys.rpc.call(NotifierRpc.getReminderPolicy, {}, tenant)).offsets).toEqual([-3, 1, 7, 14]);

    await sys.setToday('2027-02-26');
    expect(await run(tenant)).toEqual({ as_of: '2027-02-26', queued: 0 });

    await sys.setToday('2027-02-27'); // due − 3
    expect((await run(tenant)).queued).toBe(1);
    expect((await run(tenant)).queued).toBe(0); // once
    await eventually(async () => sys.smtp.to(email).length === 2);
    expect(subjects(email)[1]).toMatch(/^Reminder: invoice INV-\d+ is due March 2, 2027/);
    expect(sys.smtp.to(email)[1].pdf).not.toBeNull();

    await sys.setToday('2027-03-03'); // due + 1
    expect((await run(tenant)).queued).toBe(1);
    await eventually(async () => sys.smtp.to(email).length === 3);
    expect(subjects(email)[2]).toMatch(/^Overdue: invoice INV-\d+ was due March 2, 2027/);
    expect(sys.smtp.to(email)[2].raw).toContain('(1 day ago)');

    // Paid in full before the +7 reminder: nothing more, on any day.
    await sys.rpc.call(
      InvoicesRpc.recordPayment,
      { id: invoice.id, payment: { amount: invoice.total, currency: 'USD' } },
      tenant,
    );
    await eventually(async () => {
      const [row] = await sys.notifierDb.query('SELECT closed_at FROM receivables WHERE invoice_id = $1', [
        invoice.id,
      ]);
      return row?.closed_at;
    });
    for (const day of ['2027-03-09', '2027-03-16', '2027-04-30']) {
      await sys.setToday(day);
      expect((await run(tenant)).queued).toBe(0);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(sys.smtp.to(email)).toHaveLength(3);
    const kinds = (await sys.deliveries(invoice.id)).map((d) => [d.kind, d.reminder_offset, d.status]);
    expect(kinds).toEqual([
      ['invoice', null, 'sent'],
      ['reminder', -3, 'sent'],
      ['reminder', 1, 'sent'],
    ]);
  });

  it('pausing stops reminders, resuming sends the one due now; a void invoice gets none', async () => {
    await sys.setToday('2027-01-31');
    const { tenant, email, invoice } = await sentInvoice([1, 7]);
    const paused = await sys.rpc.call(NotifierRpc.pauseReminders, { id: invoice.id }, tenant);
    expect(paused).toEqual({ invoice_id: invoice.id, paused: true });
    await sys.setToday('2027-03-03');
    expect((await run(tenant)).queued).toBe(0);
    await sys.setToday('2027-03-10'); // a week late: one reminder (+7), not a burst of stale ones
    await sys.rpc.call(NotifierRpc.resumeReminders, { id: invoice.id }, tenant);
    expect((await run(tenant)).queued).toBe(1);
    await eventually(async () => sys.smtp.to(email).length === 2);
    expect(sys.smtp.to(email)[1].raw).toContain('(8 days ago)');

    const other = await sentInvoice([14]);
    await sys.rpc.call(InvoicesRpc.void, { id: other.invoice.id }, other.tenant);
    await eventually(async () => {
      const [row] = await sys.notifierDb.query('SELECT closed_at FROM receivables WHERE invoice_id = $1', [
        other.invoice.id,
      ]);
      return row?.closed_at;
    });
    await sys.setToday('2027-03-20');
    expect((await run(other.tenant)).queued).toBe(0);
  });

  it('the daily pass runs each tenant once per day of its own', async () => {
    await sys.setToday('2027-01-31');
    const { tenant, email } = await sentInvoice([-3]);
    const daily = sys.notifier.get(DailyReminders);
    await sys.setToday('2027-02-27');
    await daily.tick();
    await daily.tick();
    await eventually(async () => sys.smtp.to(email).length === 2);
    const passes = await sys.notifierDb.query(
      'SELECT pass_date, queued FROM reminder_passes WHERE tenant_id = $1',
      [tenant.id],
    );
    expect(passes).toEqual([{ pass_date: '2027-02-27', queued: 1 }]);
  });

  it('refuses a bad policy with the field named, and changes nothing', async () => {
    const tenant = await sys.tenant();
    await sys.rpc.call(NotifierRpc.setReminderPolicy, { offsets: [-3, 7] }, tenant);
    for (const offsets of [[1, 1], [1.5], [400], [-366], Array.from({ length: 21 }, (_, i) => i)]) {
      await expect(sys.rpc.call(NotifierRpc.setReminderPolicy, { offsets }, tenant)).rejects.toMatchObject({
        problem: {
          status: 422,
          errors: [expect.objectContaining({ field: expect.stringMatching(/^offsets/) })],
        },
      });
    }
    expect((await sys.rpc.call(NotifierRpc.getReminderPolicy, {}, tenant)).offsets).toEqual([-3, 7]);
    await expect(sys.rpc.call(NotifierRpc.pauseReminders, { id: uuidv7() }, tenant)).rejects.toMatchObject({
      problem: { status: 404 },
    });
  });
});
