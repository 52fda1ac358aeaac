import type { RequestPlan, WireRequest, WireResponse } from './wire';

export type FailureKind =
  | '5xx'
  | 'no-response'
  | 'problem-content-type'
  | 'problem-shape'
  | 'problem-errors'
  | 'problem-detail'
  | 'stored-on-reject';

export interface Violation {
  kind: FailureKind;
  /** What is wrong, short and stable enough to group by (no ids, no values). */
  what: string;
}

/** 4xx statuses about the request's fields or headers: they must say which (`errors[].field`). */
const FIELD_STATUSES = new Set([400, 401, 413, 415, 422, 429]);
/** 4xx statuses about a resource: they must say what (`detail`). */
const RESOURCE_STATUSES = new Set([404, 409]);

/** The checks every response must pass, whatever was sent. */
export function checkResponse(res: WireResponse): Violation[] {
  const status = res.status;
  if (status >= 500) {
    const type = problemType(res.text);
    return [{ kind: '5xx', what: `${status}${type ? ` ${type}` : ''}` }];
  }
  if (status < 400) return [];

  const contentType = String(res.headers['content-type'] ?? '');
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    // Not a problem at all (one failure, not one per missing part).
    const length = res.length ? `${res.length} bytes` : 'empty';
    return [
      {
        kind: 'problem-content-type',
        what: `not a problem: content-type ${JSON.stringify(contentType || null)}, body ${length}, not JSON`,
      },
    ];
  }
  const out: Violation[] = [];
  if (!/^application\/problem\+json\b/i.test(contentType)) {
    out.push({ kind: 'problem-content-type', what: `content-type ${JSON.stringify(contentType || null)}` });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    out.push({ kind: 'problem-shape', what: 'body is not an object' });
    return out;
  }
  const p = body as Record<string, unknown>;
  const shape: string[] = [];
  for (const key of ['type', 'title', 'detail'] as const) {
    if (typeof p[key] !== 'string') shape.push(`${key} missing or not a string`);
  }
  if (p.status !== status) shape.push(`status ${JSON.stringify(p.status)} ≠ HTTP ${status}`);
  if (!Array.isArray(p.errors)) shape.push('errors missing or not an array');
  if (shape.length) out.push({ kind: 'problem-shape', what: shape.join('; ') });

  if (FIELD_STATUSES.has(status) && Array.isArray(p.errors)) {
    const errors = p.errors as unknown[];
    if (errors.length === 0) out.push({ kind: 'problem-errors', what: 'errors is empty' });
    const bad = new Set<string>();
    errors.forEach((e) => {
      const entry = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
      // A field may be named " " (an unknown key of that name); it may not be unnamed.
      if (typeof entry.field !== 'string' || entry.field === '') bad.add('an entry without field');
      if (typeof entry.code !== 'string' || entry.code === '') bad.add('an entry without code');
    });
    for (const b of bad) out.push({ kind: 'problem-errors', what: b });
  }
  if (RESOURCE_STATUSES.has(status) && (typeof p.detail !== 'string' || p.detail.trim() === '')) {
    out.push({ kind: 'problem-detail', what: 'detail is empty' });
  }
  return out;
}

function problemType(text: string): string | undefined {
  try {
    const t = (JSON.parse(text) as { type?: unknown }).type;
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

export interface Failure {
  index: number;
  seed: number;
  kind: FailureKind;
  what: string;
  operation: string;
  mutations: string[];
  request: PrintedRequest;
  response?: { status: number; contentType: string; body: string; length: number };
  error?: string;
  /** For stored-on-reject: the tables whose row count changed. */
  tables?: string[];
}

export interface PrintedRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: string;
  bodyLength?: number;
}

const PREVIEW = 2000;

/**
 * Text with everything invisible or ambiguous written as an escape (NUL, lone surrogates, bidi and
 * zero-width characters, controls), cut to a few KB.
 */
export function visible(text: string, max = PREVIEW): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const escaped = cut.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufff0-\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => (c === '\n' ? '\\n' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
  return text.length > max ? `${escaped}… (${text.length} chars in all)` : escaped;
}

/** The request as a person needs it to replay it: the API key and admin token replaced by names. */
export function printable(
  plan: RequestPlan,
  req: WireRequest,
  secrets: { tenantKey: string; adminToken: string },
): PrintedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    headers[k] = visible(
      v.replace(secrets.tenantKey, '<tenant API key>').replace(secrets.adminToken, '<ADMIN_TOKEN>'),
      300,
    );
  }
  return {
    method: req.method,
    target: visible(req.target, 600),
    headers,
    ...(req.body ? { body: visible(req.body.toString('utf8')), bodyLength: req.body.length } : {}),
  };
}

/** `body:unicode(notes: NUL, prefix)` → `body:unicode`: what a group of failures has in common. */
function mutationKinds(mutations: string[]): string {
  if (mutations.length === 0) return 'valid';
  return [...new Set(mutations.map((m) => m.replace(/\(.*$/s, '')))].sort().join(' + ');
}

/**
 * The failures grouped by kind, then by operation, status and what is wrong (and by the kinds of
 * mutation for the 5xx), each group with its count, the indexes of its requests and one of them in full.
 */
export function formatFailures(failures: Failure[], seed: number, maxExamplesPerGroup = 1): string {
  if (failures.length === 0) return 'no oracle failures';
  const byKind = new Map<FailureKind, Failure[]>();
  for (const f of failures) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  const lines: string[] = [
    `${failures.length} oracle failures (seed=${seed}; replay one with FUZZ_SEED=${seed} FUZZ_ONLY=<index>)`,
  ];
  for (const [kind, list] of byKind) {
    lines.push('', `=== ${kind}: ${list.length} ===`);
    const groups = new Map<string, Failure[]>();
    for (const f of list) {
      const status = f.response ? f.response.status : 'no response';
      const key =
        kind === '5xx' || kind === 'no-response' || kind === 'stored-on-reject'
          ? `${f.operation} → ${status} ${f.what} [${mutationKinds(f.mutations)}]`
          : `${f.operation} → ${status}: ${f.what}`;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const indexes = group.map((f) => f.index);
      lines.push(
        `- ${key} ×${group.length} (requests ${indexes.slice(0, 15).join(', ')}${indexes.length > 15 ? ', …' : ''})`,
      );
      for (const f of group.slice(0, maxExamplesPerGroup)) lines.push(indent(describe(f), '    '));
    }
  }
  return lines.join('\n');
}

export function describe(f: Failure): string {
  const r = f.request;
  const lines = [
    `#${f.index} seed=${f.seed} ${f.kind}: ${f.what}`,
    `mutations: ${f.mutations.length ? f.mutations.join(' + ') : '(valid request)'}`,
    `${r.method} ${r.target}`,
    ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`),
  ];
  if (r.body !== undefined) lines.push(`body (${r.bodyLength} bytes): ${r.body}`);
  if (f.response) {
    lines.push(
      `→ ${f.response.status} ${f.response.contentType} (${f.response.length} bytes): ${f.response.body}`,
    );
  }
  if (f.error) lines.push(`→ ${f.error}`);
  if (f.tables) lines.push(`stored: ${f.tables.join(', ')}`);
  return lines.join('\n');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}
