import type { InvoiceView, PaperSize, PartyView, TenantView } from '@billing/contracts';
import { addressLines, formatDate, formatMoney, formatTaxRate } from './format';

/** Everything a rendering needs, fetched from its owners at render time. */
export interface InvoiceSources {
  invoice: InvoiceView;
  tenant: TenantView;
  customer: PartyView;
}

/** The invoice as the PDF and the emails print it: every value already formatted, nothing to compute. */
export interface InvoiceDocument {
  paperSize: PaperSize;
  /** "INV-000042", or "Draft" before finalization. */
  number: string;
  /** A stamp across the page for documents that are not simply open: Draft, Paid, Void. */
  stamp: string | null;
  seller: { name: string; addressLines: string[] };
  billTo: { name: string; email: string | null; addressLines: string[] };
  issueDate: string;
  dueDate: string;
  dueDateIso: string;
  currency: string;
  description: string | null;
  lines: Array<{
    description: string;
    quantity: string;
    unitPrice: string;
    taxRate: string;
    tax: string;
    amount: string;
  }>;
  subtotal: string;
  tax: string;
  total: string;
  amountPaid: string;
  amountDue: string;
  hasPayments: boolean;
  notes: string | null;
}

const STAMPS: Partial<Record<InvoiceView['status'], string>> = { draft: 'Draft', paid: 'Paid', void: 'Void' };

export function invoiceDocument({ invoice, tenant, customer }: InvoiceSources): InvoiceDocument {
  const money = (amount: string) => formatMoney(amount, invoice.currency);
  return {
    paperSize: tenant.paper_size,
    number: invoice.number ?? 'Draft',
    stamp: STAMPS[invoice.status] ?? null,
    seller: { name: tenant.name, addressLines: addressLines(tenant.address) },
    billTo: { name: customer.name, email: customer.email, addressLines: addressLines(customer.address) },
    issueDate: formatDate(invoice.issue_date),
    dueDate: formatDate(invoice.due_date),
    dueDateIso: invoice.due_date,
    currency: invoice.currency,
    description: invoice.description,
    lines: invoice.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unitPrice: money(l.unit_price),
      taxRate: formatTaxRate(l.tax_rate),
      tax: money(l.tax),
      amount: money(l.amount),
    })),
    subtotal: money(invoice.subtotal),
    tax: money(invoice.tax),
    total: money(invoice.total),
    amountPaid: money(invoice.amount_paid),
    amountDue: money(invoice.amount_due),
    hasPayments: invoice.amount_paid !== '0.00',
    notes: invoice.notes,
  };
}

/** The PDF's file name: the invoice number, safe anywhere. */
export function pdfFileName(invoice: Pick<InvoiceView, 'number' | 'id'>): string {
  const base = invoice.number ?? `draft-${invoice.id}`;
  return `${base.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
}
