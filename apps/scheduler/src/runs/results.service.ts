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
export const InvoiceGeneratedRef = z.object({
  invoice: z.object({
    id: IdSchema,
    template_id: IdSchema.nullable(),
    occurrence_date: DateSchema.nullable(),
  }),
});
export const TemplateGeneratedRef = z.object({
  template: z.object({ id: IdSchema, next_occurrence_date: DateSchema.nullable() }),
  occurrence_date: DateSchema,
});
export const TemplateCompletedRef = z.object({ template: z.object({ id: IdSchema }) });

export type InvoiceGenerated = z.infer<typeof InvoiceGeneratedRef>;
export type OccurrenceFailed = EventData<typeof OccurrenceEvents.failed>;
export type TemplateGenerated = z.infer<typeof TemplateGeneratedRef>;
export type TemplateCompleted = z.infer<typeof TemplateCompletedRef>;

/**
 * Results follow the documents: invoicing's `invoice.generated` / `occurrence.failed` settle the
 * result of the run that claimed the occurrence, and the templates' `template.generated` /
 * `template.completed` give it the template's next occurrence. Each batch is one statement; the order
 * of the events does not matter (a failure never overwrites a generated document).
 */
@Injectable()
export class ResultsService {
  constructor(private readonly runs: RunRepository) {}

  async invoicesGenerated(events: EventEnvelope<InvoiceGenerated>[], tx: Tx): Promise<void> {
    const docs = events.flatMap((e) => {
      const i = e.data.invoice;
      return i.template_id && i.occurrence_date
        ? [
            {
              tenantId: e.tenant_id,
              templateId: i.template_id,
              occurrenceDate: i.occurrence_date,
              invoiceId: i.id,
            },
          ]
        : [];
    });
    await this.runs.markGenerated(tx.manager, docs);
  }

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
    await this.runs.setNextOccurrence(
      tx.manager,
      events.map((e) => ({
        tenantId: e.tenant_id,
        templateId: e.data.template.id,
        occurrenceDate: e.data.occurrence_date,
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
