import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A journal entry may be written before its document in the same transaction (the check moves to the
 * commit when the transaction asks for it): generation posts the entries of auto-sent invoices before it
 * takes the tenant's number lock, so that lock covers only numbering and storing them. Still immediate
 * by default — every other path checks at once.
 */
export class JournalInvoiceDeferrable1763700000126 implements MigrationInterface {
  name = 'JournalInvoiceDeferrable1763700000126';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE journal_entries ALTER CONSTRAINT journal_entries_invoice_id_fkey DEFERRABLE INITIALLY IMMEDIATE`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE journal_entries ALTER CONSTRAINT journal_entries_invoice_id_fkey NOT DEFERRABLE`,
    );
  }
}
