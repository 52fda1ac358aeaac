/**
 * bench/pdf: invoice PDFs per second through the notifier's renderer (the one browser, its pool of
 * locked-down pages) against a plain puppeteer loop printing the very same HTML with the same options
 * and the same number of pages at once, in the same run. See README.md beside this file.
 */
import { cpus, loadavg } from 'os';
import type { InvoiceView, PartyView, TenantView } from '@billing/contracts';
import puppeteer, { type Browser, type PDFOptions } from 'puppeteer';
import type { NotifierConfig } from '../../apps/notifier/src/app.module';
import { invoiceDocument } from '../../apps/notifier/src/invoice-data/invoice-document';
import { PdfRenderer } from '../../apps/notifier/src/pdf/pdf-renderer';
import { invoiceHtml, invoicePdfOptions } from '../../apps/notifier/src/pdf/pdf-templates';

const THRESHOLD = 0.8;

interface Options {
  pdfs: number;
  pages: number;
  rounds: number;
  executablePath: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    pdfs: 200,
    pages: 2,
    rounds: 3,
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
  };
  for (let i = 0; i < argv.length; i++) {
    const value = Number(argv[i + 1]);
    if (argv[i] === '--pdfs') opts.pdfs = value;
    else if (argv[i] === '--pages') opts.pages = value;
    else if (argv[i] === '--rounds') opts.rounds = value;
    else continue;
    i++;
    if (!Number.isInteger(value) || value < 1) throw new Error(`${argv[i - 1]} needs a positive integer`);
  }
  return opts;
}

/** A realistic invoice: a tenant and customer with addresses, twelve lines, a note. */
function sampleHtml(): { html: string; options: PDFOptions } {
  const lines = Array.from({ length: 12 }, (_, i) => ({
    description: `Consulting, week ${i + 1}: discovery workshops, design reviews and implementation support`,
    quantity: `${8 + i}`,
    unit_price: '145.00',
    tax_rate: '8.25',
    amount: ((8 + i) * 145).toFixed(2),
    tax: (((8 + i) * 145 * 8.25) / 100).toFixed(2),
  }));
  const invoice = {
    id: '0190a1b2-0000-7000-8000-000000000001',
    type: 'invoice',
    number: 'INV-000042',
    status: 'open',
    customer_id: '0190a1b2-0000-7000-8000-000000000002',
    issue_date: '2027-03-31',
    due_date: '2027-04-30',
    currency: 'USD',
    lines,
    subtotal: '34220.00',
    tax: '2823.15',
    total: '37043.15',
    amount_paid: '0.00',
    amount_due: '37043.15',
    description: 'Professional services, March 2027',
    notes: 'Payment by bank transfer within 30 days. Thank you for your business.',
  } as unknown as InvoiceView;
  const address = {
    line1: '500 Market Street',
    city: 'San Francisco',
    region: 'CA',
    postal_code: '94105',
    country: 'US',
  };
  const tenant = { name: 'Acme Retainers LLC', address, paper_size: 'A4' } as unknown as TenantView;
  const customer = { name: 'Northwind Traders', email: 'ap@northwind.test', address } as unknown as PartyView;
  const doc = invoiceDocument({ invoice, tenant, customer });
  return { html: invoiceHtml(doc), options: invoicePdfOptions(doc) };
}

/** `total` PDFs with `pages` of them in flight at once; answers the seconds it took. */
async function timed(
  total: number,
  pages: number,
  render: (slot: number) => Promise<Buffer>,
): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: pages }, async (_, slot) => {
      while (next < total) {
        next++;
        const pdf = await render(slot);
        if (pdf.length < 1000) throw new Error('not a PDF');
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The plain way: a browser, N pages, setContent + pdf in a loop (puppeteer's defaults). */
async function plainLoop(executablePath: string, pages: number) {
  const browser: Browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  const tabs = await Promise.all(Array.from({ length: pages }, () => browser.newPage()));
  return {
    render: async (slot: number, html: string, options: PDFOptions) => {
      await tabs[slot].setContent(html);
      return Buffer.from(await tabs[slot].pdf(options));
    },
    close: () => browser.close(),
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const { html, options } = sampleHtml();
  const plain = await plainLoop(opts.executablePath, opts.pages);
  const renderer = new PdfRenderer({
    PUPPETEER_EXECUTABLE_PATH: opts.executablePath,
    PDF_PAGES: opts.pages,
    PDF_TIMEOUT_MS: 60_000,
  } as NotifierConfig);
  try {
    const viaPlain = (slot: number) => plain.render(slot, html, options);
    const viaRenderer = () => renderer.renderHtml(html, options);
    // Warm-up: both browsers launched, every page created, the template's fonts loaded.
    await timed(opts.pages * 5, opts.pages, viaPlain);
    await timed(opts.pages * 5, opts.pages, viaRenderer);
    let plainSeconds = 0;
    let rendererSeconds = 0;
    // Alternating rounds, so that neither side gets the quieter moments of a shared machine.
    for (let round = 0; round < opts.rounds; round++) {
      plainSeconds += await timed(opts.pdfs, opts.pages, viaPlain);
      rendererSeconds += await timed(opts.pdfs, opts.pages, viaRenderer);
    }
    const total = opts.pdfs * opts.rounds;
    const plainRate = total / plainSeconds;
    const rendererRate = total / rendererSeconds;
    const ratio = rendererRate / plainRate;
    const out = (s: string) => process.stdout.write(`${s}\n`);
    out(
      `bench/pdf: ${total} PDFs each way, ${opts.pages} page(s) at once, ${opts.rounds} alternating rounds`,
    );
    out(`  machine: ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), load ${loadavg()[0].toFixed(2)}`);
    out(`  PDF size: ${(await viaRenderer()).length} bytes`);
    out(`  plain puppeteer loop: ${plainRate.toFixed(1)} PDFs/s (${plainSeconds.toFixed(2)} s)`);
    out(`  notifier renderer:    ${rendererRate.toFixed(1)} PDFs/s (${rendererSeconds.toFixed(2)} s)`);
    out(`  ratio: ${(ratio * 100).toFixed(1)} % (threshold ${THRESHOLD * 100} %)`);
    if (ratio < THRESHOLD) {
      out('FAIL: the renderer is below the threshold');
      process.exitCode = 1;
    }
  } finally {
    await renderer.onModuleDestroy();
    await plain.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
