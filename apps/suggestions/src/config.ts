import { appConfigSchema, envInt } from '@billing/common';
import { z } from 'zod';

export const suggestionsConfigSchema = appConfigSchema(
  { port: 3005, schema: 'suggestions' },
  {
    /** Staged rows moved into `transactions` per transaction of an import job (one progress step). */
    SUGGESTIONS_IMPORT_BATCH: envInt(10000, 100, 100000),
    /** Counterparty groups re-mined per transaction (import jobs and the queue of bus transactions). */
    SUGGESTIONS_MINING_PAGE: envInt(500, 1, 10000),
    /** How often the worker looks for queued imports and groups to re-mine. */
    SUGGESTIONS_POLL_MS: envInt(1000, 50, 60000),
    /** An import or mining job silent this long (its process died) is taken over. */
    SUGGESTIONS_TAKEOVER_MS: envInt(60000, 1000, 3600000),
    /** Streams below this confidence (0..1) are not proposed. */
    SUGGESTIONS_MIN_CONFIDENCE: z.coerce
      .number({ error: 'must be a number from 0 to 1' })
      .min(0, { error: 'must be a number from 0 to 1' })
      .max(1, { error: 'must be a number from 0 to 1' })
      .default(0.5),
  },
);

export type SuggestionsConfig = z.infer<typeof suggestionsConfigSchema>;
