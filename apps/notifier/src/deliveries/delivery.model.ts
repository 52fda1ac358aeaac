import type { DeliveryKind, DeliveryStatus, DeliveryView } from '@billing/contracts';
import { toIso, uuidFromName } from '@billing/common';

export interface Delivery {
  id: string;
  tenantId: string;
  invoiceId: string;
  kind: DeliveryKind;
  reminderOffset: number | null;
  status: DeliveryStatus;
  recipient: string | null;
  messageId: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  failedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryRow {
  id: string;
  tenant_id: string;
  invoice_id: string;
  kind: DeliveryKind;
  reminder_offset: number | null;
  status: DeliveryStatus;
  recipient: string | null;
  message_id: string;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  failed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date | null) => (d ? toIso(d) : null);

export function mapRow(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    invoiceId: r.invoice_id,
    kind: r.kind,
    reminderOffset: r.reminder_offset,
    status: r.status,
    recipient: r.recipient,
    messageId: r.message_id,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    lastError: r.last_error,
    sentAt: iso(r.sent_at),
    failedAt: iso(r.failed_at),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

export function mapDelivery(d: Delivery): DeliveryView {
  return {
    id: d.id,
    invoice_id: d.invoiceId,
    kind: d.kind,
    reminder_offset: d.reminderOffset,
    status: d.status,
    recipient: d.recipient,
    message_id: d.messageId,
    attempts: d.attempts,
    last_error: d.lastError,
    next_attempt_at: d.status === 'pending' ? d.nextAttemptAt : null,
    sent_at: d.sentAt,
    failed_at: d.failedAt,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

/** The id of the one email of its kind about an invoice: the key of "at most once". */
export function deliveryIdFor(
  tenantId: string,
  invoiceId: string,
  kind: DeliveryKind,
  reminderOffset: number | null,
): string {
  return uuidFromName(`delivery:${tenantId}:${invoiceId}:${kind}:${reminderOffset ?? ''}`);
}

/** After a failed attempt: the wait before the next one, or null when it was the last allowed. */
export function nextAttemptDelay(attempts: number, maxAttempts: number, backoffMs: number[]): number | null {
  if (attempts >= maxAttempts) return null;
  return backoffMs[Math.min(attempts - 1, backoffMs.length - 1)] ?? 0;
}

/** The `.eml` file of a delivery in the outbox: readable, and the same for every attempt. */
export function outboxFileName(d: Pick<Delivery, 'id' | 'kind' | 'reminderOffset'>, number: string): string {
  const kind = d.kind === 'reminder' ? `reminder${signed(d.reminderOffset ?? 0)}` : 'invoice';
  return `${number.replace(/[^A-Za-z0-9-]/g, '_')}_${kind}_${d.id}.eml`;
}

function signed(n: number): string {
  return n < 0 ? `${n}` : `+${n}`;
}
