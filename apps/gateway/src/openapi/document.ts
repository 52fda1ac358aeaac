import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
  zodToOpenAPIRegistry,
} from '@asteasolutions/zod-to-openapi';
import {
  AgingReportSchema,
  IdSchema,
  InvoiceListQuerySchema,
  InvoiceViewSchema,
  InvoicesRpc,
  JournalEntryViewSchema,
  JournalListQuerySchema,
  PageQuerySchema,
  ParkedMessageSchema,
  PartyCreateSchema,
  PartyListQuerySchema,
  PartyPatchSchema,
  PartyViewSchema,
  PaymentCreateSchema,
  PaymentViewSchema,
  PreviewQuerySchema,
  ProblemSchema,
  ProblemTypes,
  ReplayResultSchema,
  ReportQuerySchema,
  RunDetailSchema,
  RunResultSchema,
  RunSummarySchema,
  SchedulerRpc,
  TemplateCloneSchema,
  TemplateCreateSchema,
  TemplateHistoryItemSchema,
  TemplateListQuerySchema,
  TemplatePatchSchema,
  TemplatePreviewSchema,
  TemplateViewSchema,
  TenantCreateSchema,
  TenantCreatedResponseSchema,
  TenantViewSchema,
  TrialBalanceSchema,
  pageOf,
} from '@billing/contracts';
import { z } from 'zod';
import {
  ClockSetSchema,
  ClockViewSchema,
  AdminParkedQuerySchema,
  ParkedServiceSchema,
} from '../admin/admin.schemas';
import { ApiKeyIssuedSchema, ApiKeyViewSchema, TenantListQuerySchema } from '../tenants/tenant.schemas';

type Access = 'tenant' | 'admin' | 'public';

/** Routes answered by another service over NATS: they can also fail with 503 and 504. */
const UPSTREAM_TAGS = new Set(['Customer', 'Vendor', 'Templates', 'Invoices', 'Ledger', 'Scheduler']);

/** `limit` and `cursor`, nothing else. */
const PageOnlyQuerySchema = PageQuerySchema.strict();

interface Operation {
  method: RouteConfig['method'];
  path: string;
  tag: string;
  summary: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out (read as `{}`). */
  optionalBody?: boolean;
  /** The success status and its body (none for 204). */
  status: number;
  response?: z.ZodType;
  /** Problem statuses this operation can answer besides the ones every operation can. */
  problems?: number[];
}

const PROBLEM_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: 'MalformedJson', description: `Malformed JSON body (\`${ProblemTypes.malformedJson}\`).` },
  401: {
    name: 'Unauthorized',
    description: `Missing or invalid credentials (\`${ProblemTypes.unauthorized}\`).`,
  },
  404: { name: 'NotFound', description: `No such resource in this tenant (\`${ProblemTypes.notFound}\`).` },
  409: {
    name: 'Conflict',
    description:
      `The resource is in a state that forbids this (\`${ProblemTypes.invalidState}\`), or a request ` +
      `with the same Idempotency-Key is still running (\`${ProblemTypes.idempotencyInProgress}\`).`,
  },
  413: {
    name: 'PayloadTooLarge',
    description: `Body larger than BODY_LIMIT (\`${ProblemTypes.payloadTooLarge}\`).`,
  },
  415: {
    name: 'UnsupportedMediaType',
    description: `Body not sent as application/json (\`${ProblemTypes.unsupportedMediaType}\`).`,
  },
  422: {
    name: 'ValidationFailed',
    description:
      `Invalid fields, each named in \`errors\` (\`${ProblemTypes.validation}\`), or an ` +
      `Idempotency-Key reused for a different request (\`${ProblemTypes.idempotencyConflict}\`).`,
  },
  500: { name: 'InternalError', description: `Unexpected error (\`${ProblemTypes.internal}\`).` },
  503: {
    name: 'ServiceUnavailable',
    description: `The service behind this route is not running (\`${ProblemTypes.serviceUnavailable}\`).`,
  },
  504: {
    name: 'UpstreamTimeout',
    description:
      `The service behind this route did not answer in time; the request may or may not have been ` +
      `applied (\`${ProblemTypes.timeout}\`). Retry with the same Idempotency-Key.`,
  },
};

