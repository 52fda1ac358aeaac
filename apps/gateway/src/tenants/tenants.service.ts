import { Injectable } from '@nestjs/common';
import {
  type Page,
  type PageQuery,
  type TenantCreate,
  TenantEvents,
  type TenantPatch,
  type TenantView,
} from '@billing/contracts';
import { ProblemError, UnitOfWork, uuidv7 } from '@billing/common';
import { unauthorized } from '../http/problem';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys';
import { ExpiringCache } from './key-cache';
import { type KeyOwner, TenantRepository } from './tenant.repository';
import type { ApiKeyIssued, ApiKeyView } from './tenant.schemas';

const KEY_CACHE_TTL_MS = 30_000;
const KEY_CACHE_SIZE = 10_000;

/** Tenants, their API keys, and resolving a key to its tenant. */
@Injectable()
export class TenantsService {
  private readonly keys = new ExpiringCache<KeyOwner>(KEY_CACHE_TTL_MS, KEY_CACHE_SIZE);

  constructor(
    private readonly tenants: TenantRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(input: TenantCreate): Promise<{ tenant: TenantView; api_key: string }> {
    const timezone = canonicalTimeZone(input.timezone);
    const key = generateApiKey();
    return this.uow.run(async (tx) => {
      const tenant = await this.tenants.insertTenant(tx.manager, {
        id: uuidv7(),
        name: input.name,
        baseCurrency: input.base_currency,
        timezone,
        address: input.address ?? null,
        paperSize: input.paper_size,
      });
      await this.tenants.insertApiKey(tx.manager, {
        id: uuidv7(),
        tenantId: tenant.id,
        hash: key.hash,
        prefix: key.prefix,
      });
      tx.publish(TenantEvents.created, tenant.id, { tenant });
      return { tenant, api_key: key.key };
    });
  }

  async get(id: string): Promise<TenantView> {
    const tenant = await this.tenants.findTenant(id);
    if (!tenant) throw ProblemError.notFound('Tenant', id);
    return tenant;
  }

  /** Name, address and paper size (what invoices print); an empty patch changes nothing. */
  async update(id: string, patch: TenantPatch): Promise<TenantView> {
    const tenant = await this.uow.run((tx) => this.tenants.updateTenant(tx.manager, id, patch));
    if (!tenant) throw ProblemError.notFound('Tenant', id);
    // The tenant context of cached keys carries the name.
    this.keys.deleteWhere((owner) => owner.tenant.id === id);
    return tenant;
  }

  async list(q: PageQuery): Promise<Page<TenantView>> {
    return this.tenants.listTenants(q.limit, q.cursor);
  }

  async issueKey(tenantId: string): Promise<ApiKeyIssued> {
    await this.get(tenantId);
    const key = generateApiKey();
    const view = await this.uow.run((tx) =>
      this.tenants.insertApiKey(tx.manager, { id: uuidv7(), tenantId, hash: key.hash, prefix: key.prefix }),
    );
    return { api_key: key.key, key: view };
  }

  async listKeys(tenantId: string, q: PageQuery): Promise<Page<ApiKeyView>> {
    await this.get(tenantId);
    return this.tenants.listApiKeys(tenantId, q.limit, q.cursor);
  }

  async revokeKey(tenantId: string, keyId: string): Promise<ApiKeyView> {
    const view = await this.tenants.revokeApiKey(tenantId, keyId);
    if (!view) throw ProblemError.notFound('API key', keyId);
    this.keys.deleteWhere((owner) => owner.apiKeyId === keyId);
    return view;
  }

  /** The tenant of a key resolved in the last 30 s, without a lookup: a known key, never a guess. */
  cachedKeyOwner(token: string): KeyOwner | undefined {
    return looksLikeApiKey(token) ? this.keys.get(hashApiKey(token)) : undefined;
  }

  /** The tenant of a live API key, or a 401 that does not say why (unknown, revoked, malformed). */
  async authenticate(token: string): Promise<KeyOwner> {
    if (!looksLikeApiKey(token)) throw unauthorized('The API key is not valid.');
    const hash = hashApiKey(token);
    const cached = this.keys.get(hash);
    if (cached) return cached;
    const owner = await this.tenants.findKeyOwner(hash);
    if (!owner) throw unauthorized('The API key is not valid.');
    this.keys.set(hash, owner);
    return owner;
  }
}

/** A valid IANA zone in its canonical spelling ("america/new_york" → "America/New_York"). */
export function canonicalTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw ProblemError.field(
      'timezone',
      'must be an IANA time zone such as "Europe/Paris"',
      'invalid_timezone',
    );
  }
}
