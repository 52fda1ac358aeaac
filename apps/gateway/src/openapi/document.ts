import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { type Operation, withMeta } from './operation';
import { adminOperations } from './paths/admin';
import { invoiceOperations } from './paths/invoices';
import { ledgerOperations } from './paths/ledger';
import { notifierOperations } from './paths/notifier';
import { partyOperations } from './paths/parties';
import { platformOperations } from './paths/platform';
import { schedulerOperations } from './paths/scheduler';
import { suggestionOperations } from './paths/suggestions';
import { templateOperations } from './paths/templates';
import { tenantOperations } from './paths/tenants';
import { PROBLEM_RESPONSES, RESPONSE_HEADERS, headerRefs } from './problems';
import { toRoute } from './route';
import { registerSchemas, type Schemas } from './schemas';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The tags, in the order the document lists them. */
const TAGS = [
  'Customer',
  'Vendor',
  'Templates',
  'Invoices',
  'Reminders',
  'Ledger',
  'Scheduler',
  'Transactions',
  'Suggestions',
  'Tenant',
  'Admin',
  'Platform',
];

const SECURITY_SCHEMES = {
  apiKey: 'A tenant API key (`bk_…`), issued by an operator.',
  adminToken: 'The operator token (ADMIN_TOKEN); the admin API is disabled when it is unset.',
};

/** Every route the gateway serves, described once (the order is the order of the document's paths). */
function operations(s: Schemas): Operation[] {
  return [
    ...partyOperations(s, 'customers', 'Customer'),
    ...partyOperations(s, 'vendors', 'Vendor'),
    ...templateOperations(s),
    ...invoiceOperations(s),
    ...notifierOperations(s),
    ...ledgerOperations(s),
    ...schedulerOperations(s),
    ...suggestionOperations(s),
    ...tenantOperations(s),
    ...adminOperations(s),
    ...platformOperations(),
  ];
}

/** The shared components: security schemes, the Idempotency-Key header and the problem responses. */
function registerComponents(registry: OpenAPIRegistry): void {
  for (const [name, description] of Object.entries(SECURITY_SCHEMES)) {
    registry.registerComponent('securitySchemes', name, { type: 'http', scheme: 'bearer', description });
  }
  registry.registerComponent('parameters', 'IdempotencyKey', {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes a POST safe to retry: the first outcome (status and body) is kept for 24 hours and ' +
      'replayed with `Idempotent-Replayed: true`. A 5xx outcome is not kept. Use a fresh UUID per request.',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  });
  for (const [name, { description, type }] of Object.entries(RESPONSE_HEADERS)) {
    registry.registerComponent('headers', name, { description, schema: { type } });
  }
  for (const { name, description, headers } of Object.values(PROBLEM_RESPONSES)) {
    registry.registerComponent('responses', name, {
      description,
      ...(headers ? { headers: headerRefs(headers) } : {}),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  }
}

/** The OpenAPI 3.1 document of the public API, generated from the same zod contracts the code uses. */
export function buildOpenApiDocument(): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  const components: Array<{ type: 'schema'; schema: z.ZodType }> = [];
  const schemas = registerSchemas((name, schema) => {
    const component = withMeta(schema, { refId: name });
    components.push({ type: 'schema', schema: component });
    return component;
  });
  registerComponents(registry);
  for (const op of operations(schemas)) registry.registerPath(toRoute(op));
  return new OpenApiGeneratorV31([...components, ...registry.definitions]).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Recurring billing API',
      version: '1.0.0',
      description:
        'Recurring invoice and bill templates, customers and vendors, the invoices and bills they ' +
        'generate, their PDFs, emails and payment reminders, payments, the ledger and its reports, ' +
        'scheduler runs, and suggestions mined from imported transactions. Authenticate with ' +
        '`Authorization: Bearer <api key>`. Errors are `application/problem+json` with a stable `type`. ' +
        'Lists are cursor-paginated: pass `next_cursor` back as `cursor`. Each API key is rate-limited ' +
        '(429 with `Retry-After`; every response carries `RateLimit-*` headers).',
    },
    servers: [{ url: '/' }],
    tags: TAGS.map((name) => ({ name })),
  });
}
