import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The balance check reads only the lines the statement inserted (its transition table), grouped by
 * entry, instead of looking every touched entry up in journal_lines. The guarantee is the same: the
 * journal is append-only (UPDATE and DELETE are refused), so every entry balanced after the statements
 * before, and the whole entry balances after this one exactly when the lines this statement added to it
 * balance among themselves.
 */
export class JournalBalanceCheckNewLines1763700000127 implements MigrationInterface {
  name = 'JournalBalanceCheckNewLines1763700000127';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION journal_lines_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        unbalanced uuid;
      BEGIN
        SELECT n.entry_id INTO unbalanced
          FROM new_lines n
         GROUP BY n.entry_id
        HAVING sum(n.debit_minor) <> sum(n.credit_minor)
         LIMIT 1;
        IF unbalanced IS NOT NULL THEN
          RAISE EXCEPTION 'journal entry % does not balance', unbalanced USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION journal_lines_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
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
  }
}
