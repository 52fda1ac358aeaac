import { createHash, randomBytes, timingSafeEqual } from 'crypto';

const KEY_PREFIX = 'bk_';
const KEY_PATTERN = /^bk_[A-Za-z0-9_-]{43}$/;
/** How much of a key is kept in clear to tell keys apart in listings: `bk_` + 8 characters. */
const DISPLAY_LENGTH = KEY_PREFIX.length + 8;

export interface NewApiKey {
  /** Shown to the caller once, never stored. */
  key: string;
  hash: string;
  prefix: string;
}

/** 32 random bytes (256 bits) in base64url: guessing one is hopeless, so a plain SHA-256 is enough. */
export function generateApiKey(): NewApiKey {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, DISPLAY_LENGTH) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** `Authorization: Bearer <token>` → the token, or null when the header is absent or another scheme. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? match[1] : null;
}
