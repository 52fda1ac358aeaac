import Handlebars from 'handlebars';
import type { DeliveryKind } from '@billing/contracts';
import type Mail from 'nodemailer/lib/mailer';
import type { InvoiceDocument } from '../invoice-data/invoice-document';
import { EMAIL_TEMPLATES } from './email.templates';

interface EmailFields {
  customerName: string;
  sellerName: string;
  number: string;
  issueDate: string;
  dueDate: string;
  amountDue: string;
  notes: string | null;
  overdue: boolean;
  dueToday: boolean;
  days: number;
  plural: boolean;
}

const text = Handlebars.create();
const html = Handlebars.create();
const compiled = Object.fromEntries(
  Object.entries(EMAIL_TEMPLATES).map(([kind, t]) => [
    kind,
    {
      subject: text.compile<EmailFields>(t.subject, { strict: true, noEscape: true }),
      text: text.compile<EmailFields>(t.text, { strict: true, noEscape: true }),
      html: html.compile<EmailFields>(t.html, { strict: true }),
    },
  ]),
) as Record<
  DeliveryKind,
  { subject: (f: EmailFields) => string; text: (f: EmailFields) => string; html: (f: EmailFields) => string }
>;

export interface EmailInput {
  kind: DeliveryKind;
  /** Reminders: days from the due date to today (negative before it). */
  daysFromDue: number | null;
  doc: InvoiceDocument;
  recipient: string;
  from: string;
  messageId: string;
  pdf: Buffer;
  pdfName: string;
  headers?: Record<string, string>;
}

/** The message as nodemailer sends it; the same input always gives the same message. */
export function composeEmail(input: EmailInput): Mail.Options {
  const offset = input.daysFromDue ?? 0;
  const fields: EmailFields = {
    customerName: input.doc.billTo.name,
    sellerName: input.doc.seller.name,
    number: input.doc.number,
    issueDate: input.doc.issueDate,
    dueDate: input.doc.dueDate,
    amountDue: input.doc.amountDue,
    notes: input.doc.notes,
    overdue: offset > 0,
    dueToday: offset === 0,
    days: Math.abs(offset),
    plural: Math.abs(offset) !== 1,
  };
  const t = compiled[input.kind];
  return {
    from: { name: oneLine(input.doc.seller.name), address: input.from },
    to: { name: oneLine(input.doc.billTo.name), address: input.recipient },
    subject: oneLine(t.subject(fields)),
    text: t.text(fields),
    html: t.html(fields),
    messageId: input.messageId,
    headers: input.headers,
    attachments: [{ filename: input.pdfName, content: input.pdf, contentType: 'application/pdf' }],
  };
}

/** Header values on one line, whatever a name contains. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** `<delivery-id@sender-domain>`: every attempt of one delivery carries the same Message-ID. */
export function messageIdFor(deliveryId: string, from: string): string {
  return `<${deliveryId}@${from.split('@')[1] ?? 'localhost'}>`;
}
