import { pgArray } from './sql';

describe('pgArray', () => {
  it('quotes every string once, escaping only quotes and backslashes', () => {
    expect(pgArray(['a', 'b c', ''])).toBe('{"a","b c",""}');
    expect(pgArray(['say "hi"', 'C:\\dir', '{x,y}', 'NULL'])).toBe(
      '{"say \\"hi\\"","C:\\\\dir","{x,y}","NULL"}',
    );
  });

  it('writes SQL NULL for null and undefined, t/f for booleans, numbers and bigints as they are', () => {
    expect(pgArray([null, undefined, true, false, 3, -7, 12345678901234567890n])).toBe(
      '{NULL,NULL,t,f,3,-7,12345678901234567890}',
    );
  });

  it('writes an empty array', () => {
    expect(pgArray([])).toBe('{}');
  });
});
