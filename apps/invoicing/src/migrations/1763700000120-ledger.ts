import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry journal. Append-only: a mistake is corrected by a reversing entry, never by an
 * UPDATE or DELETE (triggers refuse both). Every entry balances: a statement-level trigger checks, after
 * each INSERT into journal_lines, that every entry it touched has equal debits and credits; the
 * repository writes all lines of an entry in one statement, so that check is final.
 */
export class Ledger1763700000120 implements MigrationInterface {
  name = 'Ledger1763700000120';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TYPE ledger_account AS ENUM ('accounts_receivable', 'revenue', 'sales_tax_payable', 'cash',
        'accounts_payable', 'expenses', 'tax_receivable')`);
    await q.query(`
      CREATE TYPE journal_kind AS ENUM ('invoice_finalized', 'invoice_payment', 'invoice_voided',
        'bill_finalized', 'bill_payment', 'bill_voided')`);
    await q.query(`
      CREATE TABLE journal_entries (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kind journal_kind NOT NULL,
        invoice_id uuid NOT NULL REFERENCES invoices (id),
        payment_id uuid REFERENCES payments (id),
        entry_date date NOT NULL,
        currency char(3) NOT NULL,
        -- An entry is reversed at most once.
        reverses_id uuid UNIQUE REFERENCES journal_entries (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT journal_entries_payment CHECK (
          (payment_id IS NOT NULL) = (kind IN ('invoice_payment', 'bill_payment'))),
        CONSTRAINT journal_entries_reversal CHECK (
          (reverses_id IS NOT NULL) = (kind IN ('invoice_voided', 'bill_voided')))
      )`);
    await q.query(`CREATE INDEX journal_entries_tenant ON journal_entries (tenant_id, id)`);
    await q.query(`CREATE INDEX journal_entries_invoice ON journal_entries (invoice_id, id)`);
    await q.query(`CREATE INDEX journal_entries_tenant_date ON journal_entries (tenant_id, entry_date)`);
    await q.query(`
      CREATE TABLE journal_lines (
        entry_id uuid NOT NULL REFERENCES journal_entries (id),
        line_no smallint NOT NULL CHECK (line_no >= 0),
        account ledger_account NOT NULL,
        debit_minor bigint NOT NULL CHECK (debit_minor >= 0),
        credit_minor bigint NOT NULL CHECK (credit_minor >= 0),
        PRIMARY KEY (entry_id, line_no),
        -- One side per line, never zero (zero-amount lines are not written).
        CONSTRAINT journal_lines_one_side CHECK ((debit_minor > 0) <> (credit_minor > 0))
      )`);

    await q.query(`
      CREATE FUNCTION journal_lines_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        unbalanced uuid;
      BEGIN
        SELECT l.entry_id INTO unbalanced
          FROM journal_lines l
         WHERE l.entry_id IN (SELECT DISTINCT entry_id FROM new_lines)
         GROUP BY l.entry_id
        HAVING sum(l.debit_minor) <> sum(l.credit_minor)
         LIMIT 1;
        IF unbalanced IS NOT NULL THEN
          RAISE EXCEPTION 'journal entry % does not balance', unbalanced USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER journal_lines_balanced AFTER INSERT ON journal_lines
      REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION journal_lines_balanced()`);

    await q.query(`
      CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the journal is append-only: post a reversing entry instead'
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['journal_entries', 'journal_lines']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE journal_lines');
    await q.query('DROP TABLE journal_entries');
    await q.query('DROP FUNCTION journal_append_only()');
    await q.query('DROP FUNCTION journal_lines_balanced()');
    await q.query('DROP TYPE journal_kind');
    await q.query('DROP TYPE ledger_account');
  }
}
