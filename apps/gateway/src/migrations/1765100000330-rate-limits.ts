import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit buckets shared by every gateway replica: one row per bucket (`key:<api key id>`, `admin`,
 * `address:<client address>`) with its theoretical arrival time in µs. UNLOGGED: no WAL for a counter
 * that is rewritten on every request, and a crash only forgets the buckets (all full again).
 *
 * `rate_limit_take` spends up to `wanted` requests of a bucket in one round trip, under the row's lock,
 * on PostgreSQL's clock: a replica sends the requests that arrived while its previous call was out as
 * one call, so a busy key costs a statement per batch, not per request, and its row is not fought over.
 */
export class RateLimits1765100000330 implements MigrationInterface {
  name = 'RateLimits1765100000330';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNLOGGED TABLE rate_limits (bucket text PRIMARY KEY, tat bigint NOT NULL)`);
    await q.query(`
      CREATE FUNCTION rate_limit_take(p_bucket text, p_interval bigint, p_tolerance bigint, p_wanted int)
      RETURNS TABLE (now_us bigint, tat bigint, granted int)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_now bigint := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
        v_base bigint;
        v_granted int;
      BEGIN
        INSERT INTO rate_limits AS r (bucket, tat) VALUES (p_bucket, v_now) ON CONFLICT (bucket) DO NOTHING;
        SELECT greatest(r.tat, v_now) INTO v_base FROM rate_limits r WHERE r.bucket = p_bucket FOR UPDATE;
        v_granted := least(p_wanted, greatest(0, (p_tolerance - (v_base - v_now)) / p_interval))::int;
        IF v_granted > 0 THEN
          v_base := v_base + v_granted * p_interval;
          UPDATE rate_limits r SET tat = v_base WHERE r.bucket = p_bucket;
        END IF;
        RETURN QUERY SELECT v_now, v_base, v_granted;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION rate_limit_take(text, bigint, bigint, int)');
    await q.query('DROP TABLE rate_limits');
  }
}
