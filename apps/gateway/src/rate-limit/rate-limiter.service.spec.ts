import { ProblemError } from '@billing/common';
import type { Response } from 'express';
import type { GatewayConfig } from '../config';
import type { RateLimitRepository } from './rate-limit.repository';
import { RateLimiter } from './rate-limiter.service';
import { takeMany } from './rate-limit';

/** A response that only records its headers. */
function response() {
  const headers: Record<string, string> = {};
  return {
    headers,
    res: { set: (h: Record<string, string>) => Object.assign(headers, h) } as unknown as Response,
  };
}

const config = {
  RATE_LIMIT_KEY_RPS: 1,
  RATE_LIMIT_KEY_BURST: 3,
  RATE_LIMIT_ADDRESS_RPS: 1,
  RATE_LIMIT_ADDRESS_BURST: 2,
} as GatewayConfig;

async function status(work: Promise<void>): Promise<number> {
  try {
    await work;
    return 200;
  } catch (err) {
    return err instanceof ProblemError ? err.problem.status : 500;
  }
}

describe('RateLimiter without its database', () => {
  const down = {
    take: () => Promise.reject(new Error('connect ECONNREFUSED')),
    read: () => Promise.reject(new Error('connect ECONNREFUSED')),
    deleteFull: () => Promise.resolve(),
  } as unknown as RateLimitRepository;

  it('keeps limiting, in memory, per bucket', async () => {
    const limiter = new RateLimiter(down, config);
    const { res, headers } = response();
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await status(limiter.admitCaller('key:a', res)));
    expect(seen).toEqual([200, 200, 200, 429]);
    expect(headers).toMatchObject({ 'RateLimit-Limit': '3', 'RateLimit-Remaining': '0', 'Retry-After': '1' });
    expect(await status(limiter.admitCaller('key:b', res))).toBe(200);
  });

  it('refuses an address over its budget of failed attempts before any lookup', async () => {
    const limiter = new RateLimiter(down, config);
    const { res } = response();
    expect(await status(limiter.failedAttempt('10.0.0.1', res))).toBe(200);
    expect(await status(limiter.failedAttempt('10.0.0.1', res))).toBe(200);
    expect(await status(limiter.failedAttempt('10.0.0.1', res))).toBe(429);
    expect(await status(limiter.failedAttempt('10.0.0.2', res))).toBe(200);
  });
});

describe('RateLimiter with its database', () => {
  it("sends the requests that wait for a bucket's call together, counting each once, in order", async () => {
    const calls: number[] = [];
    let tat: number | null = null;
    // A database that takes a while to answer, as the real one does under load.
    const slow = {
      take: async (_bucket: string, interval: number, tolerance: number, wanted: number) => {
        calls.push(wanted);
        await new Promise((r) => setTimeout(r, 5));
        const now = 1_000_000_000;
        const r = takeMany(
          tat,
          now,
          { perSecond: 1_000_000 / interval, burst: tolerance / interval },
          wanted,
        );
        tat = r.tat;
        return { now, tat: r.tat, granted: r.granted };
      },
    } as unknown as RateLimitRepository;
    const limiter = new RateLimiter(slow, { ...config, RATE_LIMIT_KEY_BURST: 30 });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => status(limiter.admitCaller('key:busy', response().res))),
    );
    expect(calls).toEqual([1, 49]);
    expect(outcomes.filter((s) => s === 200)).toHaveLength(30);
    expect(outcomes.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(outcomes.slice(30).every((s) => s === 429)).toBe(true);
    // The bucket is free for the next call once nothing waits.
    expect(await status(limiter.admitCaller('key:busy', response().res))).toBe(429);
    expect(calls).toEqual([1, 49, 1]);
  });
});

describe('RateLimiter with a limit of 0', () => {
  it('does not ask the database at all', async () => {
    const untouched = { take: jest.fn(), read: jest.fn() } as unknown as RateLimitRepository;
    const limiter = new RateLimiter(untouched, {
      ...config,
      RATE_LIMIT_KEY_RPS: 0,
      RATE_LIMIT_ADDRESS_RPS: 0,
    });
    const { res, headers } = response();
    for (let i = 0; i < 10; i++) await limiter.admitCaller('key:a', res);
    await limiter.checkAddress('10.0.0.1', res);
    await limiter.failedAttempt('10.0.0.1', res);
    expect(untouched.take).not.toHaveBeenCalled();
    expect(untouched.read).not.toHaveBeenCalled();
    expect(headers).toEqual({});
  });
});
