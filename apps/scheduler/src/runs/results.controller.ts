import { Controller } from '@nestjs/common';
import { type EventEnvelope, OccurrenceEvents, TemplateEvents } from '@billing/contracts';
import { OnEventBatch, type Tx } from '@billing/common';
import {
  type OccurrenceFailed,
  ResultsService,
  type TemplateCompleted,
  TemplateCompletedRef,
} from './results.service';

const BATCH = { max: 1000 };

/** The events that settle run results; one line each. */
@Controller()
export class ResultsController {
  constructor(private readonly results: ResultsService) {}

  @OnEventBatch(OccurrenceEvents.failed, BATCH)
  occurrencesFailed(events: EventEnvelope<OccurrenceFailed>[], tx: Tx) {
    return this.results.occurrencesFailed(events, tx);
  }

  @OnEventBatch(TemplateEvents.completed, { ...BATCH, data: TemplateCompletedRef })
  templatesCompleted(events: EventEnvelope<TemplateCompleted>[], tx: Tx) {
    return this.results.templatesCompleted(events, tx);
  }
}
