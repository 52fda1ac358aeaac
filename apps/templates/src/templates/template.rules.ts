import { CURRENCIES, FREQUENCIES, type FieldError } from '@billing/contracts';
import { formatAmount, parseAmount, parseDecimal, priceLines } from '@billing/common';
import { isValidDate, type Schedule } from '@billing/recurrence';
import type { CandidateField, TemplateCandidate } from './template.candidate';
import { SCHEDULE_FIELDS } from './template.candidate';
import { indexAfterUpdate, occurrenceOn, type Progress, scheduleOf } from './template.schedule';

export interface RuleContext {
  /** The tenant's calendar date. */
  today: string;
  /**
   * Update: the fields whose value changes. The "not in the past" rules apply to these only, since a
   * running template's start date is in the past by nature. Absent for create and clone (all new).
   */
  changed?: ReadonlySet<CandidateField>;
  /** Update: where the template stands, so the change must leave an occurrence to generate. */
  progress?: Progress & { generatedCount: number };
  /** Whether the customer (invoice) or vendor (bill) exists in the tenant; absent when not looked up. */
  counterpartyFound?: boolean;
}

const MONTH_BASED: ReadonlySet<string> = new Set(['monthly', 'quarterly', 'annually']);
const WEEK_BASED: ReadonlySet<string> = new Set(['weekly', 'biweekly']);
/** The largest amount a money field can carry (13 integer digits), so every occurrence can be billed. */
const MAX_AMOUNT_MINOR = 999_999_999_999_999n;
const HUNDRED_PERCENT = parseDecimal('100').scaled;

type Report = (field: string, message: string, code: string) => void;

/**
 * The cross-field and contextual rules of SPEC section 2 for create, update and clone. The contract's
 * zod schema has already checked the shape; this reports every remaining violation at once, each on
 * the REST field it concerns (`line_items[2].unit_price`). An empty list means the template is valid.
 */
export function validateTemplate(c: TemplateCandidate, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const report: Report = (field, message, code) => errors.push({ field, message, code });
  checkCounterparty(c, ctx, report);
  if (c.type === 'bill' && c.auto_send)
    report('auto_send', 'is only for invoices: bills are never emailed', 'not_applicable');
  checkSchedule(c, ctx, report);
  if (!isIntegerIn(c.days_until_due, 0, 365))
    report('days_until_due', 'must be a whole number from 0 to 365', 'out_of_range');
  if (!(CURRENCIES as readonly string[]).includes(c.currency)) {
    report('currency', `must be one of ${CURRENCIES.join(', ')}`, 'invalid_value');
  }
  checkAmounts(c, report);
  return errors;
}

function checkCounterparty(c: TemplateCandidate, ctx: RuleContext, report: Report): void {
  const [needed, forbidden, party] =
    c.type === 'invoice'
      ? (['customer_id', 'vendor_id', 'customer'] as const)
      : (['vendor_id', 'customer_id', 'vendor'] as const);
  if (c[needed] === null) report(needed, `is required for ${article(c.type)} template`, 'required');
  else if (ctx.counterpartyFound === false)
    report(needed, `does not match a ${party} of this tenant`, 'not_found');
  if (c[forbidden] !== null) {
    report(
      forbidden,
      `must be empty for ${article(c.type)} template (it is addressed to a ${party})`,
      'not_applicable',
    );
  }
}

