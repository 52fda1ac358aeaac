import { ConfigError, loadConfig } from '@billing/common';
import { notifierConfigSchema } from './config';

const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/billing' };

describe('notifier config', () => {
  it('has the notifier defaults: no SMTP (the outbox folder), Debian Chromium, two pages', () => {
    expect(loadConfig(notifierConfigSchema, env)).toMatchObject({
      PORT: 3004,
      DB_SCHEMA: 'notifier',
      MAIL_OUTBOX_DIR: '.data/outbox',
      PUPPETEER_EXECUTABLE_PATH: '/usr/bin/chromium',
      PDF_PAGES: 2,
      DELIVERY_MAX_ATTEMPTS: 8,
      DELIVERY_BACKOFF_MS: [30000, 120000, 600000, 1800000, 7200000],
      REMINDERS_DAILY: true,
    });
    expect(loadConfig(notifierConfigSchema, env).SMTP_URL).toBeUndefined();
  });

  it('refuses what it cannot use, naming the variable', () => {
    expect(() => loadConfig(notifierConfigSchema, { ...env, SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig(notifierConfigSchema, { ...env, MAIL_FROM: 'nobody' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig(notifierConfigSchema, { ...env, PDF_PAGES: '0' })).toThrow(ConfigError);
    expect(() => loadConfig(notifierConfigSchema, { ...env, DELIVERY_BACKOFF_MS: '1s' })).toThrow(
      /DELIVERY_BACKOFF_MS/,
    );
    expect(loadConfig(notifierConfigSchema, { ...env, SMTP_URL: 'smtps://u:p@mail.test:465' }).SMTP_URL).toBe(
      'smtps://u:p@mail.test:465',
    );
  });
});
