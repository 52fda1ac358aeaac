/**
 * Money in integer minor units (bigint). Every currency the platform bills in has two decimals.
 * Rounding is half-up (half away from zero) and happens once per line, never on totals.
 */
export const MINOR_DIGITS = 2;
const SCALE = 100n;

const AMOUNT = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;
const DECIMAL = /^(\d{1,9})(?:\.(\d{1,4}))?$/;

/** "1500.00" → 150000n. Throws RangeError on anything but a plain decimal with ≤ 2 decimals. */
export function parseAmount(text: string): bigint {
  const m = AMOUNT.exec(text);
  if (!m) throw new RangeError(`not an amount: ${JSON.stringify(text)}`);
  const minor = BigInt(m[2]) * SCALE + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -minor : minor;
}

/** 150000n → "1500.00". */
export function formatAmount(minor: bigint): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const units = abs / SCALE;
  const cents = (abs % SCALE).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${units}.${cents}`;
}

/** A non-negative decimal with at most 4 places, as an integer over 10^4. */
export interface Decimal4 {
  readonly scaled: bigint; // value × 10 000
}
const DEC_SCALE = 10_000n;

export function parseDecimal(text: string): Decimal4 {
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`not a decimal: ${JSON.stringify(text)}`);
  return { scaled: BigInt(m[1]) * DEC_SCALE + BigInt((m[2] ?? '').padEnd(4, '0')) };
}

export function formatDecimal(d: Decimal4): string {
  const units = d.scaled / DEC_SCALE;
  const frac = (d.scaled % DEC_SCALE).toString().padStart(4, '0').replace(/0+$/, '');
  return frac ? `${units}.${frac}` : `${units}`;
}

/** n / d rounded half away from zero; d > 0. */
export function divideHalfUp(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('divisor must be positive');
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const q = (abs * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** quantity × unit price, rounded half-up to the minor unit. */
export function lineAmount(quantity: Decimal4, unitPriceMinor: bigint): bigint {
  return divideHalfUp(quantity.scaled * unitPriceMinor, DEC_SCALE);
}

/** Tax on a line: amount × rate %, rounded half-up to the minor unit. */
export function lineTax(amountMinor: bigint, ratePercent: Decimal4): bigint {
  return divideHalfUp(amountMinor * ratePercent.scaled, DEC_SCALE * 100n);
}

export interface PricedLine {
  description: string;
  quantity: string;
  unit_price: string;
  tax_rate: string;
  amount: string;
  tax: string;
}
export interface Totals {
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
}

/** Prices lines; totals are sums of rounded lines. */
export function priceLines(
  lines: ReadonlyArray<{
    description: string;
    quantity: string;
    unit_price: string;
    tax_rate?: string | null;
  }>,
): { lines: PricedLine[]; totals: Totals } {
  let subtotalMinor = 0n;
  let taxMinor = 0n;
  const priced = lines.map((line) => {
    const quantity = parseDecimal(line.quantity);
    const rate = parseDecimal(line.tax_rate ?? '0');
    const unit = parseAmount(line.unit_price);
    const amount = lineAmount(quantity, unit);
    const tax = lineTax(amount, rate);
    subtotalMinor += amount;
    taxMinor += tax;
    return {
      description: line.description,
      quantity: formatDecimal(quantity),
      unit_price: formatAmount(unit),
      tax_rate: formatDecimal(rate),
      amount: formatAmount(amount),
      tax: formatAmount(tax),
    };
  });
  return { lines: priced, totals: { subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor } };
}
