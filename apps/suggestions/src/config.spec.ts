import { ConfigError, loadConfig } from '@billing/common';
import { suggestionsConfigSchema } from './config';

const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/billing' };

describe('suggestions config', () => {
  it('has the suggestions defaults', () => {
    expect(loadConfig(suggestionsConfigSchema, env)).toMatchObject({
      PORT: 3005,
      DB_SCHEMA: 'suggestions',
      SUGGESTIONS_IMPORT_BATCH: 10000,
      SUGGESTIONS_MINING_PAGE: 500,
      SUGGESTIONS_POLL_MS: 1000,
      SUGGESTIONS_TAKEOVER_MS: 60000,
      SUGGESTIONS_MIN_CONFIDENCE: 0.5,
    });
  });

  it('names a bad variable', () => {
    expect(() => loadConfig(suggestionsConfigSchema, { ...env, SUGGESTIONS_MIN_CONFIDENCE: '2' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig(suggestionsConfigSchema, { ...env, SUGGESTIONS_MINING_PAGE: 'x' })).toThrow(
      /SUGGESTIONS_MINING_PAGE/,
    );
  });
});
