import fc from 'fast-check';
import {
  addDays,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  formatDate,
  isLeapYear,
  isValidDate,
  MAX_EPOCH_DAY,
  MIN_EPOCH_DAY,
  parseDate,
  weekday,
} from './calendar';

const DAY_MS = 86_400_000;

/** Independent of the engine: the JS Date view of a 'YYYY-MM-DD' (years 0..9999), or null if not real. */
function dateViaJs(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return null;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.toISOString().slice(0, 10) === s ? d.getTime() / DAY_MS : null;
}

describe('epoch days', () => {
  it('counts from 1970-01-01', () => {
    expect(parseDate('1970-01-01')).toBe(0);
    expect(parseDate('1969-12-31')).toBe(-1);
    expect(parseDate('2000-03-01')).toBe(11017);
    expect(parseDate('0000-01-01')).toBe(MIN_EPOCH_DAY);
    expect(parseDate('9999-12-31')).toBe(MAX_EPOCH_DAY);
  });

  it('knows the leap years, 1900 and 2100 excluded, 2000 included', () => {
    expect([1896, 1900, 1904, 2000, 2023, 2024, 2100, 2400].map(isLeapYear)).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2025, 4)).toBe(30);
    expect(daysInMonth(2025, 12)).toBe(31);
    expect(parseDate('1900-03-01') - parseDate('1900-02-28')).toBe(1);
    expect(parseDate('2000-03-01') - parseDate('2000-02-28')).toBe(2);
  });

  it('names weekdays from Monday = 0', () => {
    expect(weekday(parseDate('1970-01-01'))).toBe(3); // Thursday
    expect(weekday(parseDate('2025-11-17'))).toBe(0); // Monday
    expect(weekday(parseDate('2025-11-23'))).toBe(6); // Sunday
    expect(weekday(parseDate('1900-01-01'))).toBe(0); // Monday
  });

  it('agrees with JS Date and round-trips on every day 0000..9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_EPOCH_DAY, max: MAX_EPOCH_DAY }), (day) => {
        const iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
        expect(formatDate(day)).toBe(iso);
        expect(parseDate(iso)).toBe(day);
        expect(formatDate(parseDate(iso))).toBe(iso);
        const { year, month, day: dom } = civilFromDays(day);
        expect(daysFromCivil(year, month, dom)).toBe(day);
        expect(weekday(day)).toBe((new Date(day * DAY_MS).getUTCDay() + 6) % 7);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseDate', () => {
  it.each([
    '2025-02-30',
    '2025-02-29',
    '1900-02-29',
    '2100-02-29',
    '2025-04-31',
    '2025-2-3',
    '2025-02-3',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '20250203',
    '2025/02/03',
    ' 2025-02-03',
    '2025-02-03 ',
    '2025-02-03T00:00:00Z',
    '+02025-02-03',
    '２０２５-02-03',
    '',
  ])('rejects %j', (s) => {
    expect(() => parseDate(s)).toThrow(RangeError);
    expect(isValidDate(s)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(() => parseDate(20250203 as unknown as string)).toThrow(RangeError);
    expect(isValidDate(null as unknown as string)).toBe(false);
  });

  it.each(['2024-02-29', '2000-02-29', '1900-02-28', '2025-12-31', '9999-12-31'])('accepts %s', (s) => {
    expect(isValidDate(s)).toBe(true);
    expect(formatDate(parseDate(s))).toBe(s);
  });

  it('accepts exactly the real dates among digit strings shaped YYYY-MM-DD', () => {
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });
    const shaped = fc
      .tuple(digits(4), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 }))
      .map(([y, m, d]) => `${y.join('')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(shaped, (s) => {
        const expected = dateViaJs(s);
        expect(isValidDate(s)).toBe(expected !== null);
        if (expected !== null) expect(parseDate(s)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatDate and addDays', () => {
  it('pads years, months and days', () => {
    expect(formatDate(parseDate('0009-01-05'))).toBe('0009-01-05');
    expect(formatDate(MIN_EPOCH_DAY)).toBe('0000-01-01');
  });

  it('refuses days it cannot write as YYYY-MM-DD', () => {
    expect(() => formatDate(MAX_EPOCH_DAY + 1)).toThrow(RangeError);
    expect(() => formatDate(MIN_EPOCH_DAY - 1)).toThrow(RangeError);
    expect(() => formatDate(1.5)).toThrow(RangeError);
    expect(() => formatDate(NaN)).toThrow(RangeError);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2025-01-31', 30)).toBe('2025-03-02');
    expect(addDays('2025-06-15', 0)).toBe('2025-06-15');
    expect(() => addDays('2025-06-15', 0.5)).toThrow(RangeError);
    expect(() => addDays('2025-06-31', 1)).toThrow(RangeError);
  });
});
