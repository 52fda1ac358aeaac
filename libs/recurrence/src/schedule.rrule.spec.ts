/** The engine against rrule (RFC 5545) wherever rrule can express the same schedule. */
import fc from 'fast-check';
import { datetime, RRule, type Options } from 'rrule';
import { civilFromDays, formatDate } from './calendar';
import { compileSchedule, FREQUENCIES, occurrences, type Schedule, type ScheduleRule } from './schedule';

const COUNT = 30;
const WEEKDAYS = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];

/** RFC 5545 options for a compiled schedule, anchored (DTSTART) on its first occurrence. */
function rruleOptions(schedule: Schedule): Partial<Options> {
  const { year, month, day } = civilFromDays(schedule.anchorDay);
  const dtstart = datetime(year, month, day);
  switch (schedule.frequency) {
    case 'daily':
      return { freq: RRule.DAILY, dtstart };
    case 'weekly':
    case 'biweekly':
      return {
        freq: RRule.WEEKLY,
        interval: schedule.frequency === 'weekly' ? 1 : 2,
        byweekday: [WEEKDAYS[(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7]],
        dtstart,
      };
    case 'monthly':
    case 'quarterly':
    case 'annually': {
      const d = schedule.targetDay;
      // A day the month may lack: the last of 28..d that the month has.
      const target =
        d <= 28
          ? { bymonthday: [d] }
          : { bymonthday: Array.from({ length: d - 27 }, (_, i) => 28 + i), bysetpos: [-1] };
      return { freq: RRule.MONTHLY, interval: schedule.stepMonths, ...target, dtstart };
    }
  }
}

const ruleArb: fc.Arbitrary<ScheduleRule> = fc
  .record({
    frequency: fc.constantFrom(...FREQUENCIES),
    // Epoch days 1990-01-01 .. 2100-12-31, computed with Date.UTC so the generator does not use the engine.
    start: fc.integer({ min: Date.UTC(1990, 0, 1) / 86_400_000, max: Date.UTC(2100, 11, 31) / 86_400_000 }),
    dayOfMonth: fc.oneof(
      fc.constant(null),
      fc.integer({ min: 1, max: 31 }),
      fc.integer({ min: 28, max: 31 }),
    ),
    dayOfWeek: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 6 })),
  })
  .map(({ frequency, start, dayOfMonth, dayOfWeek }) => {
    const startDate = new Date(start * 86_400_000).toISOString().slice(0, 10);
    if (frequency === 'weekly' || frequency === 'biweekly') return { frequency, startDate, dayOfWeek };
    if (frequency === 'daily') return { frequency, startDate };
    return { frequency, startDate, dayOfMonth };
  });

describe('engine against rrule', () => {
  it(`gives the same first ${COUNT} dates as the equivalent RRULE`, () => {
    fc.assert(
      fc.property(ruleArb, (rule) => {
        const schedule = compileSchedule(rule);
        const expected = new RRule({ ...rruleOptions(schedule), count: COUNT })
          .all()
          .map((date) => date.toISOString().slice(0, 10));
        expect(Array.from(occurrences(schedule, 0, COUNT), formatDate)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on the month-end examples', () => {
    const schedule = compileSchedule({ frequency: 'monthly', startDate: '2024-01-31' });
    const expected = new RRule({ ...rruleOptions(schedule), count: 4 })
      .all()
      .map((d) => d.toISOString().slice(0, 10));
    expect(expected).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']);
  });
});
