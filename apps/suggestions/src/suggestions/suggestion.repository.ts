import { Inject, Injectable } from '@nestjs/common';
import { type Direction, type SuggestionListQuery, readSuggestionCursor } from '@billing/contracts';
import { DATA_SOURCE, rowsOf } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { GroupedRow } from '../mining/mine-rows';
import type { Group } from '../transactions/import.repository';
import { type SuggestionRow } from './suggestion.model';

export interface TransactionForMining extends GroupedRow {
  counterparty: string;
}

/** What mining writes for one stream (new or updating an existing suggestion). */
export interface SuggestionWrite {
  id: string;
  tenantId: string;
  counterpartyKey: string;
  direction: Direction;
  currency: string;
  status: 'open' | 'expired' | 'accepted' | 'dismissed';
  counterparty: string;
  description: string;
  frequency: string;
  dayOfMonth: number | null;
  dayOfWeek: number | null;
  averageMinor: string;
  lastMinor: string;
  firstDate: string;
  lastDate: string;
  nextDate: string;
  occurrences: number;
  confidence: number;
}

/** The only SQL of suggestions, the mining reads and the mining queue. */
@Injectable()
export class SuggestionRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Serialises mining of the same groups (an import job and the bus queue at once): one transaction
   * advisory lock per group, taken in a fixed order.
   */
  async lockGroups(m: EntityManager, tenantId: string, groups: Group[]): Promise<void> {
    await m.query(
      `SELECT pg_advisory_xact_lock(hashtextextended(g, 0)) FROM unnest($1::text[]) AS g ORDER BY g`,
      [groups.map((g) => `${tenantId}|${g.counterpartyKey}|${g.direction}|${g.currency}`)],
    );
  }

  /** The tenant's latest transaction date: "now" for the data (an old export is judged as of its end). */
  async latestDate(m: EntityManager, tenantId: string): Promise<string | null> {
    const [row]: Array<{ latest: string | null }> = await m.query(
      'SELECT max(booked_on) AS latest FROM transactions WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.latest ?? null;
  }

  /** Every transaction of the groups, ordered by group then date (what `mineGroupedRows` expects). */
  async transactionsOf(m: EntityManager, tenantId: string, groups: Group[]): Promise<TransactionForMining[]> {
    return m.query(
      `SELECT t.counterparty_key, t.direction::text AS direction, t.currency, t.booked_on,
              t.amount_minor, t.counterparty
       FROM unnest($2::text[], $3::direction[], $4::text[]) AS g(k, d, c)
       JOIN transactions t ON t.tenant_id = $1 AND t.counterparty_key = g.k AND t.direction = g.d
                          AND t.currency = g.c
       ORDER BY t.counterparty_key, t.direction, t.currency, t.booked_on, t.id`,
      [
        tenantId,
        groups.map((g) => g.counterpartyKey),
        groups.map((g) => g.direction),
        groups.map((g) => g.currency),
      ],
    );
  }

  async ofGroups(m: EntityManager, tenantId: string, groups: Group[]): Promise<SuggestionRow[]> {
    return m.query(
      `SELECT s.* FROM unnest($2::text[], $3::direction[], $4::text[]) AS g(k, d, c)
       JOIN suggestions s ON s.tenant_id = $1 AND s.counterparty_key = g.k AND s.direction = g.d
                         AND s.currency = g.c
       ORDER BY s.id`,
      [
        tenantId,
        groups.map((g) => g.counterpartyKey),
        groups.map((g) => g.direction),
        groups.map((g) => g.currency),
      ],
    );
  }

  /** Inserts new suggestions and updates re-mined ones, in one statement; returns them as stored. */
  async upsert(m: EntityManager, rows: SuggestionWrite[]): Promise<SuggestionRow[]> {
    if (rows.length === 0) return [];
    const col = <K extends keyof SuggestionWrite>(k: K) => rows.map((r) => r[k]);
    return m.query(
      `INSERT INTO suggestions AS s (id, tenant_id, counterparty_key, direction, currency, status, counterparty,
         description, frequency, day_of_month, day_of_week, average_minor, last_minor, first_date, last_date,
         next_date, occurrences, confidence)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::direction[], $5::text[],
         $6::suggestion_status[], $7::text[], $8::text[], $9::frequency[], $10::smallint[], $11::smallint[],
         $12::bigint[], $13::bigint[], $14::date[], $15::date[], $16::date[], $17::int[], $18::numeric[])
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, counterparty = EXCLUDED.counterparty,
         description = EXCLUDED.description, frequency = EXCLUDED.frequency,
         day_of_month = EXCLUDED.day_of_month, day_of_week = EXCLUDED.day_of_week,
         average_minor = EXCLUDED.average_minor, last_minor = EXCLUDED.last_minor,
         first_date = EXCLUDED.first_date, last_date = EXCLUDED.last_date, next_date = EXCLUDED.next_date,
         occurrences = EXCLUDED.occurrences, confidence = EXCLUDED.confidence, updated_at = now()
       RETURNING *`,
      [
        col('id'),
        col('tenantId'),
        col('counterpartyKey'),
        col('direction'),
        col('currency'),
        col('status'),
        col('counterparty'),
        col('description'),
        col('frequency'),
        col('dayOfMonth'),
        col('dayOfWeek'),
        col('averageMinor'),
        col('lastMinor'),
        col('firstDate'),
        col('lastDate'),
        col('nextDate'),
        col('occurrences'),
        col('confidence'),
      ],
    );
  }

  async find(tenantId: string, id: string, m: EntityManager = this.dataSource.manager) {
    const [row]: SuggestionRow[] = await m.query(
      'SELECT * FROM suggestions WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    return row ?? null;
  }

  async list(tenantId: string, q: SuggestionListQuery): Promise<SuggestionRow[]> {
    const after = q.cursor ? readSuggestionCursor(q.cursor) : null;
    return this.dataSource.query(
      `SELECT * FROM suggestions
       WHERE tenant_id = $1 AND status = $2
         AND ($3::direction IS NULL OR direction = $3)
         AND ($4::numeric IS NULL OR confidence >= $4)
         AND ($5::numeric IS NULL OR confidence < $5 OR (confidence = $5 AND id > $6::uuid))
       ORDER BY confidence DESC, id
       LIMIT $7`,
      [
        tenantId,
        q.status,
        q.direction ?? null,
        q.min_confidence ?? null,
        after?.confidence ?? null,
        after?.id ?? null,
        q.limit + 1,
      ],
    );
  }

  /** Marks accepted (from open, expired or dismissed); null when it is accepted already. */
  async markAccepted(
    m: EntityManager,
    tenantId: string,
    id: string,
    templateId: string,
    counterpartyId: string,
  ): Promise<SuggestionRow | null> {
    const rows = rowsOf<SuggestionRow>(
      await m.query(
        `UPDATE suggestions SET status = 'accepted', template_id = $3, counterparty_id = $4,
           accepted_at = now(), updated_at = now()
         WHERE tenant_id = $1 AND id = $2 AND status <> 'accepted' RETURNING *`,
        [tenantId, id, templateId, counterpartyId],
      ),
    );
    return rows[0] ?? null;
  }

  async markDismissed(m: EntityManager, tenantId: string, id: string): Promise<SuggestionRow | null> {
    const rows = rowsOf<SuggestionRow>(
      await m.query(
        `UPDATE suggestions SET status = 'dismissed', dismissed_at = now(), updated_at = now()
         WHERE tenant_id = $1 AND id = $2 AND status IN ('open', 'expired') RETURNING *`,
        [tenantId, id],
      ),
    );
    return rows[0] ?? null;
  }

  /** Queues groups for re-mining (transactions that came over the bus). */
  async enqueue(m: EntityManager, tenantIds: string[], groups: Group[]): Promise<void> {
    if (groups.length === 0) return;
    await m.query(
      `INSERT INTO mining_queue (tenant_id, counterparty_key, direction, currency)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::direction[], $4::text[])
       ON CONFLICT DO NOTHING`,
      [
        tenantIds,
        groups.map((g) => g.counterpartyKey),
        groups.map((g) => g.direction),
        groups.map((g) => g.currency),
      ],
    );
  }

  /** Takes up to `limit` queued groups (oldest first); they are locked until the transaction ends. */
  async dequeue(m: EntityManager, limit: number): Promise<Array<Group & { tenantId: string }>> {
    const rows = rowsOf<{
      tenant_id: string;
      counterparty_key: string;
      direction: Direction;
      currency: string;
    }>(
      await m.query(
        `DELETE FROM mining_queue WHERE (tenant_id, counterparty_key, direction, currency) IN (
           SELECT tenant_id, counterparty_key, direction, currency FROM mining_queue
           ORDER BY queued_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING tenant_id, counterparty_key, direction, currency`,
        [limit],
      ),
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      counterpartyKey: r.counterparty_key,
      direction: r.direction,
      currency: r.currency,
    }));
  }
}