/**
 * Metadata is attached to copies of the contract schemas through the library's registry (not its
 * `.openapi()` method, which only exists on schemas built after patching zod's prototype).
 */
function withMeta<S extends z.ZodType>(schema: S, meta: { refId?: string; description?: string }): S {
  const copy = schema.clone();
  const { refId, ...rest } = meta;
  zodToOpenAPIRegistry.add(copy, { ...rest, ...(refId ? { _internal: { refId } } : {}) });
  return copy;
}

const ById = (resource: string) =>
  z.object({ id: withMeta(IdSchema, { description: `${resource} id (UUID)` }) });

/** Every route the gateway serves, described once. */
function operations(s: Schemas): Operation[] {
  const customer = (kind: 'customers' | 'vendors', label: string): Operation[] => [
    {
      method: 'post',
      path: `/v1/${kind}`,
      tag: label,
      summary: `Create a ${label.toLowerCase()}`,
      access: 'tenant',
      body: s.PartyCreate,
      status: 201,
      response: s.Party,
    },
    {
      method: 'get',
      path: `/v1/${kind}`,
      tag: label,
      summary: `List ${kind}`,
      access: 'tenant',
      query: PartyListQuerySchema,
      status: 200,
      response: s.PartyPage,
    },
    {
      method: 'get',
      path: `/v1/${kind}/{id}`,
      tag: label,
      summary: `Get a ${label.toLowerCase()}`,
      access: 'tenant',
      params: ById(label),
      status: 200,
      response: s.Party,
      problems: [404],
    },
    {
      method: 'patch',
      path: `/v1/${kind}/{id}`,
      tag: label,
      summary: `Update a ${label.toLowerCase()}`,
      access: 'tenant',
      params: ById(label),
      body: s.PartyPatch,
      status: 200,
      response: s.Party,
      problems: [404],
    },
  ];
  const action = (name: string, summary: string): Operation => ({
    method: 'post',
    path: `/v1/templates/{id}/${name}`,
    tag: 'Templates',
    summary,
    access: 'tenant',
    params: ById('Template'),
    status: 200,
    response: s.Template,
    problems: [404, 409],
  });
  return [
    ...customer('customers', 'Customer'),
    ...customer('vendors', 'Vendor'),
    {
      method: 'post',
      path: '/v1/templates',
      tag: 'Templates',
      summary: 'Create a recurring template',
      access: 'tenant',
      body: s.TemplateCreate,
      status: 201,
      response: s.Template,
    },
    {
      method: 'get',
      path: '/v1/templates',
      tag: 'Templates',
      summary: 'List templates (filters: type, status, customer_id, vendor_id)',
      access: 'tenant',
      query: TemplateListQuerySchema,
      status: 200,
      response: s.TemplatePage,
    },
    {
      method: 'get',
      path: '/v1/templates/{id}',
      tag: 'Templates',
      summary: 'Get a template',
      access: 'tenant',
      params: ById('Template'),
      status: 200,
      response: s.Template,
      problems: [404],
    },
    {
      method: 'patch',
      path: '/v1/templates/{id}',
      tag: 'Templates',
      summary: 'Update a template (applies to occurrences not yet generated)',
      access: 'tenant',
      params: ById('Template'),
      body: s.TemplatePatch,
      status: 200,
      response: s.Template,
      problems: [404, 409],
    },
    {
      method: 'delete',
      path: '/v1/templates/{id}',
      tag: 'Templates',
      summary: 'Delete a template (its generated invoices stay)',
      access: 'tenant',
      params: ById('Template'),
      status: 204,
      problems: [404],
    },
    action('pause', 'Pause generation'),
    action('resume', 'Resume: the next occurrence is the first scheduled date on or after today'),
    action('skip-next', 'Skip the next occurrence without generating it'),
    action('cancel', 'Cancel permanently'),
    {
      method: 'post',
      path: '/v1/templates/{id}/clone',
      tag: 'Templates',
      summary: 'Clone as a fresh active template (start date today unless given)',
      access: 'tenant',
      params: ById('Template'),
      body: s.TemplateClone,
      status: 201,
      response: s.Template,
      problems: [404],
    },
    {
      method: 'get',
      path: '/v1/templates/{id}/preview',
      tag: 'Templates',
      summary: 'The next N occurrences with issue date, due date and amount',
      access: 'tenant',
      params: ById('Template'),
      query: PreviewQuerySchema,
      status: 200,
      response: s.TemplatePreview,
      problems: [404],
    },
    {
      method: 'get',
      path: '/v1/templates/{id}/history',
      tag: 'Templates',
      summary: 'The invoices or bills a template generated, by occurrence',
      access: 'tenant',
      params: ById('Template'),
      query: PageOnlyQuerySchema,
      status: 200,
      response: s.TemplateHistoryPage,
      problems: [404],
    },
    ...invoiceOperations(s),
    ...ledgerOperations(s),
    ...schedulerOperations(s),
    {
      method: 'get',
      path: '/v1/tenant',
      tag: 'Tenant',
      summary: "The caller's tenant",
      access: 'tenant',
      status: 200,
      response: s.Tenant,
    },
    {
      method: 'post',
      path: '/v1/admin/tenants',
      tag: 'Admin',
      summary: 'Create a tenant and its first API key (shown once)',
      access: 'admin',
      body: s.TenantCreate,
      status: 201,
      response: s.TenantCreated,
    },
    {
      method: 'get',
      path: '/v1/admin/tenants',
      tag: 'Admin',
      summary: 'List tenants',
      access: 'admin',
      query: TenantListQuerySchema,
      status: 200,
      response: s.TenantPage,
    },
    {
      method: 'get',
      path: '/v1/admin/tenants/{id}',
      tag: 'Admin',
      summary: 'Get a tenant',
      access: 'admin',
      params: ById('Tenant'),
      status: 200,
      response: s.Tenant,
      problems: [404],
    },
    {
      method: 'post',
      path: '/v1/admin/tenants/{id}/api-keys',
      tag: 'Admin',
      summary: 'Issue another API key (shown once)',
      access: 'admin',
      params: ById('Tenant'),
      status: 201,
      response: s.ApiKeyIssued,
      problems: [404],
    },
    {
      method: 'get',
      path: '/v1/admin/tenants/{id}/api-keys',
      tag: 'Admin',
      summary: "List a tenant's API keys (prefixes only)",
      access: 'admin',
      params: ById('Tenant'),
      query: TenantListQuerySchema,
      status: 200,
      response: s.ApiKeyPage,
      problems: [404],
    },
    {
      method: 'post',
      path: '/v1/admin/tenants/{id}/api-keys/{keyId}/revoke',
      tag: 'Admin',
      summary: 'Revoke an API key (other replicas may accept it for up to 30 s)',
      access: 'admin',
      params: z.object({ id: IdSchema, keyId: IdSchema }),
      status: 200,
      response: s.ApiKey,
      problems: [404],
    },
    {
      method: 'get',
      path: '/v1/admin/clock',
      tag: 'Admin',
      summary: 'The clock mode and the manual date, if set',
      access: 'admin',
      status: 200,
      response: s.Clock,
    },
    {
      method: 'put',
      path: '/v1/admin/clock',
      tag: 'Admin',
      summary: 'Set the date every app treats as today (CLOCK_MODE=manual only, else 404)',
      access: 'admin',
      body: s.ClockSet,
      status: 200,
      response: s.Clock,
      problems: [404],
    },
    {
      method: 'delete',
      path: '/v1/admin/clock',
      tag: 'Admin',
      summary: 'Clear the manual date: the system date applies again (CLOCK_MODE=manual only, else 404)',
      access: 'admin',
      status: 200,
      response: s.Clock,
      problems: [404],
    },
    {
      method: 'get',
      path: '/v1/admin/parked',
      tag: 'Admin',
      summary: 'Messages a consumer of a service gave up on',
      access: 'admin',
      query: AdminParkedQuerySchema,
      status: 200,
      response: s.ParkedPage,
    },
    {
      method: 'post',
      path: '/v1/admin/parked/{service}/{id}/replay',
      tag: 'Admin',
      summary: 'Replay a parked message through its consumer',
      access: 'admin',
      params: z.object({ service: ParkedServiceSchema, id: IdSchema }),
      status: 200,
      response: s.ReplayResult,
      problems: [404],
    },
    {
      method: 'get',
      path: '/health',
      tag: 'Platform',
      summary: 'Database and NATS health',
      access: 'public',
      status: 200,
      response: z.object({ status: z.string() }).passthrough(),
      problems: [503],
    },
    {
      method: 'get',
      path: '/metrics',
      tag: 'Platform',
      summary: 'Prometheus metrics (text exposition format)',
      access: 'public',
      status: 200,
    },
  ];
}

