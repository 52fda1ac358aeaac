import { daysFromCivil, formatDate } from './calendar';

/**
 * One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. The cache is
 * bounded by the number of zone names the runtime accepts.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offsets such as '+05:00' are not IANA zones; newer runtimes accept them, so reject them everywhere. */
const OFFSET = /^[+-]/;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    if (typeof timeZone !== 'string' || OFFSET.test(timeZone)) {
      throw new RangeError(`Invalid time zone specified: ${String(timeZone)}`);
    }
    // Throws RangeError for a zone the runtime does not know.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (YYYY-MM-DD) it is at instant `now` in IANA zone `timeZone`. Throws RangeError. */
export function todayInTimeZone(timeZone: string, now: Date = new Date()): string {
  let year = 0;
  let month = 0;
  let day = 0;
  for (const part of formatterFor(timeZone).formatToParts(now)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  return formatDate(daysFromCivil(year, month, day));
}
