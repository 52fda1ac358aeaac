import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Metrics, ProblemError } from '@billing/common';
import type { NextFunction, Request, Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { GatewayConfig } from '../config';
import { buildOpenApiDocument } from '../openapi/document';
import { unsupportedMediaType } from './problem';
import { httpMetricsMiddleware } from './http-metrics';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * HTTP set-up that must run before Nest's routes: metrics, the content-type check, the JSON body
 * parser (strict, limited to BODY_LIMIT) and the docs. Their errors reach the one exception filter.
 */
export function configureGatewayHttp(app: INestApplication, config: GatewayConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.use(httpMetricsMiddleware(app.get(Metrics)));
  express.use(requireJsonBody);
  express.useBodyParser('json', { limit: config.BODY_LIMIT, strict: true, type: JSON_TYPES });
  const document = buildOpenApiDocument();
  express.use('/docs/openapi.json', (_req: Request, res: Response) => {
    res.json(document);
  });
  express.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'Billing API' }));
}

/** A POST/PUT/PATCH with a body must send JSON: anything else is a 415 before it is read. */
function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is(JSON_TYPES)) {
    next(new ProblemError(unsupportedMediaType('Send the body as application/json.')));
    return;
  }
  next();
}
