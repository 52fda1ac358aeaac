import type { Currency, TemplateView } from '@billing/contracts';
import { type PricedLine, formatAmount, priceLines } from '@billing/common';

export type TemplateType = TemplateView['type'];
export type Frequency = TemplateView['frequency'];
export type TemplateStatus = TemplateView['status'];

/** A line as stored: the user's decimal strings, tax rate defaulted to "0". Priced when read. */
export interface LineItem {
  description: string;
  quantity: string;
  unit_price: string;
  tax_rate: string;
}

/** What the user sets on a template. */
export interface TemplateDefinition {
  type: TemplateType;
  customerId: string | null;
  vendorId: string | null;
  frequency: Frequency;
  dayOfMonth: number | null;
  dayOfWeek: number | null;
  startDate: string;
  endDate: string | null;
  maxOccurrences: number | null;
  daysUntilDue: number;
  autoSend: boolean;
  currency: Currency;
  /** Set when the template bills a single total; null when it bills line items. */
  totalMinor: bigint | null;
  lineItems: LineItem[] | null;
  description: string | null;
  notes: string | null;
}

/** Where the template stands in its schedule. */
export interface ScheduleState {
  status: TemplateStatus;
  /** Index n of the next occurrence in the compiled schedule; skipped occurrences count. */
  nextIndex: number;
  /** The date of occurrence `nextIndex` while active; null when paused, completed or cancelled. */
  nextOccurrenceDate: string | null;
  generatedCount: number;
  skippedCount: number;
  lastGeneratedDate: string | null;
}

export interface Template extends TemplateDefinition, ScheduleState {
  id: string;
  tenantId: string;
  createdAt: string;
  updatedAt: string;
}

export interface TemplateAmounts {
  lines: PricedLine[] | null;
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
}

/** What each occurrence bills: a bare total is untaxed; lines are priced and taxed one by one. */
export function amountsOf(t: Pick<TemplateDefinition, 'totalMinor' | 'lineItems'>): TemplateAmounts {
  if (t.totalMinor !== null) {
    return { lines: null, subtotalMinor: t.totalMinor, taxMinor: 0n, totalMinor: t.totalMinor };
  }
  const priced = priceLines(t.lineItems ?? []);
  return { lines: priced.lines, ...priced.totals };
}

export function mapTemplate(t: Template): TemplateView {
  const amounts = amountsOf(t);
  return {
    id: t.id,
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
    line_items: amounts.lines,
    subtotal: formatAmount(amounts.subtotalMinor),
    tax: formatAmount(amounts.taxMinor),
    total: formatAmount(amounts.totalMinor),
    description: t.description,
    notes: t.notes,
    status: t.status,
    next_occurrence_date: t.nextOccurrenceDate,
    generated_count: t.generatedCount,
    skipped_count: t.skippedCount,
    last_generated_date: t.lastGeneratedDate,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}
