import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toProblem } from './problem';

/**
 * The one place an error becomes a response: `application/problem+json` for everything thrown by a
 * guard, pipe, interceptor, controller or service, by the body parser and for unknown routes.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const { problem, unexpected } = toProblem(err);
    if (unexpected) {
      this.logger.error({ msg: `${req.method} ${req.originalUrl} failed`, err });
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="billing"');
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
