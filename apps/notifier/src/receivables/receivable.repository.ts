import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';

/** An invoice reminders may be about: known once its email went out, closed once paid or void. */
export interface Receivable {
  tenantId: string;
  invoiceId: string;
  issueDate: string;
  dueDate: string;
  status: string;
}

interface ReceivableRow {
  tenant_id: string;
  invoice_id: string;
  issue_date: string;
  due_date: string;
  status: string;
}

const CLOSED = ['paid', 'void'];

/**
 * The only SQL of the receivables projection. Facts arrive in any order (one consumer per event), so
 * every write is an upsert and "closed" is sticky: a late `payment_recorded` never reopens a paid invoice.
 */
@Injectable()
export class ReceivableRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The invoice email went out: its dates are known now, and so is its status as it was rendered. */
  async recordSent(
    m: EntityManager,
    r: { tenantId: string; invoiceId: string; issueDate: string; dueDate: string; status: string },
  ): Promise<void> {
    await m.query(
      `INSERT INTO receivables (tenant_id, invoice_id, issue_date, due_date, status, closed_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = ANY($6::text[]) THEN now() END)
       ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET
         issue_date = EXCLUDED.issue_date, due_date = EXCLUDED.due_date,
         status = CASE WHEN receivables.closed_at IS NULL THEN EXCLUDED.status ELSE receivables.status END,
         closed_at = coalesce(receivables.closed_at, EXCLUDED.closed_at), updated_at = now()`,
      [r.tenantId, r.invoiceId, r.issueDate, r.dueDate, r.status, CLOSED],
    );
  }

  /** A status from the invoice events (payment recorded, paid, voided). */
  async recordStatus(m: EntityManager, tenantId: string, invoiceId: string, status: string): Promise<void> {
    await m.query(
      `INSERT INTO receivables (tenant_id, invoice_id, status, closed_at)
       VALUES ($1, $2, $3, CASE WHEN $3 = ANY($4::text[]) THEN now() END)
       ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET
         status = CASE WHEN receivables.closed_at IS NULL THEN EXCLUDED.status ELSE receivables.status END,
         closed_at = coalesce(receivables.closed_at, EXCLUDED.closed_at), updated_at = now()`,
      [tenantId, invoiceId, status, CLOSED],
    );
  }

  async setPaused(tenantId: string, invoiceId: string, status: string, paused: boolean): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO receivables (tenant_id, invoice_id, status, reminders_paused) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET reminders_paused = $4, updated_at = now()`,
      [tenantId, invoiceId, status, paused],
    );
  }

  async isPaused(tenantId: string, invoiceId: string): Promise<boolean> {
    const [row]: Array<{ reminders_paused: boolean }> = await this.dataSource.query(
      'SELECT reminders_paused FROM receivables WHERE tenant_id = $1 AND invoice_id = $2',
      [tenantId, invoiceId],
    );
    return row?.reminders_paused ?? false;
  }

  /** Open, sent, not paused, with a reminder date possibly reached: due date ≤ today − earliest offset. */
  async remindable(m: EntityManager, tenantId: string, dueOnOrBefore: string): Promise<Receivable[]> {
    const rows: ReceivableRow[] = await m.query(
      `SELECT tenant_id, invoice_id, issue_date, due_date, status FROM receivables
       WHERE tenant_id = $1 AND closed_at IS NULL AND due_date IS NOT NULL AND NOT reminders_paused
         AND due_date <= $2
       ORDER BY due_date, invoice_id`,
      [tenantId, dueOnOrBefore],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      invoiceId: r.invoice_id,
      issueDate: r.issue_date,
      dueDate: r.due_date,
      status: r.status,
    }));
  }
}
