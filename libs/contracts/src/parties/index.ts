import { z } from 'zod';
import { defineEvent, defineRpc } from '../define';
import {
  CurrencySchema,
  IdSchema,
  PageQuerySchema,
  TimestampSchema,
  pageOf,
  requiredText,
  text,
} from '../primitives';

export const AddressSchema = z
  .object({
    line1: requiredText(200),
    line2: text(200).nullable().optional(),
    city: requiredText(100),
    region: text(100).nullable().optional(),
    postal_code: text(20).nullable().optional(),
    country: z.string().regex(/^[A-Z]{2}$/, { error: 'must be an ISO 3166-1 alpha-2 code such as "US"' }),
  })
  .strict();
export type Address = z.infer<typeof AddressSchema>;

const EmailSchema = z.email({ error: 'must be an email address' }).max(254);
const NameSchema = requiredText(200);

/** Customers (billed by invoices) and vendors (who send us bills) share one shape. */
export const PartyCreateSchema = z
  .object({
    name: NameSchema,
    email: EmailSchema.nullable().optional(),
    address: AddressSchema.nullable().optional(),
    /** Defaults to the tenant's base currency. */
    currency: CurrencySchema.optional(),
  })
  .strict();
export type PartyCreate = z.infer<typeof PartyCreateSchema>;

export const PartyPatchSchema = z
  .object({
    name: NameSchema,
    email: EmailSchema.nullable(),
    address: AddressSchema.nullable(),
    currency: CurrencySchema,
  })
  .partial()
  .strict();
export type PartyPatch = z.infer<typeof PartyPatchSchema>;

export const PartyViewSchema = z.object({
  id: IdSchema,
  name: z.string(),
  email: z.string().nullable(),
  address: AddressSchema.nullable(),
  currency: CurrencySchema,
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type PartyView = z.infer<typeof PartyViewSchema>;

export const PartyListQuerySchema = PageQuerySchema.strict();
export const PartyPageSchema = pageOf(PartyViewSchema);

const ById = z.object({ id: IdSchema }).strict();
const Update = z.object({ id: IdSchema, patch: PartyPatchSchema }).strict();

function partyRpc(kind: 'customers' | 'vendors') {
  return {
    create: defineRpc('invoicing', `${kind}.create`, 1, PartyCreateSchema, PartyViewSchema),
    get: defineRpc('invoicing', `${kind}.get`, 1, ById, PartyViewSchema),
    list: defineRpc('invoicing', `${kind}.list`, 1, PartyListQuerySchema, PartyPageSchema),
    update: defineRpc('invoicing', `${kind}.update`, 1, Update, PartyViewSchema),
  } as const;
}

export const CustomersRpc = partyRpc('customers');
export const VendorsRpc = partyRpc('vendors');

export const CustomerEventSchema = z.object({ customer: PartyViewSchema });
export const VendorEventSchema = z.object({ vendor: PartyViewSchema });

export const PartyEvents = {
  customerCreated: defineEvent('customer.created', 1, CustomerEventSchema),
  customerUpdated: defineEvent('customer.updated', 1, CustomerEventSchema),
  vendorCreated: defineEvent('vendor.created', 1, VendorEventSchema),
  vendorUpdated: defineEvent('vendor.updated', 1, VendorEventSchema),
} as const;
