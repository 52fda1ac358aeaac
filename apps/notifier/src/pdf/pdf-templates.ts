import Handlebars from 'handlebars';
import type { PaperSize } from '@billing/contracts';
import type { PDFOptions } from 'puppeteer';
import type { InvoiceDocument } from '../invoice-data/invoice-document';
import { FOOTER_TEMPLATE, INVOICE_TEMPLATE } from './invoice.template';

/**
 * The templates' own Handlebars environment: strict (a misspelt field is an error, not a blank) and
 * escaping every value — nothing registers helpers that return SafeString.
 */
const html = Handlebars.create();
const invoicePage = html.compile<InvoiceDocument>(INVOICE_TEMPLATE, { strict: true });
const footer = html.compile<{ seller: string; number: string }>(FOOTER_TEMPLATE, { strict: true });

export function invoiceHtml(doc: InvoiceDocument): string {
  return invoicePage(doc);
}

/** How every invoice is printed: the tenant's paper, margins, and a footer with page numbers. */
export function invoicePdfOptions(doc: Pick<InvoiceDocument, 'paperSize' | 'seller' | 'number'>): PDFOptions {
  return pdfOptions(doc.paperSize, footer({ seller: doc.seller.name, number: doc.number }));
}

export function pdfOptions(paper: PaperSize, footerTemplate: string): PDFOptions {
  return {
    format: paper === 'Letter' ? 'letter' : 'a4',
    printBackground: true,
    margin: { top: '16mm', right: '16mm', bottom: '20mm', left: '16mm' },
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate,
  };
}
