import { ConfigError, loadConfig } from '@billing/common';
import { gatewayConfigSchema } from './config';

const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' };

describe('gateway config', () => {
  it('defaults to port 3000, schema gateway, a 1mb body limit and no admin API', () => {
    const config = loadConfig(gatewayConfigSchema, env);
    expect(config).toMatchObject({ PORT: 3000, DB_SCHEMA: 'gateway', BODY_LIMIT: '1mb' });
    expect(config.ADMIN_TOKEN).toBeUndefined();
  });

  it.each([
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN: must be at least 16 characters'],
    [{ ADMIN_TOKEN: 'sixteen chars or more' }, 'ADMIN_TOKEN: must be printable ASCII without spaces'],
    [{ BODY_LIMIT: 'lots' }, 'BODY_LIMIT: must be a size such as "100kb" or "1mb"'],
  ])('refuses %j, naming the variable', (extra, message) => {
    const load = () => loadConfig(gatewayConfigSchema, { ...env, ...extra });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it('accepts a long admin token and a body limit in kb', () => {
    const config = loadConfig(gatewayConfigSchema, {
      ...env,
      ADMIN_TOKEN: 'a-long-enough-admin-token',
      BODY_LIMIT: '256kb',
    });
    expect(config).toMatchObject({ ADMIN_TOKEN: 'a-long-enough-admin-token', BODY_LIMIT: '256kb' });
  });
});
