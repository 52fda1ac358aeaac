import type { InvoiceDocument } from '../invoice-data/invoice-document';
import { composeEmail, messageIdFor } from './email-message';

const doc = {
  number: 'INV-000042',
  seller: { name: 'Smith & Sons <Ltd>', addressLines: [] },
  billTo: { name: 'Northwind\r\nBcc: victim@evil.test', email: 'ap@northwind.test', addressLines: [] },
  issueDate: 'January 31, 2027',
  dueDate: 'March 2, 2027',
  amountDue: '$2,811.25',
  notes: '<b>Net 30</b>',
} as unknown as InvoiceDocument;

const base = {
  doc,
  recipient: 'ap@northwind.test',
  from: 'billing@acme.test',
  messageId: messageIdFor('0190a1b2-0000-7000-8000-000000000009', 'billing@acme.test'),
  pdf: Buffer.from('%PDF-1.4'),
  pdfName: 'INV-000042.pdf',
};

describe('emails', () => {
  it('the invoice email: subject, plain text as written, HTML escaped, the PDF attached', () => {
    const mail = composeEmail({ ...base, kind: 'invoice', daysFromDue: null });
    expect(mail.subject).toBe('Invoice INV-000042 from Smith & Sons <Ltd> — $2,811.25 due March 2, 2027');
    expect(mail.text).toContain('Smith & Sons <Ltd>');
    expect(mail.text).toContain('<b>Net 30</b>');
    expect(mail.html).toContain('Smith &amp; Sons &lt;Ltd&gt;');
    expect(mail.html).toContain('&lt;b&gt;Net 30&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>Net');
    expect(mail.messageId).toBe('<0190a1b2-0000-7000-8000-000000000009@acme.test>');
    expect(mail.attachments).toEqual([
      { filename: 'INV-000042.pdf', content: base.pdf, contentType: 'application/pdf' },
    ]);
    // A name cannot smuggle a header in.
    expect(mail.to).toEqual({ name: 'Northwind Bcc: victim@evil.test', address: 'ap@northwind.test' });
  });

  it('reminders say how far the due date is', () => {
    const before = composeEmail({ ...base, kind: 'reminder', daysFromDue: -3 });
    expect(before.subject).toBe('Reminder: invoice INV-000042 is due March 2, 2027 — $2,811.25');
    expect(before.text).toContain('in 3 days');
    const today = composeEmail({ ...base, kind: 'reminder', daysFromDue: 0 });
    expect(today.text).toContain('is due today');
    const after = composeEmail({ ...base, kind: 'reminder', daysFromDue: 1 });
    expect(after.subject).toBe('Overdue: invoice INV-000042 was due March 2, 2027 — $2,811.25');
    expect(after.text).toContain('(1 day ago)');
  });
});
