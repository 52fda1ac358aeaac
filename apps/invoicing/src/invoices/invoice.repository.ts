import { Inject, Injectable } from '@nestjs/common';
import type { Currency, Page } from '@billing/contracts';
import {
  DATA_SOURCE,
  formatDecimal,
  keysetPage,
  parseDecimal,
  pgArray,
  rowsOf,
  toBigInt,
  toIso,
} from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { DocumentType, Invoice, InvoiceHeader, InvoiceLine, InvoiceStatus } from './invoice.model';
import type { OccurrenceDocument } from './occurrence-document';

export interface InvoiceFilters {
  type?: DocumentType;
  status?: InvoiceStatus;
  customerId?: string;
  vendorId?: string;
  templateId?: string;
}

/** A generated document ready to store: a draft, or finalized with its number (auto-send). */
export interface NewGeneratedDocument extends OccurrenceDocument {
  id: string;
  /** Set when the document is finalized on generation; null for a draft. */
  number: string | null;
}

/** What the database says about a due occurrence before it is generated. */
export interface OccurrenceState {
  generated: boolean;
  counterpartyFound: boolean;
}

interface InvoiceRow {
  id: string;
  tenant_id: string;
  type: DocumentType;
  number: string | null;
  status: InvoiceStatus;
  customer_id: string | null;
  vendor_id: string | null;
  template_id: string | null;
  occurrence_date: string | null;
  occurrence_index: number | null;
  run_id: string | null;
  issue_date: string;
  due_date: string;
  currency: Currency;
  subtotal_minor: string;
  tax_minor: string;
  total_minor: string;
  amount_paid_minor: string;
  description: string | null;
  notes: string | null;
  auto_send: boolean;
  finalized_at: Date | null;
  sent_at: Date | null;
  send_requested_at: Date | null;
  paid_at: Date | null;
  voided_at: Date | null;
  overdue_at: Date | null;
  delivery_failed_at: Date | null;
  delivery_error: string | null;
  created_at: Date;
  updated_at: Date;
}

interface LineRow {
  invoice_id: string;
  position: number;
  description: string;
  quantity: string;
  unit_price_minor: string;
  tax_rate: string;
  amount_minor: string;
  tax_minor: string;
}

/**
 * One statement for a whole batch of generated documents and their lines. Rows whose occurrence key
 * already exists are skipped by ON CONFLICT (the guarantee of exactly once) and so are their lines;
 * RETURNING says which were stored. Input is sorted by the caller so concurrent batches take the
 * unique-index entries in the same order.
 */
const INSERT_GENERATED_SQL = `
  WITH input AS (
    SELECT * FROM unnest(
      $1::uuid[], $2::uuid[], $3::document_type[], $4::text[], $5::uuid[], $6::uuid[], $7::uuid[],
      $8::date[], $9::int[], $10::uuid[], $11::date[], $12::text[], $13::bigint[], $14::bigint[],
      $15::bigint[], $16::text[], $17::text[], $18::boolean[]
    ) WITH ORDINALITY AS t(id, tenant_id, type, number, customer_id, vendor_id, template_id,
      occurrence_date, occurrence_index, run_id, due_date, currency, subtotal_minor, tax_minor,
      total_minor, description, notes, auto_send, ord)
  ),
  stored AS (
    INSERT INTO invoices (id, tenant_id, type, number, status, customer_id, vendor_id, template_id,
      occurrence_date, occurrence_index, run_id, issue_date, due_date, currency, subtotal_minor, tax_minor,
      total_minor, description, notes, auto_send, finalized_at, send_requested_at)
    SELECT id, tenant_id, type, number,
      (CASE WHEN number IS NULL THEN 'draft' ELSE 'open' END)::invoice_status,
      customer_id, vendor_id, template_id, occurrence_date, occurrence_index, run_id, occurrence_date,
      due_date, currency, subtotal_minor, tax_minor, total_minor, description, notes, auto_send,
      CASE WHEN number IS NULL THEN NULL ELSE now() END,
      CASE WHEN number IS NOT NULL AND auto_send THEN now() END
    FROM input ORDER BY ord
    ON CONFLICT (tenant_id, template_id, occurrence_date) DO NOTHING
    RETURNING id, finalized_at, send_requested_at, created_at, updated_at
  ),
  lines AS (
    INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price_minor, tax_rate,
      amount_minor, tax_minor)
    SELECT l.* FROM unnest($19::uuid[], $20::smallint[], $21::text[], $22::numeric[], $23::bigint[],
      $24::numeric[], $25::bigint[], $26::bigint[]) AS l(invoice_id, position, description, quantity,
      unit_price_minor, tax_rate, amount_minor, tax_minor)
    WHERE l.invoice_id IN (SELECT id FROM stored)
  )
  SELECT * FROM stored`;

