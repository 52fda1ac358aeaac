import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Problem } from '@billing/contracts';
import { ProblemError, runInRequestScope } from '@billing/common';
import type { Response } from 'express';
import { Observable, catchError, from, mergeMap, of, switchMap, throwError } from 'rxjs';
import type { GatewayRequest } from '../http/gateway-request';
import { toProblem } from '../http/problem';
import { IdempotencyService } from './idempotency.service';
import { serviceRequestId } from './request-fingerprint';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** Applies `Idempotency-Key` to every authenticated POST (tenant or admin). */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<GatewayRequest>();
    const key = req.headers[IDEMPOTENCY_HEADER];
    if (req.method !== 'POST' || typeof key !== 'string' || !req.principal) return next.handle();
    const scope = req.principal.kind === 'admin' ? 'admin' : req.principal.tenant.id;
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler()) ?? HttpStatus.CREATED;
    const begin = this.idempotency.begin({
      scope,
      key,
      method: req.method,
      url: req.originalUrl,
      body: req.body as unknown,
    });
    return from(begin).pipe(
      switchMap((decision) => {
        if (decision.kind === 'replay') {
          ctx.switchToHttp().getResponse<Response>().setHeader(REPLAYED_HEADER, 'true');
          // A stored error goes out through the exception filter like the first one did; a stored
          // success has the route's fixed status, which Nest applies again.
          if (decision.status >= 400) return throwError(() => new ProblemError(decision.body as Problem));
          return of(decision.body);
        }
        const { claim } = decision;
        // The services record the result under this id, so a retry after a lost answer (504) gets
        // the first result instead of a second template or customer.
        const requestId = serviceRequestId(scope, key, req.method, req.originalUrl, req.body);
        const handled = new Observable<unknown>((subscriber) =>
          runInRequestScope(requestId, false, () => next.handle().subscribe(subscriber)),
        );
        return handled.pipe(
          catchError((err: unknown) => {
            const { problem } = toProblem(err);
            return from(this.idempotency.finish(claim, problem.status, problem)).pipe(
              mergeMap(() => throwError(() => err)),
            );
          }),
          mergeMap(async (body: unknown) => {
            await this.idempotency.finish(claim, successStatus, body);
            return body;
          }),
        );
      }),
    );
  }
}
