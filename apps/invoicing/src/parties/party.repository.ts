import { Inject, Injectable } from '@nestjs/common';
import { type Address, type Currency, type Page, type PartyView } from '@billing/contracts';
import { DATA_SOURCE, keysetPage, rowsOf, toIso } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';

export type PartyKind = 'customer' | 'vendor';

export interface Party {
  id: string;
  tenantId: string;
  kind: PartyKind;
  name: string;
  email: string | null;
  address: Address | null;
  currency: Currency;
  createdAt: string;
  updatedAt: string;
}

interface PartyRow {
  id: string;
  tenant_id: string;
  kind: PartyKind;
  name: string;
  email: string | null;
  address: Address | null;
  currency: Currency;
  created_at: Date;
  updated_at: Date;
}

@Injectable()
export class PartyRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async insert(m: EntityManager, p: Omit<Party, 'createdAt' | 'updatedAt'>): Promise<Party> {
    const [row]: PartyRow[] = await m.query(
      `INSERT INTO parties (id, tenant_id, kind, name, email, address, currency)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [p.id, p.tenantId, p.kind, p.name, p.email, p.address ? JSON.stringify(p.address) : null, p.currency],
    );
    return mapRow(row);
  }

  async find(tenantId: string, kind: PartyKind, id: string, m: EntityManager = this.dataSource.manager) {
    const [row]: PartyRow[] = await m.query(
      'SELECT * FROM parties WHERE tenant_id = $1 AND kind = $2 AND id = $3',
      [tenantId, kind, id],
    );
    return row ? mapRow(row) : null;
  }

  async lockForUpdate(
    m: EntityManager,
    tenantId: string,
    kind: PartyKind,
    id: string,
  ): Promise<Party | null> {
    const [row]: PartyRow[] = await m.query(
      'SELECT * FROM parties WHERE tenant_id = $1 AND kind = $2 AND id = $3 FOR UPDATE',
      [tenantId, kind, id],
    );
    return row ? mapRow(row) : null;
  }

  async update(m: EntityManager, p: Party): Promise<Party> {
    const [row] = rowsOf<PartyRow>(
      await m.query(
        `UPDATE parties SET name = $3, email = $4, address = $5, currency = $6, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING *`,
        [p.tenantId, p.id, p.name, p.email, p.address ? JSON.stringify(p.address) : null, p.currency],
      ),
    );
    return mapRow(row);
  }

  async list(tenantId: string, kind: PartyKind, limit: number, cursor?: string): Promise<Page<Party>> {
    const rows: PartyRow[] = await this.dataSource.query(
      `SELECT * FROM parties WHERE tenant_id = $1 AND kind = $2 AND ($3::uuid IS NULL OR id > $3::uuid)
       ORDER BY id LIMIT $4`,
      [tenantId, kind, cursor ?? null, limit + 1],
    );
    return keysetPage(rows, limit, mapRow);
  }
}

function mapRow(row: PartyRow): Party {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    name: row.name,
    email: row.email,
    address: row.address,
    currency: row.currency,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export function mapParty(p: Party): PartyView {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    address: p.address,
    currency: p.currency,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}
