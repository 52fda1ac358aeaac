import { createHash } from 'crypto';
import { bearerToken, generateApiKey, hashApiKey, looksLikeApiKey, secretsEqual } from './api-keys';

describe('API keys', () => {
  it('are bk_ + 32 random bytes, kept as a SHA-256 hash and an 11-character prefix', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^bk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.key.slice(3), 'base64url')).toHaveLength(32);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(createHash('sha256').update(a.key).digest('hex'));
    expect(hashApiKey(a.key)).toBe(a.hash);
    expect(a.prefix).toBe(a.key.slice(0, 11));
    expect(looksLikeApiKey(a.key)).toBe(true);
    expect(looksLikeApiKey(`${a.key}x`)).toBe(false);
    expect(looksLikeApiKey('sk_live_123')).toBe(false);
  });

  it('reads only the Bearer scheme', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('compares secrets of any length', () => {
    expect(secretsEqual('same-secret-value', 'same-secret-value')).toBe(true);
    expect(secretsEqual('same-secret-valuf', 'same-secret-value')).toBe(false);
    expect(secretsEqual('short', 'same-secret-value')).toBe(false);
    expect(secretsEqual('', 'same-secret-value')).toBe(false);
  });
});
