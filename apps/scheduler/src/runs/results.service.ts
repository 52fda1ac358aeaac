import { Injectable } from '@nestjs/common';
import {
  DateSchema,
  type EventData,
  type EventEnvelope,
  IdSchema,
  type OccurrenceEvents,
} from '@billing/contracts';
import { z } from 'zod';
import type { Tx } from '@billing/common';
import { RunRepository } from './run.repository';

/** The parts of the (large) invoice and template events the results read; validated on receipt. */
export const TemplateGeneratedRef = z.object({
  template: z.object({ id: IdSchema, next_occurrence_date: DateSchema.nullable() }),
  occurrence_date: DateSchema,
  invoice_id: IdSchema,
});
export const TemplateCompletedRef = z.object({ template: z.object({ id: IdSchema }) });

export type OccurrenceFailed = EventData<typeof OccurrenceEvents.failed>;
export type TemplateGenerated = z.infer<typeof TemplateGeneratedRef>;
export type TemplateCompleted = z.infer<typeof TemplateCompletedRef>;

/**
 * Results follow the documents: the templates' `template.generated` (the document exists and the
 * template counted it) makes the claiming run's result `generated` with the document and the template's
 * next occurrence; invoicing's `occurrence.failed` makes it `failed`; `template.completed` clears the
 * next occurrence. Each batch is one statement; the order of the events does not matter (a failure
 * never overwrites a generated document).
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

  async templatesGenerated(events: EventEnvelope<TemplateGenerated>[], tx: Tx): Promise<void> {
    await this.runs.setGenerated(
      tx.manager,
      events.map((e) => ({
        tenantId: e.tenant_id,
        templateId: e.data.template.id,
        occurrenceDate: e.data.occurrence_date,
        invoiceId: e.data.invoice_id,
        next: e.data.template.next_occurrence_date,
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
