import { Inject, Injectable } from '@nestjs/common';
import type { Currency, Page } from '@billing/contracts';
import { DATA_SOURCE, keysetPage, pgArray, rowsOf, toBigInt, toIso } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { ProgressFields } from './template.progress';
import type {
  Frequency,
  LineItem,
  ScheduleState,
  Template,
  TemplateStatus,
  TemplateType,
} from './template.model';

export type NewTemplate = Omit<Template, 'createdAt' | 'updatedAt'>;

export interface TemplateFilters {
  type?: TemplateType;
  status?: TemplateStatus;
  customerId?: string;
  vendorId?: string;
}

interface TemplateRow {
  id: string;
  tenant_id: string;
  type: TemplateType;
  customer_id: string | null;
  vendor_id: string | null;
  frequency: Frequency;
  day_of_month: number | null;
  day_of_week: number | null;
  start_date: string;
  end_date: string | null;
  max_occurrences: number | null;
  days_until_due: number;
  auto_send: boolean;
  currency: Currency;
  total_minor: string | null;
  line_items: LineItem[] | null;
  description: string | null;
  notes: string | null;
  status: TemplateStatus;
  next_index: number;
  next_occurrence_date: string | null;
  generated_count: number;
  skipped_count: number;
  last_generated_date: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Every column but id, tenant_id and the timestamps, in the order `valuesOf` gives them. */
const COLUMNS = [
  'type',
  'customer_id',
  'vendor_id',
  'frequency',
  'day_of_month',
  'day_of_week',
  'start_date',
  'end_date',
  'max_occurrences',
  'days_until_due',
  'auto_send',
  'currency',
  'total_minor',
  'line_items',
  'description',
  'notes',
  'status',
  'next_index',
  'next_occurrence_date',
  'generated_count',
  'skipped_count',
  'last_generated_date',
] as const;

function valuesOf(t: NewTemplate): unknown[] {
  return [
    t.type,
    t.customerId,
    t.vendorId,
    t.frequency,
    t.dayOfMonth,
    t.dayOfWeek,
    t.startDate,
    t.endDate,
    t.maxOccurrences,
    t.daysUntilDue,
    t.autoSend,
    t.currency,
    t.totalMinor === null ? null : t.totalMinor.toString(),
    t.lineItems === null ? null : JSON.stringify(t.lineItems),
    t.description,
    t.notes,
    t.status,
    t.nextIndex,
    t.nextOccurrenceDate,
    t.generatedCount,
    t.skippedCount,
    t.lastGeneratedDate,
  ];
}

const INSERT_SQL = `INSERT INTO templates (id, tenant_id, ${COLUMNS.join(', ')})
  VALUES (${['$1', '$2', ...COLUMNS.map((_, i) => `$${i + 3}`)].join(', ')}) RETURNING *`;
const UPDATE_SQL = `UPDATE templates SET ${COLUMNS.map((c, i) => `${c} = $${i + 3}`).join(', ')},
  updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING *`;

/** A template locked for advancing: identity, schedule, limits and state. */
export type LockedProgress = ProgressFields & { id: string; tenantId: string };

@Injectable()
export class TemplateRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async insert(m: EntityManager, t: NewTemplate): Promise<Template> {
    const [row]: TemplateRow[] = await m.query(INSERT_SQL, [t.id, t.tenantId, ...valuesOf(t)]);
    return mapRow(row);
  }

