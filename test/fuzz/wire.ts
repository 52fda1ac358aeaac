import http from 'http';

/**
 * A generated request, as data: what fast-check produces from a seed. Real ids of existing resources
 * are placeholders (`Ref`) filled in when the request is sent, since they exist only once the
 * system is seeded; everything else is decided by the seed.
 */
export interface RequestPlan {
  operation: string;
  method: string;
  /** The path template (`/v1/templates/{id}`); its parameters are in `pathParams`. */
  path: string;
  pathParams: Record<string, WireText | Ref>;
  query: QueryPart[];
  auth: Auth;
  headers: Record<string, string>;
  body: BodyPlan;
  /** What was done to the valid request, e.g. `body:unicode(notes: NUL)`; empty for a valid one. */
  mutations: string[];
}

/** Text that goes on the wire exactly as written (already percent-encoded where it belongs). */
export interface WireText {
  wire: string;
}

/** A real id from the suite's pools (`templates`, `customers`, ...), resolved at send time. */
export class Ref {
  constructor(
    readonly pool: string,
    readonly pick: number,
    /** Send it in upper case (a UUID's case does not matter, the gateway lower-cases it). */
    readonly upper = false,
  ) {}
}

/** An object written with its entries in order, duplicate keys included (`{"a":1,"a":"x"}`). */
export class JsonEntries {
  constructor(readonly entries: Array<[string, FuzzValue]>) {}
}

/** JSON text inserted verbatim: number literals like `1e3`, deep nesting, huge arrays. */
export class RawJson {
  constructor(
    readonly text: string,
    readonly label: string,
  ) {}
}

export type FuzzValue =
  null | boolean | number | string | Ref | RawJson | JsonEntries | FuzzValue[] | { [key: string]: FuzzValue };

export interface QueryPart {
  /** Encoded name, e.g. `limit` or `limit%5Ba%5D`. */
  name: string;
  /** Encoded value; `null` sends the name alone (`?flag`). */
  value: WireText | Ref | null;
}

export type Auth = 'tenant' | 'admin' | 'none' | { header: string };

export type BodyPlan =
  | { kind: 'none'; contentType?: string | null }
  | { kind: 'json'; value: FuzzValue; contentType: string | null }
  | { kind: 'text'; text: string; contentType: string | null }
  | { kind: 'bytes'; hex: string; contentType: string | null };

export const wire = (text: string): WireText => ({ wire: text });

/**
 * Percent-encodes every code unit outside the URI unreserved set. A lone surrogate, which
 * `encodeURIComponent` refuses, goes as its three WTF-8 bytes (`\ud800` → `%ED%A0%80`): that is what a
 * sloppy client sends, and it is not UTF-8.
 */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i];
    if (/[A-Za-z0-9\-._~]/.test(ch)) {
      out += ch;
      continue;
    }
    let cp = code;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    out += utf8Bytes(cp)
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
      .join('');
  }
  return out;
}

/** UTF-8 (WTF-8 for surrogate code points) bytes of one code point. */
function utf8Bytes(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

/**
 * JSON text of a generated value. Strings go through `JSON.stringify`, which writes a lone surrogate
 * as the escape `\ud800` (well-formed JSON.stringify): the wire carries the escape, and the server's
 * JSON.parse turns it back into the lone surrogate. `RawJson` is copied as is.
 */
export function toJsonText(value: FuzzValue, resolve: (ref: Ref) => string): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof Ref) return JSON.stringify(resolve(value));
  if (value instanceof JsonEntries) {
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v, resolve)}`).join(',')}}`;
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => toJsonText(v, resolve)).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v, resolve)}`)
    .join(',')}}`;
}