/** `/v1/invoices`: invoices and bills, their lifecycle and payments. */
function invoiceOperations(s: Schemas): Operation[] {
  const action = (name: string, summary: string): Operation => ({
    method: 'post',
    path: `/v1/invoices/{id}/${name}`,
    tag: 'Invoices',
    summary,
    access: 'tenant',
    params: ById('Invoice'),
    status: 200,
    response: s.Invoice,
    problems: [404, 409],
  });
  return [
    {
      method: 'get',
      path: '/v1/invoices',
      tag: 'Invoices',
      summary: 'List invoices and bills (filters: type, status, customer_id, vendor_id, template_id)',
      access: 'tenant',
      query: InvoiceListQuerySchema,
      status: 200,
      response: s.InvoicePage,
    },
    {
      method: 'get',
      path: '/v1/invoices/{id}',
      tag: 'Invoices',
      summary: 'Get an invoice or bill',
      access: 'tenant',
      params: ById('Invoice'),
      status: 200,
      response: s.Invoice,
      problems: [404],
    },
    action('finalize', 'Finalize a draft: it gets its number and is posted to the ledger'),
    action('send', 'Have an invoice delivered to its customer (invoices only; a draft is finalized first)'),
    action('void', 'Void: the ledger entries are reversed'),
    {
      method: 'post',
      path: '/v1/invoices/{id}/payments',
      tag: 'Invoices',
      summary: 'Record a payment; the answer has the payment and the invoice with its new amount due',
      access: 'tenant',
      params: ById('Invoice'),
      body: s.PaymentCreate,
      status: 201,
      response: s.PaymentRecorded,
      problems: [404, 409],
    },
    {
      method: 'get',
      path: '/v1/invoices/{id}/payments',
      tag: 'Invoices',
      summary: 'The payments recorded on an invoice or bill',
      access: 'tenant',
      params: ById('Invoice'),
      status: 200,
      response: s.PaymentList,
      problems: [404],
    },
  ];
}

