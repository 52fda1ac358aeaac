import { HttpException } from '@nestjs/common';
import { type Problem, ProblemTypes } from '@billing/contracts';
import { ProblemError, zodFieldErrors } from '@billing/common';
import { STATUS_CODES } from 'http';
import { z } from 'zod';

/** The body every error response has: RFC 9457 problem details with `detail` and `errors` always set. */
export type ProblemBody = Required<Problem>;

export interface MappedError {
  problem: ProblemBody;
  /** An unexpected failure: logged with its stack, answered without internals. */
  unexpected: boolean;
}

/** Errors of the body parser (http-errors) carry a `type` naming what went wrong. */
const BODY_PARSER_TYPES: Record<string, () => Problem> = {
  'entity.parse.failed': () => ({
    type: ProblemTypes.malformedJson,
    title: 'Malformed JSON',
    status: 400,
    detail: 'The request body is not valid JSON (an object or an array is expected).',
    errors: [{ field: '(body)', message: 'is not valid JSON', code: 'malformed_json' }],
  }),
  'entity.too.large': () => ({
    type: ProblemTypes.payloadTooLarge,
    title: 'Payload too large',
    status: 413,
    detail: 'The request body is larger than this server accepts.',
    errors: [{ field: '(body)', message: 'is larger than this server accepts', code: 'too_large' }],
  }),
  'encoding.invalid_utf8': () => ({
    type: ProblemTypes.malformedRequest,
    title: 'Malformed body',
    status: 400,
    detail: 'The request body is not valid UTF-8.',
    errors: [{ field: '(body)', message: 'is not valid UTF-8', code: 'invalid_utf8' }],
  }),
  'encoding.unsupported': () =>
    unsupportedMediaType('The Content-Encoding of the body is not supported.', 'Content-Encoding'),
  'charset.unsupported': () => unsupportedMediaType('The charset of the body is not supported; use utf-8.'),
};

export function unsupportedMediaType(detail: string, header = 'Content-Type'): Problem {
  return {
    type: ProblemTypes.unsupportedMediaType,
    title: 'Unsupported media type',
    status: 415,
    detail,
    errors: [{ field: header, message: detail, code: 'unsupported_media_type' }],
  };
}

/** Turns anything thrown while serving a request into the one error format. */
export function toProblem(err: unknown): MappedError {
  if (err instanceof ProblemError) return { problem: complete(err.problem), unexpected: false };
  if (err instanceof z.ZodError) {
    return { problem: complete(ProblemError.validation(zodFieldErrors(err)).problem), unexpected: false };
  }
  const parserType = bodyParserType(err);
  if (parserType && BODY_PARSER_TYPES[parserType]) {
    return { problem: complete(BODY_PARSER_TYPES[parserType]()), unexpected: false };
  }
  // The router could not percent-decode a path segment: such a path names no resource.
  if (err instanceof URIError || (err instanceof Error && err.message.startsWith('Failed to decode param'))) {
    return { problem: complete(fromStatus(404)), unexpected: false };
  }
  if (err instanceof HttpException && err.getStatus() < 500) {
    return { problem: complete(fromStatus(err.getStatus())), unexpected: false };
  }
  return { problem: complete(ProblemError.internal().problem), unexpected: true };
}

function bodyParserType(err: unknown): string | undefined {
  const candidates = [err, err instanceof Error ? err.cause : undefined];
  for (const c of candidates) {
    const type = (c as { type?: unknown } | undefined)?.type;
    if (typeof type === 'string') return type;
  }
  return undefined;
}

/** Nest's own 4xx (unknown route, method not allowed): a stable type per status, no internals. */
function fromStatus(status: number): Problem {
  switch (status) {
    case 404:
      return { type: ProblemTypes.notFound, title: 'Not found', status, detail: 'No such resource.' };
    case 401:
      return { type: ProblemTypes.unauthorized, title: 'Unauthorized', status, detail: 'Not authenticated.' };
    case 413:
      return BODY_PARSER_TYPES['entity.too.large']();
    case 415:
      return unsupportedMediaType('The content type of the body is not supported.');
    default: {
      const title = STATUS_CODES[status] ?? 'Error';
      return { type: 'about:blank', title, status, detail: title };
    }
  }
}

function complete(p: Problem): ProblemBody {
  return {
    type: p.type,
    title: p.title,
    status: p.status,
    detail: p.detail ?? p.title,
    errors: p.errors ?? [],
  };
}

export function unauthorized(detail: string): ProblemError {
  return new ProblemError({
    type: ProblemTypes.unauthorized,
    title: 'Unauthorized',
    status: 401,
    detail,
    errors: [{ field: 'Authorization', message: detail, code: 'unauthorized' }],
  });
}
