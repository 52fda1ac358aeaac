import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recurring templates and their schedule state. The CHECK constraints restate the service's rules so
 * that no code path can store a template the rules would reject.
 */
export class Templates1763700000200 implements MigrationInterface {
  name = 'Templates1763700000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE template_type AS ENUM ('invoice', 'bill')`);
    await q.query(
      `CREATE TYPE template_frequency AS ENUM ('daily', 'weekly', 'biweekly', 'monthly', 'quarterly', 'annually')`,
    );
    await q.query(`CREATE TYPE template_status AS ENUM ('active', 'paused', 'completed', 'cancelled')`);
    await q.query(`
      CREATE TABLE templates (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        type template_type NOT NULL,
        customer_id uuid,
        vendor_id uuid,
        frequency template_frequency NOT NULL,
        day_of_month smallint CHECK (day_of_month BETWEEN 1 AND 31),
        day_of_week smallint CHECK (day_of_week BETWEEN 0 AND 6),
        start_date date NOT NULL,
        end_date date,
        max_occurrences integer CHECK (max_occurrences >= 1),
        days_until_due integer NOT NULL CHECK (days_until_due BETWEEN 0 AND 365),
        auto_send boolean NOT NULL,
        currency char(3) NOT NULL,
        total_minor bigint CHECK (total_minor > 0),
        line_items jsonb,
        description text,
        notes text,
        status template_status NOT NULL,
        -- Index n of the next occurrence in the schedule's sequence (skipped occurrences count).
        next_index integer NOT NULL CHECK (next_index >= 0),
        next_occurrence_date date,
        generated_count integer NOT NULL DEFAULT 0 CHECK (generated_count >= 0),
        skipped_count integer NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
        last_generated_date date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT templates_counterparty CHECK (
          (type = 'invoice' AND customer_id IS NOT NULL AND vendor_id IS NULL)
          OR (type = 'bill' AND vendor_id IS NOT NULL AND customer_id IS NULL)),
        CONSTRAINT templates_one_amount CHECK ((total_minor IS NULL) <> (line_items IS NULL)),
        CONSTRAINT templates_bills_never_sent CHECK (type = 'invoice' OR NOT auto_send),
        CONSTRAINT templates_end_after_start CHECK (end_date IS NULL OR end_date >= start_date),
        CONSTRAINT templates_active_has_next CHECK ((status = 'active') = (next_occurrence_date IS NOT NULL))
      )`);
    // List filters, each paged by id within the tenant.
    await q.query(`CREATE INDEX templates_tenant ON templates (tenant_id, id)`);
    await q.query(`CREATE INDEX templates_tenant_status ON templates (tenant_id, status, id)`);
    await q.query(`CREATE INDEX templates_tenant_type ON templates (tenant_id, type, id)`);
    await q.query(
      `CREATE INDEX templates_tenant_customer ON templates (tenant_id, customer_id, id) WHERE customer_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX templates_tenant_vendor ON templates (tenant_id, vendor_id, id) WHERE vendor_id IS NOT NULL`,
    );
    // The scheduler's question: which active templates are due on or before a date.
    await q.query(
      `CREATE INDEX templates_due ON templates (next_occurrence_date, id) WHERE status = 'active'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE templates');
    await q.query('DROP TYPE template_status');
    await q.query('DROP TYPE template_frequency');
    await q.query('DROP TYPE template_type');
  }
}
