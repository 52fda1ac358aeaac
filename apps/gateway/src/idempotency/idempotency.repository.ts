import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE, rowsOf } from '@billing/common';
import type { DataSource } from 'typeorm';

export interface IdempotencyRecord {
  requestHash: string;
  state: 'in_progress' | 'completed';
  status: number | null;
  response: Buffer | null;
  expired: boolean;
  /** In progress for longer than any request can take: its process died; the key may be taken over. */
  abandoned: boolean;
}

interface RecordRow {
  request_hash: string;
  state: 'in_progress' | 'completed';
  status: number | null;
  response: Buffer | null;
  expired: boolean;
  abandoned: boolean;
}

export interface ClaimInput {
  scope: string;
  keyHash: string;
  requestHash: string;
  claimId: string;
  ttlSeconds: number;
}

/** The only SQL of idempotency records. */
@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Takes a fresh key; false when a record for it exists already. */
  async claim(c: ClaimInput): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key_hash, request_hash, claim_id, state, expires_at)
       VALUES ($1, $2, $3, $4, 'in_progress', now() + make_interval(secs => $5))
       ON CONFLICT (scope, key_hash) DO NOTHING RETURNING 1`,
      [c.scope, c.keyHash, c.requestHash, c.claimId, c.ttlSeconds],
    );
    return rows.length === 1;
  }

  async find(scope: string, keyHash: string, abandonAfterSeconds: number): Promise<IdempotencyRecord | null> {
    const [row]: RecordRow[] = await this.dataSource.query(
      `SELECT request_hash, state, status, response, expires_at <= now() AS expired,
              (state = 'in_progress' AND locked_at < now() - make_interval(secs => $3)) AS abandoned
       FROM idempotency_keys WHERE scope = $1 AND key_hash = $2`,
      [scope, keyHash, abandonAfterSeconds],
    );
    if (!row) return null;
    return {
      requestHash: row.request_hash,
      state: row.state,
      status: row.status,
      response: row.response,
      expired: row.expired,
      abandoned: row.abandoned,
    };
  }

  /** Takes over an expired or abandoned record; false when someone else got there first. */
  async takeOver(c: ClaimInput, abandonAfterSeconds: number): Promise<boolean> {
    const rows = rowsOf<unknown>(
      await this.dataSource.query(
        `UPDATE idempotency_keys
         SET request_hash = $3, claim_id = $4, state = 'in_progress', status = NULL, response = NULL,
             locked_at = now(), created_at = now(), expires_at = now() + make_interval(secs => $5)
         WHERE scope = $1 AND key_hash = $2
           AND (expires_at <= now()
                OR (state = 'in_progress' AND locked_at < now() - make_interval(secs => $6)))
         RETURNING 1`,
        [c.scope, c.keyHash, c.requestHash, c.claimId, c.ttlSeconds, abandonAfterSeconds],
      ),
    );
    return rows.length === 1;
  }

  async complete(scope: string, keyHash: string, claimId: string, status: number, response: Buffer) {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'completed', status = $4, response = $5
       WHERE scope = $1 AND key_hash = $2 AND claim_id = $3`,
      [scope, keyHash, claimId, status, response],
    );
  }

  async release(scope: string, keyHash: string, claimId: string): Promise<void> {
    await this.dataSource.query(
      'DELETE FROM idempotency_keys WHERE scope = $1 AND key_hash = $2 AND claim_id = $3',
      [scope, keyHash, claimId],
    );
  }

  async deleteExpired(): Promise<void> {
    await this.dataSource.query('DELETE FROM idempotency_keys WHERE expires_at <= now()');
  }
}
