import { z } from 'zod';
import { defineEvent, defineRpc } from '../define';
import { CurrencySchema, IdSchema, PageQuerySchema, TimestampSchema, pageOf } from '../primitives';

export const TenantCreateSchema = z
  .object({
    name: z.string().trim().min(1, { error: 'is required' }).max(200),
    base_currency: CurrencySchema,
    /** IANA time zone; "today" for the tenant's schedules is its calendar date there. */
    timezone: z.string().min(1).max(64).default('UTC'),
  })
  .strict();
export type TenantCreate = z.infer<typeof TenantCreateSchema>;

export const TenantViewSchema = z.object({
  id: IdSchema,
  name: z.string(),
  base_currency: CurrencySchema,
  timezone: z.string(),
  created_at: TimestampSchema,
});
export type TenantView = z.infer<typeof TenantViewSchema>;

export const TenantCreatedResponseSchema = z.object({
  tenant: TenantViewSchema,
  /** Shown once; only its hash is stored. */
  api_key: z.string(),
});

export const TenantEvents = {
  created: defineEvent('tenant.created', 1, z.object({ tenant: TenantViewSchema })),
} as const;

/** Answered by the gateway (which owns tenants): the scheduler's list of tenants and their time zones. Called with tenant null. */
export const TenantsRpc = {
  list: defineRpc('gateway', 'tenants.list', 1, PageQuerySchema.strict(), pageOf(TenantViewSchema)),
} as const;