function checkSchedule(c: TemplateCandidate, ctx: RuleContext, report: Report): void {
  const isNew = (field: CandidateField) => !ctx.changed || ctx.changed.has(field);
  let scheduleValid = true;
  const fail: Report = (field, message, code) => {
    scheduleValid = false;
    report(field, message, code);
  };

  if (!(FREQUENCIES as readonly string[]).includes(c.frequency)) {
    fail('frequency', `must be one of ${FREQUENCIES.join(', ')}`, 'invalid_value');
  }
  if (c.day_of_month !== null) {
    if (!isIntegerIn(c.day_of_month, 1, 31))
      fail('day_of_month', 'must be a whole number from 1 to 31', 'out_of_range');
    else if (!MONTH_BASED.has(c.frequency)) {
      fail('day_of_month', 'applies only to monthly, quarterly and annually schedules', 'not_applicable');
    }
  }
  if (c.day_of_week !== null) {
    if (!isIntegerIn(c.day_of_week, 0, 6)) {
      fail('day_of_week', 'must be a whole number from 0 (Monday) to 6 (Sunday)', 'out_of_range');
    } else if (!WEEK_BASED.has(c.frequency)) {
      fail('day_of_week', 'applies only to weekly and biweekly schedules', 'not_applicable');
    }
  }

  const startValid = isValidDate(c.start_date);
  if (!startValid) fail('start_date', 'is not a real calendar date', 'invalid_date');
  else if (isNew('start_date') && c.start_date < ctx.today) {
    fail('start_date', `must not be in the past (today is ${ctx.today})`, 'in_the_past');
  }

  let endValid = c.end_date === null;
  if (c.end_date !== null) {
    if (!isValidDate(c.end_date)) report('end_date', 'is not a real calendar date', 'invalid_date');
    else if (isNew('end_date') && c.end_date < ctx.today) {
      report('end_date', `must not be in the past (today is ${ctx.today})`, 'in_the_past');
    } else if (startValid && c.end_date < c.start_date)
      report('end_date', 'must not be before start_date', 'before_start_date');
    else endValid = true;
  }

  const progress = ctx.progress;
  if (c.max_occurrences !== null) {
    if (!isIntegerIn(c.max_occurrences, 1, Number.MAX_SAFE_INTEGER)) {
      report('max_occurrences', 'must be a whole number of at least 1', 'out_of_range');
    } else if (progress && c.max_occurrences <= progress.generatedCount) {
      report(
        'max_occurrences',
        `must be more than the ${progress.generatedCount} occurrences already generated`,
        'not_above_generated',
      );
    }
  }

  // At least one occurrence must remain between the (next) occurrence and the end date.
  if (!scheduleValid || c.end_date === null || !endValid) return;
  const schedule = scheduleOf({
    frequency: c.frequency,
    startDate: c.start_date,
    dayOfMonth: c.day_of_month,
    dayOfWeek: c.day_of_week,
  });
  const next = nextOccurrence(schedule, c, ctx);
  if (next !== null && next <= c.end_date) return;
  report(
    'end_date',
    progress
      ? `leaves no occurrence to generate${next ? ` (the next would be ${next})` : ''}`
      : `leaves no occurrence between start_date and end_date${next ? ` (the first would be ${next})` : ''}`,
    'no_occurrence_left',
  );
}

function nextOccurrence(s: Schedule, c: TemplateCandidate, ctx: RuleContext): string | null {
  if (!ctx.progress) return occurrenceOn(s, 0);
  const scheduleChanged = SCHEDULE_FIELDS.some((field) => ctx.changed?.has(field) ?? true);
  return occurrenceOn(s, indexAfterUpdate(s, ctx.progress, scheduleChanged, ctx.today));
}

function checkAmounts(c: TemplateCandidate, report: Report): void {
  if ((c.total === null) === (c.line_items === null)) {
    const message =
      c.total === null
        ? 'give exactly one of total or line_items (neither is set)'
        : 'give exactly one of total or line_items (both are set)';
    report('total', message, 'exactly_one_of');
    report('line_items', message, 'exactly_one_of');
  }
  if (c.total !== null) {
    const total = amountOrNull(c.total);
    if (total === null) report('total', 'must be a decimal amount such as "1500.00"', 'invalid_format');
    else if (total <= 0n) report('total', 'must be greater than 0', 'not_positive');
  }
  if (c.line_items === null) return;
  if (c.line_items.length === 0) {
    report('line_items', 'needs at least one line', 'too_small');
    return;
  }
  let linesValid = true;
  c.line_items.forEach((line, i) => {
    const at = (field: string) => `line_items[${i}].${field}`;
    const fail = (field: string, message: string, code: string) => {
      linesValid = false;
      report(at(field), message, code);
    };
    if (line.description.trim() === '') fail('description', 'is required', 'required');
    const quantity = decimalOrNull(line.quantity);
    if (quantity === null) fail('quantity', 'must be a decimal with at most 4 decimals', 'invalid_format');
    else if (quantity <= 0n) fail('quantity', 'must be greater than 0', 'not_positive');
    const unitPrice = amountOrNull(line.unit_price);
    if (unitPrice === null)
      fail('unit_price', 'must be a decimal amount such as "1500.00"', 'invalid_format');
    else if (unitPrice <= 0n) fail('unit_price', 'must be greater than 0', 'not_positive');
    if (line.tax_rate !== undefined) {
      const rate = decimalOrNull(line.tax_rate);
      if (rate === null || rate > HUNDRED_PERCENT)
        fail('tax_rate', 'must be a percentage from 0 to 100', 'out_of_range');
    }
  });
  if (linesValid && priceLines(c.line_items).totals.totalMinor > MAX_AMOUNT_MINOR) {
    report(
      'line_items',
      `add up to more than the largest amount, ${formatAmount(MAX_AMOUNT_MINOR)}`,
      'amount_too_large',
    );
  }
}

function amountOrNull(text: string): bigint | null {
  try {
    return parseAmount(text);
  } catch {
    return null;
  }
}

function decimalOrNull(text: string): bigint | null {
  try {
    return parseDecimal(text).scaled;
  } catch {
    return null;
  }
}

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function article(type: TemplateCandidate['type']): string {
  return type === 'invoice' ? 'an invoice' : 'a bill';
}
