/**
 * The engine against a brute-force reference that shares none of its arithmetic: the reference walks
 * the calendar one day at a time with JS Date in UTC and keeps the days that match the rule.
 */
import fc from 'fast-check';
import { formatDate, parseDate } from './calendar';
import {
  compileSchedule,
  firstIndexOnOrAfter,
  FREQUENCIES,
  occurrenceDate,
  occurrenceDay,
  occurrences,
  type Frequency,
  type ScheduleRule,
} from './schedule';

const DAY_MS = 86_400_000;
const COUNT = 30;

// ---- reference -------------------------------------------------------------------------------------

function utcDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function nextDay(date: Date): Date {
  return new Date(date.getTime() + DAY_MS);
}

/** Monday = 0 .. Sunday = 6. */
function mondayWeekday(date: Date): number {
  return (date.getUTCDay() + 6) % 7;
}

/** The last day of date's month, found by walking to the day before the month changes. */
function lastDayOfMonth(date: Date): number {
  let d = date;
  while (nextDay(d).getUTCMonth() === d.getUTCMonth()) d = nextDay(d);
  return d.getUTCDate();
}

/** Does `date` carry the target day of month, clamped to its month's length? */
function isTargetDay(date: Date, targetDay: number): boolean {
  return date.getUTCDate() === Math.min(targetDay, lastDayOfMonth(date));
}

const MONTH_STEP: Partial<Record<Frequency, number>> = { monthly: 1, quarterly: 3, annually: 12 };

function referenceDates(rule: ScheduleRule, count: number): string[] {
  const start = utcDate(rule.startDate);
  const result: string[] = [];
  if (rule.frequency === 'daily') {
    for (let d = start; result.length < count; d = nextDay(d)) result.push(iso(d));
    return result;
  }
  if (rule.frequency === 'weekly' || rule.frequency === 'biweekly') {
    // The i-th occurrence is the i-th (weekly) or 2i-th (biweekly) matching weekday on or after the start.
    const dayOfWeek = rule.dayOfWeek ?? mondayWeekday(start);
    const every = rule.frequency === 'weekly' ? 1 : 2;
    let matches = 0;
    for (let d = start; result.length < count; d = nextDay(d)) {
      if (mondayWeekday(d) !== dayOfWeek) continue;
      if (matches % every === 0) result.push(iso(d));
      matches++;
    }
    return result;
  }
  const step = MONTH_STEP[rule.frequency]!;
  const targetDay = rule.dayOfMonth ?? start.getUTCDate();
  let d = start;
  while (!isTargetDay(d, targetDay)) d = nextDay(d);
  result.push(iso(d));
  while (result.length < count) {
    // Walk forward until `step` month boundaries are crossed, then to the target day of that month.
    for (let crossed = 0; crossed < step;) {
      const next = nextDay(d);
      if (next.getUTCMonth() !== d.getUTCMonth()) crossed++;
      d = next;
    }
    while (!isTargetDay(d, targetDay)) d = nextDay(d);
    result.push(iso(d));
  }
  return result;
}

// ---- generators ------------------------------------------------------------------------------------

/** Start dates in [fromYear, toYear], biased to month ends: a day past the month's end clamps to it. */
function startDateArb(fromYear: number, toYear: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.integer({ min: fromYear, max: toYear }),
      fc.integer({ min: 0, max: 11 }),
      fc.integer({ min: 1, max: 34 }),
    )
    .map(([y, m, d]) =>
      iso(new Date(Date.UTC(y, m, Math.min(d, new Date(Date.UTC(y, m + 1, 0)).getUTCDate())))),
    );
}

const dayOfMonthArb = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 1, max: 31 }),
  fc.integer({ min: 28, max: 31 }),
);
const dayOfWeekArb = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 6 }));

