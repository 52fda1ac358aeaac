import { Controller } from '@nestjs/common';
import { type EventEnvelope, InvoiceEvents, OccurrenceEvents, TemplateEvents } from '@billing/contracts';
import { OnEventBatch, type Tx } from '@billing/common';
import {
  type InvoiceGenerated,
  type OccurrenceFailed,
  ResultsService,
  type TemplateCompleted,
  type TemplateGenerated,
} from './results.service';

const BATCH = { max: 500 };

/** The events that settle run results; one line each. */
@Controller()
export class ResultsController {
  constructor(private readonly results: ResultsService) {}

  @OnEventBatch(InvoiceEvents.generated, BATCH)
  invoicesGenerated(events: EventEnvelope<InvoiceGenerated>[], tx: Tx) {
    return this.results.invoicesGenerated(events, tx);
  }

  @OnEventBatch(OccurrenceEvents.failed, BATCH)
  occurrencesFailed(events: EventEnvelope<OccurrenceFailed>[], tx: Tx) {
    return this.results.occurrencesFailed(events, tx);
  }

  @OnEventBatch(TemplateEvents.generated, BATCH)
  templatesGenerated(events: EventEnvelope<TemplateGenerated>[], tx: Tx) {
    return this.results.templatesGenerated(events, tx);
  }

  @OnEventBatch(TemplateEvents.completed, BATCH)
  templatesCompleted(events: EventEnvelope<TemplateCompleted>[], tx: Tx) {
    return this.results.templatesCompleted(events, tx);
  }
}
