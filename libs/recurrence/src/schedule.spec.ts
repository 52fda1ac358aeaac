import { formatDate, parseDate } from './calendar';
import {
  compileSchedule,
  firstIndexOnOrAfter,
  occurrenceDate,
  occurrenceDay,
  occurrences,
  type ScheduleRule,
} from './schedule';

function dates(rule: ScheduleRule, count: number): string[] {
  return Array.from(occurrences(compileSchedule(rule), 0, count), formatDate);
}

describe('monthly, quarterly and annual schedules', () => {
  it('computes each month from the anchor: the 31st falls back to the last day, then returns', () => {
    expect(dates({ frequency: 'monthly', startDate: '2025-01-31' }, 6)).toEqual([
      '2025-01-31',
      '2025-02-28',
      '2025-03-31',
      '2025-04-30',
      '2025-05-31',
      '2025-06-30',
    ]);
    expect(dates({ frequency: 'monthly', startDate: '2024-01-31', dayOfMonth: 31 }, 4)).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
    ]);
  });

  it('keeps the start date day of month (30th) through February', () => {
    expect(dates({ frequency: 'monthly', startDate: '2025-01-30' }, 3)).toEqual([
      '2025-01-30',
      '2025-02-28',
      '2025-03-30',
    ]);
  });

  it('starts on the first matching date on or after the start date', () => {
    // The 15th has passed in January, so February's is first.
    expect(dates({ frequency: 'monthly', startDate: '2025-01-20', dayOfMonth: 15 }, 2)).toEqual([
      '2025-02-15',
      '2025-03-15',
    ]);
    // February's "31st" is its 28th, which is still ahead of the 10th.
    expect(dates({ frequency: 'monthly', startDate: '2025-02-10', dayOfMonth: 31 }, 3)).toEqual([
      '2025-02-28',
      '2025-03-31',
      '2025-04-30',
    ]);
    expect(dates({ frequency: 'monthly', startDate: '2025-12-31', dayOfMonth: 1 }, 2)).toEqual([
      '2026-01-01',
      '2026-02-01',
    ]);
    expect(dates({ frequency: 'monthly', startDate: '2025-06-15', dayOfMonth: 15 }, 1)).toEqual([
      '2025-06-15',
    ]);
  });

  it('runs quarterly on the 31st from the first occurrence', () => {
    expect(dates({ frequency: 'quarterly', startDate: '2025-01-31' }, 5)).toEqual([
      '2025-01-31',
      '2025-04-30',
      '2025-07-31',
      '2025-10-31',
      '2026-01-31',
    ]);
    expect(dates({ frequency: 'quarterly', startDate: '2025-11-15', dayOfMonth: 31 }, 4)).toEqual([
      '2025-11-30',
      '2026-02-28',
      '2026-05-31',
      '2026-08-31',
    ]);
  });

  it('runs annually on Feb 29 as Feb 28 in common years', () => {
    expect(dates({ frequency: 'annually', startDate: '2024-02-29' }, 5)).toEqual([
      '2024-02-29',
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
    ]);
  });

  it('treats 1900 as a common year and 2000 as a leap year', () => {
    expect(dates({ frequency: 'annually', startDate: '1896-02-29' }, 9)).toEqual([
      '1896-02-29',
      '1897-02-28',
      '1898-02-28',
      '1899-02-28',
      '1900-02-28',
      '1901-02-28',
      '1902-02-28',
      '1903-02-28',
      '1904-02-29',
    ]);
    expect(dates({ frequency: 'annually', startDate: '1999-02-28', dayOfMonth: 29 }, 3)).toEqual([
      '1999-02-28',
      '2000-02-29',
      '2001-02-28',
    ]);
    expect(dates({ frequency: 'monthly', startDate: '1900-01-29' }, 3)).toEqual([
      '1900-01-29',
      '1900-02-28',
      '1900-03-29',
    ]);
  });

  it('counts annual schedules from the first occurrence, not the start date', () => {
    expect(dates({ frequency: 'annually', startDate: '2026-03-15', dayOfMonth: 10 }, 3)).toEqual([
      '2026-04-10',
      '2027-04-10',
      '2028-04-10',
    ]);
  });
});

