import {
  daysFromCivil,
  daysInMonth,
  formatDate,
  MAX_EPOCH_DAY,
  monthIndexOfDay,
  parseDate,
  weekday,
} from './calendar';

export type Frequency = 'daily' | 'weekly' | 'biweekly' | 'monthly' | 'quarterly' | 'annually';

export const FREQUENCIES: readonly Frequency[] = Object.freeze([
  'daily',
  'weekly',
  'biweekly',
  'monthly',
  'quarterly',
  'annually',
]);

/** A template's schedule as the user gives it. */
export interface ScheduleRule {
  frequency: Frequency;
  /** YYYY-MM-DD; the first occurrence is the first matching date on or after it. */
  startDate: string;
  /** 1..31, monthly / quarterly / annually only; null or absent = startDate's day of month. */
  dayOfMonth?: number | null;
  /** 0 = Monday .. 6 = Sunday, weekly / biweekly only; null or absent = startDate's weekday. */
  dayOfWeek?: number | null;
}

/**
 * A compiled rule: every occurrence is a closed-form function of the anchor and its index. All fields are
 * numbers (plus the frequency) so every schedule has the same shape and evaluation stays monomorphic.
 */
export interface Schedule {
  readonly frequency: Frequency;
  /** Epoch day of occurrence 0. */
  readonly anchorDay: number;
  /** Days between occurrences (1, 7, 14) for day-based frequencies; 0 for month-based ones. */
  readonly stepDays: number;
  /** Months between occurrences (1, 3, 12) for month-based frequencies; 0 for day-based ones. */
  readonly stepMonths: number;
  /** Month of occurrence 0 as year * 12 + (month - 1); month-based only, else -1. */
  readonly anchorMonth: number;
  /** Requested day of month (1..31) before clamping to the month's length; month-based only, else 0. */
  readonly targetDay: number;
  /** Largest index whose occurrence is on or before 9999-12-31. */
  readonly lastIndex: number;
}

const STEP_DAYS: Record<Frequency, number> = {
  daily: 1,
  weekly: 7,
  biweekly: 14,
  monthly: 0,
  quarterly: 0,
  annually: 0,
};
const STEP_MONTHS: Record<Frequency, number> = {
  daily: 0,
  weekly: 0,
  biweekly: 0,
  monthly: 1,
  quarterly: 3,
  annually: 12,
};
/** December 9999: the last month whose every day is still a writable YYYY date. */
const MAX_MONTH_INDEX = 9999 * 12 + 11;

function isFrequency(value: unknown): value is Frequency {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(STEP_DAYS, value);
}

function optionalInteger(value: unknown, name: string, min: number, max: number): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `${name} must be an integer ${min}..${max}, got ${typeof value === 'number' ? value : typeof value}`,
    );
  }
  return value;
}

export function compileSchedule(rule: ScheduleRule): Schedule {
  if (typeof rule !== 'object' || rule === null) throw new RangeError('A schedule rule must be an object');
  const { frequency } = rule;
  if (!isFrequency(frequency)) {
    const got = typeof frequency === 'string' ? JSON.stringify(frequency) : typeof frequency;
    throw new RangeError(`frequency must be one of ${FREQUENCIES.join(', ')}, got ${got}`);
  }
  const start = parseDate(rule.startDate);
  const dayOfMonth = optionalInteger(rule.dayOfMonth, 'dayOfMonth', 1, 31);
  const dayOfWeek = optionalInteger(rule.dayOfWeek, 'dayOfWeek', 0, 6);
  const stepDays = STEP_DAYS[frequency];
  const stepMonths = STEP_MONTHS[frequency];

  if (stepDays > 0) {
    if (dayOfMonth !== null) throw new RangeError(`dayOfMonth does not apply to a ${frequency} schedule`);
    if (dayOfWeek !== null && frequency === 'daily') {
      throw new RangeError('dayOfWeek does not apply to a daily schedule');
    }
    const anchorDay = dayOfWeek === null ? start : start + ((dayOfWeek - weekday(start) + 7) % 7);
    return {
      frequency,
      anchorDay,
      stepDays,
      stepMonths,
      anchorMonth: -1,
      targetDay: 0,
      lastIndex: Math.floor((MAX_EPOCH_DAY - anchorDay) / stepDays),
    };
  }

  if (dayOfWeek !== null) throw new RangeError(`dayOfWeek does not apply to a ${frequency} schedule`);
  const startMonth = monthIndexOfDay(start);
  const startYear = Math.floor(startMonth / 12);
  const startMonthOfYear = startMonth - startYear * 12 + 1;
  const startDayOfMonth = start - daysFromCivil(startYear, startMonthOfYear, 1) + 1;
  const targetDay = dayOfMonth ?? startDayOfMonth;
  // The start month qualifies when its (clamped) target day is not before the start date; otherwise the
  // next month does, since any day of it is after the start date.
  const clamped = Math.min(targetDay, daysInMonth(startYear, startMonthOfYear));
  const anchorMonth = clamped >= startDayOfMonth ? startMonth : startMonth + 1;
  return {
    frequency,
    anchorDay: monthlyDay(anchorMonth, targetDay),
    stepDays,
    stepMonths,
    anchorMonth,
    targetDay,
    lastIndex: Math.floor((MAX_MONTH_INDEX - anchorMonth) / stepMonths),
  };
}

