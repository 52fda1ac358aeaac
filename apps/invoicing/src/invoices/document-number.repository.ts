import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DocumentType } from './invoice.model';

export interface NumberRequest {
  tenantId: string;
  type: DocumentType;
  count: number;
}

/**
 * Gapless per-tenant numbering. One statement allocates a block for every (tenant, type) of a batch:
 * it creates a missing counter at `count` or adds `count` to the existing one, and answers the counter
 * after the allocation. The row stays locked until the transaction ends, which serialises concurrent
 * finalizations of a tenant; a rollback undoes the allocation with everything else, so only committed
 * documents consume numbers. Requests are sorted so that two batches lock counters in the same order.
 */
@Injectable()
export class DocumentNumberRepository {
  async allocate(m: EntityManager, requests: readonly NumberRequest[]): Promise<Map<string, bigint>> {
    const wanted = requests
      .filter((r) => r.count > 0)
      .sort((a, b) => a.tenantId.localeCompare(b.tenantId) || a.type.localeCompare(b.type));
    if (wanted.length === 0) return new Map();
    const rows: Array<{ tenant_id: string; type: DocumentType; last_number: string }> = await m.query(
      `INSERT INTO document_numbers AS d (tenant_id, type, last_number)
       SELECT r.tenant_id, r.type, r.n FROM unnest($1::uuid[], $2::document_type[], $3::bigint[]) WITH ORDINALITY
         AS r(tenant_id, type, n, ord)
       ORDER BY ord
       ON CONFLICT (tenant_id, type) DO UPDATE SET last_number = d.last_number + EXCLUDED.last_number
       RETURNING tenant_id, type, last_number`,
      [wanted.map((r) => r.tenantId), wanted.map((r) => r.type), wanted.map((r) => r.count)],
    );
    return new Map(rows.map((r) => [numberKey(r.tenant_id, r.type), BigInt(r.last_number)]));
  }
}

export function numberKey(tenantId: string, type: DocumentType): string {
  return `${tenantId}:${type}`;
}
