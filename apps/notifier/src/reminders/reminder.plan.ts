import { addDays } from '../invoice-data/format';

/**
 * The reminder an invoice is due today, as an offset of the policy, or null. It is the latest offset
 * whose date (due date + offset) has come, so a pass that missed days (the service was down, the
 * policy was set late) sends one reminder, the current one, never a burst of stale ones; an earlier
 * offset is never due once a later one is. A reminder never falls on or before the issue date: the
 * invoice email itself is the news then.
 */
export function dueReminder(
  offsets: readonly number[],
  invoice: { issueDate: string; dueDate: string },
  today: string,
): number | null {
  let due: number | null = null;
  for (const offset of offsets) {
    const date = addDays(invoice.dueDate, offset);
    if (date <= today && date > invoice.issueDate && (due === null || offset > due)) due = offset;
  }
  return due;
}

/** The latest due date an invoice can have and still be due a reminder today. */
export function latestRemindableDueDate(offsets: readonly number[], today: string): string | null {
  if (offsets.length === 0) return null;
  return addDays(today, -Math.min(...offsets));
}

/** Offsets as stored and shown: ascending. */
export function normaliseOffsets(offsets: readonly number[]): number[] {
  return [...offsets].sort((a, b) => a - b);
}
