import { z } from 'zod';
import { appConfigSchema, ConfigError, loadConfig } from './config';

const schema = appConfigSchema({ port: 3001, schema: 'templates' }, { EXTRA: z.string().optional() });
const good = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' };

describe('config', () => {
  it('applies defaults', () => {
    const cfg = loadConfig(schema, good);
    expect(cfg.PORT).toBe(3001);
    expect(cfg.DB_SCHEMA).toBe('templates');
    expect(cfg.BUS_ROOT).toBe('billing');
    expect(cfg.BUS_BACKOFF_MS).toEqual([1000, 5000, 30000, 120000, 600000]);
    expect(cfg.CLOCK_MODE).toBe('system');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig(schema, {})).toThrow(/DATABASE_URL: is required/);
    expect(() => loadConfig(schema, { ...good, PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig(schema, { ...good, BUS_ROOT: 'Bad.Root' })).toThrow(/BUS_ROOT/);
    expect(() => loadConfig(schema, { ...good, BUS_BACKOFF_MS: '1s' })).toThrow(/BUS_BACKOFF_MS/);
  });

  it('refuses the manual clock in production', () => {
    expect(() => loadConfig(schema, { ...good, CLOCK_MODE: 'manual', NODE_ENV: 'production' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig(schema, { ...good, CLOCK_MODE: 'manual', NODE_ENV: 'production' })).toThrow(
      /CLOCK_MODE: manual is refused/,
    );
    expect(loadConfig(schema, { ...good, CLOCK_MODE: 'manual' }).CLOCK_MODE).toBe('manual');
  });
});
