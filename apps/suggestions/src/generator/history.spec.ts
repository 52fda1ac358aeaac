import { normaliseCounterparty } from '../mining/counterparty';
import { ENDED, ONE_OFF, activeStreams, generateHistory, toTransactionInputs } from './history';

describe('generateHistory', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateHistory({ seed: 42, counterparties: 50 });
    const b = generateHistory({ seed: 42, counterparties: 50 });
    const c = generateHistory({ seed: 43, counterparties: 50 });
    expect(toTransactionInputs(a)).toEqual(toTransactionInputs(b));
    expect(toTransactionInputs(a)).not.toEqual(toTransactionInputs(c));
  });

  it('labels every row (stream, one-off or ended stream) and orders rows by date', () => {
    const h = generateHistory({ seed: 9, counterparties: 200 });
    for (let i = 1; i < h.count; i++) expect(h.days[i]).toBeGreaterThanOrEqual(h.days[i - 1]);
    const labels = new Set(h.labels);
    expect(labels.has(ONE_OFF)).toBe(true);
    expect(labels.has(ENDED)).toBe(true);
    expect(activeStreams(h).length).toBeGreaterThan(100);
    expect(h.dates[h.count - 1] <= h.endDate).toBe(true);
  });

  it('writes names several ways that normalise to one key per counterparty', () => {
    const h = generateHistory({ seed: 9, counterparties: 100 });
    const spellings = new Map<number, Set<string>>();
    const keys = new Map<number, Set<string>>();
    for (let i = 0; i < h.count; i++) {
      const label = h.labels[i];
      if (label < 0) continue;
      const cp = h.streams[label].counterparty;
      if (!spellings.has(cp)) {
        spellings.set(cp, new Set());
        keys.set(cp, new Set());
      }
      spellings.get(cp)!.add(h.counterparties[i]);
      keys.get(cp)!.add(normaliseCounterparty(h.counterparties[i]));
    }
    expect([...spellings.values()].some((s) => s.size >= 3)).toBe(true);
    for (const k of keys.values()) expect(k.size).toBe(1);
  });

  it('amounts are whole minor units and positive; the dense profile is about 100 rows per counterparty', () => {
    const h = generateHistory({ seed: 3, counterparties: 100, profile: 'dense' });
    expect(h.count / 100).toBeGreaterThan(80);
    for (let i = 0; i < h.count; i++)
      expect(Number.isInteger(h.amountsMinor[i]) && h.amountsMinor[i] > 0).toBe(true);
  });
});
