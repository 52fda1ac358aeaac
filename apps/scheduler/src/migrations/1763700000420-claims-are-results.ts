import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A claim and the claiming run's result were two rows of one fact. The result now is the claim:
 * `run_results.claimed`, unique per (tenant, template, occurrence date) among claimed rows — the index
 * that makes a second claim of an occurrence impossible, for replicas and repeated runs alike. Results a
 * run records without claiming (skipped: another run had it; failed: the template's document broke the
 * contract) are not claims. One row and one index entry less per published occurrence.
 */
export class ClaimsAreResults1763700000420 implements MigrationInterface {
  name = 'ClaimsAreResults1763700000420';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE run_results ADD COLUMN claimed boolean NOT NULL DEFAULT false`);
    await q.query(`
      UPDATE run_results r SET claimed = true
      FROM scheduled_occurrences s
      WHERE s.run_id = r.run_id AND s.tenant_id = r.tenant_id AND s.template_id = r.template_id
        AND s.occurrence_date = r.occurrence_date`);
    // Every claim had its result written in the same transaction; should one be missing, it is kept.
    await q.query(`
      INSERT INTO run_results (run_id, tenant_id, template_id, occurrence_date, outcome, claimed)
      SELECT s.run_id, s.tenant_id, s.template_id, s.occurrence_date, 'pending', true
      FROM scheduled_occurrences s
      WHERE NOT EXISTS (SELECT 1 FROM run_results r WHERE r.run_id = s.run_id
        AND r.template_id = s.template_id AND r.occurrence_date = s.occurrence_date)`);
    await q.query(
      `CREATE UNIQUE INDEX run_results_claim ON run_results (tenant_id, template_id, occurrence_date) WHERE claimed`,
    );
    await q.query(`DROP TABLE scheduled_occurrences`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduled_occurrences (
        tenant_id uuid NOT NULL,
        template_id uuid NOT NULL,
        occurrence_date date NOT NULL,
        run_id uuid NOT NULL REFERENCES runs (id),
        scheduled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, template_id, occurrence_date)
      )`);
    await q.query(`
      INSERT INTO scheduled_occurrences (tenant_id, template_id, occurrence_date, run_id)
      SELECT tenant_id, template_id, occurrence_date, run_id FROM run_results WHERE claimed`);
    await q.query(`DROP INDEX run_results_claim`);
    await q.query(`ALTER TABLE run_results DROP COLUMN claimed`);
  }
}
