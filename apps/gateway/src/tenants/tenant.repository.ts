import { Inject, Injectable } from '@nestjs/common';
import type {
  Address,
  Currency,
  Page,
  PaperSize,
  TenantContext,
  TenantPatch,
  TenantView,
} from '@billing/contracts';
import { DATA_SOURCE, rowsOf, toIso } from '@billing/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { ApiKeyView } from './tenant.schemas';

interface TenantRow {
  id: string;
  name: string;
  base_currency: Currency;
  timezone: string;
  address: Address | null;
  paper_size: PaperSize;
  created_at: Date;
}

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

export interface KeyOwner {
  apiKeyId: string;
  tenant: TenantContext;
}

/** The only SQL of tenants and API keys. */
@Injectable()
export class TenantRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async insertTenant(
    m: EntityManager,
    t: {
      id: string;
      name: string;
      baseCurrency: Currency;
      timezone: string;
      address: Address | null;
      paperSize: PaperSize;
    },
  ): Promise<TenantView> {
    const [row]: TenantRow[] = await m.query(
      `INSERT INTO tenants (id, name, base_currency, timezone, address, paper_size)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [t.id, t.name, t.baseCurrency, t.timezone, t.address ? JSON.stringify(t.address) : null, t.paperSize],
    );
    return mapTenant(row);
  }

  /** Applies the fields present in `patch` (an explicit null address clears it); null when unknown. */
  async updateTenant(m: EntityManager, id: string, patch: TenantPatch): Promise<TenantView | null> {
    const [row] = rowsOf<TenantRow>(
      await m.query(
        `UPDATE tenants SET
           name = CASE WHEN $2 THEN $3 ELSE name END,
           address = CASE WHEN $4 THEN $5::jsonb ELSE address END,
           paper_size = CASE WHEN $6 THEN $7 ELSE paper_size END,
           updated_at = now()
         WHERE id = $1 RETURNING *`,
        [
          id,
          patch.name !== undefined,
          patch.name ?? null,
          patch.address !== undefined,
          patch.address ? JSON.stringify(patch.address) : null,
          patch.paper_size !== undefined,
          patch.paper_size ?? null,
        ],
      ),
    );
    return row ? mapTenant(row) : null;
  }

  async insertApiKey(
    m: EntityManager,
    k: { id: string; tenantId: string; hash: string; prefix: string },
  ): Promise<ApiKeyView> {
    const [row]: ApiKeyRow[] = await m.query(
      `INSERT INTO api_keys (id, tenant_id, key_hash, prefix) VALUES ($1, $2, $3, $4)
       RETURNING id, tenant_id, prefix, created_at, revoked_at`,
      [k.id, k.tenantId, k.hash, k.prefix],
    );
    return mapApiKey(row);
  }

  async findTenant(id: string): Promise<TenantView | null> {
    const [row]: TenantRow[] = await this.dataSource.query('SELECT * FROM tenants WHERE id = $1', [id]);
    return row ? mapTenant(row) : null;
  }

  async listTenants(limit: number, cursor?: string): Promise<Page<TenantView>> {
    const rows: TenantRow[] = await this.dataSource.query(
      `SELECT * FROM tenants WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
      [cursor ?? null, limit + 1],
    );
    return pageFrom(rows.map(mapTenant), limit);
  }

  async listApiKeys(tenantId: string, limit: number, cursor?: string): Promise<Page<ApiKeyView>> {
    const rows: ApiKeyRow[] = await this.dataSource.query(
      `SELECT id, tenant_id, prefix, created_at, revoked_at FROM api_keys
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3`,
      [tenantId, cursor ?? null, limit + 1],
    );
    return pageFrom(rows.map(mapApiKey), limit);
  }

  /** Marks a key revoked (once: a second revoke keeps the first time); null when it is not the tenant's. */
  async revokeApiKey(tenantId: string, keyId: string): Promise<ApiKeyView | null> {
    const [row] = rowsOf<ApiKeyRow>(
      await this.dataSource.query(
        `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
         WHERE tenant_id = $1 AND id = $2 RETURNING id, tenant_id, prefix, created_at, revoked_at`,
        [tenantId, keyId],
      ),
    );
    return row ? mapApiKey(row) : null;
  }

  /** The tenant behind a live key, looked up by the key's hash. */
  async findKeyOwner(keyHash: string): Promise<KeyOwner | null> {
    const [row]: Array<TenantRow & { api_key_id: string }> = await this.dataSource.query(
      `SELECT t.*, k.id AS api_key_id FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    if (!row) return null;
    return {
      apiKeyId: row.api_key_id,
      tenant: { id: row.id, name: row.name, base_currency: row.base_currency, timezone: row.timezone },
    };
  }
}

function pageFrom<T extends { id: string }>(items: T[], limit: number): Page<T> {
  const data = items.slice(0, limit);
  return { data, next_cursor: items.length > limit ? data[data.length - 1].id : null };
}

function mapTenant(row: TenantRow): TenantView {
  return {
    id: row.id,
    name: row.name,
    base_currency: row.base_currency,
    timezone: row.timezone,
    address: row.address ?? null,
    paper_size: row.paper_size,
    created_at: toIso(row.created_at),
  };
}

function mapApiKey(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    prefix: row.prefix,
    created_at: toIso(row.created_at),
    revoked_at: row.revoked_at ? toIso(row.revoked_at) : null,
  };
}
