import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit buckets shared by every gateway replica: one row per bucket (`key:<api key id>`, `admin`,
 * `address:<client address>`) with its theoretical arrival time in µs. UNLOGGED: no WAL for a counter
 * that is rewritten on every request, and a crash only forgets the buckets (all full again).
 */
export class RateLimits1765100000330 implements MigrationInterface {
  name = 'RateLimits1765100000330';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNLOGGED TABLE rate_limits (bucket text PRIMARY KEY, tat bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rate_limits');
  }
}
