import { readFileSync } from 'fs';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { GatewayAppModule } from '../app.module';
import { buildOpenApiDocument } from './document';
import { openApiFilePath, renderOpenApi } from './write-openapi';

describe('OpenAPI document', () => {
  it('matches the committed docs/openapi.json (run `npm run build && npm run openapi` after API changes)', () => {
    expect(readFileSync(openApiFilePath(), 'utf8')).toBe(renderOpenApi());
  });

  it('documents every route the gateway serves, and nothing else', () => {
    const served = new Set<string>(['get /health', 'get /metrics']);
    const controllers = GatewayAppModule.forRoot({} as never).controllers ?? [];
    for (const controller of controllers) {
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const full = `/${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(/:(\w+)/g, '{$1}');
        served.add(`${RequestMethod[method].toLowerCase()} ${full}`);
      }
    }
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(buildOpenApiDocument().paths ?? {})) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        if ((item as Record<string, unknown>)[method]) documented.add(`${method} ${path}`);
      }
    }
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('declares bearer security and problem responses', () => {
    const doc = buildOpenApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components?.securitySchemes).toMatchObject({
      apiKey: { type: 'http', scheme: 'bearer' },
      adminToken: { type: 'http', scheme: 'bearer' },
    });
    const create = doc.paths?.['/v1/customers']?.post;
    expect(create?.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(create?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '409', '413', '415', '422', '503', '504']),
    );
  });

  it('documents the invoice, ledger and scheduler routes with the API key and their problems', () => {
    const paths = buildOpenApiDocument().paths ?? {};
    const routes: Array<[string, 'get' | 'post', string[]]> = [
      ['/v1/invoices', 'get', ['200', '422']],
      ['/v1/invoices/{id}', 'get', ['200', '404']],
      ['/v1/invoices/{id}/finalize', 'post', ['200', '404', '409']],
      ['/v1/invoices/{id}/send', 'post', ['200', '404', '409']],
      ['/v1/invoices/{id}/void', 'post', ['200', '404', '409']],
      ['/v1/invoices/{id}/payments', 'post', ['201', '400', '404', '409', '413', '415', '422']],
      ['/v1/invoices/{id}/payments', 'get', ['200', '404']],
      ['/v1/templates/{id}/history', 'get', ['200', '404', '422']],
      ['/v1/journal-entries', 'get', ['200', '422']],
      ['/v1/reports/trial-balance', 'get', ['200', '422']],
      ['/v1/reports/aging', 'get', ['200', '422']],
      ['/v1/scheduler/runs', 'post', ['201', '409', '422']],
      ['/v1/scheduler/runs', 'get', ['200', '422']],
      ['/v1/scheduler/runs/{id}', 'get', ['200', '404', '422']],
    ];
    for (const [path, method, statuses] of routes) {
      const op = paths[path]?.[method];
      expect(op?.security).toEqual([{ apiKey: [] }]);
      expect(Object.keys(op?.responses ?? {})).toEqual(
        expect.arrayContaining([...statuses, '401', '500', '503', '504']),
      );
      if (method === 'post') {
        expect(op?.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
      }
    }
    const payment = paths['/v1/invoices/{id}/payments']?.post;
    expect(payment?.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/PaymentCreate' } } },
    });
    expect(paths['/v1/scheduler/runs']?.post?.requestBody).toMatchObject({ required: false });
    const parked = paths['/v1/admin/parked']?.get?.parameters ?? [];
    expect(JSON.stringify(parked)).toContain('"scheduler"');
  });
});