function ruleArb(fromYear = 1990, toYear = 2100): fc.Arbitrary<ScheduleRule> {
  return fc
    .record({
      frequency: fc.constantFrom(...FREQUENCIES),
      startDate: startDateArb(fromYear, toYear),
      dayOfMonth: dayOfMonthArb,
      dayOfWeek: dayOfWeekArb,
    })
    .map(({ frequency, startDate, dayOfMonth, dayOfWeek }) => {
      if (frequency === 'weekly' || frequency === 'biweekly') return { frequency, startDate, dayOfWeek };
      if (frequency === 'daily') return { frequency, startDate };
      return { frequency, startDate, dayOfMonth };
    });
}

// ---- properties ------------------------------------------------------------------------------------

describe('engine against the day-by-day reference', () => {
  it('the reference itself reproduces the worked examples', () => {
    expect(referenceDates({ frequency: 'monthly', startDate: '2024-01-31' }, 4)).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
    ]);
    expect(referenceDates({ frequency: 'annually', startDate: '2026-03-15', dayOfMonth: 10 }, 2)).toEqual([
      '2026-04-10',
      '2027-04-10',
    ]);
    expect(referenceDates({ frequency: 'biweekly', startDate: '2025-11-19', dayOfWeek: 4 }, 2)).toEqual([
      '2025-11-21',
      '2025-12-05',
    ]);
  });

  it(`gives the same first ${COUNT} occurrences for rules starting 1990..2100`, () => {
    fc.assert(
      fc.property(ruleArb(), (rule) => {
        const schedule = compileSchedule(rule);
        const expected = referenceDates(rule, COUNT);
        expect(Array.from(occurrences(schedule, 0, COUNT), formatDate)).toEqual(expected);
        expect(formatDate(schedule.anchorDay)).toBe(expected[0]);
        for (let n = 0; n < COUNT; n++) expect(occurrenceDate(schedule, n)).toBe(expected[n]);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same occurrences for rules starting anywhere in 1900..9990', () => {
    fc.assert(
      fc.property(ruleArb(1900, 9990), (rule) => {
        const schedule = compileSchedule(rule);
        expect(Array.from(occurrences(schedule, 0, 8), formatDate)).toEqual(referenceDates(rule, 8));
      }),
      { numRuns: 200 },
    );
  });

  it('finds the same resume index as a linear scan', () => {
    fc.assert(
      fc.property(ruleArb(), fc.double({ min: 0, max: 1, noNaN: true }), (rule, at) => {
        const schedule = compileSchedule(rule);
        const expected = referenceDates(rule, COUNT);
        // Any day from 40 days before the start to the day after the last reference occurrence, which
        // belongs to occurrence COUNT (the next one after the reference's last).
        const from = parseDate(rule.startDate) - 40;
        const span = parseDate(expected[COUNT - 1]) + 1 - from;
        const day = from + Math.round(at * span);
        const index = expected.findIndex((date) => date >= formatDate(day));
        const scanned = index === -1 ? COUNT : index;
        expect(firstIndexOnOrAfter(schedule, day)).toBe(scanned);
      }),
      { numRuns: 300 },
    );
  });

  it('is strictly increasing and batch evaluation matches single evaluation, far out too', () => {
    fc.assert(
      fc.property(ruleArb(), fc.integer({ min: 0, max: 5000 }), (rule, fromIndex) => {
        const schedule = compileSchedule(rule);
        const batch = occurrences(schedule, fromIndex, 60);
        for (let i = 0; i < batch.length; i++) {
          expect(batch[i]).toBe(occurrenceDay(schedule, fromIndex + i));
          if (i > 0) expect(batch[i]).toBeGreaterThan(batch[i - 1]);
        }
        // Each occurrence is where firstIndexOnOrAfter puts it, and the day after belongs to the next one.
        expect(firstIndexOnOrAfter(schedule, batch[0])).toBe(fromIndex);
        expect(firstIndexOnOrAfter(schedule, batch[0] + 1)).toBe(fromIndex + 1);
      }),
      { numRuns: 300 },
    );
  });
});
