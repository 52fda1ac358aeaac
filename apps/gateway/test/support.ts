import type { INestApplication } from '@nestjs/common';
import { bootTestApp, testEnv, type TestDatabase } from '@billing/common/testing';
import { GatewayAppModule } from '../src/app.module';
import { gatewayConfigSchema } from '../src/config';
import { configureGatewayHttp } from '../src/http/configure-http';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * Tests send bursts far above the production limits; the limiter still runs on every request (its
 * statement included), it just never refuses unless a test sets lower limits.
 */
export const UNLIMITED_RATES = {
  RATE_LIMIT_KEY_RPS: '100000',
  RATE_LIMIT_KEY_BURST: '100000',
  RATE_LIMIT_ADDRESS_RPS: '100000',
  RATE_LIMIT_ADDRESS_BURST: '100000',
};

/** Boots the gateway in-process exactly as main.ts does (same HTTP set-up). */
export async function bootGateway(
  db: TestDatabase,
  root: string,
  extra: Record<string, string> = {},
): Promise<{ app: INestApplication; api: Api }> {
  const { app, url } = await bootTestApp(
    gatewayConfigSchema,
    (c) => GatewayAppModule.forRoot(c),
    testEnv(db, root, { ADMIN_TOKEN, ...UNLIMITED_RATES, ...extra }),
    configureGatewayHttp,
  );
  return { app, api: new Api(url) };
}

/** Response bodies are whatever the API sent; the expectations check their shape. */
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as is (for malformed or non-JSON bodies). */
  raw?: string;
  headers?: Record<string, string>;
}

/** A thin HTTP client over fetch that always reads the body. */
export class Api {
  constructor(readonly url: string) {}

  async request<T = Json>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      headers: res.headers,
      body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
    };
  }

  get<T = Json>(path: string, token?: string | null) {
    return this.request<T>('GET', path, { token });
  }

  post<T = Json>(
    path: string,
    token: string | null | undefined,
    body?: unknown,
    headers?: Record<string, string>,
  ) {
    return this.request<T>('POST', path, { token, body, headers });
  }

  patch<T = Json>(path: string, token: string | null | undefined, body: unknown) {
    return this.request<T>('PATCH', path, { token, body });
  }

  /** Creates a tenant through the admin API; returns its view and its first API key. */
  async createTenant(name: string, extra: Record<string, unknown> = {}) {
    const res = await this.post('/v1/admin/tenants', ADMIN_TOKEN, { name, base_currency: 'USD', ...extra });
    if (res.status !== 201) throw new Error(`tenant not created: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { tenant: { id: string; name: string; timezone: string }; api_key: string };
  }
}
