import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scheduler's run results read which documents a run's occurrences became (counted per run) instead
 * of being told one event at a time; this index answers that. Every document of a run shares its run id,
 * so the index stays small (deduplicated) and its inserts land on the same leaf.
 */
export class InvoicesByRun1763700000125 implements MigrationInterface {
  name = 'InvoicesByRun1763700000125';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX invoices_run ON invoices (run_id) WHERE run_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invoices_run`);
  }
}
