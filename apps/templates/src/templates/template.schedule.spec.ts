import {
  type Limits,
  indexAfterUpdate,
  isExhausted,
  occurrenceOn,
  positionAt,
  reanchorIndex,
  resumeIndex,
  scheduleOf,
  upcomingOccurrences,
} from './template.schedule';

const monthly31 = scheduleOf({
  frequency: 'monthly',
  startDate: '2026-01-31',
  dayOfMonth: null,
  dayOfWeek: null,
});
const open: Limits = { endDate: null, maxOccurrences: null, generatedCount: 0 };

describe('positionAt: the next occurrence and completion', () => {
  it('starts at occurrence 0 of the compiled schedule after create', () => {
    expect(positionAt(monthly31, 0, open)).toEqual({
      nextIndex: 0,
      nextOccurrenceDate: '2026-01-31',
      completed: false,
    });
    const weekly = scheduleOf({
      frequency: 'weekly',
      startDate: '2026-01-15',
      dayOfMonth: null,
      dayOfWeek: 0,
    });
    expect(positionAt(weekly, 0, open).nextOccurrenceDate).toBe('2026-01-19');
  });

  it('takes each date from the anchor: Jan 31, Feb 28, Mar 31, Apr 30', () => {
    expect([0, 1, 2, 3].map((n) => positionAt(monthly31, n, open).nextOccurrenceDate)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
  });

  it('completes when the occurrence passes the end date, not when it lands on it', () => {
    expect(positionAt(monthly31, 1, { ...open, endDate: '2026-02-28' }).completed).toBe(false);
    expect(positionAt(monthly31, 1, { ...open, endDate: '2026-02-27' })).toEqual({
      nextIndex: 1,
      nextOccurrenceDate: null,
      completed: true,
    });
  });

  it('completes when max_occurrences is reached', () => {
    expect(isExhausted({ ...open, maxOccurrences: 3, generatedCount: 2 })).toBe(false);
    expect(isExhausted({ ...open, maxOccurrences: 3, generatedCount: 3 })).toBe(true);
    expect(positionAt(monthly31, 3, { ...open, maxOccurrences: 3, generatedCount: 3 }).completed).toBe(true);
    expect(positionAt(monthly31, 3, { ...open, maxOccurrences: 4, generatedCount: 3 }).completed).toBe(false);
  });

  it('completes past the last representable date', () => {
    const s = scheduleOf({
      frequency: 'annually',
      startDate: '9999-06-01',
      dayOfMonth: null,
      dayOfWeek: null,
    });
    expect(occurrenceOn(s, 0)).toBe('9999-06-01');
    expect(occurrenceOn(s, 1)).toBeNull();
    expect(positionAt(s, 1, open).completed).toBe(true);
  });
});

describe('skip next', () => {
  it('is the following index: skipping Feb 28 makes Mar 31 next', () => {
    expect(positionAt(monthly31, 1 + 1, open).nextOccurrenceDate).toBe('2026-03-31');
  });

  it('completes when the following occurrence passes the end date', () => {
    expect(positionAt(monthly31, 2, { ...open, endDate: '2026-03-15' }).completed).toBe(true);
  });
});

describe('resumeIndex', () => {
  it('goes to the first scheduled date on or after today; the paused ones are not generated', () => {
    // Paused with Feb 28 next; resumed on Apr 10: Mar 31 fell inside the pause, Apr 30 is next.
    const n = resumeIndex(monthly31, 1, '2026-04-10');
    expect(n).toBe(3);
    expect(occurrenceOn(monthly31, n)).toBe('2026-04-30');
  });

  it('includes today when it is a scheduled date', () => {
    expect(occurrenceOn(monthly31, resumeIndex(monthly31, 1, '2026-03-31'))).toBe('2026-03-31');
  });

  it('never goes back before the occurrence that was next (nothing generated or skipped is repeated)', () => {
    // Resumed the day it was paused, with occurrence 2 (Mar 31) next after a skip of Feb 28.
    expect(resumeIndex(monthly31, 2, '2026-02-01')).toBe(2);
  });

  it('completes on resume when the end date or the count is already behind', () => {
    const n = resumeIndex(monthly31, 1, '2026-05-01');
    expect(positionAt(monthly31, n, { ...open, endDate: '2026-04-30' }).completed).toBe(true);
    expect(positionAt(monthly31, 1, { ...open, maxOccurrences: 1, generatedCount: 1 }).completed).toBe(true);
  });
});

describe('reanchorIndex and indexAfterUpdate', () => {
  it('re-anchors on or after today when nothing was generated', () => {
    const s = scheduleOf({ frequency: 'monthly', startDate: '2026-01-15', dayOfMonth: 20, dayOfWeek: null });
    expect(occurrenceOn(s, reanchorIndex(s, '2026-01-15', null))).toBe('2026-01-20');
  });

  it('never re-generates the last generated date', () => {
    // Generated on Jan 20 (today); the new schedule's Jan 20 is already billed, so Feb 20 is next.
    const s = scheduleOf({ frequency: 'monthly', startDate: '2025-12-01', dayOfMonth: 20, dayOfWeek: null });
    expect(occurrenceOn(s, reanchorIndex(s, '2026-01-20', '2026-01-20'))).toBe('2026-02-20');
    // A last generated date before today does not hold the schedule back.
    expect(occurrenceOn(s, reanchorIndex(s, '2026-01-20', '2026-01-05'))).toBe('2026-01-20');
  });

  it('keeps the index when the schedule did not change, re-anchors when it did', () => {
    const progress = { nextIndex: 2, lastGeneratedDate: '2026-02-28' };
    expect(indexAfterUpdate(monthly31, progress, false, '2026-03-01')).toBe(2);
    const weekly = scheduleOf({
      frequency: 'weekly',
      startDate: '2026-01-01',
      dayOfMonth: null,
      dayOfWeek: 4,
    });
    expect(occurrenceOn(weekly, indexAfterUpdate(weekly, progress, true, '2026-03-01'))).toBe('2026-03-06');
  });
});

describe('upcomingOccurrences', () => {
  it('lists the next N with their sequence numbers', () => {
    expect(upcomingOccurrences(monthly31, 0, 4, open)).toEqual([
      { sequence: 1, date: '2026-01-31' },
      { sequence: 2, date: '2026-02-28' },
      { sequence: 3, date: '2026-03-31' },
      { sequence: 4, date: '2026-04-30' },
    ]);
  });

  it('stops at the end date', () => {
    expect(upcomingOccurrences(monthly31, 0, 12, { ...open, endDate: '2026-03-31' })).toHaveLength(3);
  });

  it('stops at the remaining count and numbers after what was generated', () => {
    expect(upcomingOccurrences(monthly31, 5, 12, { ...open, maxOccurrences: 7, generatedCount: 5 })).toEqual([
      { sequence: 6, date: '2026-06-30' },
      { sequence: 7, date: '2026-07-31' },
    ]);
    expect(upcomingOccurrences(monthly31, 5, 12, { ...open, maxOccurrences: 5, generatedCount: 5 })).toEqual(
      [],
    );
  });
});