export interface WireRequest {
  method: string;
  /** Path and query exactly as sent on the request line. */
  target: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

export interface Secrets {
  tenantKey: string;
  adminToken: string;
}

/** Looks a real id (or cursor) up; `undefined` when its pool is empty. */
export type Resolver = (ref: Ref) => string | undefined;

/**
 * The request as bytes, with every placeholder filled in. A query parameter whose pool is empty is
 * left out (a valid request follows a cursor only once a list has handed one out); an id whose pool
 * is empty becomes a UUID that names nothing.
 */
export function materialize(plan: RequestPlan, lookup: Resolver, secrets: Secrets): WireRequest {
  const resolve = (ref: Ref) =>
    lookup(ref) ?? `00000000-0000-4000-8000-${ref.pick.toString(16).padStart(12, '0')}`;
  const value = (v: WireText | Ref) => (v instanceof Ref ? encodeRef(v, resolve) : v.wire);
  const path = plan.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = plan.pathParams[name];
    return v === undefined ? `{${name}}` : value(v);
  });
  const query = plan.query
    .filter((q) => !(q.value instanceof Ref && lookup(q.value) === undefined))
    .map((q) => (q.value === null ? q.name : `${q.name}=${value(q.value)}`))
    .join('&');
  const headers: Record<string, string> = {};
  if (plan.auth === 'tenant') headers.authorization = `Bearer ${secrets.tenantKey}`;
  else if (plan.auth === 'admin') headers.authorization = `Bearer ${secrets.adminToken}`;
  else if (plan.auth !== 'none') headers.authorization = plan.auth.header;
  let body: Buffer | undefined;
  const b = plan.body;
  if (b.kind === 'json') body = Buffer.from(toJsonText(b.value, resolve), 'utf8');
  else if (b.kind === 'text') body = Buffer.from(b.text, 'utf8');
  else if (b.kind === 'bytes') body = Buffer.from(b.hex, 'hex');
  if (b.contentType) headers['content-type'] = b.contentType;
  Object.assign(headers, plan.headers);
  const target = query ? `${path}?${query}` : path;
  if (body && headSize(target, headers) > LARGE_HEAD) headers.expect = '100-continue';
  return { method: plan.method, target, headers, body };
}

/**
 * Node's HTTP server answers a request head over 16 KB with 431 and closes the connection at once. A
 * body still being written then fails with ECONNRESET and the 431 is never read. Such requests ask
 * `Expect: 100-continue`: the server's final answer comes before the body is sent.
 */
const LARGE_HEAD = 12 * 1024;

function headSize(target: string, headers: Record<string, string>): number {
  return target.length + Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
}

function encodeRef(ref: Ref, resolve: (ref: Ref) => string): string {
  const id = resolve(ref);
  return percentEncode(ref.upper ? id.toUpperCase() : id);
}

/** The pool of the cursors a list (by its path template) handed out. */
export const cursorPool = (path: string) => `cursors ${path}`;
/** Every cursor any list handed out. */
export const ANY_CURSOR = 'cursors';

export interface WireResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Bytes received (the text may be cut). */
  length: number;
  ms: number;
}

const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/**
 * A fresh connection per request: with keep-alive, a request written on a socket the server is just
 * closing (idle timeout, or after a 413/431) fails with ECONNRESET, which would read as a crash.
 */
const agent = new http.Agent({ keepAlive: false });

/**
 * One request with Node's http client rather than fetch: fetch would normalise the path (`..`,
 * `%2e`), refuse some header values and re-encode others, and then the suite would not know what it
 * sent. http.request writes the request line and headers as given.
 */
export function send(base: URL, req: WireRequest, timeoutMs: number): Promise<WireResponse> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.target,
        headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let length = 0;
        res.on('data', (c: Buffer) => {
          length += c.length;
          if (length <= MAX_RESPONSE_BYTES) chunks.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            length,
            ms: Date.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', reject); // after an answer (the server closing on a 431) this changes nothing
    if (req.headers.expect === '100-continue') r.on('continue', () => r.end(req.body));
    else r.end(req.body);
  });
}

export function closeAgent(): void {
  agent.destroy();
}
