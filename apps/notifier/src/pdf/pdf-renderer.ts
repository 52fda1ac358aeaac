import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG } from '@billing/common';
import type { PDFOptions } from 'puppeteer';
import type { NotifierConfig } from '../app.module';
import type { InvoiceDocument } from '../invoice-data/invoice-document';
import { BrowserPool } from './browser-pool';
import { invoiceHtml, invoicePdfOptions } from './pdf-templates';

/** Invoice PDFs: the template rendered to HTML, printed by the shared browser's page pool. */
@Injectable()
export class PdfRenderer implements OnModuleDestroy {
  readonly pool: BrowserPool;

  constructor(@Inject(CONFIG) config: NotifierConfig) {
    this.pool = new BrowserPool({
      executablePath: config.PUPPETEER_EXECUTABLE_PATH,
      pages: config.PDF_PAGES,
      timeoutMs: config.PDF_TIMEOUT_MS,
    });
  }

  async renderInvoice(doc: InvoiceDocument): Promise<Buffer> {
    return this.renderHtml(invoiceHtml(doc), invoicePdfOptions(doc));
  }

  /**
   * Prints a document; whatever it says, the page can reach nothing (see BrowserPool). It waits for the
   * DOM, not for `load`: there is nothing to load (every request but `data:` is aborted), and a blocked
   * subframe must not hold a render up.
   */
  async renderHtml(html: string, options: PDFOptions): Promise<Buffer> {
    return this.pool.withPage(async (page) => {
      await page.setContent(html, { waitUntil: 'domcontentloaded' });
      return Buffer.from(await page.pdf(options));
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }
}
