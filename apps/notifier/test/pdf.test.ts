import { readFileSync } from 'fs';
import { InvoicesRpc, NotifierRpc, VendorsRpc } from '@billing/contracts';
import { PdfRenderer } from '../src/pdf/pdf-renderer';
import { pdfOptions } from '../src/pdf/pdf-templates';
import { NotifierSystem, TripwireServer, pdfText } from './support';

jest.setTimeout(90_000);

/** Invoice PDFs read back as text; hostile values; a browser that dies. */
describe('notifier: invoice PDFs', () => {
  let sys: NotifierSystem;
  let tripwire: TripwireServer;

  beforeAll(async () => {
    sys = await NotifierSystem.start();
    tripwire = await TripwireServer.start();
    await sys.setToday('2027-02-05');
  });

  afterAll(async () => {
    await tripwire?.close();
    await sys?.stop();
  });

  const pdfOf = async (tenant: Parameters<NotifierSystem['getInvoice']>[0], id: string) => {
    const res = await sys.rpc.call(NotifierRpc.invoicePdf, { id }, tenant);
    return { filename: res.filename, pdf: Buffer.from(res.content_base64, 'base64') };
  };

  it('prints the number, dates, parties, lines and totals, in the invoice currency', async () => {
    const tenant = await sys.tenant({ name: 'Acme Retainers LLC' });
    const customer = await sys.customer(tenant, { name: 'Northwind Traders' });
    const invoice = await sys.invoice(
      tenant,
      customer,
      { auto_send: true, days_until_due: 30 },
      '2027-01-31',
    );
    expect(invoice.number).toMatch(/^INV-\d{6}$/);

    const { filename, pdf } = await pdfOf(tenant, invoice.id);
    expect(filename).toBe(`${invoice.number}.pdf`);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const expected of [
      invoice.number!,
      'Acme Retainers LLC',
      '500 Market Street',
      'San Francisco, CA, 94105',
      'United States',
      'Northwind Traders',
      '12 Harbour Road',
      'January 31, 2027', // issue date
      'March 2, 2027', // due date: 30 days later
      'Strategy retainer',
      'Design hours',
      '12.5',
      '$1,500.00', // unit price and line amount
      '8.25%',
      '$123.75', // line tax
      '$1,187.50', // 12.5 × 95.00
      '$2,687.50', // subtotal
      '$2,811.25', // total
      '$0.00', // amount paid
      'Thank you for your business.',
      'Page 1 of 1',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/Amount due\s+\$2,811\.25/);
  });

  it('shows payments and formats other currencies the way they are written', async () => {
    const tenant = await sys.tenant({ paperSize: 'Letter' });
    const customer = await sys.customer(tenant, { currency: 'EUR' });
    const invoice = await sys.invoice(tenant, customer, {
      auto_send: true,
      currency: 'EUR',
      lines: [{ description: 'Licence', quantity: '3', unit_price: '1234.56', tax_rate: '20' }],
    });
    await sys.rpc.call(
      InvoicesRpc.recordPayment,
      { id: invoice.id, payment: { amount: '1000.00', currency: 'EUR' } },
      tenant,
    );
    const { pdf } = await pdfOf(tenant, invoice.id);
    const text = await pdfText(pdf);
    expect(text).toContain('€3,703.68'); // 3 × 1234.56
    expect(text).toContain('€740.74'); // 20 % tax
    expect(text).toContain('€4,444.42');
    expect(text).toContain('€1,000.00'); // paid
    expect(text).toMatch(/Amount due\s+€3,444\.42/);
    // Letter paper: 612 × 792 points.
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 612 792\]/);
  });

  it('escapes every value: hostile text is printed as text and the page fetches nothing', async () => {
    const t = tripwire.base;
    const tenant = await sys.tenant({
      name: `<img src="${t}/tenant-logo.png">Evil Corp`,
      address: {
        line1: `<link rel="stylesheet" href="${t}/address.css">`,
        city: 'Springfield',
        country: 'US',
      },
    });
    const customer = await sys.customer(tenant, {
      name: `<script>fetch("${t}/script")</script>Mallory`,
      address: {
        line1: '<img src="file:///etc/passwd">',
        city: '<iframe src="file:///etc/passwd"></iframe>',
        country: 'US',
      },
    });
    const invoice = await sys.invoice(tenant, customer, {
      auto_send: true,
      description: `<style>@import url("${t}/import.css"); body { background: url("${t}/bg.png") }</style>`,
      notes: `<img src="file:///etc/passwd"><object data="file:///etc/passwd"></object><link rel=stylesheet href="${t}/notes.css">`,
      lines: [
        {
          description: `<img src="${t}/line.png" onerror="fetch('${t}/onerror')">`,
          quantity: '1',
          unit_price: '10.00',
          tax_rate: '0',
        },
      ],
    });
    const { pdf } = await pdfOf(tenant, invoice.id);
    const text = await pdfText(pdf);
    expect(tripwire.requests).toEqual([]);
    expect(text).toContain('<script>fetch(');
    expect(text).toContain('<img src="file:///etc/passwd">');
    expect(text).toContain('Evil Corp');
    expect(text).not.toMatch(/root:.*:0:0:/);
  });

  it('even raw hostile HTML reaches nothing: no script runs, no request leaves, no file is read', async () => {
    const t = tripwire.base;
    const renderer = sys.notifier.get(PdfRenderer);
    const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0];
    const html = `<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="${t}/raw.css"><style>@import url("${t}/raw-import.css");</style>
      <script src="${t}/raw.js"></script></head><body>
      <h1>Raw page</h1>
      <img src="${t}/raw.png"><img src="file:///etc/passwd"><iframe src="file:///etc/passwd"></iframe>
      <object data="file:///etc/passwd"></object><embed src="${t}/raw-embed">
      <div style="background-image: url(${t}/raw-bg.png)">styled</div>
      <script>document.write('SCRIPT RAN'); fetch('${t}/raw-fetch'); new Image().src = '${t}/raw-img';</script>
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
    </body></html>`;
    const pdf = await renderer.renderHtml(html, pdfOptions('A4', '<span></span>'));
    const text = await pdfText(pdf);
    expect(text).toContain('Raw page');
    expect(text).not.toContain('SCRIPT RAN');
    expect(text).not.toContain(passwd);
    expect(tripwire.requests).toEqual([]);
  });

  it('relaunches the browser after it is killed: the next render works', async () => {
    const tenant = await sys.tenant();
    const customer = await sys.customer(tenant);
    const invoice = await sys.invoice(tenant, customer, { auto_send: true });
    const renderer = sys.notifier.get(PdfRenderer);
    await pdfOf(tenant, invoice.id);
    const pid = (await renderer.pool.pid())!;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const { pdf } = await pdfOf(tenant, invoice.id);
    expect(await pdfText(pdf)).toContain(invoice.number!);
    const relaunched = await renderer.pool.pid();
    expect(relaunched).not.toBe(pid);
  });

  it('answers 404 for an invoice of another tenant and 409 for a bill', async () => {
    const tenant = await sys.tenant();
    const other = await sys.tenant();
    const customer = await sys.customer(tenant);
    const invoice = await sys.invoice(tenant, customer, { auto_send: true });
    await expect(pdfOf(other, invoice.id)).rejects.toMatchObject({ problem: { status: 404 } });
    const vendor = (await sys.rpc.call(VendorsRpc.create, { name: 'Hosting Co' }, tenant)).id;
    const bill = await sys.invoice(tenant, vendor, { type: 'bill', customer_id: null, vendor_id: vendor });
    await expect(pdfOf(tenant, bill.id)).rejects.toMatchObject({ problem: { status: 409 } });
  });
});
