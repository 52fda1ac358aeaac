import { z } from 'zod';

/** RFC 9457 problem details, the one error format of the platform (REST and RPC alike). */
/**
 * One thing wrong with a request: the `field` is a body path (`line_items[0].unit_price`, `(body)` for
 * the body as a whole), a query or path parameter, or a header (`Idempotency-Key`); `code` is stable
 * and machine-readable (the README lists them), `message` is for people.
 */
export const FieldErrorSchema = z.object({
  field: z.string(),
  message: z.string(),
  code: z.string(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(FieldErrorSchema).optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** Stable problem types; documented in the README. */
export const ProblemTypes = {
  validation: '/problems/validation-error',
  malformedJson: '/problems/malformed-json',
  malformedRequest: '/problems/malformed-request',
  headersTooLarge: '/problems/headers-too-large',
  payloadTooLarge: '/problems/payload-too-large',
  unsupportedMediaType: '/problems/unsupported-media-type',
  rateLimited: '/problems/rate-limited',
  corsOriginNotAllowed: '/problems/cors-origin-not-allowed',
  unauthorized: '/problems/unauthorized',
  notFound: '/problems/not-found',
  conflict: '/problems/conflict',
  invalidState: '/problems/invalid-state',
  idempotencyConflict: '/problems/idempotency-key-reused',
  idempotencyInProgress: '/problems/idempotency-key-in-progress',
  serviceUnavailable: '/problems/service-unavailable',
  timeout: '/problems/upstream-timeout',
  internal: '/problems/internal-error',
} as const;
