import fc from 'fast-check';
import { resourceOfField, type Schema } from './openapi';
import { Ref, type FuzzValue } from './wire';

/**
 * Valid by the contract is not yet valid by the services: a template's start date must not be in the
 * past, an invoice template names a customer of the tenant, a weekly schedule has no day of the month.
 * A schema alone generates requests the validator passes and the services then refuse. These nudges,
 * keyed by field names (not by route), make a share of the valid requests succeed, so the fuzzing
 * reaches stored state and the later requests meet real resources. Mutations start from these values.
 */

const unicodeStrings = new Map<string, fc.Arbitrary<string>>();

/**
 * Strings of any graphemes. Cached: building fast-check's grapheme arbitrary indexes the whole
 * grapheme table, which would dominate generation if done per field.
 */
export function unicodeString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const key = `${minLength}:${maxLength}`;
  let arb = unicodeStrings.get(key);
  if (!arb) {
    arb = fc.string({ minLength, maxLength, unit: 'grapheme' });
    unicodeStrings.set(key, arb);
  }
  return arb;
}

export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

export function isDatePattern(s: Schema): boolean {
  return s.pattern === DATE_PATTERN;
}

/** Money in the contracts: a decimal string with at most 13 integer digits and two decimals. */
export function isMoneyPattern(s: Schema): boolean {
  return s.pattern?.includes('\\d{1,13}(\\.\\d{1,2})?') ?? false;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Names of fields whose date must not be after today (a run's `as_of`, a payment's day, a bank line). */
const PAST_DATES = new Set(['as_of', 'paid_on', 'date']);
const TIMEZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Australia/Sydney',
  'Pacific/Chatham',
];
const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'CA', 'JP'];
const WORDS = ['northwind', 'acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne'];

/** A valid value for a field by its name, when the schema alone would rarely pass the services. */
export function fieldHint(
  name: string | undefined,
  s: Schema,
  today: string,
): fc.Arbitrary<FuzzValue> | undefined {
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (s.format === 'uuid') {
    const pool = resourceOfField(name);
    if (!pool) return fc.uuid();
    return fc.oneof(
      { weight: 6, arbitrary: fc.nat(1000).map((pick) => new Ref(pool, pick)) },
      { weight: 1, arbitrary: fc.uuid() },
    );
  }
  if (isDatePattern(s)) {
    if (name === 'today') return fc.integer({ min: -5, max: 5 }).map((d) => addDays(today, d));
    if (name && PAST_DATES.has(name)) return fc.integer({ min: 0, max: 400 }).map((d) => addDays(today, -d));
    return fc.integer({ min: 0, max: 90 }).map((d) => addDays(today, d));
  }
  if (isMoneyPattern(s)) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((c) => (c / 100).toFixed(2)) },
      { weight: 1, arbitrary: fc.stringMatching(new RegExp(s.pattern!)) },
    );
  }
  if (s.format === 'email' || name === 'email' || name?.endsWith('_email')) {
    return fc.tuple(fc.constantFrom(...WORDS), fc.nat(999)).map(([w, n]) => `ap${n}@${w}.test`);
  }
  switch (name ?? '') {
    case 'timezone':
      return fc.constantFrom(...TIMEZONES);
    case 'country':
      return fc.constantFrom(...COUNTRIES);
    case 'currency':
      // The tenant's base currency is USD: most documents and payments are in it.
      return s.enum
        ? fc.oneof(
            { weight: 3, arbitrary: fc.constant('USD') },
            { weight: 1, arbitrary: fc.constantFrom(...(s.enum as FuzzValue[])) },
          )
        : undefined;
    case 'quantity':
      return fc.oneof(fc.constantFrom('1', '2', '0.5', '12.25'), fc.integer({ min: 1, max: 40 }));
    case 'tax_rate':
      return fc.oneof(fc.constantFrom('0', '8.25', '20', '7.5'), fc.integer({ min: 0, max: 25 }));
    case 'day_of_month':
      return fc.integer({ min: 1, max: 31 });
    case 'max_occurrences':
      return fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 24 }));
    case 'name':
    case 'counterparty':
    case 'counterparty_name':
      return fc
        .tuple(fc.constantFrom(...WORDS), fc.constantFrom('Inc', 'GmbH', 'Ltd', 'Co', 'LLC'))
        .map(([w, s2]) => `${w[0].toUpperCase()}${w.slice(1)} ${s2}`);
    default:
      if (types.includes('string') && (name === 'description' || name === 'notes' || name === 'reference')) {
        return unicodeString(1, 40);
      }
      return undefined;
  }
}

const MONTH_BASED = new Set(['monthly', 'quarterly', 'annually']);
const WEEK_BASED = new Set(['weekly', 'biweekly']);

/** Makes a generated object consistent with the services' cross-field rules (see the top). */
export function cohere(obj: Record<string, FuzzValue>, s: Schema): Record<string, FuzzValue> {
  const props = s.properties ?? {};
  const out = { ...obj };
  if ('customer_id' in props && 'vendor_id' in props) {
    const type = out.type;
    if (type === 'invoice' || type === 'bill') {
      const [needed, other] =
        type === 'invoice' ? ['customer_id', 'vendor_id'] : ['vendor_id', 'customer_id'];
      if (!(out[needed] instanceof Ref)) out[needed] = new Ref(resourceOfField(needed)!, 0);
      delete out[other];
    } else if ('customer_id' in out && 'vendor_id' in out) {
      delete out.vendor_id;
    }
  }
  const frequency = out.frequency;
  if (typeof frequency === 'string') {
    if (!MONTH_BASED.has(frequency)) delete out.day_of_month;
    if (!WEEK_BASED.has(frequency)) delete out.day_of_week;
  }
  if ('total' in props && 'line_items' in props) {
    const hasTotal = out.total !== undefined && out.total !== null;
    const hasLines = out.line_items !== undefined && out.line_items !== null;
    if (hasTotal && hasLines) delete out.line_items;
    else if (!hasTotal && !hasLines && 'type' in props) out.total = '100.00';
    if (out.total === null && hasLines) delete out.total;
    if (out.line_items === null && hasTotal) delete out.line_items;
  }
  if (out.type === 'bill' && out.auto_send === true) out.auto_send = false;
  if (
    typeof out.start_date === 'string' &&
    typeof out.end_date === 'string' &&
    out.end_date < out.start_date
  ) {
    [out.start_date, out.end_date] = [out.end_date, out.start_date];
  }
  return out;
}
