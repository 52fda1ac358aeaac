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
  allowedAt,
  emissionInterval,
  isLimited,
  peek,
  rateLimitHeaders,
  refusedAt,
  take,
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
 */
@Injectable()
export class RateLimiter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimiter');
  private readonly fallback = new Map<string, number>();
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
    const decision = await this.withStore(`address:${address}`, p, async (bucket) => {
      const { now, tat } = await this.buckets.read(bucket);
      return peek(tat, now, p);
    });
    if (!decision.allowed) refuse(decision, p, res, 'address');
  }

  /** A request without a valid credential spends from its address's budget; 429 once it is used up. */
  async failedAttempt(address: string, res: Response): Promise<void> {
    await this.spend(`address:${address}`, this.addressPolicy, res, 'address');
  }

  private async spend(bucket: string, p: RatePolicy, res: Response, kind: 'caller' | 'address' = 'caller') {
    if (!isLimited(p)) return;
    const decision = await this.withStore(bucket, p, async (b) => {
      const r = await this.buckets.take(b, emissionInterval(p), tolerance(p));
      return r.tat !== null ? allowedAt(r.tat, r.now, p) : refusedAt(r.prev ?? r.now, r.now, p);
    });
    res.set(rateLimitHeaders(decision, p));
    if (!decision.allowed) refuse(decision, p, res, kind);
  }

  /** The shared store, or this process's memory while the store fails. */
  private async withStore(
    bucket: string,
    p: RatePolicy,
    shared: (bucket: string) => Promise<RateDecision>,
  ): Promise<RateDecision> {
    try {
      return await shared(bucket);
    } catch (err) {
      this.warn(`rate limits kept in memory: the database failed (${(err as Error).message})`);
      return this.takeInMemory(bucket, p);
    }
  }

  private takeInMemory(bucket: string, p: RatePolicy): RateDecision {
    const now = Date.now() * 1000;
    const { decision, tat } = take(this.fallback.get(bucket) ?? null, now, p);
    this.fallback.delete(bucket); // re-inserted last: the map's order is least recently used first
    this.fallback.set(bucket, tat);
    if (this.fallback.size > FALLBACK_BUCKETS) {
      const oldest = this.fallback.keys().next();
      if (!oldest.done) this.fallback.delete(oldest.value);
    }
    return decision;
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
