import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE, toIso } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';

/** The only SQL of reminder policies and passes. */
@Injectable()
export class ReminderRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async policy(tenantId: string): Promise<{ offsets: number[]; updatedAt: string | null }> {
    const [row]: Array<{ offsets: number[]; updated_at: Date }> = await this.dataSource.query(
      'SELECT offsets, updated_at FROM reminder_policies WHERE tenant_id = $1',
      [tenantId],
    );
    return row
      ? { offsets: row.offsets, updatedAt: toIso(row.updated_at) }
      : { offsets: [], updatedAt: null };
  }

  async setPolicy(tenantId: string, offsets: number[]): Promise<{ offsets: number[]; updatedAt: string }> {
    const [row]: Array<{ offsets: number[]; updated_at: Date }> = await this.dataSource.query(
      `INSERT INTO reminder_policies (tenant_id, offsets) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET offsets = $2, updated_at = now()
       RETURNING offsets, updated_at`,
      [tenantId, offsets],
    );
    return { offsets: row.offsets, updatedAt: toIso(row.updated_at) };
  }

  /** Claims a tenant's daily pass for a date: true for the one process (and the one time) that runs it. */
  async claimPass(m: EntityManager, tenantId: string, date: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO reminder_passes (tenant_id, pass_date, queued) VALUES ($1, $2, 0)
       ON CONFLICT DO NOTHING RETURNING tenant_id`,
      [tenantId, date],
    );
    return rows.length > 0;
  }

  async recordPass(m: EntityManager, tenantId: string, date: string, queued: number): Promise<void> {
    await m.query(`UPDATE reminder_passes SET queued = $3 WHERE tenant_id = $1 AND pass_date = $2`, [
      tenantId,
      date,
      queued,
    ]);
  }
}
