import { type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { type Operation } from './operation';
import { PROBLEM_RESPONSES, RATE_LIMIT_HEADERS, headerRefs } from './problems';

/** Routes answered by another service over NATS: they can also fail with 503 and 504. */
const UPSTREAM_TAGS = new Set([
  'Customer',
  'Vendor',
  'Templates',
  'Invoices',
  'Reminders',
  'Ledger',
  'Scheduler',
  'Transactions',
  'Suggestions',
]);

export function toRoute(op: Operation): RouteConfig {
  const responses: RouteConfig['responses'] = {
    [op.status]: successResponse(op),
  };
  for (const status of problemStatuses(op)) {
    responses[status] = { $ref: `#/components/responses/${PROBLEM_RESPONSES[status].name}` };
  }
  return {
    method: op.method,
    path: op.path,
    tags: [op.tag],
    summary: op.summary,
    operationId: operationId(op),
    security: op.access === 'public' ? [] : [{ [op.access === 'admin' ? 'adminToken' : 'apiKey']: [] }],
    ...(op.method === 'post' ? { parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }] } : {}),
    request: {
      ...(op.params ? { params: op.params } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.body
        ? {
            body: {
              required: !op.optionalBody,
              content: {
                'application/json': { schema: op.body },
                ...(op.csvBody ? { 'text/csv': { schema: { type: 'string' as const } } } : {}),
              },
            },
          }
        : {}),
    },
    responses,
  };
}

/** The problem statuses an operation can answer, in ascending order. */
function problemStatuses(op: Operation): number[] {
  const problems = new Set<number>([...(op.problems ?? []), 500]);
  const add = (...statuses: number[]) => statuses.forEach((s) => problems.add(s));
  if (op.access !== 'public') add(401, 429);
  if (op.params) add(404);
  if (op.params || op.query || op.body) add(422);
  if (['post', 'put', 'patch'].includes(op.method)) add(400, 413, 415);
  if (op.method === 'post') add(409, 422);
  if (UPSTREAM_TAGS.has(op.tag) || op.path.startsWith('/v1/admin/parked')) add(503, 504);
  return [...problems].sort((a, b) => a - b);
}

function successResponse(op: Operation): ResponseConfig {
  const limited = op.access !== 'public' ? { headers: headerRefs(RATE_LIMIT_HEADERS) } : {};
  if (op.status === 204) return { description: 'Done; no content.', ...limited };
  if (op.produces) {
    return {
      description: 'The document',
      ...limited,
      content: { [op.produces]: { schema: { type: 'string', format: 'binary' } } },
    };
  }
  if (op.path === '/metrics') {
    return { description: 'Prometheus metrics', content: { 'text/plain': { schema: { type: 'string' } } } };
  }
  const headers = {
    ...limited.headers,
    ...(op.method === 'post'
      ? {
          'Idempotent-Replayed': {
            description: 'Present ("true") when this is the stored response of an earlier request.',
            schema: { type: 'string' as const, enum: ['true'] },
          },
        }
      : {}),
  };
  return {
    description: op.status === 201 ? 'Created' : 'OK',
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: { 'application/json': { schema: op.response ?? z.unknown() } },
  };
}

function operationId(op: Operation): string {
  const words = `${op.method} ${op.path}`
    .replace(/\{(\w+)\}/g, 'by $1')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w && w !== 'v1');
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
}
