import type {
  Currency,
  LineItemInput,
  TemplateClone,
  TemplateCreate,
  TemplatePatch,
} from '@billing/contracts';
import { formatAmount, parseAmount } from '@billing/common';
import type { Frequency, TemplateDefinition, TemplateType } from './template.model';

/**
 * A template as the user describes it, in the REST field names, before the rules accept it. Create,
 * update (stored template + patch) and clone all build one, so one rules function checks them all.
 */
export interface TemplateCandidate {
  type: TemplateType;
  customer_id: string | null;
  vendor_id: string | null;
  frequency: Frequency;
  day_of_month: number | null;
  day_of_week: number | null;
  start_date: string;
  end_date: string | null;
  max_occurrences: number | null;
  days_until_due: number;
  auto_send: boolean;
  currency: string;
  total: string | null;
  line_items: LineItemInput[] | null;
  description: string | null;
  notes: string | null;
}

export type CandidateField = keyof TemplateCandidate;

export const DEFAULT_DAYS_UNTIL_DUE = 30;

export const SCHEDULE_FIELDS: readonly CandidateField[] = [
  'frequency',
  'start_date',
  'day_of_month',
  'day_of_week',
];

/** The counterparty field a template of this type needs. */
export function counterpartyField(type: TemplateType): 'customer_id' | 'vendor_id' {
  return type === 'invoice' ? 'customer_id' : 'vendor_id';
}

/** Create: defaults for what was left out; the currency defaults to the counterparty's. */
export function candidateFromCreate(
  input: TemplateCreate,
  defaults: { today: string; currency: string },
): TemplateCandidate {
  return {
    type: input.type,
    customer_id: input.customer_id ?? null,
    vendor_id: input.vendor_id ?? null,
    frequency: input.frequency,
    day_of_month: input.day_of_month ?? null,
    day_of_week: input.day_of_week ?? null,
    start_date: input.start_date ?? defaults.today,
    end_date: input.end_date ?? null,
    max_occurrences: input.max_occurrences ?? null,
    days_until_due: input.days_until_due ?? DEFAULT_DAYS_UNTIL_DUE,
    auto_send: input.auto_send ?? false,
    currency: input.currency ?? defaults.currency,
    total: input.total ?? null,
    line_items: input.line_items ?? null,
    description: input.description ?? null,
    notes: input.notes ?? null,
  };
}

/**
 * Update: the patch over the stored template. Giving one of `total` / `line_items` replaces the other,
 * so switching a template from lines to a total is a one-field patch.
 */
export function applyPatch(current: TemplateCandidate, patch: TemplatePatch): TemplateCandidate {
  const next: TemplateCandidate = { ...current };
  const assign = next as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(patch)) {
    if (value !== undefined) assign[field] = value;
  }
  if (patch.total != null && patch.line_items === undefined) next.line_items = null;
  if (patch.line_items != null && patch.total === undefined) next.total = null;
  return next;
}

/** Clone: a fresh copy starting today unless told otherwise, optionally for another counterparty. */
export function candidateFromClone(
  source: TemplateCandidate,
  overrides: TemplateClone,
  today: string,
): TemplateCandidate {
  return {
    ...source,
    start_date: overrides.start_date ?? today,
    end_date: overrides.end_date !== undefined ? overrides.end_date : source.end_date,
    customer_id: overrides.customer_id ?? source.customer_id,
    vendor_id: overrides.vendor_id ?? source.vendor_id,
  };
}

/** The fields whose value differs between two candidates. */
export function changedFields(before: TemplateCandidate, after: TemplateCandidate): Set<CandidateField> {
  const changed = new Set<CandidateField>();
  for (const field of Object.keys(after) as CandidateField[]) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) changed.add(field);
  }
  return changed;
}

export function candidateOf(t: TemplateDefinition): TemplateCandidate {
  return {
    type: t.type,
    customer_id: t.customerId,
    vendor_id: t.vendorId,
    frequency: t.frequency,
    day_of_month: t.dayOfMonth,
    day_of_week: t.dayOfWeek,
    start_date: t.startDate,
    end_date: t.endDate,
    max_occurrences: t.maxOccurrences,
    days_until_due: t.daysUntilDue,
    auto_send: t.autoSend,
    currency: t.currency,
    total: t.totalMinor !== null ? formatAmount(t.totalMinor) : null,
    line_items: t.lineItems ? t.lineItems.map((line) => ({ ...line })) : null,
    description: t.description,
    notes: t.notes,
  };
}

/** A candidate the rules accepted, as stored. */
export function definitionOf(c: TemplateCandidate): TemplateDefinition {
  return {
    type: c.type,
    customerId: c.customer_id,
    vendorId: c.vendor_id,
    frequency: c.frequency,
    dayOfMonth: c.day_of_month,
    dayOfWeek: c.day_of_week,
    startDate: c.start_date,
    endDate: c.end_date,
    maxOccurrences: c.max_occurrences,
    daysUntilDue: c.days_until_due,
    autoSend: c.auto_send,
    currency: c.currency as Currency,
    totalMinor: c.total !== null ? parseAmount(c.total) : null,
    lineItems: c.line_items
      ? c.line_items.map((line) => ({
          description: line.description,
          quantity: line.quantity,
          unit_price: line.unit_price,
          tax_rate: line.tax_rate ?? '0',
        }))
      : null,
    description: c.description,
    notes: c.notes,
  };
}