/** The journal and the reports built on it. */
function ledgerOperations(s: Schemas): Operation[] {
  return [
    {
      method: 'get',
      path: '/v1/journal-entries',
      tag: 'Ledger',
      summary: 'Journal entries (filter: invoice_id); each is balanced',
      access: 'tenant',
      query: JournalListQuerySchema,
      status: 200,
      response: s.JournalEntryPage,
    },
    {
      method: 'get',
      path: '/v1/reports/trial-balance',
      tag: 'Ledger',
      summary: 'Trial balance per currency as of a date',
      access: 'tenant',
      query: ReportQuerySchema,
      status: 200,
      response: s.TrialBalance,
    },
    {
      method: 'get',
      path: '/v1/reports/aging',
      tag: 'Ledger',
      summary: 'Aging of open amounts per currency as of a date (current, 1_30, 31_60, 61_90, 90_plus days)',
      access: 'tenant',
      query: ReportQuerySchema,
      status: 200,
      response: s.AgingReport,
    },
  ];
}

/** `/v1/scheduler/runs`: run the schedule now, see past runs and what each did per template. */
function schedulerOperations(s: Schemas): Operation[] {
  return [
    {
      method: 'post',
      path: '/v1/scheduler/runs',
      tag: 'Scheduler',
      summary: 'Run the scheduler now for this tenant (today in its time zone unless as_of is given)',
      access: 'tenant',
      body: s.SchedulerRunCreate,
      optionalBody: true,
      status: 201,
      response: s.SchedulerRun,
    },
    {
      method: 'get',
      path: '/v1/scheduler/runs',
      tag: 'Scheduler',
      summary: 'Past scheduler runs of this tenant',
      access: 'tenant',
      query: PageOnlyQuerySchema,
      status: 200,
      response: s.SchedulerRunPage,
    },
    {
      method: 'get',
      path: '/v1/scheduler/runs/{id}',
      tag: 'Scheduler',
      summary: 'A run and its per-template results (results paged with limit and cursor)',
      access: 'tenant',
      params: ById('Scheduler run'),
      query: PageOnlyQuerySchema,
      status: 200,
      response: s.SchedulerRunDetail,
      problems: [404],
    },
  ];
}

