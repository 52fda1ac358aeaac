import { type PipeTransform } from '@nestjs/common';
import { ProblemError, isUuid, parseOrThrow } from '@billing/common';
import { z } from 'zod';

/** Actions without input accept no body or an empty object, nothing else. */
export const EmptyBodySchema = z.object({}).strict();

/**
 * Validates a request body or query string against a contract schema: 422 naming every bad field,
 * unknown fields included (the contracts are strict). A missing body is read as `{}`.
 */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    return parseOrThrow(this.schema, value ?? {});
  }
}

/** A path id that is not a UUID names nothing: 404 without asking a service. */
export class IdPipe implements PipeTransform<string, string> {
  constructor(private readonly resource: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw ProblemError.notFound(this.resource, value);
    return value.toLowerCase();
  }
}
