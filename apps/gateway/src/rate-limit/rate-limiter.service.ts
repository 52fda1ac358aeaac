import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ProblemTypes } from '@billing/contracts';
import { CONFIG, ProblemError } from '@billing/common';
import type { Response } from 'express';
import type { GatewayConfig } from '../config';
import {
  type RateDecision,
  type RatePolicy,
  batchDecisions,
  emissionInterval,
  isLimited,
  peek,
  rateLimitHeaders,
  takeMany,
  tolerance,
} from './rate-limit';
import { RateLimitRepository } from './rate-limit.repository';

const SWEEP_EVERY_MS = 60_000;
/** Buckets the in-process fallback keeps at most (it only serves while the database is away). */
const FALLBACK_BUCKETS = 10_000;
const WARN_EVERY_MS = 30_000;

/**
 * Rate limits shared by every gateway replica through PostgreSQL: per API key (and for the admin
 * token) on every authenticated request, and per client address on requests without a valid
 * credential. When the database cannot be reached each replica limits on its own, in memory, until it
 * can again: rate limiting never turns a database outage into refusals of its own.
 *
 * A replica has at most one call out per bucket: the requests for that bucket that arrive meanwhile
 * wait and go together in the next call (`rate_limit_take` spends them in one statement). Nothing is
 * spent ahead or guessed — every request is counted once, in arrival order — but a busy key costs one
 * statement per round trip instead of one per request, and its row is not fought over.
 */
@Injectable()
export class RateLimiter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimiter');
  private readonly fallback = new Map<string, number>();
  /** Requests waiting for their bucket's next call, per bucket with a call out. */
  private readonly waiting = new Map<string, Array<(d: RateDecision) => void>>();
  private sweeper?: NodeJS.Timeout;
  private lastWarning = 0;
  readonly keyPolicy: RatePolicy;
  readonly addressPolicy: RatePolicy;

  constructor(
    private readonly buckets: RateLimitRepository,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.keyPolicy = { perSecond: config.RATE_LIMIT_KEY_RPS, burst: config.RATE_LIMIT_KEY_BURST };
    this.addressPolicy = { perSecond: config.RATE_LIMIT_ADDRESS_RPS, burst: config.RATE_LIMIT_ADDRESS_BURST };
  }

  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => {
      this.buckets.deleteFull().catch((err: Error) => this.warn(`full buckets not swept: ${err.message}`));
    }, SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** One request of an authenticated caller (`key:<api key id>` or `admin`): 429 when over its limit. */
  async admitCaller(bucket: string, res: Response): Promise<void> {
    await this.spend(bucket, this.keyPolicy, res);
  }

  /**
   * Before a credential is looked up: a client address over its budget of failed attempts is refused
   * without a lookup, so guessing keys costs the database nothing and learns nothing.
   */
  async checkAddress(address: string, res: Response): Promise<void> {
    const p = this.addressPolicy;
    if (!isLimited(p)) return;
    const bucket = `address:${address}`;
    let decision: RateDecision;
    try {
      const { now, tat } = await this.buckets.read(bucket);
      decision = peek(tat, now, p);
    } catch (err) {
      this.warn(`rate limits kept in memory: the database failed (${(err as Error).message})`);
      decision = peek(this.fallback.get(bucket) ?? null, Date.now() * 1000, p);
    }
    if (!decision.allowed) refuse(decision, p, res, 'address');
  }

  /** A request without a valid credential spends from its address's budget; 429 once it is used up. */
  async failedAttempt(address: string, res: Response): Promise<void> {
    await this.spend(`address:${address}`, this.addressPolicy, res, 'address');
  }

  private async spend(bucket: string, p: RatePolicy, res: Response, kind: 'caller' | 'address' = 'caller') {
    if (!isLimited(p)) return;
    const decision = await this.decide(bucket, p);
    res.set(rateLimitHeaders(decision, p));
    if (!decision.allowed) refuse(decision, p, res, kind);
  }

  /** This request's decision: sent at once, or with the others in the bucket's next call. */
  private decide(bucket: string, p: RatePolicy): Promise<RateDecision> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(bucket);
      if (queue) {
        queue.push(resolve);
        return;
      }
      this.waiting.set(bucket, []);
      void this.send(bucket, p, [resolve]);
    });
  }

  /** One call for `batch`, then one for whatever arrived meanwhile, until nothing waits. */
  private async send(bucket: string, p: RatePolicy, batch: Array<(d: RateDecision) => void>): Promise<void> {
    for (;;) {
      const decisions = await this.withStore(bucket, p, batch.length, async () => {
        const r = await this.buckets.take(bucket, emissionInterval(p), tolerance(p), batch.length);
        return batchDecisions(r.tat, r.now, p, r.granted, batch.length);
      });
      batch.forEach((resolve, i) => resolve(decisions[i]));
      const next = this.waiting.get(bucket) ?? [];
      if (next.length === 0) {
        this.waiting.delete(bucket);
        return;
      }
      this.waiting.set(bucket, []);
      batch = next;
    }
  }

  /** The shared store, or this process's memory while the store fails. */
  private async withStore(
    bucket: string,
    p: RatePolicy,
    wanted: number,
    shared: () => Promise<RateDecision[]>,
  ): Promise<RateDecision[]> {
    try {
      return await shared();
    } catch (err) {
      this.warn(`rate limits kept in memory: the database failed (${(err as Error).message})`);
      return this.takeInMemory(bucket, p, wanted);
    }
  }

  private takeInMemory(bucket: string, p: RatePolicy, wanted: number): RateDecision[] {
    const now = Date.now() * 1000;
    const r = takeMany(this.fallback.get(bucket) ?? null, now, p, wanted);
    this.fallback.delete(bucket); // re-inserted last: the map's order is least recently used first
    this.fallback.set(bucket, r.tat);
    if (this.fallback.size > FALLBACK_BUCKETS) {
      const oldest = this.fallback.keys().next();
      if (!oldest.done) this.fallback.delete(oldest.value);
    }
    return batchDecisions(r.tat, now, p, r.granted, wanted);
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    this.logger.warn(message);
  }
}

function refuse(decision: RateDecision, p: RatePolicy, res: Response, kind: 'caller' | 'address'): never {
  res.set(rateLimitHeaders(decision, p));
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMicros / 1_000_000));
  const message =
    kind === 'caller'
      ? `this API key sent more than ${p.burst} requests at once or ${p.perSecond} a second; retry after ${seconds} s`
      : `too many requests without a valid credential came from this address; retry after ${seconds} s`;
  throw new ProblemError({
    type: ProblemTypes.rateLimited,
    title: 'Too many requests',
    status: 429,
    detail: `Rate limit reached: ${message}.`,
    errors: [
      { field: 'Authorization', message, code: kind === 'caller' ? 'rate_limited' : 'too_many_failures' },
    ],
  });
}
