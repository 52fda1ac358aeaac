import { BUS_ROOT_PATTERN } from '@billing/contracts';
import { z } from 'zod';

/** An integer variable within bounds, with its default (shared by every app's config). */
export const envInt = (def: number, min: number, max: number) =>
  z.coerce
    .number({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a number' : undefined) })
    .int()
    .min(min)
    .max(max)
    .default(def);

/** A `true`/`false` variable, with its default. */
export const envFlag = (def: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(def)
    .transform((v) => v === 'true');

/** A comma-separated list of milliseconds (backoff schedules: the last value repeats). */
export const envMillisList = (def: string) =>
  z
    .string()
    .regex(/^\d+(,\d+)*$/, { error: 'must be a comma-separated list of milliseconds' })
    .default(def)
    .transform((v) => v.split(',').map(Number));

/** Variables every app reads. Parsed once at boot; the app refuses to start on a bad value. */
export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z
    .string({ error: 'is required (postgres://user:password@host:port/database)' })
    .regex(/^postgres(ql)?:\/\/.+/, { error: 'must be a postgres:// URL' }),
  DB_POOL_SIZE: envInt(10, 1, 200),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s]+$/, { error: 'must be a nats:// URL' })
    .default('nats://127.0.0.1:4222'),
  BUS_ROOT: z
    .string()
    .regex(BUS_ROOT_PATTERN, { error: 'must be lower-case letters, digits and _ (e.g. "billing")' })
    .default('billing'),
  BUS_MAX_DELIVER: envInt(6, 1, 1000),
  BUS_BACKOFF_MS: envMillisList('1000,5000,30000,120000,600000'),
  BUS_ACK_WAIT_MS: envInt(30000, 1000, 3600000),
  OUTBOX_POLL_MS: envInt(500, 10, 60000),
  /** The relay's recovery pass takes outbox rows this old (younger ones are on their direct path). */
  OUTBOX_CLAIM_AFTER_MS: envInt(2000, 0, 600000),
  /**
   * Check every outgoing event against its contract before it is stored. Receivers validate what they
   * read in any case; by default the check runs everywhere but in production, where the types have
   * already said it and the hot path is better off without a second parse of every payload.
   */
  BUS_VALIDATE_OUTGOING: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  RPC_TIMEOUT_MS: envInt(5000, 100, 120000),
  CLOCK_MODE: z.enum(['system', 'manual']).default('system'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MIGRATIONS_RUN: envFlag('true'),
};

export const baseConfigSchema = z.object(baseConfigShape);
export type BaseConfig = z.infer<typeof baseConfigSchema> & { PORT: number; DB_SCHEMA: string };

/** Builds an app's schema: the base plus its own variables and its defaults for PORT and DB_SCHEMA. */
export function appConfigSchema<E extends z.ZodRawShape>(
  defaults: { port: number; schema: string },
  extra: E,
) {
  return z
    .object({
      ...baseConfigShape,
      PORT: envInt(defaults.port, 0, 65535),
      DB_SCHEMA: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: 'must be a lower-case SQL identifier' })
        .default(defaults.schema),
      ...extra,
    })
    .superRefine((cfg, ctx) => {
      const { CLOCK_MODE, NODE_ENV } = cfg as { CLOCK_MODE: string; NODE_ENV: string };
      if (CLOCK_MODE === 'manual' && NODE_ENV === 'production') {
        ctx.addIssue({
          code: 'custom',
          path: ['CLOCK_MODE'],
          message: 'manual is refused when NODE_ENV=production',
        });
      }
    });
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && value !== '') cleaned[key] = value;
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
}
