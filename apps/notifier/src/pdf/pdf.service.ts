import { Injectable } from '@nestjs/common';
import type { InvoicePdf, TenantContext } from '@billing/contracts';
import { invoiceDocument, pdfFileName } from '../invoice-data/invoice-document';
import { InvoiceSourcesService } from '../invoice-data/invoice-sources.service';
import { PdfRenderer } from './pdf-renderer';

/** An invoice's PDF as it is now (drafts and paid or void invoices carry a stamp). */
@Injectable()
export class PdfService {
  constructor(
    private readonly sources: InvoiceSourcesService,
    private readonly renderer: PdfRenderer,
  ) {}

  async invoicePdf(tenant: TenantContext, invoiceId: string): Promise<InvoicePdf> {
    const sources = await this.sources.load(tenant.id, invoiceId);
    const pdf = await this.renderer.renderInvoice(invoiceDocument(sources));
    return { filename: pdfFileName(sources.invoice), content_base64: pdf.toString('base64') };
  }
}
