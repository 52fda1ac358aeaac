import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Advancing a template after each document rewrites its schedule state (next occurrence, counts). With
 * `next_occurrence_date` indexed, every such update wrote a new entry into all seven indexes of the
 * table; without it, and with room left on each page (fillfactor 70), PostgreSQL updates the row in
 * place (a HOT update: no index is touched). The due query pages through the tenant's active templates
 * by id (`templates_tenant_status`) and filters on the date: one pass over the tenant's active
 * templates per run, which a daily run can afford.
 */
export class TemplatesHotUpdates1763700000210 implements MigrationInterface {
  name = 'TemplatesHotUpdates1763700000210';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX templates_due`);
    await q.query(`ALTER TABLE templates SET (fillfactor = 70)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE templates RESET (fillfactor)`);
    await q.query(
      `CREATE INDEX templates_due ON templates (next_occurrence_date, id) WHERE status = 'active'`,
    );
  }
}
