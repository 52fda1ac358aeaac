import { Injectable } from '@nestjs/common';
import { type EventData, type EventEnvelope, IdSchema, type OccurrenceEvents } from '@billing/contracts';
import { z } from 'zod';
import type { Tx } from '@billing/common';
import { RunRepository } from './run.repository';

/** The part of the template event the results read; validated on receipt. */
export const TemplateCompletedRef = z.object({ template: z.object({ id: IdSchema }) });

export type OccurrenceFailed = EventData<typeof OccurrenceEvents.failed>;
export type TemplateCompleted = z.infer<typeof TemplateCompletedRef>;

/**
 * The events that change what a run's results say: invoicing's `occurrence.failed` makes the claiming
 * run's result `failed` with the reason; `template.completed` clears the next occurrence of the
 * template's latest result. (Documents are not reported here one by one: a run's results read them
 * from invoicing when shown — see RunDocuments.) Each batch is one statement.
 */
@Injectable()
export class ResultsService {
  constructor(private readonly runs: RunRepository) {}

  async occurrencesFailed(events: EventEnvelope<OccurrenceFailed>[], tx: Tx): Promise<void> {
    await this.runs.markFailed(
      tx.manager,
      events.map((e) => ({
        tenantId: e.tenant_id,
        templateId: e.data.template_id,
        occurrenceDate: e.data.occurrence_date,
        reason: e.data.reason,
      })),
    );
  }

  async templatesCompleted(events: EventEnvelope<TemplateCompleted>[], tx: Tx): Promise<void> {
    await this.runs.clearNextOnLatest(
      tx.manager,
      events.map((e) => ({ tenantId: e.tenant_id, templateId: e.data.template.id })),
    );
  }
}
