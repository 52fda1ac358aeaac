/**
 * Plain calendar dates as integer "epoch days": days since 1970-01-01 in the proleptic Gregorian
 * calendar. Conversions use Howard Hinnant's days_from_civil / civil_from_days
 * (https://howardhinnant.github.io/date_algorithms.html), so no JS Date and no time zone is involved.
 */

/** Epoch day of 0000-01-01, the first date `formatDate` can write as YYYY. */
export const MIN_EPOCH_DAY = -719528;
/** Epoch day of 9999-12-31, the last date `formatDate` can write as YYYY. */
export const MAX_EPOCH_DAY = 2932896;

/** Epoch day of a (year, month 1..12, day 1..31) that is known to be valid. */
export function daysFromCivil(year: number, month: number, day: number): number {
  // Count years from March so the leap day is the last day of the (shifted) year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // [0, 399]
  const doy = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1; // [0, 365]
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

/** The year, month (1..12) and day of an epoch day. */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function civilFromDays(epochDay: number): CivilDate {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097; // [0, 146096]
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0; // [0, 399]
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0)); // [0, 365]
  const mp = ((5 * doy + 2) / 153) | 0; // [0, 11], March-based
  const day = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** year * 12 + (month - 1) of an epoch day: a month counter that steps by 1 across year ends. */
export function monthIndexOfDay(epochDay: number): number {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  // mp counts from March of year (yoe + era * 400): March is month index +2 of that year.
  return (yoe + era * 400) * 12 + mp + 2;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

/** 1970-01-01 was a Thursday, weekday 3 when Monday is 0. */
export function weekday(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Epoch day of a strict 'YYYY-MM-DD' date, or NaN when the string is not one. */
function parseOrNaN(s: unknown): number {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) {
    return NaN;
  }
  const y0 = digit(s, 0);
  const y1 = digit(s, 1);
  const y2 = digit(s, 2);
  const y3 = digit(s, 3);
  const m0 = digit(s, 5);
  const m1 = digit(s, 6);
  const d0 = digit(s, 8);
  const d1 = digit(s, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return NaN;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  return daysFromCivil(year, month, day);
}

/** 'YYYY-MM-DD' (exactly: four-digit year 0000..9999, two-digit month and day, a real date). */
export function parseDate(s: string): number {
  const day = parseOrNaN(s);
  if (Number.isNaN(day)) throw new RangeError(`Invalid date ${JSON.stringify(s)}: expected YYYY-MM-DD`);
  return day;
}

export function isValidDate(s: string): boolean {
  return !Number.isNaN(parseOrNaN(s));
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));

export function formatDate(epochDay: number): string {
  if (!Number.isInteger(epochDay) || epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
    throw new RangeError(`Epoch day ${epochDay} is not an integer within 0000-01-01..9999-12-31`);
  }
  const { year, month, day } = civilFromDays(epochDay);
  return `${TWO_DIGITS[(year / 100) | 0]}${TWO_DIGITS[year % 100]}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
}

export function addDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new RangeError(`Day count ${days} is not an integer`);
  return formatDate(parseDate(date) + days);
}
