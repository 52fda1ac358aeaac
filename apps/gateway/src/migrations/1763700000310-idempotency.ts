import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per (scope, Idempotency-Key): the scope is a tenant id or 'admin'; the key itself is stored
 * only as a hash and the first response is sealed under a key derived from it (see response-seal.ts).
 */
export class Idempotency1763700000310 implements MigrationInterface {
  name = 'Idempotency1763700000310';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key_hash text NOT NULL,
        request_hash text NOT NULL,
        claim_id uuid NOT NULL,
        state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
        status integer,
        response bytea,
        locked_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key_hash)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
  }
}