@Injectable()
export class InvoiceRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** For each due occurrence, in order: is its key already generated, does its customer/vendor exist. */
  async occurrenceStates(m: EntityManager, docs: readonly OccurrenceDocument[]): Promise<OccurrenceState[]> {
    const rows: Array<{ generated: boolean; counterparty_found: boolean }> = await m.query(
      // LATERAL … LIMIT 1: one index probe per occurrence, whatever the planner thinks of the batch's
      // size (a hash join would read every invoice of the table for each batch).
      `SELECT v.found IS NOT NULL AS generated, p.found IS NOT NULL AS counterparty_found
       FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::uuid[], $5::party_kind[]) WITH ORDINALITY
         AS i(tenant_id, template_id, occurrence_date, party_id, kind, ord)
       LEFT JOIN LATERAL (
         SELECT 1 AS found FROM invoices v
         WHERE v.tenant_id = i.tenant_id AND v.template_id = i.template_id AND v.occurrence_date = i.occurrence_date
         LIMIT 1) v ON true
       LEFT JOIN LATERAL (
         SELECT 1 AS found FROM parties p WHERE p.tenant_id = i.tenant_id AND p.id = i.party_id AND p.kind = i.kind
         LIMIT 1) p ON true
       ORDER BY i.ord`,
      [
        pgArray(docs.map((d) => d.tenantId)),
        pgArray(docs.map((d) => d.templateId)),
        pgArray(docs.map((d) => d.occurrenceDate)),
        pgArray(docs.map((d) => d.customerId ?? d.vendorId)),
        pgArray(docs.map((d) => (d.type === 'invoice' ? 'customer' : 'vendor'))),
      ],
    );
    return rows.map((r) => ({ generated: r.generated, counterpartyFound: r.counterparty_found }));
  }

  /**
   * Stores generated documents with their lines; returns those stored (keys already taken are not),
   * completed with what the database set. Only those columns come back: a batch is 500 rows.
   */
  async insertGenerated(m: EntityManager, docs: readonly NewGeneratedDocument[]): Promise<Invoice[]> {
    if (docs.length === 0) return [];
    const lines = docs.flatMap((d) => d.lines.map((l, position) => ({ id: d.id, position, ...l })));
    const rows: Array<{
      id: string;
      finalized_at: Date | null;
      send_requested_at: Date | null;
      created_at: Date;
      updated_at: Date;
    }> = await m.query(INSERT_GENERATED_SQL, [
      pgArray(docs.map((d) => d.id)),
      pgArray(docs.map((d) => d.tenantId)),
      pgArray(docs.map((d) => d.type)),
      pgArray(docs.map((d) => d.number)),
      pgArray(docs.map((d) => d.customerId)),
      pgArray(docs.map((d) => d.vendorId)),
      pgArray(docs.map((d) => d.templateId)),
      pgArray(docs.map((d) => d.occurrenceDate)),
      pgArray(docs.map((d) => d.occurrenceIndex)),
      pgArray(docs.map((d) => d.runId)),
      pgArray(docs.map((d) => d.dueDate)),
      pgArray(docs.map((d) => d.currency)),
      pgArray(docs.map((d) => d.subtotalMinor.toString())),
      pgArray(docs.map((d) => d.taxMinor.toString())),
      pgArray(docs.map((d) => d.totalMinor.toString())),
      pgArray(docs.map((d) => d.description)),
      pgArray(docs.map((d) => d.notes)),
      pgArray(docs.map((d) => d.autoSend)),
      pgArray(lines.map((l) => l.id)),
      pgArray(lines.map((l) => l.position)),
      pgArray(lines.map((l) => l.description)),
      pgArray(lines.map((l) => l.quantity)),
      pgArray(lines.map((l) => l.unitPriceMinor.toString())),
      pgArray(lines.map((l) => l.taxRate)),
      pgArray(lines.map((l) => l.amountMinor.toString())),
      pgArray(lines.map((l) => l.taxMinor.toString())),
    ]);
    const byId = new Map(docs.map((d) => [d.id, d]));
    return rows.map((row) => {
      const d = byId.get(row.id)!;
      return {
        ...d,
        status: d.number === null ? 'draft' : 'open',
        amountPaidMinor: 0n,
        finalizedAt: iso(row.finalized_at),
        sentAt: null,
        sendRequestedAt: iso(row.send_requested_at),
        paidAt: null,
        voidedAt: null,
        overdueAt: null,
        createdAt: toIso(row.created_at),
        updatedAt: toIso(row.updated_at),
      };
    });
  }

  /** Numbers and finalizes generated drafts (auto-send), one statement for the batch. */
  async finalizeGenerated(
    m: EntityManager,
    assignments: ReadonlyArray<{ id: string; number: string }>,
  ): Promise<Map<string, { finalizedAt: string | null; sendRequestedAt: string | null; updatedAt: string }>> {
    const rows = rowsOf<{ id: string; finalized_at: Date; send_requested_at: Date; updated_at: Date }>(
      await m.query(
        `UPDATE invoices i SET number = a.number, status = 'open', finalized_at = now(),
           send_requested_at = now(), updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS a(id, number)
         WHERE i.id = a.id
         RETURNING i.id, i.finalized_at, i.send_requested_at, i.updated_at`,
        [assignments.map((a) => a.id), assignments.map((a) => a.number)],
      ),
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          finalizedAt: iso(r.finalized_at),
          sendRequestedAt: iso(r.send_requested_at),
          updatedAt: toIso(r.updated_at),
        },
      ]),
    );
  }

  async find(
    tenantId: string,
    id: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<Invoice | null> {
    const [row]: InvoiceRow[] = await m.query('SELECT * FROM invoices WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    return row ? (await this.withLines(m, [mapRow(row)]))[0] : null;
  }

  /** The document, locked until the transaction ends: every lifecycle change starts here. */
  async lockForUpdate(m: EntityManager, tenantId: string, id: string): Promise<Invoice | null> {
    const [row]: InvoiceRow[] = await m.query(
      'SELECT * FROM invoices WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, id],
    );
    return row ? (await this.withLines(m, [mapRow(row)]))[0] : null;
  }

  /** Writes the lifecycle columns of a locked document (its content never changes after generation). */
  async saveLifecycle(m: EntityManager, i: Invoice): Promise<Invoice> {
    const [row] = rowsOf<InvoiceRow>(
      await m.query(
        `UPDATE invoices SET number = $3, status = $4, amount_paid_minor = $5, finalized_at = $6,
           send_requested_at = $7, paid_at = $8, voided_at = $9, overdue_at = $10, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 RETURNING *`,
        [
          i.tenantId,
          i.id,
          i.number,
          i.status,
          i.amountPaidMinor.toString(),
          i.finalizedAt,
          i.sendRequestedAt,
          i.paidAt,
          i.voidedAt,
          i.overdueAt,
        ],
      ),
    );
    return { ...mapRow(row), lines: i.lines };
  }

  async list(tenantId: string, f: InvoiceFilters, limit: number, cursor?: string): Promise<Page<Invoice>> {
    const rows: InvoiceRow[] = await this.dataSource.query(
      `SELECT * FROM invoices
       WHERE tenant_id = $1
         AND ($2::document_type IS NULL OR type = $2::document_type)
         AND ($3::invoice_status IS NULL OR status = $3::invoice_status)
         AND ($4::uuid IS NULL OR customer_id = $4::uuid)
         AND ($5::uuid IS NULL OR vendor_id = $5::uuid)
         AND ($6::uuid IS NULL OR template_id = $6::uuid)
         AND ($7::uuid IS NULL OR id > $7::uuid)
       ORDER BY id LIMIT $8`,
      [
        tenantId,
        f.type ?? null,
        f.status ?? null,
        f.customerId ?? null,
        f.vendorId ?? null,
        f.templateId ?? null,
        cursor ?? null,
        limit + 1,
      ],
    );
    const page = keysetPage(rows, limit, mapRow);
    return { data: await this.withLines(this.dataSource.manager, page.data), next_cursor: page.next_cursor };
  }

  /** What a template generated, oldest first (ids are time-ordered). */
  async templateHistory(
    tenantId: string,
    templateId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<InvoiceHeader>> {
    const rows: InvoiceRow[] = await this.dataSource.query(
      `SELECT * FROM invoices
       WHERE tenant_id = $1 AND template_id = $2 AND ($3::uuid IS NULL OR id > $3::uuid)
       ORDER BY id LIMIT $4`,
      [tenantId, templateId, cursor ?? null, limit + 1],
    );
    return keysetPage(rows, limit, mapRow);
  }

  /** The documents of these occurrences that exist. */
  async ofOccurrences(
    tenantId: string,
    keys: ReadonlyArray<{ template_id: string; occurrence_date: string }>,
  ): Promise<Array<{ template_id: string; occurrence_date: string; invoice_id: string }>> {
    if (keys.length === 0) return [];
    return this.dataSource.query(
      `SELECT v.template_id, v.occurrence_date::text AS occurrence_date, v.id AS invoice_id
       FROM unnest($2::uuid[], $3::date[]) AS u(template_id, occurrence_date)
       CROSS JOIN LATERAL (
         SELECT id, template_id, occurrence_date FROM invoices
         WHERE tenant_id = $1 AND template_id = u.template_id AND occurrence_date = u.occurrence_date
         LIMIT 1) v`,
      [tenantId, keys.map((k) => k.template_id), keys.map((k) => k.occurrence_date)],
    );
  }

  /** Documents per run (runs without any are left out). */
  async countByRun(
    tenantId: string,
    runIds: readonly string[],
  ): Promise<Array<{ run_id: string; documents: number }>> {
    if (runIds.length === 0) return [];
    return this.dataSource.query(
      `SELECT run_id, count(*)::int AS documents FROM invoices
       WHERE tenant_id = $1 AND run_id = ANY($2::uuid[]) GROUP BY run_id`,
      [tenantId, runIds],
    );
  }

  /**
   * Open receivables past due on `asOf` and not yet marked: marked now, in one statement, so each is
   * marked (and announced) once however often the daily pass runs.
   */
  async markOverdue(m: EntityManager, tenantId: string, asOf: string): Promise<Invoice[]> {
    const rows = rowsOf<InvoiceRow>(
      await m.query(
        `UPDATE invoices SET overdue_at = now(), updated_at = now()
         WHERE tenant_id = $1 AND type = 'invoice' AND status IN ('open', 'partially_paid')
           AND overdue_at IS NULL AND due_date < $2
         RETURNING *`,
        [tenantId, asOf],
      ),
    );
    return this.withLines(
      m,
      rows.map(mapRow).sort((a, b) => a.id.localeCompare(b.id)),
    );
  }

  private async withLines(m: EntityManager, headers: InvoiceHeader[]): Promise<Invoice[]> {
    if (headers.length === 0) return [];
    const rows: LineRow[] = await m.query(
      'SELECT * FROM invoice_lines WHERE invoice_id = ANY($1::uuid[]) ORDER BY invoice_id, position',
      [headers.map((h) => h.id)],
    );
    const lines = new Map<string, InvoiceLine[]>();
    for (const r of rows) {
      const list = lines.get(r.invoice_id) ?? [];
      list.push(mapLine(r));
      lines.set(r.invoice_id, list);
    }
    return headers.map((h) => ({ ...h, lines: lines.get(h.id) ?? [] }));
  }
}

const iso = (d: Date | null) => (d ? toIso(d) : null);
/** numeric(13,4) reads back as "2.5000"; the API shows the decimal as it was priced, "2.5". */
const decimal = (text: string) => formatDecimal(parseDecimal(text));

function mapLine(r: LineRow): InvoiceLine {
  return {
    description: r.description,
    quantity: decimal(r.quantity),
    unitPriceMinor: toBigInt(r.unit_price_minor),
    taxRate: decimal(r.tax_rate),
    amountMinor: toBigInt(r.amount_minor),
    taxMinor: toBigInt(r.tax_minor),
  };
}

function mapRow(r: InvoiceRow): InvoiceHeader {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    type: r.type,
    number: r.number,
    status: r.status,
    customerId: r.customer_id,
    vendorId: r.vendor_id,
    templateId: r.template_id,
    occurrenceDate: r.occurrence_date,
    occurrenceIndex: r.occurrence_index,
    runId: r.run_id,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    currency: r.currency,
    subtotalMinor: toBigInt(r.subtotal_minor),
    taxMinor: toBigInt(r.tax_minor),
    totalMinor: toBigInt(r.total_minor),
    amountPaidMinor: toBigInt(r.amount_paid_minor),
    description: r.description,
    notes: r.notes,
    autoSend: r.auto_send,
    finalizedAt: iso(r.finalized_at),
    sentAt: iso(r.sent_at),
    sendRequestedAt: iso(r.send_requested_at),
    paidAt: iso(r.paid_at),
    voidedAt: iso(r.voided_at),
    overdueAt: iso(r.overdue_at),
    deliveryFailedAt: iso(r.delivery_failed_at),
    deliveryError: r.delivery_error,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}
