import { type FieldError, type Problem, ProblemTypes } from '@billing/contracts';
import type { z } from 'zod';

/** The one error type services throw; the gateway turns it into application/problem+json. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
  }

  static validation(errors: FieldError[], detail = 'The request has invalid fields.'): ProblemError {
    return new ProblemError({
      type: ProblemTypes.validation,
      title: 'Validation failed',
      status: 422,
      detail,
      errors,
    });
  }

  static field(field: string, message: string, code?: string): ProblemError {
    return ProblemError.validation([{ field, message, ...(code ? { code } : {}) }]);
  }

  static notFound(resource: string, id?: string): ProblemError {
    return new ProblemError({
      type: ProblemTypes.notFound,
      title: 'Not found',
      status: 404,
      detail: id ? `${resource} ${id} was not found.` : `${resource} was not found.`,
    });
  }

  static invalidState(detail: string): ProblemError {
    return new ProblemError({ type: ProblemTypes.invalidState, title: 'Invalid state', status: 409, detail });
  }

  static conflict(detail: string): ProblemError {
    return new ProblemError({ type: ProblemTypes.conflict, title: 'Conflict', status: 409, detail });
  }

  static unavailable(detail: string): ProblemError {
    return new ProblemError({
      type: ProblemTypes.serviceUnavailable,
      title: 'Service unavailable',
      status: 503,
      detail,
    });
  }

  static timeout(detail: string): ProblemError {
    return new ProblemError({ type: ProblemTypes.timeout, title: 'Upstream timeout', status: 504, detail });
  }

  static internal(): ProblemError {
    return new ProblemError({
      type: ProblemTypes.internal,
      title: 'Internal error',
      status: 500,
      detail: 'An unexpected error occurred.',
    });
  }
}

/** Field errors from a zod failure: `line_items[2].unit_price`, unknown keys named one by one. */
export function zodFieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = joinPath(prefix, issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ field: joinPath(base, [key]), message: 'is not a known field', code: 'unknown_field' });
      }
      continue;
    }
    out.push({ field: base || '(body)', message: issueMessage(issue), code: issue.code });
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}

function joinPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Parses `value` with `schema` or throws a 422 naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ProblemError.validation(zodFieldErrors(result.error, prefix));
  return result.data;
}
