import {
  canonicalJson,
  idempotencyKeyHash,
  openResponse,
  requestFingerprint,
  sealResponse,
} from './request-fingerprint';

describe('request fingerprint', () => {
  it('ignores key order and undefined members, not values', () => {
    expect(canonicalJson({ b: 2, a: { d: [1, { y: 1, x: 2 }], c: null }, z: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"x":2,"y":1}]},"b":2}',
    );
    expect(canonicalJson(undefined)).toBe('');
    expect(canonicalJson('x')).toBe('"x"');
  });

  it('differs by method, path (with query) and body', () => {
    const base = requestFingerprint('POST', '/v1/customers', { name: 'A', email: 'a@b.c' });
    expect(requestFingerprint('post', '/v1/customers', { email: 'a@b.c', name: 'A' })).toBe(base);
    expect(requestFingerprint('POST', '/v1/vendors', { name: 'A', email: 'a@b.c' })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/customers?x=1', { name: 'A', email: 'a@b.c' })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/customers', { name: 'B', email: 'a@b.c' })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/customers', undefined)).not.toBe(
      requestFingerprint('POST', '/v1/customers', {}),
    );
  });

  it('hashes the key per scope', () => {
    expect(idempotencyKeyHash('t1', 'k')).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyKeyHash('t1', 'k')).not.toBe(idempotencyKeyHash('t2', 'k'));
  });
});

describe('sealed responses', () => {
  const body = { tenant: { id: 't' }, api_key: 'bk_secret_value' };

  it('open with the same scope and key', () => {
    const sealed = sealResponse('admin', 'key-1', body);
    expect(sealed.toString('latin1')).not.toContain('bk_secret_value');
    expect(openResponse('admin', 'key-1', sealed)).toEqual(body);
  });

  it('do not open with another key or after tampering', () => {
    const sealed = sealResponse('admin', 'key-1', body);
    expect(() => openResponse('admin', 'key-2', sealed)).toThrow();
    expect(() => openResponse('tenant', 'key-1', sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => openResponse('admin', 'key-1', tampered)).toThrow();
  });
});
