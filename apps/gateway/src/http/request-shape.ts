import { type ExecutionContext, type CanActivate, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ProblemError } from '@billing/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * No request body of this API nests deeper than 3 levels (`{"transactions": [{…}]}`); 20 leaves room
 * and keeps every recursive walk over a body (validation, the Idempotency-Key fingerprint) shallow.
 */
export const MAX_JSON_DEPTH = 20;

/** Whether a parsed JSON value nests deeper than `max`; iterative, so a hostile body cannot blow the stack. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Runs right after the body parsers, before authentication and the Idempotency-Key fingerprint: a
 * body nested too deep is a 422 on `(body)` (its size is already bounded by BODY_LIMIT, a 413).
 */
export function limitJsonDepth(req: Request, _res: Response, next: NextFunction): void {
  if (nestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
    next(ProblemError.field('(body)', `nests deeper than ${MAX_JSON_DEPTH} levels`, 'too_deep'));
    return;
  }
  next();
}

interface RouteArgument {
  index: number;
}

/**
 * Strict inputs on every route: a route reads a body only through `@Body(new ZodPipe(schema))` and a
 * query only through `@Query(new ZodPipe(schema))`, whose strict schemas refuse unknown fields; a route
 * that declares no body refuses any body, and one that declares no query refuses any query parameter,
 * instead of ignoring them. What a handler declares is read from Nest's own metadata, once per handler.
 */
@Injectable()
export class StrictInputsGuard implements CanActivate {
  private readonly declared = new WeakMap<object, { body: boolean; query: boolean }>();

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request>();
    const { body, query } = this.inputsOf(ctx);
    if (!body && hasBody(req.body)) {
      throw ProblemError.field('(body)', 'must be empty: this route takes no body', 'unexpected_body');
    }
    if (!query) {
      const names = Object.keys(req.query);
      if (names.length > 0) {
        throw ProblemError.validation(
          names.map((name) => ({
            field: name || '""',
            message: 'is not a known parameter',
            code: 'unknown_field',
          })),
        );
      }
    }
    return true;
  }

  private inputsOf(ctx: ExecutionContext): { body: boolean; query: boolean } {
    const handler = ctx.getHandler();
    let found = this.declared.get(handler);
    if (!found) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctx.getClass(), handler.name) ?? {}) as Record<
        string,
        RouteArgument
      >;
      const types = Object.keys(args).map((key) => Number(key.split(':')[0]));
      found = { body: types.includes(RouteParamtypes.BODY), query: types.includes(RouteParamtypes.QUERY) };
      this.declared.set(handler, found);
    }
    return found;
  }
}

/** A parsed body that says something: not absent, not `{}`, not an empty text. */
function hasBody(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body === 'string') return body.length > 0;
  if (typeof body === 'object') return Array.isArray(body) || Object.keys(body).length > 0;
  return true;
}