describe('daily, weekly and biweekly schedules', () => {
  // 2025-11-19 is a Wednesday.
  it('runs daily across the leap day and the year end', () => {
    expect(dates({ frequency: 'daily', startDate: '2024-02-28' }, 3)).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(dates({ frequency: 'daily', startDate: '2025-12-30' }, 3)).toEqual([
      '2025-12-30',
      '2025-12-31',
      '2026-01-01',
    ]);
  });

  it('runs weekly on the start date weekday by default', () => {
    expect(dates({ frequency: 'weekly', startDate: '2025-11-19' }, 3)).toEqual([
      '2025-11-19',
      '2025-11-26',
      '2025-12-03',
    ]);
  });

  it('runs weekly on a chosen weekday from the first one on or after a mid-week start', () => {
    expect(dates({ frequency: 'weekly', startDate: '2025-11-19', dayOfWeek: 0 }, 3)).toEqual([
      '2025-11-24',
      '2025-12-01',
      '2025-12-08',
    ]);
    expect(dates({ frequency: 'weekly', startDate: '2025-11-19', dayOfWeek: 2 }, 1)).toEqual(['2025-11-19']);
    expect(dates({ frequency: 'weekly', startDate: '2025-11-19', dayOfWeek: 6 }, 1)).toEqual(['2025-11-23']);
  });

  it('runs biweekly from the first occurrence', () => {
    expect(dates({ frequency: 'biweekly', startDate: '2025-11-19', dayOfWeek: 4 }, 4)).toEqual([
      '2025-11-21',
      '2025-12-05',
      '2025-12-19',
      '2026-01-02',
    ]);
    expect(dates({ frequency: 'biweekly', startDate: '2024-02-15' }, 2)).toEqual([
      '2024-02-15',
      '2024-02-29',
    ]);
  });
});

describe('compileSchedule validation', () => {
  it.each<[string, unknown]>([
    ['an unknown frequency', { frequency: 'fortnightly', startDate: '2025-01-01' }],
    ['a bad start date', { frequency: 'daily', startDate: '2025-02-30' }],
    ['a loose start date', { frequency: 'daily', startDate: '2025-2-3' }],
    ['dayOfMonth 0', { frequency: 'monthly', startDate: '2025-01-01', dayOfMonth: 0 }],
    ['dayOfMonth 32', { frequency: 'monthly', startDate: '2025-01-01', dayOfMonth: 32 }],
    ['a fractional dayOfMonth', { frequency: 'monthly', startDate: '2025-01-01', dayOfMonth: 1.5 }],
    ['a string dayOfMonth', { frequency: 'monthly', startDate: '2025-01-01', dayOfMonth: '5' }],
    ['dayOfMonth on weekly', { frequency: 'weekly', startDate: '2025-01-01', dayOfMonth: 5 }],
    ['dayOfMonth on daily', { frequency: 'daily', startDate: '2025-01-01', dayOfMonth: 5 }],
    ['dayOfWeek on monthly', { frequency: 'monthly', startDate: '2025-01-01', dayOfWeek: 1 }],
    ['dayOfWeek on daily', { frequency: 'daily', startDate: '2025-01-01', dayOfWeek: 1 }],
    ['dayOfWeek 7', { frequency: 'weekly', startDate: '2025-01-01', dayOfWeek: 7 }],
    ['dayOfWeek -1', { frequency: 'biweekly', startDate: '2025-01-01', dayOfWeek: -1 }],
    ['no rule', null],
  ])('rejects %s with RangeError', (_, rule) => {
    expect(() => compileSchedule(rule as ScheduleRule)).toThrow(RangeError);
  });

  it('treats null targeting as absent', () => {
    expect(
      dates({ frequency: 'monthly', startDate: '2025-01-31', dayOfMonth: null, dayOfWeek: null }, 2),
    ).toEqual(['2025-01-31', '2025-02-28']);
    expect(
      dates({ frequency: 'weekly', startDate: '2025-11-19', dayOfMonth: null, dayOfWeek: null }, 1),
    ).toEqual(['2025-11-19']);
  });
});

