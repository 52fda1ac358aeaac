import { ProblemTypes } from '@billing/contracts';

/** The problem responses, by status, each registered once as a named component and referenced. */
export const PROBLEM_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: 'MalformedJson', description: `Malformed JSON body (\`${ProblemTypes.malformedJson}\`).` },
  401: {
    name: 'Unauthorized',
    description: `Missing or invalid credentials (\`${ProblemTypes.unauthorized}\`).`,
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
