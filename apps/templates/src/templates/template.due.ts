import type { OccurrenceDocument } from '@billing/contracts';
import { formatAmount } from '@billing/common';
import type { Template, TemplateDefinition } from './template.model';
import { occurrenceOn, positionAt, scheduleOf } from './template.schedule';

/**
 * The scheduler's question as pure functions: which occurrences of a template are due on a date, and
 * what each one generates. Missed days are caught up: every occurrence from `next_index` up to the date,
 * each with its own date, within the end date and the remaining count.
 */

export interface DueOccurrence {
  occurrence_index: number;
  occurrence_date: string;
  /** The next occurrence once this one is generated (the scheduler shows it on the run's result). */
  next_occurrence_date: string | null;
}

export interface DueItem {
  template_id: string;
  occurrences: DueOccurrence[];
  document: OccurrenceDocument;
}

/** The line a template with a bare total bills when it has no description of its own. */
export const DEFAULT_LINE_DESCRIPTION = 'Recurring charge';

/**
 * A page of the due answer is one NATS message, and NATS refuses messages over its max_payload (1 MiB
 * by default): a page stops early once its items reach this many bytes of JSON; `next_after` says where
 * to go on. 1000 templates with a few lines and notes each would otherwise overflow it.
 */
export const DUE_PAGE_BUDGET_BYTES = 512 * 1024;

type DueFields = Pick<
  Template,
  | 'status'
  | 'frequency'
  | 'startDate'
  | 'dayOfMonth'
  | 'dayOfWeek'
  | 'endDate'
  | 'maxOccurrences'
  | 'generatedCount'
  | 'nextIndex'
>;

/**
 * Occurrences `next_index`, `next_index + 1`, … while the date is on or before `asOf`, not after the end
 * date, and fewer than `max_occurrences − generated_count`. None unless the template is active. Each
 * says where the schedule stands once it is generated: the following occurrence, or null when it is the
 * last one (count reached or the next date past the end date) — what advancing will record.
 */
export function dueOccurrences(t: DueFields, asOf: string): DueOccurrence[] {
  if (t.status !== 'active') return [];
  const remaining = t.maxOccurrences === null ? Infinity : t.maxOccurrences - t.generatedCount;
  const schedule = scheduleOf(t);
  const due: DueOccurrence[] = [];
  for (let n = t.nextIndex; due.length < remaining; n++) {
    const date = occurrenceOn(schedule, n);
    if (date === null || date > asOf || (t.endDate !== null && date > t.endDate)) break;
    const after = positionAt(schedule, n + 1, {
      endDate: t.endDate,
      maxOccurrences: t.maxOccurrences,
      generatedCount: t.generatedCount + due.length + 1,
    });
    due.push({ occurrence_index: n, occurrence_date: date, next_occurrence_date: after.nextOccurrenceDate });
  }
  return due;
}

/** What each occurrence generates: the template's document as it stands now. */
export function occurrenceDocument(t: TemplateDefinition): OccurrenceDocument {
  const lines =
    t.totalMinor !== null
      ? [
          {
            description: t.description ?? DEFAULT_LINE_DESCRIPTION,
            quantity: '1',
            unit_price: formatAmount(t.totalMinor),
            tax_rate: '0',
          },
        ]
      : (t.lineItems ?? []).map((line) => ({
          description: line.description,
          quantity: line.quantity,
          unit_price: line.unit_price,
          tax_rate: line.tax_rate,
        }));
  return {
    type: t.type,
    customer_id: t.customerId,
    vendor_id: t.vendorId,
    currency: t.currency,
    days_until_due: t.daysUntilDue,
    auto_send: t.autoSend,
    description: t.description,
    notes: t.notes,
    lines,
  };
}

export interface DuePage {
  items: DueItem[];
  next_after: string | null;
}

/**
 * One page from the rows of a keyset query that fetched `limit + 1` templates ordered by id: the extra
 * row only says there is more. The page also ends early at `budgetBytes` (always with at least one
 * item); `next_after` is then the last template it holds. A template with nothing due (which the query
 * should not return) is passed over, not shown empty.
 */
export function duePage(
  rows: Template[],
  asOf: string,
  limit: number,
  budgetBytes = DUE_PAGE_BUDGET_BYTES,
): DuePage {
  const items: DueItem[] = [];
  let bytes = 0;
  const shown = rows.slice(0, limit);
  for (let i = 0; i < shown.length; i++) {
    const t = shown[i];
    const occurrences = dueOccurrences(t, asOf);
    if (occurrences.length === 0) continue;
    const item: DueItem = { template_id: t.id, occurrences, document: occurrenceDocument(t) };
    const size = Buffer.byteLength(JSON.stringify(item));
    if (items.length > 0 && bytes + size > budgetBytes) return { items, next_after: shown[i - 1].id };
    items.push(item);
    bytes += size;
  }
  const more = rows.length > limit && shown.length > 0;
  return { items, next_after: more ? shown[shown.length - 1].id : null };
}