describe('evaluating a schedule', () => {
  const monthly31 = compileSchedule({ frequency: 'monthly', startDate: '2025-01-31' });

  it('gives single occurrences directly', () => {
    expect(occurrenceDate(monthly31, 0)).toBe('2025-01-31');
    expect(occurrenceDate(monthly31, 13)).toBe('2026-02-28');
    expect(occurrenceDate(monthly31, 37)).toBe('2028-02-29');
    expect(occurrenceDay(monthly31, 2)).toBe(parseDate('2025-03-31'));
  });

  it('finds the first occurrence on or after a day (resume)', () => {
    const at = (date: string) => firstIndexOnOrAfter(monthly31, parseDate(date));
    expect(at('2024-06-01')).toBe(0);
    expect(at('2025-01-31')).toBe(0);
    expect(at('2025-02-01')).toBe(1);
    expect(at('2025-02-28')).toBe(1);
    expect(at('2025-03-01')).toBe(2);
    expect(at('2025-03-31')).toBe(2);
    expect(at('2025-04-01')).toBe(3);

    const quarterly = compileSchedule({ frequency: 'quarterly', startDate: '2025-01-15' });
    expect(firstIndexOnOrAfter(quarterly, parseDate('2025-02-01'))).toBe(1); // 2025-04-15
    expect(firstIndexOnOrAfter(quarterly, parseDate('2025-04-16'))).toBe(2); // 2025-07-15

    const biweekly = compileSchedule({ frequency: 'biweekly', startDate: '2025-11-19' });
    expect(firstIndexOnOrAfter(biweekly, parseDate('2025-12-03'))).toBe(1);
    expect(firstIndexOnOrAfter(biweekly, parseDate('2025-12-04'))).toBe(2);
    expect(() => firstIndexOnOrAfter(biweekly, 0.5)).toThrow(RangeError);
  });

  it('fills a caller buffer, or a view of it when it is longer', () => {
    const out = new Int32Array(8);
    const first = occurrences(monthly31, 1, 8, out);
    expect(first).toBe(out);
    expect(formatDate(out[0])).toBe('2025-02-28');
    const view = occurrences(monthly31, 0, 3, out);
    expect(view.buffer).toBe(out.buffer);
    expect(Array.from(view, formatDate)).toEqual(['2025-01-31', '2025-02-28', '2025-03-31']);
    expect(occurrences(monthly31, 0, 0)).toHaveLength(0);
    expect(() => occurrences(monthly31, 0, 9, out)).toThrow(RangeError);
  });

  it('rejects indexes that are negative, fractional or past 9999-12-31', () => {
    expect(() => occurrenceDay(monthly31, -1)).toThrow(RangeError);
    expect(() => occurrenceDay(monthly31, 1.5)).toThrow(RangeError);
    expect(() => occurrences(monthly31, -1, 3)).toThrow(RangeError);
    expect(() => occurrences(monthly31, 0, -1)).toThrow(RangeError);
    expect(occurrenceDate(monthly31, monthly31.lastIndex)).toBe('9999-12-31');
    expect(() => occurrenceDay(monthly31, monthly31.lastIndex + 1)).toThrow(RangeError);
    expect(() => occurrences(monthly31, monthly31.lastIndex - 1, 3)).toThrow(RangeError);

    const daily = compileSchedule({ frequency: 'daily', startDate: '9999-12-30' });
    expect(daily.lastIndex).toBe(1);
    expect(occurrenceDate(daily, 1)).toBe('9999-12-31');
    expect(firstIndexOnOrAfter(daily, parseDate('9999-12-31') + 1)).toBe(2);
  });
});
