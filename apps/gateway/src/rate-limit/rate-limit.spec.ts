import fc from 'fast-check';
import {
  type RateDecision,
  type RatePolicy,
  batchDecisions,
  emissionInterval,
  peek,
  rateLimitHeaders,
  take,
  takeMany,
} from './rate-limit';

/** A refused decision for a bucket standing at `tat`. */
const refusedAt = (tat: number, now: number, p: RatePolicy) => batchDecisions(tat, now, p, 0, 1)[0];

const SECOND = 1_000_000;

/** Replays request times (µs, ascending) through one bucket; answers which were allowed. */
function replay(times: number[], p: RatePolicy): boolean[] {
  let tat: number | null = null;
  return times.map((now) => {
    const r = take(tat, now, p);
    tat = r.tat;
    return r.decision.allowed;
  });
}

describe('GCRA rate limits', () => {
  const p: RatePolicy = { perSecond: 50, burst: 100 };

  it('lets a burst through at once, then one request per interval', () => {
    expect(replay(Array(101).fill(0), p).filter(Boolean)).toHaveLength(100);
    const after = replay([...Array<number>(100).fill(0), 20_000, 20_001, 40_000], p);
    expect(after.slice(100)).toEqual([true, false, true]);
  });

  it('never allows more than burst + rate × elapsed in any window (property)', () => {
    fc.assert(
      fc.property(
        fc.record({ perSecond: fc.integer({ min: 1, max: 1000 }), burst: fc.integer({ min: 1, max: 200 }) }),
        fc.array(fc.integer({ min: 0, max: 3 * SECOND }), { minLength: 1, maxLength: 400 }),
        (policy, raw) => {
          const times = [...raw].sort((a, b) => a - b);
          const allowed = times.filter((_, i) => replay(times, policy)[i]);
          for (let i = 0; i < allowed.length; i++) {
            for (let j = i; j < allowed.length; j++) {
              const window = allowed[j] - allowed[i];
              const bound = policy.burst + Math.floor(window / emissionInterval(policy));
              expect(j - i + 1).toBeLessThanOrEqual(bound);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('allows a request again exactly when Retry-After says (property)', () => {
    fc.assert(
      fc.property(
        fc.record({ perSecond: fc.integer({ min: 1, max: 500 }), burst: fc.integer({ min: 1, max: 50 }) }),
        fc.integer({ min: 0, max: 10 * SECOND }),
        (policy, start) => {
          let tat: number | null = null;
          let refused: RateDecision | null = null;
          for (let i = 0; i <= policy.burst && !refused; i++) {
            const r = take(tat, start, policy);
            tat = r.tat;
            if (!r.decision.allowed) refused = r.decision;
          }
          if (!refused) throw new Error('the burst was not limited');
          expect(peek(tat, start + refused.retryAfterMicros - 1, policy).allowed).toBe(false);
          expect(take(tat, start + refused.retryAfterMicros, policy).decision.allowed).toBe(true);
        },
      ),
    );
  });

  it('decides requests spent together exactly as one after the other (property)', () => {
    fc.assert(
      fc.property(
        fc.record({ perSecond: fc.integer({ min: 1, max: 1000 }), burst: fc.integer({ min: 1, max: 200 }) }),
        fc.option(fc.integer({ min: 0, max: 5 * SECOND }), { nil: null }),
        fc.integer({ min: 0, max: 5 * SECOND }),
        fc.integer({ min: 1, max: 300 }),
        (policy, tat, now, wanted) => {
          let one: number | null = tat;
          const sequential = Array.from({ length: wanted }, () => {
            const r = take(one, now, policy);
            one = r.tat;
            return r.decision;
          });
          const together = takeMany(tat, now, policy, wanted);
          expect(together.tat).toBe(Math.max(one ?? now, now));
          expect(batchDecisions(together.tat, now, policy, together.granted, wanted)).toEqual(sequential);
        },
      ),
    );
  });

  it('counts what remains and when the bucket is full again', () => {
    const first = take(null, 0, p).decision;
    expect(first).toMatchObject({ allowed: true, limit: 100, remaining: 99, resetMicros: 20_000 });
    expect(peek(null, 0, p)).toMatchObject({ allowed: true, remaining: 100 });
    expect(batchDecisions(60_000, 0, p, 1, 1)[0]).toMatchObject({
      allowed: true,
      remaining: 97,
      resetMicros: 60_000,
    });
    const refused = refusedAt(2 * SECOND, 0, p);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMicros: 20_000 });
  });

  it('answers the RateLimit headers, and Retry-After (whole seconds, at least 1) on a refusal', () => {
    expect(rateLimitHeaders(take(null, 0, p).decision, p)).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '99',
      'RateLimit-Reset': '1',
      'RateLimit-Policy': '100;w=2',
    });
    expect(rateLimitHeaders(refusedAt(2 * SECOND, 0, p), p)).toMatchObject({
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '2',
      'Retry-After': '1',
    });
    const slow: RatePolicy = { perSecond: 1, burst: 3 };
    expect(rateLimitHeaders(refusedAt(3 * SECOND, 0, slow), slow)['Retry-After']).toBe('1');
    expect(rateLimitHeaders(refusedAt(3 * SECOND, 0, slow), slow)['RateLimit-Policy']).toBe('3;w=3');
  });
});
