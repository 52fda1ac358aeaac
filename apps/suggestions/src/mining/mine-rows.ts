import { parseDate } from '@billing/recurrence';
import { type MineOptions, type MinedStream, mineGroup } from './miner';

/** Rows as read from PostgreSQL, ordered by group (counterparty key, direction, currency), then date. */
export interface GroupedRow {
  counterparty_key: string;
  direction: string;
  currency: string;
  booked_on: string;
  amount_minor: string;
}

export interface GroupStreams {
  counterpartyKey: string;
  direction: string;
  currency: string;
  /** Rows [start, end) of the input are this group's; stream members index the input. */
  start: number;
  end: number;
  streams: MinedStream[];
}

/**
 * Mines rows already ordered by group: one pass turns dates and amounts into columns (epoch days,
 * minor units), group boundaries are where the key changes, and each group is mined on its slice.
 * Every group is reported, with no streams when none was found (so its old suggestions can expire).
 */
export function mineGroupedRows(rows: readonly GroupedRow[], asOfDay: number, options: MineOptions = {}) {
  const n = rows.length;
  const days = new Int32Array(n);
  const amounts = new Float64Array(n);
  let lastDate = '';
  let lastDay = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    // Rows of a group come by date: many share the previous row's date string.
    if (r.booked_on !== lastDate) {
      lastDate = r.booked_on;
      lastDay = parseDate(lastDate);
    }
    days[i] = lastDay;
    amounts[i] = Number(r.amount_minor);
  }
  const out: GroupStreams[] = [];
  let start = 0;
  const indices: number[] = [];
  for (let i = 1; i <= n; i++) {
    if (
      i < n &&
      rows[i].counterparty_key === rows[start].counterparty_key &&
      rows[i].direction === rows[start].direction &&
      rows[i].currency === rows[start].currency
    ) {
      continue;
    }
    indices.length = 0;
    for (let j = start; j < i; j++) indices.push(j);
    out.push({
      counterpartyKey: rows[start].counterparty_key,
      direction: rows[start].direction,
      currency: rows[start].currency,
      start,
      end: i,
      streams: mineGroup(days, amounts, indices, asOfDay, options),
    });
    start = i;
  }
  return out;
}
