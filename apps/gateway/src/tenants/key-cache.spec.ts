import { ExpiringCache } from './key-cache';

describe('ExpiringCache', () => {
  let now = 0;
  const cache = () => new ExpiringCache<string>(1000, 2, () => now);

  beforeEach(() => {
    now = 0;
  });

  it('forgets an entry after its time to live', () => {
    const c = cache();
    c.set('a', 'A');
    now = 999;
    expect(c.get('a')).toBe('A');
    now = 1000;
    expect(c.get('a')).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const c = cache();
    c.set('a', 'A');
    c.set('b', 'B');
    c.set('c', 'C');
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual([undefined, 'B', 'C']);
  });

  it('deletes the entries a predicate picks', () => {
    const c = cache();
    c.set('a', 'A');
    c.set('b', 'B');
    c.deleteWhere((v) => v === 'A');
    expect([c.get('a'), c.get('b')]).toEqual([undefined, 'B']);
  });
});
