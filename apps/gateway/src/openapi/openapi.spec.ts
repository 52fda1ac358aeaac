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
});
