import {
  compileSchedule,
  firstIndexOnOrAfter,
  formatDate,
  occurrenceDay,
  parseDate,
  type Schedule,
} from '@billing/recurrence';
import type { Frequency } from './template.model';

/**
 * The schedule state of a template as pure functions of the compiled schedule: which occurrence index
 * comes next after create, resume, skip or a schedule change, and when the template is completed.
 * Every date comes from the engine by index (rule 1 of SPEC section 2), never by adding a period.
 */

export interface ScheduleFields {
  frequency: Frequency;
  startDate: string;
  dayOfMonth: number | null;
  dayOfWeek: number | null;
}

export interface Limits {
  endDate: string | null;
  maxOccurrences: number | null;
  generatedCount: number;
}

export interface Position {
  nextIndex: number;
  /** The date of occurrence `nextIndex`; null when the template is completed. */
  nextOccurrenceDate: string | null;
  completed: boolean;
}

export function scheduleOf(f: ScheduleFields): Schedule {
  return compileSchedule({
    frequency: f.frequency,
    startDate: f.startDate,
    dayOfMonth: f.dayOfMonth,
    dayOfWeek: f.dayOfWeek,
  });
}

/** The date of occurrence n, or null when it would fall after 9999-12-31. */
export function occurrenceOn(s: Schedule, n: number): string | null {
  return n <= s.lastIndex ? formatDate(occurrenceDay(s, n)) : null;
}

export function isExhausted(limits: Limits): boolean {
  return limits.maxOccurrences !== null && limits.generatedCount >= limits.maxOccurrences;
}

/** Occurrence n as the next one, or completion when it passes the end date or the count is reached. */
export function positionAt(s: Schedule, n: number, limits: Limits): Position {
  const date = isExhausted(limits) ? null : occurrenceOn(s, n);
  if (date === null || (limits.endDate !== null && date > limits.endDate)) {
    return { nextIndex: n, nextOccurrenceDate: null, completed: true };
  }
  return { nextIndex: n, nextOccurrenceDate: date, completed: false };
}

/** Resume: the first scheduled date on or after today; what fell inside the pause is not generated.
 * Never moves backwards, so an occurrence generated or skipped before the pause is not repeated. */
export function resumeIndex(s: Schedule, nextIndex: number, today: string): number {
  return Math.max(nextIndex, firstIndexOnOrAfter(s, parseDate(today)));
}

/** After a schedule change: the first occurrence of the new schedule on or after
 * max(today, the day after the last generated occurrence), so no date is generated twice. */
export function reanchorIndex(s: Schedule, today: string, lastGeneratedDate: string | null): number {
  const todayDay = parseDate(today);
  const from = lastGeneratedDate === null ? todayDay : Math.max(todayDay, parseDate(lastGeneratedDate) + 1);
  return firstIndexOnOrAfter(s, from);
}

export interface Progress {
  nextIndex: number;
  lastGeneratedDate: string | null;
}

/** The next index after an update: re-anchored when the schedule changed, else where it was. */
export function indexAfterUpdate(
  s: Schedule,
  progress: Progress,
  scheduleChanged: boolean,
  today: string,
): number {
  return scheduleChanged ? reanchorIndex(s, today, progress.lastGeneratedDate) : progress.nextIndex;
}

export interface UpcomingOccurrence {
  /** 1-based number of the document this occurrence would generate (generated ones come first). */
  sequence: number;
  date: string;
}

/** Up to `count` occurrences from index `fromIndex`, within the end date and the remaining count. */
export function upcomingOccurrences(
  s: Schedule,
  fromIndex: number,
  count: number,
  limits: Limits,
): UpcomingOccurrence[] {
  const remaining =
    limits.maxOccurrences === null ? count : Math.min(count, limits.maxOccurrences - limits.generatedCount);
  const out: UpcomingOccurrence[] = [];
  for (let i = 0; i < remaining; i++) {
    const date = occurrenceOn(s, fromIndex + i);
    if (date === null || (limits.endDate !== null && date > limits.endDate)) break;
    out.push({ sequence: limits.generatedCount + i + 1, date });
  }
  return out;
}
