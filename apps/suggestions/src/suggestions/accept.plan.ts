import type { FieldError, SuggestionAccept, TemplateCreate } from '@billing/contracts';
import {
  compileSchedule,
  firstIndexOnOrAfter,
  isValidDate,
  occurrenceDate,
  parseDate,
} from '@billing/recurrence';
import type { SuggestionRow } from './suggestion.model';

/**
 * The template a suggestion proposes, with the user's overrides: invoice for incoming money, bill for
 * outgoing; the mined frequency and typical day; the average amount; first occurrence the predicted next
 * date, or — when that is already past — the first date of the same schedule on or after today (so a
 * quarterly or yearly stream keeps its months).
 */
export function templateFor(
  s: SuggestionRow,
  overrides: SuggestionAccept,
  counterpartyId: string,
  today: string,
): TemplateCreate {
  const frequency = overrides.frequency ?? s.frequency;
  const monthBased = frequency === 'monthly' || frequency === 'quarterly' || frequency === 'annually';
  const dayBased = frequency === 'weekly' || frequency === 'biweekly';
  const sameShape = frequency === s.frequency;
  const dayOfMonth =
    overrides.day_of_month !== undefined
      ? overrides.day_of_month
      : monthBased && sameShape
        ? s.day_of_month
        : null;
  const dayOfWeek =
    overrides.day_of_week !== undefined
      ? overrides.day_of_week
      : dayBased && sameShape
        ? s.day_of_week
        : null;
  const invoice = s.direction === 'incoming';
  return {
    type: invoice ? 'invoice' : 'bill',
    ...(invoice ? { customer_id: counterpartyId } : { vendor_id: counterpartyId }),
    frequency,
    ...(dayOfMonth !== null && dayOfMonth !== undefined ? { day_of_month: dayOfMonth } : {}),
    ...(dayOfWeek !== null && dayOfWeek !== undefined ? { day_of_week: dayOfWeek } : {}),
    start_date: overrides.start_date ?? firstDateFrom(s, today),
    ...(overrides.end_date !== undefined ? { end_date: overrides.end_date } : {}),
    ...(overrides.max_occurrences !== undefined ? { max_occurrences: overrides.max_occurrences } : {}),
    ...(overrides.days_until_due !== undefined ? { days_until_due: overrides.days_until_due } : {}),
    ...(overrides.auto_send !== undefined ? { auto_send: overrides.auto_send } : {}),
    currency: s.currency,
    total: overrides.total ?? formatMinor(s.average_minor),
    description: overrides.description !== undefined ? overrides.description : s.description,
    ...(overrides.notes !== undefined ? { notes: overrides.notes } : {}),
  };
}

/** The predicted next date, or the schedule's first date on or after today when it has passed. */
export function firstDateFrom(
  s: Pick<SuggestionRow, 'frequency' | 'next_date' | 'day_of_month' | 'day_of_week'>,
  today: string,
): string {
  if (s.next_date >= today) return s.next_date;
  const schedule = compileSchedule({
    frequency: s.frequency,
    startDate: s.next_date,
    dayOfMonth: s.day_of_month,
    dayOfWeek: s.frequency === 'weekly' || s.frequency === 'biweekly' ? s.day_of_week : null,
  });
  return occurrenceDate(schedule, firstIndexOnOrAfter(schedule, parseDate(today)));
}

function formatMinor(minor: string): string {
  const v = BigInt(minor);
  return `${v / 100n}.${(v % 100n).toString().padStart(2, '0')}`;
}

const MONTH_BASED = new Set(['monthly', 'quarterly', 'annually']);
const WEEK_BASED = new Set(['weekly', 'biweekly']);

/**
 * The template rules an accept can break through its overrides, checked before anything is created
 * (a customer or vendor made for a template the templates app then refuses would be a side effect of
 * a rejected request). The templates app still checks everything when the template is created.
 */
export function checkTemplate(t: TemplateCreate, today: string): FieldError[] {
  const errors: FieldError[] = [];
  const report = (field: string, message: string, code: string) => errors.push({ field, message, code });
  if (t.type === 'bill' && t.auto_send)
    report('auto_send', 'is only for invoices: bills are never emailed', 'not_applicable');
  if (t.day_of_month != null && !MONTH_BASED.has(t.frequency)) {
    report('day_of_month', 'applies only to monthly, quarterly and annually schedules', 'not_applicable');
  }
  if (t.day_of_week != null && !WEEK_BASED.has(t.frequency)) {
    report('day_of_week', 'applies only to weekly and biweekly schedules', 'not_applicable');
  }
  if (t.start_date !== undefined) {
    if (!isValidDate(t.start_date)) report('start_date', 'is not a valid date', 'invalid_date');
    else if (t.start_date < today)
      report('start_date', `must not be in the past (today is ${today})`, 'in_the_past');
  }
  if (t.end_date != null) {
    if (!isValidDate(t.end_date)) report('end_date', 'is not a valid date', 'invalid_date');
    else if (t.end_date < today)
      report('end_date', `must not be in the past (today is ${today})`, 'in_the_past');
    else if (t.start_date !== undefined && t.end_date < t.start_date)
      report('end_date', 'must not be before start_date', 'before_start_date');
  }
  if (t.total != null && !(/^\d/.test(t.total) && /[1-9]/.test(t.total)))
    report('total', 'must be positive', 'not_positive');
  return errors;
}
