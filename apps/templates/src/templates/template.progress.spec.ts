import type { Template } from './template.model';
import { type GeneratedOccurrence, applyGenerated, indexAfter } from './template.progress';
import { scheduleOf } from './template.schedule';

const monthly31: Template = {
  id: '0190a1b2-0000-7000-8000-000000000001',
  tenantId: '0190a1b2-0000-7000-8000-0000000000aa',
  type: 'invoice',
  customerId: '0190a1b2-0000-7000-8000-0000000000cc',
  vendorId: null,
  frequency: 'monthly',
  dayOfMonth: null,
  dayOfWeek: null,
  startDate: '2026-01-31',
  endDate: null,
  maxOccurrences: null,
  daysUntilDue: 30,
  autoSend: false,
  currency: 'USD',
  totalMinor: 10000n,
  lineItems: null,
  description: null,
  notes: null,
  status: 'active',
  nextIndex: 0,
  nextOccurrenceDate: '2026-01-31',
  generatedCount: 0,
  skippedCount: 0,
  lastGeneratedDate: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const daily: Template = {
  ...monthly31,
  frequency: 'daily',
  startDate: '2026-03-01',
  nextOccurrenceDate: '2026-03-01',
};
const doc = (n: number, date: string, index: number | null = n): GeneratedOccurrence => ({
  invoiceId: `0190a1b2-0000-7000-8000-00000000${String(n).padStart(4, '0')}`,
  occurrenceDate: date,
  occurrenceIndex: index,
});

describe('applyGenerated', () => {
  it('counts the document and moves the schedule on to the next occurrence', () => {
    const p = applyGenerated(monthly31, [doc(0, '2026-01-31')]);
    expect(p.state).toMatchObject({
      status: 'active',
      nextIndex: 1,
      nextOccurrenceDate: '2026-02-28',
      generatedCount: 1,
      lastGeneratedDate: '2026-01-31',
    });
    expect(p.completed).toBe(false);
    expect(p.steps).toHaveLength(1);
  });

  it('steps through caught-up documents in date order', () => {
    const p = applyGenerated(daily, [doc(2, '2026-03-03'), doc(0, '2026-03-01'), doc(1, '2026-03-02')]);
    expect(
      p.steps.map((s) => [s.occurrence.occurrenceDate, s.state.generatedCount, s.state.nextOccurrenceDate]),
    ).toEqual([
      ['2026-03-01', 1, '2026-03-02'],
      ['2026-03-02', 2, '2026-03-03'],
      ['2026-03-03', 3, '2026-03-04'],
    ]);
    expect(p.state).toMatchObject({ nextIndex: 3, generatedCount: 3, lastGeneratedDate: '2026-03-03' });
  });

  it('ends in the same state whatever order the documents come in, one batch or several', () => {
    const docs = [doc(0, '2026-03-01'), doc(1, '2026-03-02'), doc(2, '2026-03-03')];
    const together = applyGenerated(daily, docs).state;
    for (const order of [
      [2, 0, 1],
      [1, 2, 0],
      [2, 1, 0],
    ]) {
      let t = daily;
      for (const i of order) t = { ...t, ...applyGenerated(t, [docs[i]]).state };
      expect(t).toMatchObject(together);
    }
  });

  it('completes at max_occurrences', () => {
    const t = { ...daily, maxOccurrences: 2 };
    const p = applyGenerated(t, [doc(0, '2026-03-01'), doc(1, '2026-03-02')]);
    expect(p.state).toMatchObject({ status: 'completed', nextOccurrenceDate: null, generatedCount: 2 });
    expect(p.completed).toBe(true);
    expect(p.steps.map((s) => s.state.status)).toEqual(['active', 'completed']);
  });

  it('completes when the next occurrence passes the end date', () => {
    const p = applyGenerated({ ...daily, endDate: '2026-03-01' }, [doc(0, '2026-03-01')]);
    expect(p.state).toMatchObject({ status: 'completed', nextOccurrenceDate: null, nextIndex: 1 });
    expect(p.completed).toBe(true);
  });

  it('counts a document of a paused or cancelled template but leaves it as it is', () => {
    for (const status of ['paused', 'cancelled', 'completed'] as const) {
      const t = { ...daily, status, nextOccurrenceDate: null, maxOccurrences: 1 };
      const p = applyGenerated(t, [doc(0, '2026-03-01')]);
      expect(p.state).toMatchObject({ status, nextOccurrenceDate: null, nextIndex: 1, generatedCount: 1 });
      expect(p.completed).toBe(false);
    }
  });

  it('never moves the schedule backwards or the last generated date earlier', () => {
    const ahead = {
      ...daily,
      nextIndex: 5,
      nextOccurrenceDate: '2026-03-06',
      lastGeneratedDate: '2026-03-05',
    };
    const p = applyGenerated(ahead, [doc(1, '2026-03-02')]);
    expect(p.state).toMatchObject({
      nextIndex: 5,
      nextOccurrenceDate: '2026-03-06',
      lastGeneratedDate: '2026-03-05',
    });
    expect(p.state.generatedCount).toBe(1);
  });

  it('leaves skipped_count alone', () => {
    expect(
      applyGenerated({ ...daily, skippedCount: 2, nextIndex: 2 }, [doc(2, '2026-03-03')]).state.skippedCount,
    ).toBe(2);
  });
});

describe('indexAfter', () => {
  const s = scheduleOf(monthly31);

  it('is the index after the occurrence while the schedule still has it there', () => {
    expect(indexAfter(s, doc(2, '2026-03-31'))).toBe(3);
  });

  it('goes by the date when the index no longer matches (the schedule changed) or is unknown', () => {
    // Published as index 40 of a daily schedule; the template is monthly on the 31st now.
    expect(indexAfter(s, doc(0, '2026-03-31', 40))).toBe(3);
    expect(indexAfter(s, doc(0, '2026-03-15', null))).toBe(2);
    expect(indexAfter(s, doc(0, '2025-12-01', null))).toBe(0);
  });

  it('passes the last index after the last representable date', () => {
    const late = scheduleOf({ ...daily, startDate: '9999-12-30' });
    expect(indexAfter(late, doc(0, '9999-12-31', null))).toBe(late.lastIndex + 1);
  });
});
