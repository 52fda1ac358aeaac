import { daysFromCivil, formatDate, parseDate, weekday } from '@billing/recurrence';
import { generateHistory } from '../generator/history';
import { evaluate } from '../generator/evaluate';
import { type MinedStream, mineGroup } from './miner';

/** Mines one group given as [date, amount in minor units] pairs, as of `asOf`. */
function mine(rows: Array<[string, number]>, asOf: string): MinedStream[] {
  const days = rows.map(([d]) => parseDate(d));
  const amounts = rows.map(([, a]) => a);
  return mineGroup(
    days,
    amounts,
    rows.map((_, i) => i),
    parseDate(asOf),
  );
}

function monthlyDates(from: [number, number], count: number, day: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const m = from[1] - 1 + i;
    const year = from[0] + Math.floor(m / 12);
    const month = (m % 12) + 1;
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    out.push(formatDate(daysFromCivil(year, month, Math.min(day, last))));
  }
  return out;
}

/** A weekend date moved to the next Monday. */
const nextBusinessDay = (d: string) => {
  const day = parseDate(d);
  const wd = weekday(day);
  return formatDate(wd === 5 ? day + 2 : wd === 6 ? day + 1 : day);
};

describe('mineGroup', () => {
  it('a clean monthly subscription: frequency, day, amounts, next date, high confidence', () => {
    const [s, ...rest] = mine(
      monthlyDates([2025, 1], 12, 15).map((d) => [d, 4900]),
      '2025-12-20',
    );
    expect(rest).toEqual([]);
    expect(s).toMatchObject({
      frequency: 'monthly',
      dayOfMonth: 15,
      dayOfWeek: null,
      occurrences: 12,
      missed: 0,
    });
    expect(s.averageMinor).toBe(4900n);
    expect(s.lastMinor).toBe(4900n);
    expect(formatDate(s.firstDay)).toBe('2025-01-15');
    expect(formatDate(s.lastDay)).toBe('2025-12-15');
    expect(formatDate(s.nextDay)).toBe('2026-01-15');
    expect(s.confidence).toBeGreaterThan(0.9);
  });

  it('weekend shifts: still monthly on the 1st (payments moved to Monday or back to Friday the 30th)', () => {
    const dates = monthlyDates([2025, 1], 18, 1).map(nextBusinessDay);
    const [s] = mine(
      dates.map((d) => [d, 12000]),
      '2026-06-10',
    );
    expect(s).toMatchObject({ frequency: 'monthly', dayOfMonth: 1, occurrences: 18 });
    const back = monthlyDates([2025, 1], 18, 1).map((d) => {
      const day = parseDate(d);
      const wd = weekday(day);
      return formatDate(wd === 5 ? day - 1 : wd === 6 ? day - 2 : day);
    });
    expect(
      mine(
        back.map((d) => [d, 12000]),
        '2026-06-10',
      )[0],
    ).toMatchObject({ frequency: 'monthly', dayOfMonth: 1, occurrences: 18 });
  });

  it('month ends: the 31st clamped to short months is one stream on the 31st', () => {
    const [s] = mine(
      monthlyDates([2025, 1], 12, 31).map((d) => [d, 2000]),
      '2026-01-05',
    );
    expect(s).toMatchObject({ frequency: 'monthly', dayOfMonth: 31, occurrences: 12 });
    expect(formatDate(s.nextDay)).toBe('2026-01-31');
  });

  it('amount drift: a price rise and usage jitter stay one stream; the average and last amount show it', () => {
    const rows: Array<[string, number]> = monthlyDates([2025, 1], 12, 3).map((d, i) => [
      d,
      i < 6 ? 1000 : 1090,
    ]);
    const [s] = mine(rows, '2025-12-10');
    expect(s.averageMinor).toBe(1045n);
    expect(s.lastMinor).toBe(1090n);
    const jitter: Array<[string, number]> = monthlyDates([2025, 1], 12, 3).map((d, i) => [
      d,
      8000 + ((i * 37) % 7) * 40 - 120,
    ]);
    expect(mine(jitter, '2025-12-10')[0]).toMatchObject({ frequency: 'monthly', occurrences: 12 });
  });

  it('a missed period lowers coverage but keeps the stream and its schedule', () => {
    const dates = monthlyDates([2025, 1], 12, 10).filter((d) => d !== '2025-06-10');
    const [s] = mine(
      dates.map((d) => [d, 3000]),
      '2025-12-15',
    );
    expect(s).toMatchObject({ frequency: 'monthly', occurrences: 11, missed: 1 });
    const [full] = mine(
      monthlyDates([2025, 1], 12, 10).map((d) => [d, 3000]),
      '2025-12-15',
    );
    expect(s.confidence).toBeLessThan(full.confidence);
  });

  it('one-offs among regular payments are left out', () => {
    const rows: Array<[string, number]> = monthlyDates([2025, 1], 12, 20).map((d) => [d, 5000]);
    rows.push(['2025-03-04', 5200], ['2025-08-11', 4900], ['2025-05-27', 31000]);
    const [s, ...rest] = mine(rows, '2025-12-21');
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ frequency: 'monthly', occurrences: 12, dayOfMonth: 20 });
    expect(s.averageMinor).toBe(5000n);
  });

  it('two streams of one vendor: monthly 49.00 and quarterly 1,200.00', () => {
    const rows: Array<[string, number]> = monthlyDates([2025, 1], 18, 12).map((d) => [d, 4900]);
    monthlyDates([2025, 1], 18, 20)
      .filter((_, i) => i % 3 === 0)
      .forEach((d) => rows.push([d, 120000]));
    const streams = mine(rows, '2026-06-25').sort((a, b) => Number(a.averageMinor - b.averageMinor));
    expect(streams.map((s) => [s.frequency, s.averageMinor, s.occurrences])).toEqual([
      ['monthly', 4900n, 18],
      ['quarterly', 120000n, 6],
    ]);
    expect(formatDate(streams[1].nextDay)).toBe('2026-07-20');
  });

  it('weekly, biweekly, annually and daily streams', () => {
    const every = (start: string, step: number, count: number, amount: number): Array<[string, number]> =>
      Array.from({ length: count }, (_, i) => [formatDate(parseDate(start) + i * step), amount]);
    const weekly = mine(every('2025-01-06', 7, 30, 2500), '2025-08-01')[0];
    expect(weekly).toMatchObject({ frequency: 'weekly', dayOfWeek: 0, occurrences: 30 });
    expect(mine(every('2025-01-10', 14, 20, 180000), '2025-10-01')[0]).toMatchObject({
      frequency: 'biweekly',
      dayOfWeek: 4,
    });
    expect(mine(every('2025-06-01', 1, 30, 800), '2025-06-30')[0]).toMatchObject({
      frequency: 'daily',
      occurrences: 30,
    });
    const annual = mine(
      [
        ['2022-03-15', 99900],
        ['2023-03-15', 99900],
        ['2024-03-14', 99900],
        ['2025-03-17', 99900],
      ],
      '2025-06-01',
    );
    expect(annual[0]).toMatchObject({ frequency: 'annually', dayOfMonth: 15 });
    expect(formatDate(annual[0].nextDay)).toBe('2026-03-15');
  });

  it('weekly payments with a day of jitter are weekly, not biweekly', () => {
    const rows: Array<[string, number]> = Array.from({ length: 40 }, (_, i) => {
      const jitter = i % 5 === 0 ? 1 : i % 7 === 0 ? -1 : 0;
      return [formatDate(parseDate('2025-01-07') + i * 7 + jitter), 11000 + (i % 3) * 100];
    });
    expect(mine(rows, '2025-10-15')[0]).toMatchObject({ frequency: 'weekly', dayOfWeek: 1 });
  });

  it('an ended stream is not proposed; too few payments or irregular dates are not a pattern', () => {
    expect(
      mine(
        monthlyDates([2024, 1], 8, 5).map((d) => [d, 1500]),
        '2025-06-01',
      ),
    ).toEqual([]);
    expect(
      mine(
        [
          ['2025-01-05', 1500],
          ['2025-02-05', 1500],
        ],
        '2025-02-10',
      ),
    ).toEqual([]);
    const irregular: Array<[string, number]> = [
      '2025-01-03',
      '2025-01-19',
      '2025-03-02',
      '2025-03-07',
      '2025-05-28',
      '2025-06-02',
    ].map((d) => [d, 4000]);
    expect(mine(irregular, '2025-06-10')).toEqual([]);
  });
});

describe('the miner on generated histories (development seeds 1–3)', () => {
  it.each([1, 2, 3])('seed %i: precision, recall and frequency above the bench targets', (seed) => {
    const e = evaluate(generateHistory({ seed, counterparties: 600 }));
    expect(e.precision).toBeGreaterThanOrEqual(0.95);
    expect(e.recall).toBeGreaterThanOrEqual(0.9);
    expect(e.frequencyAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it.each([
    ['dateJitter'],
    ['weekendShift'],
    ['amountDrift'],
    ['missedPeriods'],
    ['oneOffs'],
    ['nameVariants'],
  ])('each kind of noise alone (%s) is handled', (kind) => {
    const noise = {
      dateJitter: false,
      weekendShift: false,
      amountDrift: false,
      missedPeriods: false,
      oneOffs: false,
      nameVariants: false,
      [kind]: true,
    };
    const e = evaluate(generateHistory({ seed: 5, counterparties: 300, noise }));
    expect(e.precision).toBeGreaterThanOrEqual(0.95);
    expect(e.recall).toBeGreaterThanOrEqual(0.95);
    expect(e.frequencyAccuracy).toBeGreaterThanOrEqual(0.97);
  });
});
