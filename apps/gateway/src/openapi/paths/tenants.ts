import { IdSchema } from '@billing/contracts';
import { z } from 'zod';
import { TenantListQuerySchema } from '../../tenants/tenant.schemas';
import { ById, group, type Operation } from '../operation';
import { type Schemas } from '../schemas';

/** The caller's own tenant, then the operator's tenants and their API keys under `/v1/admin/tenants`. */
export function tenantOperations(s: Schemas): Operation[] {
  const byId = ById('Tenant');
  return [
    ...group('Tenant', 'tenant', [
      { method: 'get', path: '/v1/tenant', summary: "The caller's tenant", status: 200, response: s.Tenant },
      {
        method: 'patch',
        path: '/v1/tenant',
        summary: "Change the caller's tenant: name, address and paper size (what invoice PDFs print)",
        body: s.TenantPatch,
        status: 200,
        response: s.Tenant,
      },
    ]),
    ...group('Admin', 'admin', [
      {
        method: 'post',
        path: '/v1/admin/tenants',
        summary: 'Create a tenant and its first API key (shown once)',
        body: s.TenantCreate,
        status: 201,
        response: s.TenantCreated,
      },
      {
        method: 'get',
        path: '/v1/admin/tenants',
        summary: 'List tenants',
        query: TenantListQuerySchema,
        status: 200,
        response: s.TenantPage,
      },
      {
        method: 'get',
        path: '/v1/admin/tenants/{id}',
        summary: 'Get a tenant',
        params: byId,
        status: 200,
        response: s.Tenant,
        problems: [404],
      },
      {
        method: 'patch',
        path: '/v1/admin/tenants/{id}',
        summary: "Change a tenant's name, address or paper size",
        params: byId,
        body: s.TenantPatch,
        status: 200,
        response: s.Tenant,
        problems: [404],
      },
      {
        method: 'post',
        path: '/v1/admin/tenants/{id}/api-keys',
        summary: 'Issue another API key (shown once)',
        params: byId,
        status: 201,
        response: s.ApiKeyIssued,
        problems: [404],
      },
      {
        method: 'get',
        path: '/v1/admin/tenants/{id}/api-keys',
        summary: "List a tenant's API keys (prefixes only)",
        params: byId,
        query: TenantListQuerySchema,
        status: 200,
        response: s.ApiKeyPage,
        problems: [404],
      },
      {
        method: 'post',
        path: '/v1/admin/tenants/{id}/api-keys/{keyId}/revoke',
        summary: 'Revoke an API key (other replicas may accept it for up to 30 s)',
        params: z.object({ id: IdSchema, keyId: IdSchema }),
        status: 200,
        response: s.ApiKey,
        problems: [404],
      },
    ]),
  ];
}
