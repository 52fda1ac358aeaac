import { ProblemTypes } from '@billing/contracts';

/** Response headers, each registered once as a named component and referenced. */
export const RESPONSE_HEADERS: Record<string, { description: string; type: 'integer' | 'string' }> = {
  'Retry-After': { description: 'Seconds to wait before the request can succeed.', type: 'integer' },
  'RateLimit-Limit': { description: 'Requests the caller may send at once (its burst).', type: 'integer' },
  'RateLimit-Remaining': { description: 'Requests the caller could still send right now.', type: 'integer' },
  'RateLimit-Reset': { description: "Seconds until the caller's allowance is full again.", type: 'integer' },
  'RateLimit-Policy': {
    description: 'The policy: `<burst>;w=<seconds>`, the burst refilling over that window.',
    type: 'string',
  },
};

/** What every rate-limited response carries (authenticated routes under /v1). */
export const RATE_LIMIT_HEADERS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
];

export function headerRefs(names: readonly string[]) {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/** The problem responses, by status, each registered once as a named component and referenced. */
export const PROBLEM_RESPONSES: Record<number, { name: string; description: string; headers?: string[] }> = {
  400: { name: 'MalformedJson', description: `Malformed JSON body (\`${ProblemTypes.malformedJson}\`).` },
  401: {
    name: 'Unauthorized',
    description: `Missing or invalid credentials (\`${ProblemTypes.unauthorized}\`).`,
  },
  403: {
    name: 'OriginNotAllowed',
    description: `A CORS preflight from an origin not in CORS_ORIGINS (\`${ProblemTypes.corsOriginNotAllowed}\`).`,
  },
  404: { name: 'NotFound', description: `No such resource in this tenant (\`${ProblemTypes.notFound}\`).` },
  409: {
    name: 'Conflict',
    description:
      `The resource is in a state that forbids this (\`${ProblemTypes.invalidState}\`), or a request ` +
      `with the same Idempotency-Key is still running (\`${ProblemTypes.idempotencyInProgress}\`).`,
  },
  413: {
    name: 'PayloadTooLarge',
    description: `Body larger than BODY_LIMIT (\`${ProblemTypes.payloadTooLarge}\`).`,
  },
  415: {
    name: 'UnsupportedMediaType',
    description: `Body not sent as application/json (\`${ProblemTypes.unsupportedMediaType}\`).`,
  },
  422: {
    name: 'ValidationFailed',
    description:
      `Invalid fields, each named in \`errors\` (\`${ProblemTypes.validation}\`), or an ` +
      `Idempotency-Key reused for a different request (\`${ProblemTypes.idempotencyConflict}\`).`,
  },
  429: {
    name: 'RateLimited',
    description:
      `Too many requests (\`${ProblemTypes.rateLimited}\`): this API key's rate (RATE_LIMIT_KEY_RPS, ` +
      `RATE_LIMIT_KEY_BURST), or this client address's budget of requests without a valid credential ` +
      `(RATE_LIMIT_ADDRESS_RPS, RATE_LIMIT_ADDRESS_BURST). Retry after \`Retry-After\` seconds.`,
    headers: ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'],
  },
  500: { name: 'InternalError', description: `Unexpected error (\`${ProblemTypes.internal}\`).` },
  503: {
    name: 'ServiceUnavailable',
    description: `The service behind this route is not running (\`${ProblemTypes.serviceUnavailable}\`).`,
  },
  504: {
    name: 'UpstreamTimeout',
    description:
      `The service behind this route did not answer in time; the request may or may not have been ` +
      `applied (\`${ProblemTypes.timeout}\`). Retry with the same Idempotency-Key.`,
  },
};
