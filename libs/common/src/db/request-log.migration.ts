import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Results of idempotent requests, keyed by request id (see bus/request-scope.ts). */
export class RequestLog1763700000001 implements MigrationInterface {
  name = 'RequestLog1763700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_log (
        request_id text PRIMARY KEY,
        result jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX request_log_created ON request_log (created_at)');
    await q.query('CREATE INDEX inbox_processed ON inbox (processed_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX inbox_processed');
    await q.query('DROP TABLE request_log');
  }
}
