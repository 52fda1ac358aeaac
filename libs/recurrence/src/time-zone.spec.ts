import { isValidTimeZone, todayInTimeZone } from './time-zone';

describe('todayInTimeZone', () => {
  it('gives each zone its own calendar date on either side of the date line', () => {
    const now = new Date('2026-01-01T05:00:00Z');
    expect(todayInTimeZone('UTC', now)).toBe('2026-01-01');
    expect(todayInTimeZone('Pacific/Auckland', now)).toBe('2026-01-01'); // 18:00 NZDT
    expect(todayInTimeZone('Pacific/Kiritimati', now)).toBe('2026-01-01'); // 19:00, UTC+14
    expect(todayInTimeZone('Pacific/Pago_Pago', now)).toBe('2025-12-31'); // 18:00, UTC-11
  });

  it('turns the date at local midnight', () => {
    // New York is UTC-5 in winter: 05:00Z is exactly midnight there.
    expect(todayInTimeZone('America/New_York', new Date('2026-01-01T04:59:59.999Z'))).toBe('2025-12-31');
    expect(todayInTimeZone('America/New_York', new Date('2026-01-01T05:00:00Z'))).toBe('2026-01-01');
    // Auckland is UTC+13 in (southern) summer.
    expect(todayInTimeZone('Pacific/Auckland', new Date('2025-12-31T10:59:59Z'))).toBe('2025-12-31');
    expect(todayInTimeZone('Pacific/Auckland', new Date('2025-12-31T11:00:00Z'))).toBe('2026-01-01');
  });

  it('follows daylight saving time', () => {
    // Sydney is UTC+11 in January and UTC+10 in July.
    expect(todayInTimeZone('Australia/Sydney', new Date('2026-01-14T13:00:00Z'))).toBe('2026-01-15');
    expect(todayInTimeZone('Australia/Sydney', new Date('2026-07-14T13:00:00Z'))).toBe('2026-07-14');
  });

  it('defaults to the current instant', () => {
    const before = new Date().toISOString().slice(0, 10);
    const today = todayInTimeZone('UTC');
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(today);
  });

  it('rejects unknown zones and invalid instants with RangeError', () => {
    expect(() => todayInTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => todayInTimeZone('+05:00')).toThrow(RangeError);
    expect(() => todayInTimeZone('UTC', new Date(NaN))).toThrow(RangeError);
  });
});

describe('isValidTimeZone', () => {
  it.each(['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Pacific/Auckland', 'Etc/GMT+5'])(
    'accepts %s',
    (tz) => expect(isValidTimeZone(tz)).toBe(true),
  );

  it.each(['', 'Mars/Olympus_Mons', 'America/Nowhere', '+05:00', '-03:00', 'GMT+25'])('rejects %j', (tz) =>
    expect(isValidTimeZone(tz)).toBe(false),
  );

  it('rejects non-strings', () => {
    expect(isValidTimeZone(undefined as unknown as string)).toBe(false);
    expect(isValidTimeZone(5 as unknown as string)).toBe(false);
  });
});
