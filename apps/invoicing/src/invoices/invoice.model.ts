import type {
  Currency,
  InvoiceDeliveryStatus,
  InvoiceStatus,
  InvoiceView,
  PaymentView,
  TemplateHistoryItemSchema,
} from '@billing/contracts';
import { formatAmount } from '@billing/common';
import type { z } from 'zod';

export type DocumentType = InvoiceView['type'];
export type { InvoiceStatus };
export type TemplateHistoryItem = z.infer<typeof TemplateHistoryItemSchema>;

/** A priced line as stored: quantity and tax rate as normalised decimals, amounts in minor units. */
export interface InvoiceLine {
  description: string;
  quantity: string;
  unitPriceMinor: bigint;
  taxRate: string;
  amountMinor: bigint;
  taxMinor: bigint;
}

/** The document without its lines (lists that show no lines read only this). */
export interface InvoiceHeader {
  id: string;
  tenantId: string;
  type: DocumentType;
  number: string | null;
  status: InvoiceStatus;
  customerId: string | null;
  vendorId: string | null;
  templateId: string | null;
  occurrenceDate: string | null;
  occurrenceIndex: number | null;
  runId: string | null;
  issueDate: string;
  dueDate: string;
  currency: Currency;
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
  amountPaidMinor: bigint;
  description: string | null;
  notes: string | null;
  autoSend: boolean;
  finalizedAt: string | null;
  sentAt: string | null;
  sendRequestedAt: string | null;
  /** Set by the notifier's `delivery.failed` (see delivery/); absent on documents just generated. */
  deliveryFailedAt?: string | null;
  deliveryError?: string | null;
  paidAt: string | null;
  voidedAt: string | null;
  overdueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The document as its own rules see it; what leaves the service is `mapInvoice(invoice)`. */
export interface Invoice extends InvoiceHeader {
  lines: InvoiceLine[];
}

export interface Payment {
  id: string;
  tenantId: string;
  invoiceId: string;
  amountMinor: bigint;
  currency: Currency;
  paidOn: string;
  reference: string | null;
  createdAt: string;
}

/** What is still owed: nothing on a void document; the unpaid rest otherwise (drafts included). */
export function amountDueOf(invoice: Pick<Invoice, 'status' | 'totalMinor' | 'amountPaidMinor'>): bigint {
  return invoice.status === 'void' ? 0n : invoice.totalMinor - invoice.amountPaidMinor;
}

/** Where the invoice email stands, from the columns the notifier's reports set. */
export function deliveryStatusOf(
  i: Pick<InvoiceHeader, 'sentAt' | 'sendRequestedAt' | 'deliveryFailedAt'>,
): InvoiceDeliveryStatus {
  if (i.sentAt) return 'sent';
  if (i.deliveryFailedAt) return 'failed';
  return i.sendRequestedAt ? 'pending' : 'not_requested';
}

export function mapInvoice(i: Invoice): InvoiceView {
  return {
    id: i.id,
    type: i.type,
    number: i.number,
    status: i.status,
    customer_id: i.customerId,
    vendor_id: i.vendorId,
    template_id: i.templateId,
    occurrence_date: i.occurrenceDate,
    issue_date: i.issueDate,
    due_date: i.dueDate,
    currency: i.currency,
    lines: i.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unit_price: formatAmount(l.unitPriceMinor),
      tax_rate: l.taxRate,
      amount: formatAmount(l.amountMinor),
      tax: formatAmount(l.taxMinor),
    })),
    subtotal: formatAmount(i.subtotalMinor),
    tax: formatAmount(i.taxMinor),
    total: formatAmount(i.totalMinor),
    amount_paid: formatAmount(i.amountPaidMinor),
    amount_due: formatAmount(amountDueOf(i)),
    description: i.description,
    notes: i.notes,
    auto_send: i.autoSend,
    finalized_at: i.finalizedAt,
    sent_at: i.sentAt,
    send_requested_at: i.sendRequestedAt,
    delivery_status: deliveryStatusOf(i),
    delivery_error: i.deliveryError ?? null,
    paid_at: i.paidAt,
    voided_at: i.voidedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
}

export function mapPayment(p: Payment): PaymentView {
  return {
    id: p.id,
    invoice_id: p.invoiceId,
    amount: formatAmount(p.amountMinor),
    currency: p.currency,
    paid_on: p.paidOn,
    reference: p.reference,
    created_at: p.createdAt,
  };
}

export function mapTemplateHistoryItem(i: InvoiceHeader): TemplateHistoryItem {
  return {
    invoice_id: i.id,
    number: i.number,
    occurrence_date: i.occurrenceDate ?? i.issueDate,
    status: i.status,
    total: formatAmount(i.totalMinor),
    amount_due: formatAmount(amountDueOf(i)),
    currency: i.currency,
    due_date: i.dueDate,
    sent_at: i.sentAt,
    created_at: i.createdAt,
  };
}
