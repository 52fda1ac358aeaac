import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoices and bills (one table, one lifecycle), their lines, payments and the per-tenant document
 * number counters. The CHECK constraints restate the lifecycle rules so that no code path can store a
 * document the service would refuse; the UNIQUE (tenant_id, template_id, occurrence_date) is THE
 * guarantee that an occurrence generates one document, ever.
 */
export class Invoices1763700000110 implements MigrationInterface {
  name = 'Invoices1763700000110';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE document_type AS ENUM ('invoice', 'bill')`);
    await q.query(`CREATE TYPE invoice_status AS ENUM ('draft', 'open', 'partially_paid', 'paid', 'void')`);
    // Composite key so that a document's customer or vendor is provably one of its own tenant's.
    await q.query(`ALTER TABLE parties ADD CONSTRAINT parties_tenant_id_id UNIQUE (tenant_id, id)`);
    await q.query(`
      CREATE TABLE invoices (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        type document_type NOT NULL,
        number text,
        status invoice_status NOT NULL,
        customer_id uuid,
        vendor_id uuid,
        template_id uuid,
        occurrence_date date,
        occurrence_index integer CHECK (occurrence_index >= 0),
        run_id uuid,
        issue_date date NOT NULL,
        due_date date NOT NULL,
        currency char(3) NOT NULL,
        subtotal_minor bigint NOT NULL CHECK (subtotal_minor >= 0),
        tax_minor bigint NOT NULL CHECK (tax_minor >= 0),
        total_minor bigint NOT NULL CHECK (total_minor > 0),
        amount_paid_minor bigint NOT NULL DEFAULT 0,
        description text,
        notes text,
        auto_send boolean NOT NULL,
        finalized_at timestamptz,
        sent_at timestamptz,
        send_requested_at timestamptz,
        paid_at timestamptz,
        voided_at timestamptz,
        overdue_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT invoices_one_per_occurrence UNIQUE (tenant_id, template_id, occurrence_date),
        CONSTRAINT invoices_number_unique UNIQUE (tenant_id, number),
        CONSTRAINT invoices_customer_fk FOREIGN KEY (tenant_id, customer_id) REFERENCES parties (tenant_id, id),
        CONSTRAINT invoices_vendor_fk FOREIGN KEY (tenant_id, vendor_id) REFERENCES parties (tenant_id, id),
        CONSTRAINT invoices_counterparty CHECK (
          (type = 'invoice' AND customer_id IS NOT NULL AND vendor_id IS NULL)
          OR (type = 'bill' AND vendor_id IS NOT NULL AND customer_id IS NULL)),
        CONSTRAINT invoices_occurrence_key CHECK ((template_id IS NULL) = (occurrence_date IS NULL)),
        CONSTRAINT invoices_total CHECK (total_minor = subtotal_minor + tax_minor),
        CONSTRAINT invoices_paid_within_total CHECK (amount_paid_minor BETWEEN 0 AND total_minor),
        CONSTRAINT invoices_due_after_issue CHECK (due_date >= issue_date),
        -- A number is given exactly when the document is finalized, and has the type's prefix.
        CONSTRAINT invoices_number_iff_finalized CHECK ((number IS NULL) = (finalized_at IS NULL)),
        CONSTRAINT invoices_number_format CHECK (
          number IS NULL
          OR (type = 'invoice' AND number ~ '^INV-[0-9]{6,}$')
          OR (type = 'bill' AND number ~ '^BILL-[0-9]{6,}$')),
        CONSTRAINT invoices_draft_unfinalized CHECK (status <> 'draft' OR finalized_at IS NULL),
        CONSTRAINT invoices_posted_finalized CHECK (
          status NOT IN ('open', 'partially_paid', 'paid') OR finalized_at IS NOT NULL),
        CONSTRAINT invoices_void_iff_voided_at CHECK ((status = 'void') = (voided_at IS NOT NULL)),
        CONSTRAINT invoices_paid_iff_paid_at CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
        -- Money received exactly when partially paid or paid (a document with payments cannot be voided).
        CONSTRAINT invoices_payments_status CHECK (
          (amount_paid_minor > 0) = (status IN ('partially_paid', 'paid'))),
        CONSTRAINT invoices_fully_paid CHECK (status <> 'paid' OR amount_paid_minor = total_minor),
        CONSTRAINT invoices_bills_never_sent CHECK (
          type = 'invoice'
          OR (NOT auto_send AND send_requested_at IS NULL AND sent_at IS NULL AND overdue_at IS NULL))
      )`);
    // List filters, each paged by id within the tenant. The template filter (and a template's history)
    // uses invoices_one_per_occurrence: a template has a few hundred documents, sorted by id on the fly.
    await q.query(`CREATE INDEX invoices_tenant ON invoices (tenant_id, id)`);
    await q.query(`CREATE INDEX invoices_tenant_type ON invoices (tenant_id, type, id)`);
    await q.query(`CREATE INDEX invoices_tenant_status ON invoices (tenant_id, status, id)`);
    await q.query(
      `CREATE INDEX invoices_tenant_customer ON invoices (tenant_id, customer_id, id) WHERE customer_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX invoices_tenant_vendor ON invoices (tenant_id, vendor_id, id) WHERE vendor_id IS NOT NULL`,
    );
    // mark_overdue's question: open receivables past due not yet marked.
    await q.query(
      `CREATE INDEX invoices_overdue_candidates ON invoices (tenant_id, due_date)
       WHERE type = 'invoice' AND status IN ('open', 'partially_paid') AND overdue_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE invoice_lines (
        invoice_id uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
        position smallint NOT NULL CHECK (position >= 0),
        description text NOT NULL,
        quantity numeric(13, 4) NOT NULL CHECK (quantity >= 0),
        unit_price_minor bigint NOT NULL,
        tax_rate numeric(13, 4) NOT NULL CHECK (tax_rate >= 0),
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        tax_minor bigint NOT NULL CHECK (tax_minor >= 0),
        PRIMARY KEY (invoice_id, position)
      )`);

    await q.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        invoice_id uuid NOT NULL REFERENCES invoices (id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        paid_on date NOT NULL,
        reference text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payments_invoice ON payments (invoice_id, id)`);

    // Gapless numbering: the row lock on (tenant, type) serialises finalizations; a rolled-back
    // transaction gives its numbers back with its update.
    await q.query(`
      CREATE TABLE document_numbers (
        tenant_id uuid NOT NULL,
        type document_type NOT NULL,
        last_number bigint NOT NULL CHECK (last_number >= 0),
        PRIMARY KEY (tenant_id, type)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE document_numbers');
    await q.query('DROP TABLE payments');
    await q.query('DROP TABLE invoice_lines');
    await q.query('DROP TABLE invoices');
    await q.query('ALTER TABLE parties DROP CONSTRAINT parties_tenant_id_id');
    await q.query('DROP TYPE invoice_status');
    await q.query('DROP TYPE document_type');
  }
}
