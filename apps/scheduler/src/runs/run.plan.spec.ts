import type { OccurrenceDocument } from '@billing/contracts';
import { occurrenceKey } from '@billing/contracts';
import {
  type DueItem,
  alreadyScheduled,
  asOfProblem,
  claimOutcome,
  dueEvent,
  occurrencesOf,
} from './run.plan';

const T1 = '0190a1b2-0000-7000-8000-000000000001';
const T2 = '0190a1b2-0000-7000-8000-000000000002';
const RUN = '0190a1b2-0000-7000-8000-0000000000a1';
const OTHER_RUN = '0190a1b2-0000-7000-8000-0000000000a2';

const document: OccurrenceDocument = {
  type: 'invoice',
  customer_id: '0190a1b2-0000-7000-8000-0000000000cc',
  vendor_id: null,
  currency: 'USD',
  days_until_due: 30,
  auto_send: false,
  description: null,
  notes: null,
  lines: [{ description: 'Recurring charge', quantity: '1', unit_price: '100.00', tax_rate: '0' }],
};
const item = (templateId: string, dates: string[], doc: unknown = document): DueItem => ({
  template_id: templateId,
  occurrences: dates.map((d, i) => ({
    occurrence_index: i,
    occurrence_date: d,
    next_occurrence_date: dates[i + 1] ?? null,
  })),
  document: doc as OccurrenceDocument,
});

describe('occurrencesOf', () => {
  it('flattens a page into one wanted occurrence per template and date', () => {
    const { wanted, broken } = occurrencesOf([
      item(T1, ['2026-03-01', '2026-03-02']),
      item(T2, ['2026-03-02']),
      item(T1, ['2026-03-02']),
    ]);
    expect(wanted.map((w) => [w.templateId, w.occurrenceDate, w.occurrenceIndex])).toEqual([
      [T1, '2026-03-01', 0],
      [T1, '2026-03-02', 1],
      [T2, '2026-03-02', 0],
    ]);
    expect(wanted[0].document).toEqual(document);
    expect(broken).toEqual([]);
  });

  it('fails, without claiming, the occurrences of a template whose document breaks the contract', () => {
    const { wanted, broken } = occurrencesOf([
      item(T1, ['2026-03-01'], { ...document, lines: [] }),
      item(T2, ['2026-03-01']),
    ]);
    expect(wanted.map((w) => w.templateId)).toEqual([T2]);
    expect(broken).toEqual([
      {
        templateId: T1,
        occurrenceDate: '2026-03-01',
        outcome: 'failed',
        next: null,
        reason: expect.stringContaining("The template's document is invalid: lines"),
      },
    ]);
  });
});

describe('claimOutcome', () => {
  const { wanted } = occurrencesOf([item(T1, ['2026-03-01', '2026-03-02', '2026-03-03'])]);
  const key = (d: string) => occurrenceKey(T1, d);

  it('publishes what this run claimed as pending, skips what another run claimed with its id', () => {
    const claimed = new Set([key('2026-03-01'), key('2026-03-03')]);
    const claimedBy = new Map([[key('2026-03-02'), OTHER_RUN]]);
    const { results, due } = claimOutcome(RUN, wanted, claimed, claimedBy);
    expect(results).toEqual([
      { templateId: T1, occurrenceDate: '2026-03-01', outcome: 'pending', reason: null, next: '2026-03-02' },
      {
        templateId: T1,
        occurrenceDate: '2026-03-02',
        outcome: 'skipped',
        next: null,
        reason: `already scheduled by run ${OTHER_RUN}`,
      },
      { templateId: T1, occurrenceDate: '2026-03-03', outcome: 'pending', reason: null, next: null },
    ]);
    expect(due.map((o) => o.occurrenceDate)).toEqual(['2026-03-01', '2026-03-03']);
  });

  it('adds nothing for what an earlier attempt of the same run claimed', () => {
    const claimedBy = new Map([
      [key('2026-03-01'), RUN],
      [key('2026-03-02'), RUN],
    ]);
    const { results, due } = claimOutcome(RUN, wanted, new Set([key('2026-03-03')]), claimedBy);
    expect(results.map((r) => r.occurrenceDate)).toEqual(['2026-03-03']);
    expect(due).toHaveLength(1);
  });

  it('still explains a conflict whose owner it could not see', () => {
    const { results } = claimOutcome(RUN, wanted.slice(0, 1), new Set(), new Map());
    expect(results).toEqual([
      {
        templateId: T1,
        occurrenceDate: '2026-03-01',
        outcome: 'skipped',
        reason: 'already scheduled',
        next: null,
      },
    ]);
    expect(alreadyScheduled(RUN)).toBe(`already scheduled by run ${RUN}`);
  });
});

describe('dueEvent', () => {
  it('carries the run, the occurrence and its document', () => {
    const [o] = occurrencesOf([item(T2, ['2026-03-05'])]).wanted;
    expect(dueEvent(RUN, o)).toEqual({
      run_id: RUN,
      template_id: T2,
      occurrence_date: '2026-03-05',
      occurrence_index: 0,
      document,
    });
  });
});

describe('asOfProblem', () => {
  it('accepts today and earlier days', () => {
    expect(asOfProblem('2026-03-01', '2026-03-01')).toBeNull();
    expect(asOfProblem('2025-12-31', '2026-03-01')).toBeNull();
  });

  it('refuses days after today', () => {
    expect(asOfProblem('2026-03-02', '2026-03-01')).toBe('must not be after today (2026-03-01)');
  });
});
