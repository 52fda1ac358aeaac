import fc from 'fast-check';
import {
  divideHalfUp,
  formatAmount,
  formatDecimal,
  lineAmount,
  lineTax,
  parseAmount,
  parseDecimal,
  priceLines,
} from './money';

describe('money', () => {
  it('parses and formats amounts exactly', () => {
    expect(parseAmount('1500.00')).toBe(150000n);
    expect(parseAmount('1500')).toBe(150000n);
    expect(parseAmount('0.5')).toBe(50n);
    expect(parseAmount('-12.34')).toBe(-1234n);
    expect(formatAmount(150000n)).toBe('1500.00');
    expect(formatAmount(5n)).toBe('0.05');
    expect(formatAmount(-1234n)).toBe('-12.34');
    expect(parseAmount('9999999999999.99')).toBe(999999999999999n);
  });

  it('rejects anything that is not a plain decimal', () => {
    for (const bad of ['1.234', '1e3', ' 1.00', '1,00', '', '.5', '+1', 'NaN', '0x10', '1.']) {
      expect(() => parseAmount(bad)).toThrow(RangeError);
    }
  });

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), (minor) => {
        expect(parseAmount(formatAmount(minor))).toBe(minor);
      }),
    );
  });

  it('rounds half-up (away from zero)', () => {
    expect(divideHalfUp(5n, 10n)).toBe(1n);
    expect(divideHalfUp(4n, 10n)).toBe(0n);
    expect(divideHalfUp(15n, 10n)).toBe(2n);
    expect(divideHalfUp(-15n, 10n)).toBe(-2n);
    expect(divideHalfUp(-14n, 10n)).toBe(-1n);
  });

  it('divideHalfUp matches exact rational rounding', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const q = divideHalfUp(n, d);
        // n/d - q lies in [-1/2, 1/2): a tie (exactly 1/2) rounds up
        const diff2 = 2n * n - 2n * q * d; // 2d(n/d - q)
        expect(diff2 >= -d && diff2 < d).toBe(true);
      }),
    );
  });

  it('prices a line: quantity × price then tax, each rounded half-up', () => {
    expect(lineAmount(parseDecimal('1.5'), parseAmount('33.33'))).toBe(5000n); // 49.995 → 50.00
    expect(lineAmount(parseDecimal('3'), parseAmount('0.10'))).toBe(30n);
    expect(lineTax(parseAmount('49.99'), parseDecimal('8.25'))).toBe(412n); // 4.124175 → 4.12
    expect(lineTax(parseAmount('10.00'), parseDecimal('12.5'))).toBe(125n);
    expect(lineTax(parseAmount('0.10'), parseDecimal('5'))).toBe(1n); // 0.005 → 0.01
  });

  it('totals are sums of rounded lines', () => {
    const { lines, totals } = priceLines([
      { description: 'a', quantity: '1', unit_price: '0.01', tax_rate: '50' },
      { description: 'b', quantity: '0.5', unit_price: '0.01', tax_rate: '50' },
    ]);
    // a: 0.01, tax 0.005 → 0.01; b: 0.005 → 0.01, tax 0.005 → 0.01
    expect(lines.map((l) => [l.amount, l.tax])).toEqual([
      ['0.01', '0.01'],
      ['0.01', '0.01'],
    ]);
    expect(totals).toEqual({ subtotalMinor: 2n, taxMinor: 2n, totalMinor: 4n });
  });

  it('formats decimals without trailing zeros', () => {
    expect(formatDecimal(parseDecimal('1.5000'))).toBe('1.5');
    expect(formatDecimal(parseDecimal('2'))).toBe('2');
    expect(formatDecimal(parseDecimal('0.0001'))).toBe('0.0001');
    expect(() => parseDecimal('1.23456')).toThrow(RangeError);
    expect(() => parseDecimal('-1')).toThrow(RangeError);
  });
});
