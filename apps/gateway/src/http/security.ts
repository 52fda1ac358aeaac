import { ProblemTypes } from '@billing/contracts';
import { ProblemError } from '@billing/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Response headers that keep browsers and caches from doing anything with an API response but read
 * it: helmet's set (nosniff, no referrer, HSTS, frame and cross-origin policies) with a Content
 * Security Policy per kind of response, and `Cache-Control: no-store` on the API, whose responses are
 * one tenant's data and sometimes secrets (a new tenant's API key, an issued key).
 */
export function securityHeaders(): RequestHandler {
  const common = {
    referrerPolicy: { policy: 'no-referrer' as const },
    crossOriginResourcePolicy: { policy: 'same-site' as const },
  };
  // JSON, problems, metrics: nothing in them may load or run anything, nor be framed.
  const api = helmet({
    ...common,
    frameguard: { action: 'deny' },
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
  });
  // Swagger UI: its own scripts and styles (the page has an inline <style>), images as data: URIs.
  const docs = helmet({
    ...common,
    frameguard: { action: 'deny' },
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  // An invoice PDF is shown inline, also framed by a page of this origin; a restrictive CSP on the PDF
  // itself would stop the browser's PDF viewer, so it only says who may frame it.
  const pdf = helmet({
    ...common,
    frameguard: { action: 'sameorigin' },
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc,
        frameAncestors: ["'self'"],
      },
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/v1/')) res.setHeader('Cache-Control', 'no-store');
    const handler = req.path.startsWith('/docs') ? docs : PDF_PATH.test(req.path) ? pdf : api;
    handler(req, res, next);
  };
}

const PDF_PATH = /^\/v1\/invoices\/[^/]+\/pdf$/;

/** Headers a browser page of an allowed origin may send, and may read from a response. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
const EXPOSED_HEADERS = [
  'Location',
  'Content-Disposition',
  'Idempotent-Replayed',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
].join(', ');
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * CORS: off unless `CORS_ORIGINS` names the origins (or `*`) whose pages may call the API from a
 * browser. Credentials are a bearer header, never cookies, so no `Allow-Credentials`. A preflight from
 * any other origin is a 403 problem naming the `Origin` header (rather than a silent 404), so the
 * reason is visible in the browser's network panel.
 */
export function cors(allowed: readonly string[]): RequestHandler {
  const any = allowed.includes('*');
  const origins = new Set(allowed);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (origin === undefined) return next();
    const permitted = any || origins.has(origin.toLowerCase());
    if (permitted) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
      if (!any) res.vary('Origin');
    }
    if (!preflight) {
      if (permitted) res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      return next();
    }
    if (!permitted) {
      const message =
        allowed.length === 0
          ? 'cross-origin requests are not enabled on this server (CORS_ORIGINS is not set)'
          : 'is not one of the origins this server allows (CORS_ORIGINS)';
      return next(
        new ProblemError({
          type: ProblemTypes.corsOriginNotAllowed,
          title: 'Origin not allowed',
          status: 403,
          detail: `The origin ${origin} may not call this API from a browser.`,
          errors: [{ field: 'Origin', message, code: 'origin_not_allowed' }],
        }),
      );
    }
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
    res.status(204).end();
  };
}
