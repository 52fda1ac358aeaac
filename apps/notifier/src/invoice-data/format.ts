import type { Address, Currency } from '@billing/contracts';

/** English locales that write each billing currency the way its home market expects. */
const CURRENCY_LOCALES: Record<Currency, string> = {
  USD: 'en-US',
  CAD: 'en-CA',
  AUD: 'en-AU',
  EUR: 'en-IE',
  GBP: 'en-GB',
};

const moneyFormats = new Map<Currency, Intl.NumberFormat>();

/**
 * "1500.00" in EUR → "€1,500.00". The amount stays a decimal string: Intl formats numeric strings
 * exactly (ECMA-402 Intl.NumberFormat v3), so money never passes through a float.
 */
export function formatMoney(amount: string, currency: Currency): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(CURRENCY_LOCALES[currency], { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return (format.format as unknown as (value: string) => string)(amount);
}

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

/** A calendar date "2027-03-31" → "March 31, 2027" (a plain date: no time zone can shift it). */
export function formatDate(date: string): string {
  return dateFormat.format(new Date(`${date}T00:00:00Z`));
}

/** "8.25" → "8.25%", "0" → "—" (no tax). */
export function formatTaxRate(rate: string): string {
  return Number(rate) === 0 ? '—' : `${rate}%`;
}

const regions = new Intl.DisplayNames(['en'], { type: 'region' });

/** The lines of a postal address as printed: street, city line, country name. */
export function addressLines(address: Address | null): string[] {
  if (!address) return [];
  const cityLine = [address.city, address.region, address.postal_code].filter(Boolean).join(', ');
  let country: string = address.country;
  try {
    country = regions.of(address.country) ?? address.country;
  } catch {
    // an unknown code is printed as it is
  }
  return [address.line1, address.line2 ?? '', cityLine, country].filter((l) => l.trim() !== '');
}

/** Days between two calendar dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** A calendar date plus whole days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
