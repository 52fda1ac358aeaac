import { Inject, Injectable } from '@nestjs/common';
import type { ImportView } from '@billing/contracts';
import { DATA_SOURCE, rowsOf, toIso } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { TransactionRow } from './transaction-row';

interface ImportRow {
  id: string;
  tenant_id: string;
  format: 'json' | 'csv';
  status: ImportView['status'];
  rows_total: number;
  rows_processed: number;
  rows_added: number;
  rows_duplicate: number;
  groups_total: number;
  groups_mined: number;
  error: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export interface Import {
  id: string;
  tenantId: string;
  status: ImportView['status'];
  rowsTotal: number;
  rowsProcessed: number;
  view: ImportView;
}

export interface Group {
  counterpartyKey: string;
  direction: 'incoming' | 'outgoing';
  currency: string;
}

/** The only SQL of imports: the import record, its staged rows and their move into transactions. */
@Injectable()
export class ImportRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async insert(m: EntityManager, id: string, tenantId: string, format: 'json' | 'csv', rowsTotal: number) {
    const [row]: ImportRow[] = await m.query(
      `INSERT INTO imports (id, tenant_id, format, rows_total) VALUES ($1, $2, $3, $4) RETURNING *`,
      [id, tenantId, format, rowsTotal],
    );
    return mapImport(row);
  }

