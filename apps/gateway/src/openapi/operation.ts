import { type RouteConfig, zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { IdSchema, PageQuerySchema } from '@billing/contracts';
import { z } from 'zod';

export type Access = 'tenant' | 'admin' | 'public';

/** One route the gateway serves, described once; `toRoute` turns it into the library's route config. */
export interface Operation {
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
  /** The body may also be `text/csv` (the transaction import). */
  csvBody?: boolean;
  /** The success status and its body (none for 204). */
  status: number;
  response?: z.ZodType;
  /** A success body that is not JSON (the invoice PDF). */
  produces?: 'application/pdf';
  /** Problem statuses this operation can answer besides the ones every operation can. */
  problems?: number[];
}

/** An operation without its tag and access, which `group` fills in. */
export type OperationSpec = Omit<Operation, 'tag' | 'access'>;

/** Operations that share a tag and an access level. */
export function group(tag: string, access: Access, specs: OperationSpec[]): Operation[] {
  return specs.map((spec) => ({ ...spec, tag, access }));
}

/**
 * Metadata is attached to copies of the contract schemas through the library's registry (not its
 * `.openapi()` method, which only exists on schemas built after patching zod's prototype).
 */
export function withMeta<S extends z.ZodType>(schema: S, meta: { refId?: string; description?: string }): S {
  const copy = schema.clone();
  const { refId, ...rest } = meta;
  zodToOpenAPIRegistry.add(copy, { ...rest, ...(refId ? { _internal: { refId } } : {}) });
  return copy;
}

export const ById = (resource: string) =>
  z.object({ id: withMeta(IdSchema, { description: `${resource} id (UUID)` }) });

/** `limit` and `cursor`, nothing else. */
export const PageOnlyQuerySchema = PageQuerySchema.strict();

/**
 * A `POST {base}/{id}/{name}` that moves a resource to another state and answers with the resource,
 * or 409 when its current state forbids the move.
 */
export const stateAction =
  (base: string, resource: string, response: z.ZodType) =>
  (name: string, summary: string): OperationSpec => ({
    method: 'post',
    path: `${base}/{id}/${name}`,
    summary,
    params: ById(resource),
    status: 200,
    response,
    problems: [404, 409],
  });
