import { appConfigSchema, envInt } from '@billing/common';
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
    /** Requests a second per API key (and for the admin token); 0 turns the limit off. */
    RATE_LIMIT_KEY_RPS: envInt(50, 0, 1_000_000),
    /** Requests an API key may send at once before the per-second rate applies. */
    RATE_LIMIT_KEY_BURST: envInt(100, 1, 1_000_000),
    /** Requests a second per client address without a valid credential (missing, wrong, revoked); 0 = off. */
    RATE_LIMIT_ADDRESS_RPS: envInt(2, 0, 1_000_000),
    RATE_LIMIT_ADDRESS_BURST: envInt(20, 1, 1_000_000),
    /**
     * Which proxies in front of the gateway to believe about the client's address (X-Forwarded-For),
     * in Express's terms: `false` (the socket's address), `true` (any), a hop count, or addresses,
     * CIDR ranges and the names loopback / linklocal / uniquelocal, comma-separated.
     */
    TRUST_PROXY: z
      .string()
      .regex(/^(true|false|\d{1,2}|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/, {
        error: 'must be true, false, a hop count, or addresses / CIDR ranges separated by commas',
      })
      .default('false')
      .transform((v): boolean | number | string =>
        v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
      ),
    /**
     * Origins whose pages may call the API from a browser (CORS), comma-separated
     * (`https://app.example.com,http://localhost:5173`), or `*` for any; unset = none.
     */
    CORS_ORIGINS: z
      .string()
      .regex(/^(\*|https?:\/\/[^\s/,]+(\s*,\s*https?:\/\/[^\s/,]+)*)$/, {
        error: 'must be * or origins such as https://app.example.com, separated by commas',
      })
      .optional()
      .transform((v) => (v ? v.split(',').map((o) => o.trim().toLowerCase()) : [])),
  },
);

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