  async find(tenantId: string, id: string, m: EntityManager = this.dataSource.manager) {
    const [row]: ImportRow[] = await m.query('SELECT * FROM imports WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    return row ? mapImport(row) : null;
  }

  async lock(m: EntityManager, tenantId: string, id: string) {
    const [row]: ImportRow[] = await m.query(
      'SELECT * FROM imports WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, id],
    );
    return row ? mapImport(row) : null;
  }

  /** Stages rows; a repeated chunk (a retried call) changes nothing. Returns the rows staged so far. */
  async stage(m: EntityManager, importId: string, firstRow: number, rows: TransactionRow[]): Promise<number> {
    await m.query(
      `INSERT INTO import_rows (import_id, row_number, booked_on, direction, amount_minor, currency,
         counterparty, counterparty_key, description, external_id, content_hash)
       SELECT $1, $2::int + ord - 1, d, dir, amt, cur, cp, ck, descr, ext, h
       FROM unnest($3::date[], $4::direction[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::text[]) WITH ORDINALITY AS r(d, dir, amt, cur, cp, ck, descr, ext, h, ord)
       ON CONFLICT (import_id, row_number) DO NOTHING`,
      [
        importId,
        firstRow,
        rows.map((r) => r.bookedOn),
        rows.map((r) => r.direction),
        rows.map((r) => r.amountMinor),
        rows.map((r) => r.currency),
        rows.map((r) => r.counterparty),
        rows.map((r) => r.counterpartyKey),
        rows.map((r) => r.description),
        rows.map((r) => r.externalId),
        rows.map((r) => r.contentHash),
      ],
    );
    const [{ count }]: Array<{ count: number }> = await m.query(
      'SELECT count(*)::int AS count FROM import_rows WHERE import_id = $1',
      [importId],
    );
    return count;
  }

  /** Row numbers that repeat an external id of an earlier row of the same file. */
  async repeatedExternalIds(
    m: EntityManager,
    importId: string,
    limit: number,
  ): Promise<Array<{ row_number: number; first_row: number }>> {
    return m.query(
      `SELECT row_number, first_row FROM (
         SELECT row_number, min(row_number) OVER (PARTITION BY external_id) AS first_row
         FROM import_rows WHERE import_id = $1 AND external_id IS NOT NULL) r
       WHERE row_number <> first_row ORDER BY row_number LIMIT $2`,
      [importId, limit],
    );
  }

  /** Numbers identical rows of the file 1, 2, … in file order (their keys' occurrence part). */
  async numberOccurrences(m: EntityManager, importId: string): Promise<void> {
    await m.query(
      `UPDATE import_rows r SET occurrence = o.n
       FROM (SELECT row_number, row_number() OVER (PARTITION BY content_hash ORDER BY row_number) AS n
             FROM import_rows WHERE import_id = $1) o
       WHERE r.import_id = $1 AND r.row_number = o.row_number`,
      [importId],
    );
  }

  async setStatus(m: EntityManager, id: string, status: ImportView['status'], error: string | null = null) {
    await m.query(
      `UPDATE imports SET status = $2::import_status, error = $3, updated_at = now(), heartbeat_at = now(),
         finished_at = CASE WHEN $2::import_status IN ('completed', 'failed') THEN now() ELSE NULL END
       WHERE id = $1`,
      [id, status, error],
    );
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.query('DELETE FROM imports WHERE id = $1', [id]);
  }

  /**
   * Claims an import to work on: a queued one, or one whose worker fell silent. Its heartbeat is the
   * claim; the worker renews it with every step.
   */
  async claim(m: EntityManager, takeoverMs: number): Promise<Import | null> {
    const rows = rowsOf<ImportRow>(
      await m.query(
        `UPDATE imports SET heartbeat_at = now(), updated_at = now(),
           status = CASE WHEN status = 'queued' THEN 'importing'::import_status ELSE status END
         WHERE id = (
           SELECT id FROM imports
           WHERE status = 'queued'
              OR (status IN ('importing', 'mining') AND heartbeat_at < now() - make_interval(secs => $1::float8 / 1000))
           ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [takeoverMs],
      ),
    );
    return rows[0] ? mapImport(rows[0]) : null;
  }

  /**
   * Moves staged rows (row_number in (after, upTo]) into transactions, skipping those already there;
   * counts the step in the import's progress.
   */
  async moveRows(m: EntityManager, imp: Import, after: number, upTo: number): Promise<void> {
    const [{ added }]: Array<{ added: number }> = await m.query(
      `WITH moved AS (
         INSERT INTO transactions (tenant_id, id, dedupe_key, source, import_id, external_id, booked_on,
           direction, amount_minor, currency, counterparty, counterparty_key, description)
         SELECT $2, gen_random_uuid(),
           CASE WHEN external_id IS NOT NULL THEN 'x:api:' || external_id
                ELSE 'h:' || content_hash || ':' || occurrence END,
           'api', import_id, external_id, booked_on, direction, amount_minor, currency, counterparty,
           counterparty_key, description
         FROM import_rows WHERE import_id = $1 AND row_number > $3 AND row_number <= $4
         ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS added FROM moved`,
      [imp.id, imp.tenantId, after, upTo],
    );
    const processed = Math.min(upTo, imp.rowsTotal) - after;
    await m.query(
      `UPDATE imports SET rows_processed = $2, rows_added = rows_added + $3,
         rows_duplicate = rows_duplicate + $4, updated_at = now(), heartbeat_at = now()
       WHERE id = $1`,
      [imp.id, Math.min(upTo, imp.rowsTotal), added, processed - added],
    );
  }

  async groupsOf(m: EntityManager, importId: string): Promise<Group[]> {
    const rows: Array<{ counterparty_key: string; direction: Group['direction']; currency: string }> =
      await m.query(
        `SELECT DISTINCT counterparty_key, direction, currency FROM import_rows WHERE import_id = $1
         ORDER BY 1, 2, 3`,
        [importId],
      );
    return rows.map((r) => ({
      counterpartyKey: r.counterparty_key,
      direction: r.direction,
      currency: r.currency,
    }));
  }

  async startMining(m: EntityManager, id: string, groups: number): Promise<void> {
    await m.query(
      `UPDATE imports SET status = 'mining', groups_total = $2, groups_mined = 0, updated_at = now(),
         heartbeat_at = now() WHERE id = $1`,
      [id, groups],
    );
  }

  async minedGroups(m: EntityManager, id: string, mined: number): Promise<void> {
    await m.query(
      `UPDATE imports SET groups_mined = $2, updated_at = now(), heartbeat_at = now() WHERE id = $1`,
      [id, mined],
    );
  }

  /** Done: the staged rows go (the transactions hold them now). */
  async complete(m: EntityManager, id: string): Promise<void> {
    await m.query('DELETE FROM import_rows WHERE import_id = $1', [id]);
    await this.setStatus(m, id, 'completed');
  }

  /** Uploads never committed (the caller died mid-upload) are removed with their rows. */
  async dropAbandoned(m: EntityManager, olderThanMs: number): Promise<number> {
    const rows = rowsOf<{ id: string }>(
      await m.query(
        `DELETE FROM imports WHERE status = 'receiving'
           AND heartbeat_at < now() - make_interval(secs => $1::float8 / 1000) RETURNING id`,
        [olderThanMs],
      ),
    );
    return rows.length;
  }
}

function mapImport(row: ImportRow): Import {
  const rowsPart = row.rows_total ? row.rows_processed / row.rows_total : 1;
  const groupsPart = row.groups_total
    ? row.groups_mined / row.groups_total
    : row.status === 'completed'
      ? 1
      : 0;
  const progress = row.status === 'completed' ? 1 : Math.min(0.999, 0.7 * rowsPart + 0.3 * groupsPart);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status,
    rowsTotal: row.rows_total,
    rowsProcessed: row.rows_processed,
    view: {
      id: row.id,
      format: row.format,
      status: row.status,
      rows_total: row.rows_total,
      rows_processed: row.rows_processed,
      rows_added: row.rows_added,
      rows_duplicate: row.rows_duplicate,
      groups_total: row.groups_total,
      groups_mined: row.groups_mined,
      progress: Math.round(progress * 1000) / 1000,
      error: row.error,
      created_at: toIso(row.created_at),
      updated_at: toIso(row.updated_at),
      finished_at: row.finished_at ? toIso(row.finished_at) : null,
    },
  };
}
