import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE } from '@billing/common';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/** PostgreSQL's clock in µs: one clock for every replica, whatever theirs say. */
const NOW_MICROS = `(extract(epoch FROM clock_timestamp()) * 1000000)::bigint`;

/**
 * The only SQL of rate limits: one row per bucket holding its theoretical arrival time (µs), in an
 * UNLOGGED table (a crash forgets the buckets, which only makes every bucket full again), advanced by
 * `rate_limit_take` (the migration) for a batch of requests at a time.
 *
 * It runs for every authenticated request, so its statements go straight to the pg pool under TypeORM
 * as named (prepared) statements: no query runner per call, no parsing and planning after a
 * connection's first.
 */
@Injectable()
export class RateLimitRepository {
  private readonly pool: Pool;

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
  }

  /**
   * Spends up to `wanted` requests of the bucket, each `intervalMicros`, as far as the bucket may run
   * `toleranceMicros` ahead of now. Answers now, how many were granted, and the bucket's TAT after them
   * (as it stands when none was).
   */
  async take(
    bucket: string,
    intervalMicros: number,
    toleranceMicros: number,
    wanted: number,
  ): Promise<{ now: number; tat: number; granted: number }> {
    const { rows } = await this.pool.query<{ now_us: string; tat: string; granted: number }>({
      name: 'rate_limits.take',
      text: 'SELECT now_us::text, tat::text, granted FROM rate_limit_take($1, $2, $3, $4)',
      values: [bucket, intervalMicros, toleranceMicros, wanted],
    });
    const row = rows[0];
    return { now: Number(row.now_us), tat: Number(row.tat), granted: row.granted };
  }

  /** The bucket's TAT and now, without changing anything. */
  async read(bucket: string): Promise<{ now: number; tat: number | null }> {
    const { rows } = await this.pool.query<{ now: string; tat: string | null }>({
      name: 'rate_limits.read',
      text: `SELECT ${NOW_MICROS}::text AS now, (SELECT tat FROM rate_limits WHERE bucket = $1)::text AS tat`,
      values: [bucket],
    });
    const row = rows[0];
    return { now: Number(row.now), tat: numberOrNull(row.tat) };
  }

  /** A bucket whose TAT has passed is full: forgetting it changes nothing. */
  async deleteFull(): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limits WHERE tat < ${NOW_MICROS}`);
  }
}

function numberOrNull(value: string | null): number | null {
  return value === null ? null : Number(value);
}
