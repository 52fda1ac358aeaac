import { Inject, Injectable } from '@nestjs/common';
import type { Account, Currency, Page } from '@billing/contracts';
import { DATA_SOURCE, keysetPage, pgArray, toBigInt, toIso } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Receivable } from './aging';
import {
  type JournalEntry,
  type JournalKind,
  type JournalLine,
  type NewJournalEntry,
  assertBalanced,
} from './journal';
import type { AccountSums } from './trial-balance';

interface EntryRow {
  id: string;
  tenant_id: string;
  kind: JournalKind;
  invoice_id: string;
  payment_id: string | null;
  entry_date: string;
  currency: Currency;
  reverses_id: string | null;
  created_at: Date;
}

interface LineRow {
  entry_id: string;
  account: Account;
  debit_minor: string;
  credit_minor: string;
}

/** Entries and all their lines in one statement: the balance trigger sees each entry whole. */
const POST_SQL = `
  WITH entries AS (
    INSERT INTO journal_entries (id, tenant_id, kind, invoice_id, payment_id, entry_date, currency, reverses_id)
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::journal_kind[], $4::uuid[], $5::uuid[], $6::date[],
      $7::text[], $8::uuid[])
  )
  INSERT INTO journal_lines (entry_id, line_no, account, debit_minor, credit_minor)
  SELECT * FROM unnest($9::uuid[], $10::smallint[], $11::ledger_account[], $12::bigint[], $13::bigint[])`;

/** The journal: append-only, written only through `post`. */
@Injectable()
export class JournalRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Posts balanced entries (checked here, and again by the database) in one round trip. */
  async post(m: EntityManager, entries: readonly NewJournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const e of entries) assertBalanced(e.lines);
    const lines = entries.flatMap((e) => e.lines.map((l, lineNo) => ({ entryId: e.id, lineNo, ...l })));
    await m.query(POST_SQL, [
      pgArray(entries.map((e) => e.id)),
      pgArray(entries.map((e) => e.tenantId)),
      pgArray(entries.map((e) => e.kind)),
      pgArray(entries.map((e) => e.invoiceId)),
      pgArray(entries.map((e) => e.paymentId)),
      pgArray(entries.map((e) => e.entryDate)),
      pgArray(entries.map((e) => e.currency)),
      pgArray(entries.map((e) => e.reversesId)),
      pgArray(lines.map((l) => l.entryId)),
      pgArray(lines.map((l) => l.lineNo)),
      pgArray(lines.map((l) => l.account)),
      pgArray(lines.map((l) => l.debitMinor.toString())),
      pgArray(lines.map((l) => l.creditMinor.toString())),
    ]);
  }

  /** The entry that recognised a finalized document (what a void reverses). */
  async findFinalization(m: EntityManager, invoiceId: string): Promise<JournalEntry | null> {
    const [row]: EntryRow[] = await m.query(
      `SELECT * FROM journal_entries
       WHERE invoice_id = $1 AND kind IN ('invoice_finalized', 'bill_finalized')`,
      [invoiceId],
    );
    return row ? (await this.withLines(m, [row]))[0] : null;
  }

  async list(tenantId: string, invoiceId: string | undefined, limit: number, cursor?: string) {
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT * FROM journal_entries
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR invoice_id = $2::uuid) AND ($3::uuid IS NULL OR id > $3::uuid)
       ORDER BY id LIMIT $4`,
      [tenantId, invoiceId ?? null, cursor ?? null, limit + 1],
    );
    const page = keysetPage(rows, limit, (r) => r);
    const data = await this.withLines(this.dataSource.manager, page.data);
    return { data, next_cursor: page.next_cursor } satisfies Page<JournalEntry>;
  }

  /** Debits and credits per currency and account, of entries dated on or before `asOf`. */
  async accountSums(tenantId: string, asOf: string): Promise<AccountSums[]> {
    const rows: Array<{ currency: Currency; account: Account; debit: string; credit: string }> =
      await this.dataSource.query(
        `SELECT e.currency, l.account, sum(l.debit_minor) AS debit, sum(l.credit_minor) AS credit
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
         WHERE e.tenant_id = $1 AND e.entry_date <= $2
         GROUP BY e.currency, l.account`,
        [tenantId, asOf],
      );
    return rows.map((r) => ({
      currency: r.currency,
      account: r.account,
      debitMinor: toBigInt(r.debit),
      creditMinor: toBigInt(r.credit),
    }));
  }

  /**
   * Invoices with a receivable balance on `asOf`, read from the journal (entries dated on or before
   * it), so a past date shows what was owed then and the total always equals the trial balance's
   * accounts receivable.
   */
  async receivables(tenantId: string, asOf: string): Promise<Receivable[]> {
    const rows: Array<{
      id: string;
      number: string | null;
      customer_id: string | null;
      due_date: string;
      currency: Currency;
      due: string;
    }> = await this.dataSource.query(
      `SELECT i.id, i.number, i.customer_id, i.due_date, i.currency, r.due
       FROM (
         SELECT e.invoice_id, sum(l.debit_minor - l.credit_minor) AS due
         FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
         WHERE e.tenant_id = $1 AND e.entry_date <= $2 AND l.account = 'accounts_receivable'
         GROUP BY e.invoice_id
         HAVING sum(l.debit_minor - l.credit_minor) > 0
       ) r JOIN invoices i ON i.id = r.invoice_id AND i.type = 'invoice'`,
      [tenantId, asOf],
    );
    return rows.map((r) => ({
      invoiceId: r.id,
      number: r.number,
      customerId: r.customer_id,
      dueDate: r.due_date,
      currency: r.currency,
      amountDueMinor: toBigInt(r.due),
    }));
  }

  private async withLines(m: EntityManager, rows: EntryRow[]): Promise<JournalEntry[]> {
    if (rows.length === 0) return [];
    const lineRows: LineRow[] = await m.query(
      `SELECT entry_id, account, debit_minor, credit_minor FROM journal_lines
       WHERE entry_id = ANY($1::uuid[]) ORDER BY entry_id, line_no`,
      [rows.map((r) => r.id)],
    );
    const lines = new Map<string, JournalLine[]>();
    for (const l of lineRows) {
      const list = lines.get(l.entry_id) ?? [];
      list.push({
        account: l.account,
        debitMinor: toBigInt(l.debit_minor),
        creditMinor: toBigInt(l.credit_minor),
      });
      lines.set(l.entry_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      kind: r.kind,
      invoiceId: r.invoice_id,
      paymentId: r.payment_id,
      entryDate: r.entry_date,
      currency: r.currency,
      reversesId: r.reverses_id,
      lines: lines.get(r.id) ?? [],
      createdAt: toIso(r.created_at),
    }));
  }
}
