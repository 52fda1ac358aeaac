import { IdSchema, PageQuerySchema, TenantViewSchema, TimestampSchema, pageOf } from '@billing/contracts';
import { z } from 'zod';

/** Gateway-only shapes of the operator API (tenants and their API keys never leave the gateway). */
export const ApiKeyViewSchema = z.object({
  id: IdSchema,
  tenant_id: IdSchema,
  /** The first characters of the key, to tell keys apart; the key itself is never shown again. */
  prefix: z.string(),
  created_at: TimestampSchema,
  revoked_at: TimestampSchema.nullable(),
});
export type ApiKeyView = z.infer<typeof ApiKeyViewSchema>;

export const ApiKeyIssuedSchema = z.object({
  /** Shown once; only its hash is stored. */
  api_key: z.string(),
  key: ApiKeyViewSchema,
});
export type ApiKeyIssued = z.infer<typeof ApiKeyIssuedSchema>;

export const ApiKeyPageSchema = pageOf(ApiKeyViewSchema);
export const TenantPageSchema = pageOf(TenantViewSchema);
export const TenantListQuerySchema = PageQuerySchema.strict();
