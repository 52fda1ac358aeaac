import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE } from '@billing/common';
import type { DataSource } from 'typeorm';

/** PostgreSQL's clock in µs: one clock for every replica, whatever theirs say. */
const NOW_MICROS = `(extract(epoch FROM clock_timestamp()) * 1000000)::bigint`;

interface TakeRow {
  now: string;
  tat: string | null;
  prev: string | null;
}

/**
 * The only SQL of rate limits: one row per bucket holding its theoretical arrival time (µs), in an
 * UNLOGGED table (a crash forgets the buckets, which only makes every bucket full again). A request
 * is one statement that advances the bucket when the policy allows it.
 */
@Injectable()
export class RateLimitRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Advances the bucket by `intervalMicros` unless that would put it more than `toleranceMicros`
   * ahead of now. Answers now, the new TAT (null when refused) and the TAT it had before.
   */
  async take(
    bucket: string,
    intervalMicros: number,
    toleranceMicros: number,
  ): Promise<{ now: number; tat: number | null; prev: number | null }> {
    const [row]: TakeRow[] = await this.dataSource.query(
      `WITH clock AS (SELECT ${NOW_MICROS} AS now),
            prev AS (SELECT tat FROM rate_limits WHERE bucket = $1),
            taken AS (
              INSERT INTO rate_limits AS r (bucket, tat)
              SELECT $1, clock.now + $2::bigint FROM clock
              ON CONFLICT (bucket) DO UPDATE
                SET tat = greatest(r.tat, EXCLUDED.tat - $2::bigint) + $2::bigint
                WHERE greatest(r.tat, EXCLUDED.tat - $2::bigint) + $2::bigint
                      - (EXCLUDED.tat - $2::bigint) <= $3::bigint
              RETURNING tat)
       SELECT clock.now::text AS now, (SELECT tat FROM taken)::text AS tat, (SELECT tat FROM prev)::text AS prev
       FROM clock`,
      [bucket, intervalMicros, toleranceMicros],
    );
    return { now: Number(row.now), tat: numberOrNull(row.tat), prev: numberOrNull(row.prev) };
  }

  /** The bucket's TAT and now, without changing anything. */
  async read(bucket: string): Promise<{ now: number; tat: number | null }> {
    const [row]: Array<{ now: string; tat: string | null }> = await this.dataSource.query(
      `SELECT ${NOW_MICROS}::text AS now, (SELECT tat FROM rate_limits WHERE bucket = $1)::text AS tat`,
      [bucket],
    );
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
