import { isUuid, uuidFromName, uuidv7 } from './ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('is a version 7 UUID whose first 48 bits are the millisecond timestamp', () => {
    const now = Date.UTC(2027, 0, 31, 12, 34, 56, 789);
    const id = uuidv7(now);
    expect(id).toMatch(V7);
    expect(isUuid(id)).toBe(true);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now);
  });

  it('sorts by creation time across milliseconds', () => {
    const ids = [0, 1, 255, 256, 65_536, Date.now()].map((ms) => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('does not repeat itself, across refills of its random pool', () => {
    const now = Date.now();
    const ids = Array.from({ length: 20_000 }, () => uuidv7(now));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 1000)) expect(id).toMatch(V7);
    // The random part varies in every position that is not a version or variant bit.
    const hexAt = (pos: number) => new Set(ids.map((id) => id[pos])).size;
    for (const pos of [15, 16, 17, 20, 21, 22, 35]) expect(hexAt(pos)).toBe(16);
    expect(new Set(ids.map((id) => id[19])).size).toBe(4); // variant 10xx: 8, 9, a, b
  });
});

describe('uuidFromName', () => {
  it('gives the same version 8 UUID for the same name, another for another', () => {
    expect(uuidFromName('t:2027-01-31')).toBe(uuidFromName('t:2027-01-31'));
    expect(uuidFromName('t:2027-01-31')).not.toBe(uuidFromName('t:2027-02-28'));
    expect(uuidFromName('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