type Schemas = ReturnType<typeof registerSchemas>;
type Named = <S extends z.ZodType>(name: string, schema: S) => S;

/** Named components: a client generator gets one type per resource. */
function registerSchemas(named: Named) {
  const Party = named('Party', PartyViewSchema);
  const Template = named('Template', TemplateViewSchema);
  const Tenant = named('Tenant', TenantViewSchema);
  const ApiKey = named('ApiKey', ApiKeyViewSchema);
  const ParkedMessage = named('ParkedMessage', ParkedMessageSchema);
  const platform = {
    Party,
    PartyCreate: named('PartyCreate', PartyCreateSchema),
    PartyPatch: named('PartyPatch', PartyPatchSchema),
    PartyPage: named('PartyPage', pageOf(Party)),
    Template,
    TemplateCreate: named('TemplateCreate', TemplateCreateSchema),
    TemplatePatch: named('TemplatePatch', TemplatePatchSchema),
    TemplateClone: named('TemplateClone', TemplateCloneSchema),
    TemplatePage: named('TemplatePage', pageOf(Template)),
    TemplatePreview: named('TemplatePreview', TemplatePreviewSchema),
    Tenant,
    TenantCreate: named('TenantCreate', TenantCreateSchema),
    TenantCreated: named('TenantCreated', TenantCreatedResponseSchema.extend({ tenant: Tenant })),
    TenantPage: named('TenantPage', pageOf(Tenant)),
    ApiKey,
    ApiKeyIssued: named('ApiKeyIssued', ApiKeyIssuedSchema.extend({ key: ApiKey })),
    ApiKeyPage: named('ApiKeyPage', pageOf(ApiKey)),
    Clock: named('Clock', ClockViewSchema),
    ClockSet: named('ClockSet', ClockSetSchema),
    ParkedPage: named('ParkedMessagePage', pageOf(ParkedMessage)),
    ReplayResult: named('ReplayResult', ReplayResultSchema),
    Problem: named(
      'Problem',
      ProblemSchema.extend({ detail: z.string(), errors: ProblemSchema.shape.errors.unwrap() }),
    ),
  };
  return { ...platform, ...registerBillingSchemas(named) };
}

/** Generated documents, payments, the ledger and scheduler runs (after the others: a stable order). */
function registerBillingSchemas(named: Named) {
  const Invoice = named('Invoice', InvoiceViewSchema);
  const Payment = named('Payment', PaymentViewSchema);
  const JournalEntry = named('JournalEntry', JournalEntryViewSchema);
  const SchedulerRun = named('SchedulerRun', RunSummarySchema);
  const SchedulerRunResult = named('SchedulerRunResult', RunResultSchema);
  return {
    TemplateHistoryPage: named(
      'TemplateHistoryPage',
      pageOf(named('TemplateHistoryItem', TemplateHistoryItemSchema)),
    ),
    Invoice,
    InvoicePage: named('InvoicePage', pageOf(Invoice)),
    PaymentCreate: named('PaymentCreate', PaymentCreateSchema),
    Payment,
    PaymentRecorded: named(
      'PaymentRecorded',
      InvoicesRpc.recordPayment.response.extend({ invoice: Invoice, payment: Payment }),
    ),
    PaymentList: named('PaymentList', InvoicesRpc.listPayments.response.extend({ data: z.array(Payment) })),
    JournalEntry,
    JournalEntryPage: named('JournalEntryPage', pageOf(JournalEntry)),
    TrialBalance: named('TrialBalance', TrialBalanceSchema),
    AgingReport: named('AgingReport', AgingReportSchema),
    SchedulerRun,
    SchedulerRunCreate: named('SchedulerRunCreate', SchedulerRpc.run.request),
    SchedulerRunPage: named('SchedulerRunPage', pageOf(SchedulerRun)),
    SchedulerRunDetail: named(
      'SchedulerRunDetail',
      RunDetailSchema.extend({ run: SchedulerRun, results: pageOf(SchedulerRunResult) }),
    ),
  };
}

