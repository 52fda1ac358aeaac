import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Problem, ProblemTypes } from '@billing/contracts';
import { CONFIG, ProblemError, uuidv7 } from '@billing/common';
import type { GatewayConfig } from '../config';
import { IdempotencyRepository } from './idempotency.repository';
import { idempotencyKeyHash, openResponse, requestFingerprint, sealResponse } from './request-fingerprint';

const TTL_SECONDS = 24 * 60 * 60;
const SWEEP_EVERY_MS = 10 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentRequest {
  scope: string;
  key: string;
  method: string;
  url: string;
  body: unknown;
}

/** What to do with a request carrying an Idempotency-Key. */
export type IdempotencyDecision =
  { kind: 'proceed'; claim: Claim } | { kind: 'replay'; status: number; body: unknown };

export interface Claim {
  scope: string;
  key: string;
  keyHash: string;
  claimId: string;
}

/**
 * `Idempotency-Key` on POST: the first outcome (status + body) is kept for 24 h per tenant (or for the
 * operator) and replayed for repeats of the same request. A 5xx outcome is not kept, so the key can be
 * retried. The same key for a different request is a 422; a repeat while the first is running, a 409.
 */
@Injectable()
export class IdempotencyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly records: IdempotencyRepository,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => {
      this.records
        .deleteExpired()
        .catch((err: Error) => this.logger.warn(`expired idempotency keys not swept: ${err.message}`));
    }, SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  async begin(req: IdempotentRequest): Promise<IdempotencyDecision> {
    if (!KEY_PATTERN.test(req.key)) {
      throw ProblemError.field(
        'Idempotency-Key',
        'must be 1 to 255 printable ASCII characters (a UUID is a good choice)',
        'invalid_header',
      );
    }
    const claim: Claim = {
      scope: req.scope,
      key: req.key,
      keyHash: idempotencyKeyHash(req.scope, req.key),
      claimId: uuidv7(),
    };
    const input = {
      scope: claim.scope,
      keyHash: claim.keyHash,
      requestHash: requestFingerprint(req.method, req.url, req.body),
      claimId: claim.claimId,
      ttlSeconds: TTL_SECONDS,
    };
    // Two rounds at most: a record that vanishes (released after a 5xx) between claim and find.
    for (let round = 0; round < 2; round++) {
      if (await this.records.claim(input)) return { kind: 'proceed', claim };
      const existing = await this.records.find(claim.scope, claim.keyHash, this.abandonAfterSeconds());
      if (!existing) continue;
      if (existing.expired || existing.abandoned) {
        if (await this.records.takeOver(input, this.abandonAfterSeconds())) return { kind: 'proceed', claim };
        throw inProgress();
      }
      if (existing.requestHash !== input.requestHash) throw reused();
      if (existing.state === 'in_progress' || !existing.response || existing.status === null) {
        throw inProgress();
      }
      return {
        kind: 'replay',
        status: existing.status,
        body: openResponse(claim.scope, claim.key, existing.response),
      };
    }
    throw inProgress();
  }

  /** Keeps the outcome; a 5xx releases the key instead. */
  async finish(claim: Claim, status: number, body: unknown): Promise<void> {
    if (status >= 500) {
      await this.records.release(claim.scope, claim.keyHash, claim.claimId);
      return;
    }
    await this.records.complete(
      claim.scope,
      claim.keyHash,
      claim.claimId,
      status,
      sealResponse(claim.scope, claim.key, body),
    );
  }

  /** Longer than any request can run (one RPC call and a few queries): then its process is gone. */
  private abandonAfterSeconds(): number {
    return Math.ceil((2 * this.config.RPC_TIMEOUT_MS) / 1000) + 60;
  }
}

function reused(): ProblemError {
  const problem: Problem = {
    type: ProblemTypes.idempotencyConflict,
    title: 'Idempotency key reused',
    status: 422,
    detail: 'This Idempotency-Key was used for a different request (method, path or body); use a new key.',
    errors: [
      {
        field: 'Idempotency-Key',
        message: 'was used for a different request (method, path or body)',
        code: 'idempotency_key_reused',
      },
    ],
  };
  return new ProblemError(problem);
}

function inProgress(): ProblemError {
  return new ProblemError({
    type: ProblemTypes.idempotencyInProgress,
    title: 'Request in progress',
    status: 409,
    detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
    errors: [
      {
        field: 'Idempotency-Key',
        message: 'belongs to a request still being processed',
        code: 'idempotency_key_in_progress',
      },
    ],
  });
}
