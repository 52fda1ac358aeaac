import { TestSmtpServer, pdfText } from '../apps/notifier/test/mail';
import { ADMIN_TOKEN, client, createTenant, startE2eSystem, type E2eSystem } from './helpers';

jest.setTimeout(300_000);

type Api = ReturnType<typeof client>;

async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The notifier in the whole system (separate processes, manual clock, a real SMTP server): an
 * auto-send monthly template over three months gives three emails with their PDFs and `sent_at`;
 * reminders go out on the policy's days, and stop once an invoice is paid.
 */
describe('end to end: invoices leave the building', () => {
  let e2e: E2eSystem;
  let smtp: TestSmtpServer;
  let admin: Api;
  let api: Api;
  let key: string;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    e2e = await startE2eSystem(['gateway', 'templates', 'invoicing', 'scheduler', 'notifier'], {
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'billing@acme.test',
        DELIVERY_POLL_MS: '200',
        REMINDERS_CHECK_MS: '300',
        SCHEDULER_DAILY_RUNS: 'false',
        RPC_TIMEOUT_MS: '10000',
      },
    });
    admin = client(e2e.url, ADMIN_TOKEN);
  });

  afterAll(async () => {
    await e2e?.close();
    await smtp?.down();
  });

  const setToday = async (today: string) =>
    expect((await admin.put('/v1/admin/clock', { today })).status).toBe(200);
  const mailsTo = (email: string) => smtp.to(email);

  it('three months of an auto-send template: three emails, three PDFs, reminders until paid', async () => {
    await setToday('2027-01-01');
    ({ api, key } = await createTenant(e2e.url, 'Acme Retainers LLC'));
    const tenant = await api.patch('/v1/tenant', {
      address: {
        line1: '500 Market Street',
        city: 'San Francisco',
        region: 'CA',
        postal_code: '94105',
        country: 'US',
      },
      paper_size: 'Letter',
    });
    expect(tenant.status).toBe(200);
    expect(tenant.body).toMatchObject({ paper_size: 'Letter', address: { city: 'San Francisco' } });
    expect((await api.put('/v1/reminders/policy', { offsets: [7, -3, 1] })).body.offsets).toEqual([-3, 1, 7]);
    const bad = await api.put('/v1/reminders/policy', { offsets: [1, 1, 2.5] });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.get('/v1/reminders/policy')).body.offsets).toEqual([-3, 1, 7]);

    const email = 'ap@northwind.test';
    const customer = (await api.post('/v1/customers', { name: 'Northwind Traders', email })).body;
    const template = await api.post('/v1/templates', {
      type: 'invoice',
      customer_id: customer.id,
      frequency: 'monthly',
      day_of_month: 15,
      start_date: '2027-01-15',
      days_until_due: 10,
      auto_send: true,
      line_items: [
        { description: 'Strategy retainer', quantity: '1', unit_price: '1500.00', tax_rate: '8.25' },
      ],
      notes: 'Thank you for your business.',
    });
    expect(template.status).toBe(201);

    const invoices: any[] = [];
    /** The scheduler runs on the 15th; the invoice is generated, finalized and emailed. */
    const month = async (date: string) => {
      await setToday(date);
      expect((await api.post('/v1/scheduler/runs', {})).status).toBe(201);
      const invoice = await waitFor(async () => {
        const page = (await api.get(`/v1/invoices?template_id=${template.body.id}`)).body.data as any[];
        const found = page.find((i) => i.issue_date === date);
        return found?.sent_at ? found : null;
      });
      invoices.push(invoice);
      return invoice;
    };
    /** A day passes: the daily reminder pass sends what is due (and nothing else). */
    const day = async (date: string, expectedMails: number) => {
      await setToday(date);
      await waitFor(async () => mailsTo(email).length >= expectedMails);
      await new Promise((r) => setTimeout(r, 1200));
      expect(mailsTo(email)).toHaveLength(expectedMails);
    };
    const pay = async (invoice: any) =>
      expect(
        (await api.post(`/v1/invoices/${invoice.id}/payments`, { amount: invoice.total, currency: 'USD' }))
          .status,
      ).toBe(201);

    const jan = await month('2027-01-15'); // due Jan 25
    await waitFor(async () => mailsTo(email).length >= 1);
    await day('2027-01-20', 1);
    await day('2027-01-22', 2); // −3
    await day('2027-01-26', 3); // +1
    await setToday('2027-01-27');
    await pay(jan);
    await day('2027-02-01', 3); // Jan +7: paid, nothing
    const feb = await month('2027-02-15'); // due Feb 25
    await waitFor(async () => mailsTo(email).length >= 4);
    await day('2027-02-22', 5); // Feb −3
    await day('2027-02-26', 6); // Feb +1
    await day('2027-03-04', 7); // Feb +7
    const mar = await month('2027-03-15'); // due Mar 25
    await waitFor(async () => mailsTo(email).length >= 8);
    await pay(feb);
    await pay(mar);
    await day('2027-03-22', 8); // Mar −3: paid, nothing
    await day('2027-03-26', 8);

    const subjects = mailsTo(email).map((m) => m.headers.subject);
    expect(subjects.filter((s) => s.startsWith('Invoice '))).toEqual(
      invoices.map((i) => expect.stringContaining(`Invoice ${i.number} from Acme Retainers LLC`)),
    );
    expect(subjects.filter((s) => s.startsWith('Reminder: '))).toEqual([
      expect.stringContaining(jan.number),
      expect.stringContaining(feb.number),
    ]);
    expect(subjects.filter((s) => s.startsWith('Overdue: '))).toEqual([
      expect.stringContaining(jan.number),
      expect.stringContaining(feb.number),
      expect.stringContaining(feb.number),
    ]);
    expect(mailsTo(email).every((m) => /Content-Type: application\/pdf/.test(m.raw))).toBe(true);

    for (const invoice of invoices) {
      const now = (await api.get(`/v1/invoices/${invoice.id}`)).body;
      expect(now.sent_at).not.toBeNull();
      expect(now.delivery_status).toBe('sent');
      const res = await fetch(`${e2e.url}/v1/invoices/${invoice.id}/pdf`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 612 792\]/); // Letter
      const text = await pdfText(pdf);
      expect(text).toContain(invoice.number);
      expect(text).toContain('500 Market Street');
      expect(text).toContain('Strategy retainer');
      expect(text).toMatch(/Amount due\s+\$0\.00/); // paid since
      const deliveries = (await api.get(`/v1/invoices/${invoice.id}/deliveries`)).body.data;
      expect(deliveries[0]).toMatchObject({ kind: 'invoice', status: 'sent', recipient: email });
    }
    expect(new Set(invoices.map((i) => i.number)).size).toBe(3);
  });
});
