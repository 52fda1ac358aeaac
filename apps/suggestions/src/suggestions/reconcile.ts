import type { SuggestionView } from '@billing/contracts';
import { formatDate } from '@billing/recurrence';
import type { MinedStream } from '../mining/miner';
import type { SuggestionRow } from './suggestion.model';
import type { SuggestionWrite } from './suggestion.repository';

/** A stream mined in one group, with its display name. */
export interface GroupStream {
  stream: MinedStream;
  counterparty: string;
}

export interface Reconciled {
  writes: SuggestionWrite[];
  /** Ids of suggestions written as new. */
  created: Set<string>;
}

/** Amounts further apart than this ratio are different streams. */
const SAME_STREAM_RATIO = 1.3;

/**
 * Re-mining a group updates its suggestions instead of adding new ones: each mined stream is matched to
 * the group's existing suggestion of the closest amount (within SAME_STREAM_RATIO; the same frequency
 * first). A matched open or expired suggestion is updated (and open again); a matched accepted or
 * dismissed one stays as it is — it never comes back. Unmatched streams are new suggestions; open
 * suggestions no stream matched any more are expired.
 */
export function reconcileGroup(
  group: { tenantId: string; counterpartyKey: string; direction: 'incoming' | 'outgoing'; currency: string },
  existing: SuggestionRow[],
  mined: GroupStream[],
  newId: () => string,
): Reconciled {
  const pairs: Array<{ e: number; m: number; cost: number }> = [];
  existing.forEach((row, e) => {
    const anchor = Number(row.average_minor);
    mined.forEach(({ stream }, m) => {
      const a = Number(stream.averageMinor);
      const ratio = Math.max(a, anchor) / Math.max(1, Math.min(a, anchor));
      if (ratio > SAME_STREAM_RATIO) return;
      pairs.push({ e, m, cost: (row.frequency === stream.frequency ? 0 : 10) + ratio });
    });
  });
  pairs.sort((x, y) => x.cost - y.cost);
  const matchedExisting = new Map<number, number>();
  const matchedMined = new Set<number>();
  for (const p of pairs) {
    if (matchedExisting.has(p.e) || matchedMined.has(p.m)) continue;
    matchedExisting.set(p.e, p.m);
    matchedMined.add(p.m);
  }

  const writes: SuggestionWrite[] = [];
  const created = new Set<string>();
  existing.forEach((row, e) => {
    const m = matchedExisting.get(e);
    if (row.status === 'accepted' || row.status === 'dismissed') return;
    if (m === undefined) {
      if (row.status === 'open') writes.push({ ...fromRow(row), status: 'expired' });
      return;
    }
    writes.push(toWrite(row.id, group, mined[m], 'open'));
  });
  mined.forEach((gs, m) => {
    if (matchedMined.has(m)) return;
    const id = newId();
    created.add(id);
    writes.push(toWrite(id, group, gs, 'open'));
  });
  return { writes, created };
}

/** Whether an update changes what the suggestion proposes (worth a `suggestion.updated` event). */
export function materiallyChanged(before: SuggestionRow | undefined, after: SuggestionView): boolean {
  if (!before) return true;
  return (
    before.status !== after.status ||
    before.frequency !== after.frequency ||
    before.next_date !== after.next_date ||
    before.occurrences !== after.occurrences ||
    Number(before.confidence) !== after.confidence
  );
}

const LABEL: Record<string, string> = {
  daily: 'daily',
  weekly: 'weekly',
  biweekly: 'every two weeks',
  monthly: 'monthly',
  quarterly: 'quarterly',
  annually: 'yearly',
};

function toWrite(
  id: string,
  group: { tenantId: string; counterpartyKey: string; direction: 'incoming' | 'outgoing'; currency: string },
  { stream, counterparty }: GroupStream,
  status: 'open',
): SuggestionWrite {
  return {
    id,
    tenantId: group.tenantId,
    counterpartyKey: group.counterpartyKey,
    direction: group.direction,
    currency: group.currency,
    status,
    counterparty,
    description: `${counterparty} (${LABEL[stream.frequency]})`,
    frequency: stream.frequency,
    dayOfMonth: stream.dayOfMonth,
    dayOfWeek: stream.dayOfWeek,
    averageMinor: stream.averageMinor.toString(),
    lastMinor: stream.lastMinor.toString(),
    firstDate: formatDate(stream.firstDay),
    lastDate: formatDate(stream.lastDay),
    nextDate: formatDate(stream.nextDay),
    occurrences: stream.occurrences,
    confidence: stream.confidence,
  };
}

function fromRow(row: SuggestionRow): SuggestionWrite {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    counterpartyKey: row.counterparty_key,
    direction: row.direction,
    currency: row.currency,
    status: row.status,
    counterparty: row.counterparty,
    description: row.description,
    frequency: row.frequency,
    dayOfMonth: row.day_of_month,
    dayOfWeek: row.day_of_week,
    averageMinor: row.average_minor,
    lastMinor: row.last_minor,
    firstDate: row.first_date,
    lastDate: row.last_date,
    nextDate: row.next_date,
    occurrences: row.occurrences,
    confidence: Number(row.confidence),
  };
}
