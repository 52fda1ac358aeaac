import { allocatedNumbers, formatDocumentNumber } from './document-number';

describe('document numbers', () => {
  it('pads to six digits with the type prefix', () => {
    expect(formatDocumentNumber('invoice', 1)).toBe('INV-000001');
    expect(formatDocumentNumber('bill', 42n)).toBe('BILL-000042');
    expect(formatDocumentNumber('invoice', 999_999)).toBe('INV-999999');
  });

  it('grows past six digits instead of wrapping', () => {
    expect(formatDocumentNumber('invoice', 1_000_000)).toBe('INV-1000000');
  });

  it('refuses zero and negatives', () => {
    expect(() => formatDocumentNumber('invoice', 0)).toThrow(RangeError);
    expect(() => formatDocumentNumber('bill', -3n)).toThrow(RangeError);
  });

  it('numbers a block ending at the counter, in order, without gaps', () => {
    expect(allocatedNumbers('invoice', 12n, 3)).toEqual(['INV-000010', 'INV-000011', 'INV-000012']);
    expect(allocatedNumbers('bill', 1n, 1)).toEqual(['BILL-000001']);
    expect(allocatedNumbers('bill', 5n, 0)).toEqual([]);
  });
});
