import { appConfigSchema, envFlag, envInt } from '@billing/common';

export const schedulerConfigSchema = appConfigSchema(
  { port: 3003, schema: 'scheduler' },
  {
    /** `false`: this process answers runs on demand but starts no daily runs (every minute otherwise). */
    SCHEDULER_DAILY_RUNS: envFlag('true'),
    /** Templates per `TemplatesRpc.due` page, each page claimed and published in one transaction. */
    SCHEDULER_PAGE_SIZE: envInt(1000, 1, 5000),
    /** Runs executed at the same time by one process. */
    SCHEDULER_CONCURRENCY: envInt(4, 1, 64),
    /** A run silent this long is taken over; a failed scheduled run is retried after this long. */
    SCHEDULER_RETRY_AFTER_MS: envInt(300000, 1000, 86400000),
    /** Attempts of a day's scheduled run before it stays failed (the next day's run catches up). */
    SCHEDULER_MAX_ATTEMPTS: envInt(5, 1, 100),
  },
);
