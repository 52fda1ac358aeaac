import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries (one row per email ever meant to go out: the invoice, each reminder), the tenants'
 * reminder policies, the receivables the reminders are about (a projection of the invoice events and of
 * the invoice emails sent) and the reminder passes run.
 */
export class Notifier1763700000500 implements MigrationInterface {
  name = 'Notifier1763700000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE delivery_kind AS ENUM ('invoice', 'reminder')`);
    await q.query(
      `CREATE TYPE delivery_status AS ENUM ('pending', 'sending', 'sent', 'failed', 'cancelled')`,
    );
    await q.query(`
      CREATE TABLE deliveries (
        -- uuidFromName(tenant:invoice:kind:offset): the same email always has the same id and Message-ID.
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        invoice_id uuid NOT NULL,
        kind delivery_kind NOT NULL,
        reminder_offset integer,
        status delivery_status NOT NULL DEFAULT 'pending',
        recipient text,
        message_id text NOT NULL UNIQUE,
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz,
        -- While 'sending': the attempt's owner has it until then; past it, another worker takes it over.
        lease_until timestamptz,
        last_error text,
        sent_at timestamptz,
        failed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- THE guarantee of at most one email per invoice and kind (and reminder offset).
        CONSTRAINT deliveries_once UNIQUE NULLS NOT DISTINCT (tenant_id, invoice_id, kind, reminder_offset),
        CONSTRAINT deliveries_offset CHECK ((kind = 'reminder') = (reminder_offset IS NOT NULL)),
        CONSTRAINT deliveries_pending CHECK (status <> 'pending' OR next_attempt_at IS NOT NULL),
        CONSTRAINT deliveries_sending CHECK ((status = 'sending') = (lease_until IS NOT NULL)),
        CONSTRAINT deliveries_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CONSTRAINT deliveries_failed CHECK ((status = 'failed') = (failed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE status = 'sending'`);
    await q.query(`CREATE INDEX deliveries_invoice ON deliveries (tenant_id, invoice_id, created_at)`);

    await q.query(`
      CREATE TABLE reminder_policies (
        tenant_id uuid PRIMARY KEY,
        offsets integer[] NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE receivables (
        tenant_id uuid NOT NULL,
        invoice_id uuid NOT NULL,
        -- Known once the invoice email went out: reminders are only about invoices the customer has.
        issue_date date,
        due_date date,
        status text NOT NULL,
        -- Paid or void: never reminded again, whatever arrives later.
        closed_at timestamptz,
        reminders_paused boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, invoice_id),
        CONSTRAINT receivables_dates CHECK ((issue_date IS NULL) = (due_date IS NULL))
      )`);
    await q.query(
      `CREATE INDEX receivables_open ON receivables (tenant_id, due_date)
       WHERE closed_at IS NULL AND due_date IS NOT NULL AND NOT reminders_paused`,
    );
    await q.query(`
      CREATE TABLE reminder_passes (
        tenant_id uuid NOT NULL,
        pass_date date NOT NULL,
        queued integer NOT NULL,
        ran_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, pass_date)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE reminder_passes');
    await q.query('DROP TABLE receivables');
    await q.query('DROP TABLE reminder_policies');
    await q.query('DROP TABLE deliveries');
    await q.query('DROP TYPE delivery_status');
    await q.query('DROP TYPE delivery_kind');
  }
}
