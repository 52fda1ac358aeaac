import { Inject, Injectable } from '@nestjs/common';
import type { InvoiceView } from '@billing/contracts';
import { CONFIG, ClockService } from '@billing/common';
import type { NotifierConfig } from '../app.module';
import { daysBetween } from '../invoice-data/format';
import { invoiceDocument, pdfFileName } from '../invoice-data/invoice-document';
import { InvoiceSourcesService } from '../invoice-data/invoice-sources.service';
import { composeEmail } from '../mail/email-message';
import { MailTransport, PermanentDeliveryError } from '../mail/mail-transport';
import { PdfRenderer } from '../pdf/pdf-renderer';
import { ReceivableRepository } from '../receivables/receivable.repository';
import { type Delivery, outboxFileName } from './delivery.model';

/** What one attempt came to (a thrown error is a failed attempt). */
export type AttemptOutcome =
  { outcome: 'sent'; invoice: InvoiceView; recipient: string } | { outcome: 'cancelled'; reason: string };

const REMINDABLE = new Set(['open', 'partially_paid']);

/**
 * One attempt at one delivery: the invoice, its customer and tenant as they are now, the PDF, the
 * message, the transport. Whether to send at all is decided here, on those fresh facts: reminders of
 * an invoice paid or voided since, or paused, are cancelled — never sent.
 */
@Injectable()
export class DeliverySender {
  constructor(
    private readonly sources: InvoiceSourcesService,
    private readonly renderer: PdfRenderer,
    private readonly transport: MailTransport,
    private readonly receivables: ReceivableRepository,
    private readonly clock: ClockService,
    @Inject(CONFIG) private readonly config: NotifierConfig,
  ) {}

  async attempt(d: Delivery): Promise<AttemptOutcome> {
    const sources = await this.sources.load(d.tenantId, d.invoiceId);
    const { invoice, customer } = sources;
    if (invoice.status === 'draft' || invoice.status === 'void') {
      return { outcome: 'cancelled', reason: `the invoice is ${invoice.status}` };
    }
    if (d.kind === 'reminder') {
      if (!REMINDABLE.has(invoice.status))
        return { outcome: 'cancelled', reason: `the invoice is ${invoice.status}` };
      if (await this.receivables.isPaused(d.tenantId, d.invoiceId)) {
        return { outcome: 'cancelled', reason: 'reminders are paused for this invoice' };
      }
    }
    if (!customer.email) throw new PermanentDeliveryError(`customer ${customer.name} has no email address`);
    const doc = invoiceDocument(sources);
    const pdf = await this.renderer.renderInvoice(doc);
    const message = composeEmail({
      kind: d.kind,
      daysFromDue:
        d.kind === 'reminder'
          ? daysBetween(invoice.due_date, await this.clock.today(sources.tenant.timezone))
          : null,
      doc,
      recipient: customer.email,
      from: this.config.MAIL_FROM,
      messageId: d.messageId,
      pdf,
      pdfName: pdfFileName(invoice),
      headers: { 'X-Invoice-Id': invoice.id, 'X-Delivery-Id': d.id },
    });
    await this.transport.send(message, outboxFileName(d, doc.number));
    return { outcome: 'sent', invoice, recipient: customer.email };
  }
}
