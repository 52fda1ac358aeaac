import { appConfigSchema } from '@billing/common';
import { z } from 'zod';

/** The gateway's own variables on top of the platform's. */
export const gatewayConfigSchema = appConfigSchema(
  { port: 3000, schema: 'gateway' },
  {
    /** Bearer token of the operator API (/v1/admin/*); unset = admin API disabled. */
    ADMIN_TOKEN: z
      .string()
      .min(16, { error: 'must be at least 16 characters' })
      .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' })
      .optional(),
    /** Largest accepted JSON body, in the `bytes` notation of the body parser ('100kb', '1mb'). */
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(b|kb|mb)?$/i, { error: 'must be a size such as "100kb" or "1mb"' })
      .default('1mb'),
    /** Largest transaction import (`POST /v1/transactions`, JSON or CSV): 100,000 rows fit in 20 MB. */
    IMPORT_BODY_LIMIT: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(b|kb|mb)?$/i, { error: 'must be a size such as "20mb"' })
      .default('20mb'),
  },
);

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
