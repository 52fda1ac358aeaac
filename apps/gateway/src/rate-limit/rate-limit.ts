/**
 * Rate limits as a generic cell rate algorithm (GCRA): the whole state of a bucket is one number, its
 * "theoretical arrival time" (TAT). A policy of `perSecond` requests a second with a `burst` lets a
 * client send `burst` requests at once, then one every `1 / perSecond` seconds; it is the token bucket,
 * kept as a single timestamp, which is what makes it cheap to share between replicas (one row, one
 * statement). Times are microseconds; pure functions, no clock and no store in sight.
 */

export interface RatePolicy {
  /** Sustained requests per second; 0 turns the limit off. */
  perSecond: number;
  /** Requests that may come at once (the bucket's size), at least 1. */
  burst: number;
}

export interface RateDecision {
  allowed: boolean;
  /** The bucket's size (`RateLimit-Limit`). */
  limit: number;
  /** Requests that could still be sent right now (`RateLimit-Remaining`). */
  remaining: number;
  /** Until the bucket is full again (`RateLimit-Reset`), µs. */
  resetMicros: number;
  /** Until the next request would be allowed (`Retry-After` of a refusal), µs; 0 when allowed. */
  retryAfterMicros: number;
}

/** The time one request costs, µs. */
export function emissionInterval(p: RatePolicy): number {
  return Math.max(1, Math.round(1_000_000 / p.perSecond));
}

/** How far ahead of now a bucket's TAT may run: the burst, in µs. */
export function tolerance(p: RatePolicy): number {
  return p.burst * emissionInterval(p);
}

export function isLimited(p: RatePolicy): boolean {
  return p.perSecond > 0;
}

/**
 * `wanted` requests arriving together against a bucket whose TAT is `tat` (null: never used, or
 * forgotten because full): as many as fit pass, in order. Answers how many, and the TAT to store.
 * The database does the same in `rate_limit_take`; this is its in-memory twin.
 */
export function takeMany(
  tat: number | null,
  now: number,
  p: RatePolicy,
  wanted: number,
): { granted: number; tat: number } {
  const t = emissionInterval(p);
  const base = Math.max(tat ?? now, now);
  const granted = Math.min(wanted, Math.max(0, Math.floor((tolerance(p) - (base - now)) / t)));
  return { granted, tat: base + granted * t };
}

/**
 * The decision of each of `wanted` requests spent together: the first `granted` allowed, each seeing
 * the bucket as it stood just after it; the rest refused. `tat` is the bucket after the batch.
 */
export function batchDecisions(
  tat: number,
  now: number,
  p: RatePolicy,
  granted: number,
  wanted: number,
): RateDecision[] {
  const t = emissionInterval(p);
  return Array.from({ length: wanted }, (_, i) =>
    i < granted ? decide(true, tat - (granted - 1 - i) * t, now, p) : decide(false, tat, now, p),
  );
}

/** One request: allowed → the new TAT to store; refused → the TAT as it was. */
export function take(
  tat: number | null,
  now: number,
  p: RatePolicy,
): { decision: RateDecision; tat: number } {
  const r = takeMany(tat, now, p, 1);
  return { decision: batchDecisions(r.tat, now, p, r.granted, 1)[0], tat: r.tat };
}

/** The same question without spending anything: would a request be allowed now? */
export function peek(tat: number | null, now: number, p: RatePolicy): RateDecision {
  const base = Math.max(tat ?? now, now);
  return decide(base + emissionInterval(p) - now <= tolerance(p), base, now, p);
}

function decide(allowed: boolean, tat: number, now: number, p: RatePolicy): RateDecision {
  const t = emissionInterval(p);
  const ahead = Math.max(0, tat - now);
  return {
    allowed,
    limit: p.burst,
    remaining: Math.max(0, Math.floor((tolerance(p) - ahead) / t)),
    resetMicros: ahead,
    retryAfterMicros: allowed ? 0 : Math.max(0, ahead + t - tolerance(p)),
  };
}

/**
 * The headers of the IETF draft "RateLimit header fields for HTTP" (draft 7 names) on every limited
 * response, and `Retry-After` on a refusal; seconds, rounded up so a client never comes back early.
 */
export function rateLimitHeaders(d: RateDecision, p: RatePolicy): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(d.limit),
    'RateLimit-Remaining': String(d.remaining),
    'RateLimit-Reset': String(Math.ceil(d.resetMicros / 1_000_000)),
    'RateLimit-Policy': `${p.burst};w=${Math.max(1, Math.ceil(p.burst / p.perSecond))}`,
  };
  if (!d.allowed) headers['Retry-After'] = String(Math.max(1, Math.ceil(d.retryAfterMicros / 1_000_000)));
  return headers;
}
