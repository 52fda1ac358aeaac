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

  static field(field: string, message: string, code: string): ProblemError {
    return ProblemError.validation([{ field, message, code }]);
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
    // A missing field is an invalid_type whose input is undefined (zod reports inputs when asked to:
    // parseOrThrow does).
    const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
    out.push({
      field: base || '(body)',
      message: missing ? 'is required' : issue.message,
      code: missing ? 'required' : issueCode(issue),
    });
  }
  return out;
}

/**
 * The platform's own error codes, not zod's: they are part of the API and must not change when the
 * validation library does. A refinement names its code in `params.code` (see the contracts).
 */
function issueCode(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
    case 'invalid_union':
      return 'invalid_type';
    case 'too_small':
      return 'too_small';
    case 'too_big':
      return 'too_big';
    case 'invalid_format':
      return 'invalid_format';
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
    case 'invalid_value':
      return 'invalid_value';
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'custom': {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return typeof code === 'string' ? code : 'invalid_value';
    }
  }
}

function joinPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = prefix;
  for (const part of path) {
    // A key that is empty (`{"": 1}`) is still named: `""`.
    const name = typeof part === 'number' ? '' : String(part) || '""';
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${name}` : name;
  }
  return out;
}

/** Parses `value` with `schema` or throws a 422 naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw ProblemError.validation(zodFieldErrors(result.error, prefix));
  return result.data;
}
