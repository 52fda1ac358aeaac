import { Inject, Injectable } from '@nestjs/common';
import type { Currency } from '@billing/contracts';
import { DATA_SOURCE, toBigInt, toIso } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Payment } from './invoice.model';

interface PaymentRow {
  id: string;
  tenant_id: string;
  invoice_id: string;
  amount_minor: string;
  currency: Currency;
  paid_on: string;
  reference: string | null;
  created_at: Date;
}

@Injectable()
export class PaymentRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async insert(m: EntityManager, p: Omit<Payment, 'createdAt'>): Promise<Payment> {
    const [row]: PaymentRow[] = await m.query(
      `INSERT INTO payments (id, tenant_id, invoice_id, amount_minor, currency, paid_on, reference)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [p.id, p.tenantId, p.invoiceId, p.amountMinor.toString(), p.currency, p.paidOn, p.reference],
    );
    return mapRow(row);
  }

  /** Every payment of a document, in the order recorded (a document has a handful). */
  async listForInvoice(tenantId: string, invoiceId: string): Promise<Payment[]> {
    const rows: PaymentRow[] = await this.dataSource.query(
      'SELECT * FROM payments WHERE tenant_id = $1 AND invoice_id = $2 ORDER BY id',
      [tenantId, invoiceId],
    );
    return rows.map(mapRow);
  }
}

function mapRow(r: PaymentRow): Payment {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    invoiceId: r.invoice_id,
    amountMinor: toBigInt(r.amount_minor),
    currency: r.currency,
    paidOn: r.paid_on,
    reference: r.reference,
    createdAt: toIso(r.created_at),
  };
}
