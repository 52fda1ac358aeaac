import { appConfigSchema, envFlag, envInt, envMillisList } from '@billing/common';
import { z } from 'zod';

export const notifierConfigSchema = appConfigSchema(
  { port: 3004, schema: 'notifier' },
  {
    /** `smtp://user:pass@host:587` or `smtps://…:465`; unset: messages are written to MAIL_OUTBOX_DIR. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, { error: 'must be an smtp:// or smtps:// URL' })
      .optional(),
    /** Where `.eml` files go when SMTP_URL is unset (relative to the working directory). */
    MAIL_OUTBOX_DIR: z.string().min(1).default('.data/outbox'),
    /** The sender address; the tenant's name is shown as the sender's name. */
    MAIL_FROM: z
      .email({ error: 'must be an email address such as billing@example.com' })
      .default('billing@localhost.localdomain'),
    SMTP_TIMEOUT_MS: envInt(30000, 1000, 600000),
    /** Chromium (Debian's by default; puppeteer never downloads one). */
    PUPPETEER_EXECUTABLE_PATH: z.string().min(1).default('/usr/bin/chromium'),
    /** Pages kept open in the one browser: PDFs rendered at the same time. */
    PDF_PAGES: envInt(2, 1, 32),
    PDF_TIMEOUT_MS: envInt(30000, 1000, 600000),
    /** Attempts of one email before it is reported as `delivery.failed`. */
    DELIVERY_MAX_ATTEMPTS: envInt(8, 1, 100),
    /** Waits before the 2nd, 3rd, … attempt (the last value repeats). */
    DELIVERY_BACKOFF_MS: envMillisList('30000,120000,600000,1800000,7200000'),
    /** How often the worker looks for emails due (it is also woken when one is queued here). */
    DELIVERY_POLL_MS: envInt(1000, 10, 60000),
    /** Emails in flight at once in one process. */
    DELIVERY_CONCURRENCY: envInt(2, 1, 64),
    /** An attempt silent this long (its process died) is taken over by another. */
    DELIVERY_LEASE_MS: envInt(300000, 5000, 3600000),
    /** `false`: reminders go out only through `POST /v1/reminders/runs`. */
    REMINDERS_DAILY: envFlag('true'),
    /** How often each tenant's today is checked for a reminder pass not yet run. */
    REMINDERS_CHECK_MS: envInt(60000, 100, 3600000),
  },
);
