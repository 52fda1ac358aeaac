import { ConfigError, loadConfig } from '@billing/common';
import { schedulerConfigSchema } from './config';

const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/billing' };

describe('scheduler config', () => {
  it('has the scheduler defaults', () => {
    expect(loadConfig(schedulerConfigSchema, env)).toMatchObject({
      PORT: 3003,
      DB_SCHEMA: 'scheduler',
      SCHEDULER_DAILY_RUNS: true,
      SCHEDULER_PAGE_SIZE: 1000,
      SCHEDULER_CONCURRENCY: 4,
      SCHEDULER_RETRY_AFTER_MS: 300000,
      SCHEDULER_MAX_ATTEMPTS: 5,
    });
  });

  it('turns the daily runs off and refuses a page the templates would refuse', () => {
    expect(
      loadConfig(schedulerConfigSchema, { ...env, SCHEDULER_DAILY_RUNS: 'false' }).SCHEDULER_DAILY_RUNS,
    ).toBe(false);
    expect(() => loadConfig(schedulerConfigSchema, { ...env, SCHEDULER_PAGE_SIZE: '5001' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig(schedulerConfigSchema, { ...env, SCHEDULER_DAILY_RUNS: 'yes' })).toThrow(
      /SCHEDULER_DAILY_RUNS/,
    );
  });
});