  async find(tenantId: string, id: string): Promise<Template | null> {
    const [row]: TemplateRow[] = await this.dataSource.query(
      'SELECT * FROM templates WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    return row ? mapRow(row) : null;
  }

  async lockForUpdate(m: EntityManager, tenantId: string, id: string): Promise<Template | null> {
    const [row]: TemplateRow[] = await m.query(
      'SELECT * FROM templates WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, id],
    );
    return row ? mapRow(row) : null;
  }

  /** Writes every user-set and schedule column of a locked template. */
  async update(m: EntityManager, t: Template): Promise<Template> {
    const [row] = rowsOf<TemplateRow>(await m.query(UPDATE_SQL, [t.tenantId, t.id, ...valuesOf(t)]));
    return mapRow(row);
  }

  async delete(m: EntityManager, tenantId: string, id: string): Promise<void> {
    await m.query('DELETE FROM templates WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  }

  /**
   * The scheduler's page: the tenant's active templates with an occurrence due on or before `asOf`,
   * keyset by id after `after`, `limit + 1` rows (the extra one only says there is more).
   */
  async due(tenantId: string, asOf: string, limit: number, after: string | undefined): Promise<Template[]> {
    const rows: TemplateRow[] = await this.dataSource.query(
      `SELECT * FROM templates
       WHERE status = 'active' AND next_occurrence_date <= $2 AND tenant_id = $1
         AND ($3::uuid IS NULL OR id > $3::uuid)
       ORDER BY id LIMIT $4`,
      [tenantId, asOf, after ?? null, limit + 1],
    );
    return rows.map(mapRow);
  }

  /** Locks several templates in id order (so concurrent batches never deadlock); missing ids are absent. */
  async lockMany(m: EntityManager, ids: string[]): Promise<LockedProgress[]> {
    // Only what advancing reads (not the line items, texts and timestamps of every template).
    const rows: Array<
      Pick<
        TemplateRow,
        | 'id'
        | 'tenant_id'
        | 'frequency'
        | 'start_date'
        | 'day_of_month'
        | 'day_of_week'
        | 'end_date'
        | 'max_occurrences'
        | 'status'
        | 'next_index'
        | 'next_occurrence_date'
        | 'generated_count'
        | 'skipped_count'
        | 'last_generated_date'
      >
    > = await m.query(
      `SELECT id, tenant_id, frequency, start_date, day_of_month, day_of_week, end_date, max_occurrences,
         status, next_index, next_occurrence_date, generated_count, skipped_count, last_generated_date
       FROM templates WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      frequency: row.frequency,
      startDate: row.start_date,
      dayOfMonth: row.day_of_month,
      dayOfWeek: row.day_of_week,
      endDate: row.end_date,
      maxOccurrences: row.max_occurrences,
      status: row.status,
      nextIndex: row.next_index,
      nextOccurrenceDate: row.next_occurrence_date,
      generatedCount: row.generated_count,
      skippedCount: row.skipped_count,
      lastGeneratedDate: row.last_generated_date,
    }));
  }

  /**
   * Writes the schedule state of several locked templates in one statement; answers the stored rows of
   * `returning` only (the few that completed — the rest are not read back).
   */
  async saveProgress(
    m: EntityManager,
    states: Array<ScheduleState & { id: string }>,
    returning: string[] = [],
  ): Promise<Template[]> {
    if (states.length === 0) return [];
    const result: unknown = await m.query(
      `WITH saved AS (
         UPDATE templates t SET
           status = u.status, next_index = u.next_index, next_occurrence_date = u.next_occurrence_date,
           generated_count = u.generated_count, last_generated_date = u.last_generated_date, updated_at = now()
         FROM unnest($1::uuid[], $2::template_status[], $3::int[], $4::date[], $5::int[], $6::date[])
           AS u(id, status, next_index, next_occurrence_date, generated_count, last_generated_date)
         WHERE t.id = u.id
         RETURNING t.*)
       SELECT * FROM saved WHERE id = ANY($7::uuid[])`,
      [
        pgArray(states.map((s) => s.id)),
        pgArray(states.map((s) => s.status)),
        pgArray(states.map((s) => s.nextIndex)),
        pgArray(states.map((s) => s.nextOccurrenceDate)),
        pgArray(states.map((s) => s.generatedCount)),
        pgArray(states.map((s) => s.lastGeneratedDate)),
        returning,
      ],
    );
    return rowsOf<TemplateRow>(result).map(mapRow);
  }

  async list(
    tenantId: string,
    filters: TemplateFilters,
    limit: number,
    cursor?: string,
  ): Promise<Page<Template>> {
    const rows: TemplateRow[] = await this.dataSource.query(
      `SELECT * FROM templates
       WHERE tenant_id = $1
         AND ($2::template_type IS NULL OR type = $2::template_type)
         AND ($3::template_status IS NULL OR status = $3::template_status)
         AND ($4::uuid IS NULL OR customer_id = $4::uuid)
         AND ($5::uuid IS NULL OR vendor_id = $5::uuid)
         AND ($6::uuid IS NULL OR id > $6::uuid)
       ORDER BY id LIMIT $7`,
      [
        tenantId,
        filters.type ?? null,
        filters.status ?? null,
        filters.customerId ?? null,
        filters.vendorId ?? null,
        cursor ?? null,
        limit + 1,
      ],
    );
    return keysetPage(rows, limit, mapRow);
  }
}

function mapRow(row: TemplateRow): Template {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    customerId: row.customer_id,
    vendorId: row.vendor_id,
    frequency: row.frequency,
    dayOfMonth: row.day_of_month,
    dayOfWeek: row.day_of_week,
    startDate: row.start_date,
    endDate: row.end_date,
    maxOccurrences: row.max_occurrences,
    daysUntilDue: row.days_until_due,
    autoSend: row.auto_send,
    currency: row.currency,
    totalMinor: row.total_minor === null ? null : toBigInt(row.total_minor),
    lineItems: row.line_items,
    description: row.description,
    notes: row.notes,
    status: row.status,
    nextIndex: row.next_index,
    nextOccurrenceDate: row.next_occurrence_date,
    generatedCount: row.generated_count,
    skippedCount: row.skipped_count,
    lastGeneratedDate: row.last_generated_date,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}
