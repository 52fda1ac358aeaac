import type { InvoiceDocument } from '../invoice-data/invoice-document';
import { EMAIL_TEMPLATES } from '../mail/email.templates';
import { FOOTER_TEMPLATE, INVOICE_TEMPLATE } from './invoice.template';
import { invoiceHtml, invoicePdfOptions } from './pdf-templates';

const doc: InvoiceDocument = {
  paperSize: 'Letter',
  number: 'INV-000001',
  stamp: null,
  seller: { name: '<script>alert(1)</script>', addressLines: ['<img src="file:///etc/passwd">'] },
  billTo: { name: 'Mallory "the" <b>Bold</b>', email: 'a@b.test', addressLines: [] },
  issueDate: 'January 31, 2027',
  dueDate: 'March 2, 2027',
  dueDateIso: '2027-03-02',
  currency: 'USD',
  description: "<link rel='stylesheet' href='http://127.0.0.1/x.css'>",
  lines: [
    {
      description: '<style>*{}</style>',
      quantity: '1',
      unitPrice: '$1.00',
      taxRate: '—',
      tax: '$0.00',
      amount: '$1.00',
    },
  ],
  subtotal: '$1.00',
  tax: '$0.00',
  total: '$1.00',
  amountPaid: '$0.00',
  amountDue: '$1.00',
  hasPayments: false,
  notes: '{{this}}',
};

describe('templates', () => {
  it('never insert a value unescaped: no triple-stash anywhere', () => {
    const all = [INVOICE_TEMPLATE, FOOTER_TEMPLATE, ...Object.values(EMAIL_TEMPLATES).flatMap(Object.values)];
    for (const template of all) expect(template).not.toMatch(/\{\{\{|\{\{&/);
  });

  it('escape every value of the invoice page', () => {
    const html = invoiceHtml(doc);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<img src="file');
    expect(html).not.toContain("<link rel='stylesheet'");
    expect(html).not.toContain('<style>*{}');
    expect(html).toContain('Mallory &quot;the&quot; &lt;b&gt;Bold&lt;/b&gt;');
    expect(html).toContain('{{this}}'); // a value is never a template
  });

  it('print on the tenant paper with the footer escaped too', () => {
    const options = invoicePdfOptions(doc);
    expect(options.format).toBe('letter');
    expect(options.footerTemplate).toContain('&lt;script&gt;');
    expect(invoicePdfOptions({ ...doc, paperSize: 'A4' }).format).toBe('a4');
  });
});
