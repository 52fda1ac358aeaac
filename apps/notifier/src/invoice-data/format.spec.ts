import { addDays, addressLines, daysBetween, formatDate, formatMoney, formatTaxRate } from './format';

describe('formatting for print', () => {
  it('writes each currency its own way, exactly, from the decimal string', () => {
    expect(formatMoney('1500.00', 'USD')).toBe('$1,500.00');
    expect(formatMoney('1500.00', 'CAD')).toBe('$1,500.00');
    expect(formatMoney('1500.00', 'AUD')).toBe('$1,500.00');
    expect(formatMoney('1500.00', 'EUR')).toBe('€1,500.00');
    expect(formatMoney('1500.00', 'GBP')).toBe('£1,500.00');
    // Beyond a double's 15–16 significant digits: still exact.
    expect(formatMoney('9999999999999.99', 'USD')).toBe('$9,999,999,999,999.99');
    expect(formatMoney('0.10', 'USD')).toBe('$0.10');
  });

  it('prints calendar dates without any time zone shift', () => {
    expect(formatDate('2027-03-02')).toBe('March 2, 2027');
    expect(formatDate('2028-02-29')).toBe('February 29, 2028');
  });

  it('prints tax rates and addresses', () => {
    expect(formatTaxRate('8.25')).toBe('8.25%');
    expect(formatTaxRate('0')).toBe('—');
    expect(
      addressLines({
        line1: '1 Rue de Rivoli',
        line2: null,
        city: 'Paris',
        postal_code: '75001',
        country: 'FR',
      }),
    ).toEqual(['1 Rue de Rivoli', 'Paris, 75001', 'France']);
    expect(addressLines(null)).toEqual([]);
  });

  it('counts calendar days', () => {
    expect(addDays('2027-02-27', 3)).toBe('2027-03-02');
    expect(addDays('2027-03-02', -3)).toBe('2027-02-27');
    expect(daysBetween('2027-03-02', '2027-03-10')).toBe(8);
    expect(daysBetween('2027-03-02', '2027-02-27')).toBe(-3);
  });
});
