import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduler runs, the occurrences they claimed and what came of each. The claim table is what makes
 * replicas and repeated runs cheap: an occurrence is published by the run that claimed it, once.
 * (Invoicing's unique key on template and occurrence date is the guarantee of one document.)
 */
export class Scheduler1763700000400 implements MigrationInterface {
  name = 'Scheduler1763700000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE run_trigger AS ENUM ('scheduled', 'manual')`);
    await q.query(`CREATE TYPE run_status AS ENUM ('running', 'published', 'failed')`);
    await q.query(`CREATE TYPE occurrence_outcome AS ENUM ('pending', 'generated', 'skipped', 'failed')`);
    await q.query(`
      CREATE TABLE runs (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        -- The tenant as the run started: what a replica taking the run over calls the other services with.
        tenant jsonb NOT NULL,
        run_date date NOT NULL,
        trigger run_trigger NOT NULL,
        status run_status NOT NULL DEFAULT 'running',
        -- Raised by every (re)start; a worker holding an older attempt has lost the run and stops.
        attempt integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        error text,
        CONSTRAINT runs_finished CHECK ((status = 'running') = (finished_at IS NULL))
      )`);
    // One scheduled run per tenant and day, whatever the number of replicas; manual runs are free.
    await q.query(
      `CREATE UNIQUE INDEX runs_scheduled_once ON runs (tenant_id, run_date) WHERE trigger = 'scheduled'`,
    );
    await q.query(`CREATE INDEX runs_tenant ON runs (tenant_id, id)`);
    // Runs to take over: silent ones, and failed scheduled ones to retry.
    await q.query(`CREATE INDEX runs_unfinished ON runs (heartbeat_at) WHERE status = 'running'`);
    await q.query(
      `CREATE INDEX runs_failed_scheduled ON runs (finished_at) WHERE status = 'failed' AND trigger = 'scheduled'`,
    );
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
      CREATE TABLE run_results (
        run_id uuid NOT NULL REFERENCES runs (id),
        template_id uuid NOT NULL,
        occurrence_date date NOT NULL,
        tenant_id uuid NOT NULL,
        outcome occurrence_outcome NOT NULL,
        reason text,
        invoice_id uuid,
        next_occurrence_date date,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, template_id, occurrence_date),
        CONSTRAINT run_results_reason CHECK (outcome IN ('pending', 'generated') OR reason IS NOT NULL),
        CONSTRAINT run_results_invoice CHECK ((outcome = 'generated') = (invoice_id IS NOT NULL))
      )`);
    // The latest result of a template (template.completed clears its next occurrence).
    await q.query(
      `CREATE INDEX run_results_template ON run_results (tenant_id, template_id, occurrence_date DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE run_results');
    await q.query('DROP TABLE scheduled_occurrences');
    await q.query('DROP TABLE runs');
    await q.query('DROP TYPE occurrence_outcome');
    await q.query('DROP TYPE run_status');
    await q.query('DROP TYPE run_trigger');
  }
}
