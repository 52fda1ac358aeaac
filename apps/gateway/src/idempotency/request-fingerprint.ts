import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';

/** JSON with object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What makes two requests "the same" for an Idempotency-Key: method, path (with query) and body. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${url}\n${canonicalJson(body)}`, 'utf8')
    .digest('hex');
}

/** The key as stored: a hash, so the table never holds the key itself. */
export function idempotencyKeyHash(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\0${key}`, 'utf8').digest('hex');
}

/**
 * The id under which the services record the result of this request: the key and the request itself,
 * so a reused key with another body (after a 5xx released it here) is a new request downstream too.
 */
export function serviceRequestId(
  scope: string,
  key: string,
  method: string,
  url: string,
  body: unknown,
): string {
  return createHash('sha256')
    .update(`${idempotencyKeyHash(scope, key)}\0${requestFingerprint(method, url, body)}`, 'utf8')
    .digest('hex');
}

/**
 * The stored response is sealed (AES-256-GCM) under a key derived from the Idempotency-Key, which the
 * database holds only as a hash: a tenant-creation response carries a fresh API key, and that must
 * not sit in clear in the table (API keys are only ever stored hashed). Random keys (UUIDs) make this
 * as strong as AES; a guessable Idempotency-Key makes it as weak as the guess.
 */
function sealingKey(scope: string, key: string): Buffer {
  return createHash('sha256').update(`billing-idempotency-response\0${scope}\0${key}`, 'utf8').digest();
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealResponse(scope: string, key: string, body: unknown): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(scope, key), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(body ?? null), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]);
}

export function openResponse(scope: string, key: string, sealed: Buffer): unknown {
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(scope, key), iv);
  decipher.setAuthTag(tag);
  const text = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  return JSON.parse(text.toString('utf8')) as unknown;
}