/** The target day, clamped to the month's length, in month index `monthIndex`. */
function monthlyDay(monthIndex: number, targetDay: number): number {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = targetDay <= 28 ? targetDay : Math.min(targetDay, daysInMonth(year, month));
  return daysFromCivil(year, month, day);
}

/** occurrenceDay without the index check, for callers that have already checked it. */
function dayAt(s: Schedule, n: number): number {
  return s.stepDays > 0
    ? s.anchorDay + n * s.stepDays
    : monthlyDay(s.anchorMonth + n * s.stepMonths, s.targetDay);
}

function checkIndex(s: Schedule, n: number, name: string): void {
  if (!(n >= 0 && n <= s.lastIndex && Number.isInteger(n))) {
    throw new RangeError(
      `${name} must be an integer 0..${s.lastIndex} (occurrences up to 9999-12-31), got ${n}`,
    );
  }
}

/** Epoch day of occurrence `n` (0 = the anchor), computed from the anchor, never from occurrence n - 1. */
export function occurrenceDay(s: Schedule, n: number): number {
  checkIndex(s, n, 'Occurrence index');
  return dayAt(s, n);
}

export function occurrenceDate(s: Schedule, n: number): string {
  return formatDate(occurrenceDay(s, n));
}

/**
 * The smallest n with occurrenceDay(s, n) >= day: the index to resume from. It may be lastIndex + 1
 * when no occurrence up to 9999-12-31 qualifies.
 */
export function firstIndexOnOrAfter(s: Schedule, day: number): number {
  if (!Number.isSafeInteger(day)) throw new RangeError(`Epoch day ${day} is not an integer`);
  if (day <= s.anchorDay) return 0;
  if (s.stepDays > 0) return Math.ceil((day - s.anchorDay) / s.stepDays);
  // day > anchorDay, so day's month is not before the anchor month. The first index whose month is not
  // before day's month is on or after day unless it falls in day's own month, earlier than day.
  const n = Math.ceil((monthIndexOfDay(day) - s.anchorMonth) / s.stepMonths);
  return dayAt(s, n) >= day ? n : n + 1;
}

/**
 * Epoch days of occurrences fromIndex .. fromIndex + count - 1. Writes into `out` when given (it must hold
 * at least `count` days) and returns it, or a view of its first `count` entries when it is longer.
 */
export function occurrences(s: Schedule, fromIndex: number, count: number, out?: Int32Array): Int32Array {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be an integer >= 0, got ${count}`);
  const result = out ?? new Int32Array(count);
  if (result.length < count) throw new RangeError(`out holds ${result.length} days, ${count} requested`);
  if (count === 0) return result.length === 0 ? result : result.subarray(0, 0);
  checkIndex(s, fromIndex, 'fromIndex');
  checkIndex(s, fromIndex + count - 1, 'Last occurrence index');

  const stepDays = s.stepDays;
  if (stepDays > 0) {
    let day = s.anchorDay + fromIndex * stepDays;
    for (let i = 0; i < count; i++, day += stepDays) result[i] = day;
  } else {
    const stepMonths = s.stepMonths;
    const targetDay = s.targetDay;
    const first = s.anchorMonth + fromIndex * stepMonths;
    let year = Math.floor(first / 12);
    let month = first - year * 12 + 1;
    for (let i = 0; i < count; i++) {
      result[i] = daysFromCivil(
        year,
        month,
        targetDay <= 28 ? targetDay : Math.min(targetDay, daysInMonth(year, month)),
      );
      month += stepMonths;
      while (month > 12) {
        month -= 12;
        year++;
      }
    }
  }
  return result.length === count ? result : result.subarray(0, count);
}
