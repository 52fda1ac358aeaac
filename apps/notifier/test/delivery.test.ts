import {
  type EventEnvelope,
  InvoiceEvents,
  InvoicesRpc,
  NotifierRpc,
  eventSubject,
} from '@billing/contracts';
import { uuidv7 } from '@billing/common';
import { eventually } from '@billing/common/testing';
import { NotifierSystem, pdfText } from './support';

jest.setTimeout(120_000);

/** Invoice emails through a real SMTP server: attached PDF, once, retried, reported when given up. */
describe('notifier: invoice emails', () => {
  let sys: NotifierSystem;

  beforeAll(async () => {
    sys = await NotifierSystem.start();
    await sys.setToday('2027-02-01');
  });

  afterAll(async () => {
    await sys?.stop();
  });

  const emailOf = async (tenant: Parameters<NotifierSystem['customer']>[0]) => {
    const email = `ap-${uuidv7().slice(-12)}@northwind.test`;
    return { email, customer: await sys.customer(tenant, { email }) };
  };

  it('emails an auto-sent invoice with its PDF attached, and the invoice shows it was sent', async () => {
    const tenant = await sys.tenant({ name: 'Acme Retainers LLC' });
    const { email, customer } = await emailOf(tenant);
    const invoice = await sys.invoice(tenant, customer, { auto_send: true });

    const [mail] = await eventually(async () => {
      const got = sys.smtp.to(email);
      return got.length ? got : null;
    });
    expect(mail.headers.subject).toBe(
      `Invoice ${invoice.number} from Acme Retainers LLC — $2,811.25 due March 2, 2027`,
    );
    expect(mail.headers.from).toContain('Acme Retainers LLC');
    expect(mail.headers['message-id']).toMatch(/^<[0-9a-f-]{36}@localhost\.localdomain>$/);
    expect(mail.raw).toContain(`filename=${invoice.number}.pdf`);
    expect(mail.pdf).not.toBeNull();
    const text = await pdfText(mail.pdf!);
    expect(text).toContain(invoice.number!);
    expect(text).toContain('$2,811.25');

    const sent = await eventually(async () => {
      const now = await sys.getInvoice(tenant, invoice.id);
      return now.sent_at ? now : null;
    });
    expect(sent.delivery_status).toBe('sent');
    expect(sent.delivery_error).toBeNull();
    const { data } = await sys.rpc.call(NotifierRpc.deliveries, { id: invoice.id }, tenant);
    expect(data).toEqual([
      expect.objectContaining({ kind: 'invoice', status: 'sent', attempts: 1, recipient: email }),
    ]);
    expect(`<${data[0].message_id.slice(1, -1)}>`).toBe(mail.headers['message-id']);
  });

  it('does not email a draft: only send (or auto-send) does, and then once', async () => {
    const tenant = await sys.tenant();
    const { email, customer } = await emailOf(tenant);
    const invoice = await sys.invoice(tenant, customer, { auto_send: false });
    await sys.rpc.call(InvoicesRpc.finalize, { id: invoice.id }, tenant);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sys.smtp.to(email)).toHaveLength(0);
    await sys.rpc.call(InvoicesRpc.send, { id: invoice.id }, tenant);
    await eventually(async () => sys.smtp.to(email).length === 1);
  });

  it('the same finalized event delivered twice, and a send on top: one email', async () => {
    const tenant = await sys.tenant();
    const { email, customer } = await emailOf(tenant);
    const invoice = await sys.invoice(tenant, customer, { auto_send: true });
    const copy: EventEnvelope = {
      event_id: uuidv7(),
      event_type: 'invoice.finalized.v1',
      schema_version: 1,
      tenant_id: tenant.id,
      occurred_at: new Date().toISOString(),
      data: { invoice },
    };
    const subject = eventSubject(sys.root, InvoiceEvents.finalized);
    // Two deliveries of one event (the stream did not deduplicate them: different Nats-Msg-Id) ...
    await sys.js.publish(subject, JSON.stringify(copy), { msgID: uuidv7() });
    await sys.js.publish(subject, JSON.stringify(copy), { msgID: uuidv7() });
    // ... another finalized event of the same invoice, and someone pressing send.
    await sys.js.publish(subject, JSON.stringify({ ...copy, event_id: uuidv7() }), { msgID: uuidv7() });
    await sys.rpc.call(InvoicesRpc.send, { id: invoice.id }, tenant);

    await eventually(async () => sys.smtp.to(email).length >= 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(sys.smtp.to(email)).toHaveLength(1);
    expect(await sys.deliveries(invoice.id)).toEqual([
      { kind: 'invoice', status: 'sent', attempts: 1, reminder_offset: null },
    ]);
  });

  it('the mail server down for a while: retried with backoff, the mail arrives once when it is back', async () => {
    const tenant = await sys.tenant();
    const { email, customer } = await emailOf(tenant);
    await sys.smtp.down();
    try {
      const invoice = await sys.invoice(tenant, customer, { auto_send: true });
      await eventually(async () => {
        const [d] = await sys.deliveries(invoice.id);
        return d && d.attempts >= 2 && d.status === 'pending';
      });
      const failing = await sys.getInvoice(tenant, invoice.id);
      expect(failing.sent_at).toBeNull();
      expect(failing.delivery_status).toBe('pending');
      const [d] = await sys.rpc.call(NotifierRpc.deliveries, { id: invoice.id }, tenant).then((r) => r.data);
      expect(d.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(d.next_attempt_at).not.toBeNull();
    } finally {
      await sys.smtp.up();
    }
    await eventually(async () => sys.smtp.to(email).length === 1, 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sys.smtp.to(email)).toHaveLength(1);
  });

  it('the mail server down for good: delivery.failed, and the invoice shows it', async () => {
    const tenant = await sys.tenant();
    const { email, customer } = await emailOf(tenant);
    const failures: EventEnvelope[] = [];
    const sub = sys.rpc.nc.subscribe(`${sys.root}.delivery.failed.v1`, {
      callback: (_e, msg) => {
        failures.push(msg.json());
      },
    });
    await sys.smtp.down();
    let invoiceId: string;
    try {
      const invoice = await sys.invoice(tenant, customer, { auto_send: true });
      invoiceId = invoice.id;
      const failed = await eventually(async () => {
        const now = await sys.getInvoice(tenant, invoice.id);
        return now.delivery_status === 'failed' ? now : null;
      }, 20_000);
      expect(failed.sent_at).toBeNull();
      expect(failed.delivery_error).toMatch(/ECONNREFUSED|connect/i);
      expect(await sys.deliveries(invoice.id)).toEqual([
        { kind: 'invoice', status: 'failed', attempts: 4, reminder_offset: null },
      ]);
      expect(failures.map((f: any) => f.data.delivery.invoice_id)).toEqual([invoice.id]);
    } finally {
      sub.unsubscribe();
      await sys.smtp.up();
    }
    // Given up is given up: the server coming back does not resurrect it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(sys.smtp.to(email)).toHaveLength(0);
    expect((await sys.deliveries(invoiceId))[0].status).toBe('failed');
  });

  it('a mailbox the server refuses for good (550) fails at once, with the reason on the invoice', async () => {
    const tenant = await sys.tenant();
    const email = `bounce-${uuidv7().slice(-12)}@northwind.test`;
    const customer = await sys.customer(tenant, { email });
    const invoice = await sys.invoice(tenant, customer, { auto_send: true });
    const failed = await eventually(async () => {
      const now = await sys.getInvoice(tenant, invoice.id);
      return now.delivery_status === 'failed' ? now : null;
    });
    expect(failed.delivery_error).toMatch(/refused the message.*550/);
    expect(await sys.deliveries(invoice.id)).toEqual([
      { kind: 'invoice', status: 'failed', attempts: 1, reminder_offset: null },
    ]);
  });
});
