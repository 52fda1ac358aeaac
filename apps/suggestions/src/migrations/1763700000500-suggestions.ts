import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imported transactions, imports (jobs with progress) and their staged rows, the queue of groups to
 * re-mine, and suggestions. A transaction's `dedupe_key` is what makes re-imports add nothing: the
 * source's external id, or a hash of the row's content plus its position among identical rows of its
 * file (two genuinely identical payments on one day stay two).
 */
export class Suggestions1763700000500 implements MigrationInterface {
  name = 'Suggestions1763700000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE direction AS ENUM ('incoming', 'outgoing')`);
    await q.query(
      `CREATE TYPE import_status AS ENUM ('receiving', 'queued', 'importing', 'mining', 'completed', 'failed')`,
    );
    await q.query(`CREATE TYPE suggestion_status AS ENUM ('open', 'accepted', 'dismissed', 'expired')`);
    await q.query(
      `CREATE TYPE frequency AS ENUM ('daily', 'weekly', 'biweekly', 'monthly', 'quarterly', 'annually')`,
    );
    await q.query(`
      CREATE TABLE transactions (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        dedupe_key text NOT NULL,
        -- 'api' for REST imports, else the platform that published it on the bus.
        source text NOT NULL,
        import_id uuid,
        external_id text,
        booked_on date NOT NULL,
        direction direction NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        counterparty text NOT NULL,
        counterparty_key text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT transactions_once UNIQUE (tenant_id, dedupe_key)
      )`);
    // Mining reads one group (counterparty, direction, currency) by date.
    await q.query(
      `CREATE INDEX transactions_group ON transactions (tenant_id, counterparty_key, direction, currency, booked_on)`,
    );
    await q.query(`CREATE INDEX transactions_latest ON transactions (tenant_id, booked_on DESC)`);
    await q.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        format text NOT NULL CHECK (format IN ('json', 'csv')),
        status import_status NOT NULL DEFAULT 'receiving',
        rows_total integer NOT NULL CHECK (rows_total > 0),
        rows_processed integer NOT NULL DEFAULT 0,
        rows_added integer NOT NULL DEFAULT 0,
        rows_duplicate integer NOT NULL DEFAULT 0,
        groups_total integer NOT NULL DEFAULT 0,
        groups_mined integer NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX imports_tenant ON imports (tenant_id, id)`);
    await q.query(
      `CREATE INDEX imports_pending ON imports (heartbeat_at) WHERE status IN ('receiving', 'queued', 'importing', 'mining')`,
    );
    // Rows of an import until its job has moved them into transactions (then deleted).
    await q.query(`
      CREATE TABLE import_rows (
        import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
        row_number integer NOT NULL,
        booked_on date NOT NULL,
        direction direction NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        counterparty text NOT NULL,
        counterparty_key text NOT NULL,
        description text,
        external_id text,
        content_hash text NOT NULL,
        -- 1 for the first row of its content in the file, 2 for an identical second one …
        occurrence integer,
        PRIMARY KEY (import_id, row_number)
      )`);
    await q.query(`
      CREATE TABLE mining_queue (
        tenant_id uuid NOT NULL,
        counterparty_key text NOT NULL,
        direction direction NOT NULL,
        currency char(3) NOT NULL,
        queued_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, counterparty_key, direction, currency)
      )`);
    await q.query(`CREATE INDEX mining_queue_age ON mining_queue (queued_at)`);
    await q.query(`
      CREATE TABLE suggestions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        counterparty_key text NOT NULL,
        direction direction NOT NULL,
        currency char(3) NOT NULL,
        status suggestion_status NOT NULL DEFAULT 'open',
        counterparty text NOT NULL,
        description text NOT NULL,
        frequency frequency NOT NULL,
        day_of_month smallint,
        day_of_week smallint,
        average_minor bigint NOT NULL,
        last_minor bigint NOT NULL,
        first_date date NOT NULL,
        last_date date NOT NULL,
        next_date date NOT NULL,
        occurrences integer NOT NULL,
        confidence numeric(4, 3) NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
        template_id uuid,
        counterparty_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        accepted_at timestamptz,
        dismissed_at timestamptz,
        CONSTRAINT suggestions_accepted CHECK ((status = 'accepted') = (template_id IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX suggestions_group ON suggestions (tenant_id, counterparty_key, direction, currency)`,
    );
    // The list: by confidence, highest first, then id.
    await q.query(`CREATE INDEX suggestions_list ON suggestions (tenant_id, status, confidence DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE suggestions');
    await q.query('DROP TABLE mining_queue');
    await q.query('DROP TABLE import_rows');
    await q.query('DROP TABLE imports');
    await q.query('DROP TABLE transactions');
    await q.query('DROP TYPE frequency');
    await q.query('DROP TYPE suggestion_status');
    await q.query('DROP TYPE import_status');
    await q.query('DROP TYPE direction');
  }
}
