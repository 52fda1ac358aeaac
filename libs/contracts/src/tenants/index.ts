import { z } from 'zod';
import { defineEvent, defineRpc } from '../define';
import { AddressSchema } from '../parties';
import {
  CurrencySchema,
  IdSchema,
  PageQuerySchema,
  TimestampSchema,
  pageOf,
  requiredText,
} from '../primitives';

/** The paper invoice PDFs are printed on. */
export const PAPER_SIZES = ['A4', 'Letter'] as const;
export const PaperSizeSchema = z.enum(PAPER_SIZES, { error: 'must be "A4" or "Letter"' });
export type PaperSize = z.infer<typeof PaperSizeSchema>;

const TenantNameSchema = requiredText(200);

export const TenantCreateSchema = z
  .object({
    name: TenantNameSchema,
    base_currency: CurrencySchema,
    /** IANA time zone; "today" for the tenant's schedules is its calendar date there. */
    timezone: requiredText(64).default('UTC'),
    /** Printed on invoices under the tenant's name. */
    address: AddressSchema.nullable().optional(),
    paper_size: PaperSizeSchema.default('A4'),
  })
  .strict();
export type TenantCreate = z.infer<typeof TenantCreateSchema>;

/** What a tenant (PATCH /v1/tenant) or an operator may change; the currency and zone are fixed. */
export const TenantPatchSchema = z
  .object({
    name: TenantNameSchema,
    address: AddressSchema.nullable(),
    paper_size: PaperSizeSchema,
  })
  .partial()
  .strict();
export type TenantPatch = z.infer<typeof TenantPatchSchema>;

export const TenantViewSchema = z.object({
  id: IdSchema,
  name: z.string(),
  base_currency: CurrencySchema,
  timezone: z.string(),
  address: AddressSchema.nullable(),
  paper_size: PaperSizeSchema,
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

/** Answered by the gateway (which owns tenants) to the services that need them. Called with tenant null. */
export const TenantsRpc = {
  list: defineRpc('gateway', 'tenants.list', 1, PageQuerySchema.strict(), pageOf(TenantViewSchema)),
  /** One tenant with its address and paper size (the notifier prints them); also a platform call. */
  get: defineRpc('gateway', 'tenants.get', 1, z.object({ id: IdSchema }).strict(), TenantViewSchema),
} as const;
