import { readFileSync } from 'fs';

/** The part of JSON Schema (2020-12, as OpenAPI 3.1 uses it) the contracts produce. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
  description?: string;
}

export interface OpenApiParameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface OpenApiOperation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: OpenApiParameter[];
  requestBody?: { $ref?: string; required?: boolean; content: Record<string, { schema?: Schema }> };
  responses: Record<string, unknown>;
}

export interface OpenApiDocument {
  openapi: string;
  /** Path items: operations by method, and `parameters`/`summary` beside them. */
  paths: Record<string, Record<string, unknown>>;
  security?: Array<Record<string, string[]>>;
  components: {
    schemas: Record<string, Schema>;
    parameters?: Record<string, OpenApiParameter>;
    requestBodies?: Record<string, OpenApiOperation['requestBody']>;
    securitySchemes?: Record<string, unknown>;
  };
}

/** Who may call an operation, as its `security` says: a tenant API key, the admin token, or anyone. */
export type Access = 'tenant' | 'admin' | 'public';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
  /**
   * For an id parameter: the kind of resource it names, taken from the path (the nearest literal
   * segment before it: `/v1/templates/{id}` → `templates`, `/api-keys/{keyId}` → `api-keys`). The
   * suite keeps real ids of existing resources under these names.
   */
  resource?: string;
}

export interface Operation {
  /** `METHOD /path/{template}`, the name in reports. */
  id: string;
  method: string;
  path: string;
  access: Access;
  parameters: Parameter[];
  body?: { required: boolean; contents: Array<{ mediaType: string; schema: Schema }> };
  responses: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export function loadOpenApi(file: string): OpenApiDocument {
  return JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}

/** Follows `#/components/...` references (the only kind the generated document uses). */
export function resolveRef<T>(doc: OpenApiDocument, ref: string): T {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, not ${ref}`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return node as T;
}

/** The schema itself, with any chain of `$ref`s followed. */
export function deref(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let hops = 0; s.$ref; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${s.$ref}`);
    s = resolveRef<Schema>(doc, s.$ref);
  }
  return s;
}

/** The name a `$ref` points to (`#/components/schemas/TemplateCreate` → `TemplateCreate`). */
export function refName(schema: Schema | undefined): string | undefined {
  return schema?.$ref?.split('/').pop();
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const op = raw as OpenApiOperation;
      const parameters = (op.parameters ?? []).map((p) =>
        p.$ref ? resolveRef<OpenApiParameter>(doc, p.$ref) : p,
      );
      const requestBody = op.requestBody?.$ref
        ? resolveRef<OpenApiOperation['requestBody']>(doc, op.requestBody.$ref)
        : op.requestBody;
      out.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        access: accessOf(op.security ?? doc.security ?? []),
        parameters: parameters
          .filter((p): p is OpenApiParameter & { in: Parameter['in'] } => p.in !== 'cookie')
          .map((p) => ({
            name: p.name,
            in: p.in,
            required: p.in === 'path' || p.required === true,
            schema: deref(doc, p.schema),
            resource: p.in === 'path' ? resourceBefore(path, p.name) : undefined,
          })),
        body: requestBody
          ? {
              required: requestBody.required === true,
              contents: Object.entries(requestBody.content).map(([mediaType, c]) => ({
                mediaType,
                schema: c.schema ?? {},
              })),
            }
          : undefined,
        responses: Object.keys(op.responses),
      });
    }
  }
  return out;
}

/**
 * `[]` is public; a scheme whose name mentions "admin" is the operator token, any other bearer scheme
 * a tenant API key. (The document names them `apiKey` and `adminToken`.)
 */
function accessOf(security: Array<Record<string, string[]>>): Access {
  if (security.length === 0 || security.some((s) => Object.keys(s).length === 0)) return 'public';
  return Object.keys(security[0]).some((name) => /admin/i.test(name)) ? 'admin' : 'tenant';
}

function resourceBefore(path: string, param: string): string | undefined {
  const segments = path.split('/');
  const at = segments.indexOf(`{${param}}`);
  for (let i = at - 1; i >= 0; i--) {
    if (segments[i] && !segments[i].startsWith('{')) return segments[i];
  }
  return undefined;
}

/**
 * The pool of real ids a uuid field or query parameter draws from, by its name:
 * `customer_id` → `customers`, `template_id` → `templates`.
 */
export function resourceOfField(name: string | undefined): string | undefined {
  const m = /^(.+)_id$/.exec(name ?? '');
  return m ? `${m[1]}s` : undefined;
}
