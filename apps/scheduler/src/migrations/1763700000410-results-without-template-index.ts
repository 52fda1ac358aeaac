import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A template's latest result is found through its latest claim (the claims' primary key is
 * tenant, template, date), so results need no index of their own by template: one index write less for
 * every occurrence a run publishes.
 */
export class ResultsWithoutTemplateIndex1763700000410 implements MigrationInterface {
  name = 'ResultsWithoutTemplateIndex1763700000410';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX run_results_template`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX run_results_template ON run_results (tenant_id, template_id, occurrence_date DESC)`,
    );
  }
}
