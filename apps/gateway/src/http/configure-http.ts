import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ProblemTypes } from '@billing/contracts';
import { Metrics, ProblemError } from '@billing/common';
import express_ from 'express';
import { isUtf8 } from 'buffer';
import type { Server } from 'http';
import type { Duplex } from 'stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { GatewayConfig } from '../config';
import { buildOpenApiDocument } from '../openapi/document';
import { unsupportedMediaType } from './problem';
import { httpMetricsMiddleware } from './http-metrics';
import { limitJsonDepth } from './request-shape';
import { cors, securityHeaders } from './security';

const JSON_TYPES = ['application/json', 'application/*+json'];
/** The one route that also takes CSV (and larger bodies): the transaction import. */
const IMPORT_PATH = '/v1/transactions';
const CSV_TYPES = ['text/csv'];

/**
 * HTTP set-up that must run before Nest's routes: metrics, security headers, CORS, the content-type
 * check, the JSON body parser (strict, limited to BODY_LIMIT, then to MAX_JSON_DEPTH) and the docs.
 * Their errors reach the one exception filter.
 */
export function configureGatewayHttp(app: INestApplication, config: GatewayConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('trust proxy', config.TRUST_PROXY);
  express.use(httpMetricsMiddleware(app.get(Metrics)));
  express.use(securityHeaders());
  express.use(cors(config.CORS_ORIGINS));
  express.use(requireJsonBody);
  // The import's own parsers come first (a parsed body is not parsed again by the next parser).
  const importJson = express_.json({
    limit: config.IMPORT_BODY_LIMIT,
    strict: true,
    type: JSON_TYPES,
    verify: requireUtf8,
  });
  const importCsv = express_.text({
    limit: config.IMPORT_BODY_LIMIT,
    type: CSV_TYPES,
    defaultCharset: 'utf-8',
    verify: requireUtf8,
  });
  express.use(IMPORT_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== '/') return next();
    const parser: RequestHandler = req.is(CSV_TYPES) ? importCsv : importJson;
    return parser(req, res, next);
  });
  express.use(
    express_.json({ limit: config.BODY_LIMIT, strict: true, type: JSON_TYPES, verify: requireUtf8 }),
  );
  express.use(limitJsonDepth);
  const document = buildOpenApiDocument();
  express.use('/docs/openapi.json', (_req: Request, res: Response) => {
    res.json(document);
  });
  express.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'Billing API' }));
  (app.getHttpServer() as Server).on('clientError', answerClientError);
}

/**
 * A body that says it is UTF-8 must be: the parser would otherwise turn the bad bytes into U+FFFD and
 * the text would be stored changed, without a word.
 */
function requireUtf8(_req: Request, _res: Response, body: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(body)) {
    throw Object.assign(new Error('The body is not valid UTF-8.'), { type: 'encoding.invalid_utf8' });
  }
}

/**
 * What Node's HTTP parser refuses before Express sees a request — a request line and headers over
 * Node's 16 KB (a long query string), or bytes that are not HTTP — answered in the one error format
 * too, instead of Node's bare status line.
 */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, reason, problem] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ([
          431,
          'Request Header Fields Too Large',
          {
            type: ProblemTypes.headersTooLarge,
            title: 'Request header fields too large',
            status: 431,
            detail: 'The request line and headers are larger than this server reads (16 KB).',
            errors: [{ field: '(headers)', message: 'are larger than 16 KB', code: 'too_large' }],
          },
        ] as const)
      : ([
          400,
          'Bad Request',
          {
            type: ProblemTypes.malformedRequest,
            title: 'Malformed request',
            status: 400,
            detail: 'The request is not valid HTTP.',
            errors: [{ field: '(request)', message: 'is not valid HTTP', code: 'malformed_request' }],
          },
        ] as const);
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * A request with a body must send JSON (the transaction import also CSV): anything else is a 415
 * before it is read. (Routes that take no body refuse a JSON one too: StrictInputsGuard.)
 */
function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  if (hasBody && !req.is(JSON_TYPES)) {
    const isImport = req.method === 'POST' && req.path === IMPORT_PATH;
    if (isImport && req.is(CSV_TYPES)) {
      next();
      return;
    }
    const accepted = isImport ? 'application/json or text/csv' : 'application/json';
    next(new ProblemError(unsupportedMediaType(`Send the body as ${accepted}.`)));
    return;
  }
  next();
}
