import type { Metrics } from '@billing/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Records `billing_http_request_duration_seconds` per method, route pattern (`/v1/customers/:id`, never
 * the raw path, to keep the series few) and status, for every response including errors.
 */
export function httpMetricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      metrics.httpRequests.observe(
        { method: req.method, route: routeOf(req), status: String(res.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}

function routeOf(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return route;
  if (req.originalUrl.startsWith('/docs')) return '/docs';
  return 'unmatched';
}