function toRoute(op: Operation): RouteConfig {
  const responses: RouteConfig['responses'] = {
    [op.status]: successResponse(op),
  };
  const problems = new Set<number>([...(op.problems ?? []), 500]);
  if (op.access !== 'public') problems.add(401);
  if (op.params) problems.add(404);
  if (op.params || op.query || op.body) problems.add(422);
  if (['post', 'put', 'patch'].includes(op.method)) [400, 413, 415].forEach((s) => problems.add(s));
  if (op.method === 'post') [409, 422].forEach((s) => problems.add(s));
  if (UPSTREAM_TAGS.has(op.tag) || op.path.startsWith('/v1/admin/parked')) {
    [503, 504].forEach((s) => problems.add(s));
  }
  for (const status of [...problems].sort((a, b) => a - b)) {
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
        ? { body: { required: !op.optionalBody, content: { 'application/json': { schema: op.body } } } }
        : {}),
    },
    responses,
  };
}

function successResponse(op: Operation): ResponseConfig {
  if (op.status === 204) return { description: 'Done; no content.' };
  if (op.path === '/metrics') {
    return { description: 'Prometheus metrics', content: { 'text/plain': { schema: { type: 'string' } } } };
  }
  const headers =
    op.method === 'post'
      ? {
          'Idempotent-Replayed': {
            description: 'Present ("true") when this is the stored response of an earlier request.',
            schema: { type: 'string' as const, enum: ['true'] },
          },
        }
      : undefined;
  return {
    description: op.status === 201 ? 'Created' : 'OK',
    ...(headers ? { headers } : {}),
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

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The OpenAPI 3.1 document of the public API, generated from the same zod contracts the code uses. */
export function buildOpenApiDocument(): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  const components: Array<{ type: 'schema'; schema: z.ZodType }> = [];
  const schemas = registerSchemas((name, schema) => {
    const component = withMeta(schema, { refId: name });
    components.push({ type: 'schema', schema: component });
    return component;
  });
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A tenant API key (`bk_…`), issued by an operator.',
  });
  registry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator token (ADMIN_TOKEN); the admin API is disabled when it is unset.',
  });
  registry.registerComponent('parameters', 'IdempotencyKey', {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes a POST safe to retry: the first outcome (status and body) is kept for 24 hours and ' +
      'replayed with `Idempotent-Replayed: true`. A 5xx outcome is not kept. Use a fresh UUID per request.',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  });
  for (const { name, description } of Object.values(PROBLEM_RESPONSES)) {
    registry.registerComponent('responses', name, {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  }
  for (const op of operations(schemas)) registry.registerPath(toRoute(op));
  return new OpenApiGeneratorV31([...components, ...registry.definitions]).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Recurring billing API',
      version: '1.0.0',
      description:
        'Recurring invoice and bill templates, customers and vendors, the invoices and bills they ' +
        'generate, payments, the ledger and its reports, and scheduler runs. Authenticate with ' +
        '`Authorization: Bearer <api key>`. Errors are `application/problem+json` with a stable `type`. ' +
        'Lists are cursor-paginated: pass `next_cursor` back as `cursor`.',
    },
    servers: [{ url: '/' }],
    tags: [
      'Customer',
      'Vendor',
      'Templates',
      'Invoices',
      'Ledger',
      'Scheduler',
      'Tenant',
      'Admin',
      'Platform',
    ].map((name) => ({ name })),
  });
}
