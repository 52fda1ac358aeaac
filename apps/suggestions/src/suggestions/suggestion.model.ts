import type { Direction, SuggestionView } from '@billing/contracts';
import { formatAmount, toIso } from '@billing/common';

export interface SuggestionRow {
  id: string;
  tenant_id: string;
  counterparty_key: string;
  direction: Direction;
  currency: SuggestionView['currency'];
  status: SuggestionView['status'];
  counterparty: string;
  description: string;
  frequency: SuggestionView['frequency'];
  day_of_month: number | null;
  day_of_week: number | null;
  average_minor: string;
  last_minor: string;
  first_date: string;
  last_date: string;
  next_date: string;
  occurrences: number;
  confidence: string;
  template_id: string | null;
  counterparty_id: string | null;
  created_at: Date;
  updated_at: Date;
  accepted_at: Date | null;
  dismissed_at: Date | null;
}

/** A suggestion as the API shows it. */
export function mapSuggestion(row: SuggestionRow): SuggestionView {
  const incoming = row.direction === 'incoming';
  return {
    id: row.id,
    status: row.status,
    type: incoming ? 'invoice' : 'bill',
    direction: row.direction,
    counterparty: row.counterparty,
    counterparty_key: row.counterparty_key,
    description: row.description,
    frequency: row.frequency,
    day_of_month: row.day_of_month,
    day_of_week: row.day_of_week,
    currency: row.currency,
    average_amount: formatAmount(BigInt(row.average_minor)),
    last_amount: formatAmount(BigInt(row.last_minor)),
    first_date: row.first_date,
    last_date: row.last_date,
    next_date: row.next_date,
    occurrences: row.occurrences,
    confidence: Number(row.confidence),
    template_id: row.template_id,
    customer_id: incoming ? row.counterparty_id : null,
    vendor_id: incoming ? null : row.counterparty_id,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    accepted_at: row.accepted_at ? toIso(row.accepted_at) : null,
    dismissed_at: row.dismissed_at ? toIso(row.dismissed_at) : null,
  };
}
