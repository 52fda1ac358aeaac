import { Injectable, Logger } from '@nestjs/common';
import {
  DateSchema,
  type EventEnvelope,
  IdSchema,
  type RpcRequest,
  type RpcResponse,
  TemplateEvents,
  type TemplatesRpc,
  type TenantContext,
} from '@billing/contracts';
import { type Tx } from '@billing/common';
import { z } from 'zod';
import { mapTemplate } from './template.model';
import { duePage } from './template.due';
import { type GeneratedOccurrence, type Progress, applyGenerated } from './template.progress';
import { type LockedProgress, TemplateRepository } from './template.repository';

export type DueQuery = RpcRequest<typeof TemplatesRpc.due>;
export type DueAnswer = RpcResponse<typeof TemplatesRpc.due>;
/** What advancing reads of `invoice.generated`: validated on receipt, the rest of the invoice is not needed. */
export const InvoiceGeneratedRef = z.object({
  invoice: z.object({
    id: IdSchema,
    template_id: IdSchema.nullable(),
    occurrence_date: DateSchema.nullable(),
    issue_date: DateSchema,
  }),
  occurrence_index: z.number().int().nullable(),
});
export type InvoiceGenerated = z.infer<typeof InvoiceGeneratedRef>;

/**
 * Templates and generation: answers the scheduler's "what is due" and moves templates on as their
 * documents are generated. The documents themselves are made by invoicing, exactly once per
 * template and occurrence date.
 */
@Injectable()
export class GenerationService {
  private readonly logger = new Logger('GenerationService');

  constructor(private readonly templates: TemplateRepository) {}

  /** Every occurrence due on or before `as_of`, one query per page (computation in template.due.ts). */
  async due(tenant: TenantContext, q: DueQuery): Promise<DueAnswer> {
    const rows = await this.templates.due(tenant.id, q.as_of, q.limit, q.after);
    return duePage(rows, q.as_of, q.limit);
  }

  /**
   * A batch of `invoice.generated` events: the templates concerned are locked in id order, each
   * document is counted once and moves its template on, all written by one statement; then
   * `template.completed` per template that finished. (Nothing is published per document: the
   * document's own `invoice.generated` is the fact; the scheduler's run result learned the next
   * occurrence when it claimed the occurrence.)
   * Documents of deleted templates (or naming another tenant's template) are ignored.
   */
  async recordGenerated(events: EventEnvelope<InvoiceGenerated>[], tx: Tx): Promise<void> {
    const documents = documentsByTemplate(events);
    if (documents.size === 0) return;
    const locked = await this.templates.lockMany(tx.manager, [
      ...new Set([...documents.values()].map((d) => d.templateId)),
    ]);
    const progressed: Array<{ template: LockedProgress; progress: Progress }> = [];
    for (const template of locked) {
      const mine = documents.get(templateKey(template.tenantId, template.id));
      if (mine) progressed.push({ template, progress: applyGenerated(template, mine.occurrences) });
    }
    if (progressed.length < documents.size) {
      this.logger.debug(`${documents.size - progressed.length} template(s) of generated documents not found`);
    }
    const saved = await this.templates.saveProgress(
      tx.manager,
      progressed.map(({ template, progress }) => ({ id: template.id, ...progress.state })),
      progressed.filter((p) => p.progress.completed).map((p) => p.template.id),
    );
    // The completed ones came back whole from the update (the rest are not read back).
    for (const stored of saved) {
      tx.publish(TemplateEvents.completed, stored.tenantId, { template: mapTemplate(stored) });
    }
  }
}

interface TemplateDocuments {
  templateId: string;
  occurrences: GeneratedOccurrence[];
}

const templateKey = (tenantId: string, templateId: string) => `${tenantId}:${templateId}`;

/**
 * The documents of a batch per tenant and template (a template only counts its own tenant's), one per
 * invoice (a batch may repeat one); documents without a template are not ours.
 */
export function documentsByTemplate(
  events: EventEnvelope<InvoiceGenerated>[],
): Map<string, TemplateDocuments> {
  const byTemplate = new Map<string, TemplateDocuments>();
  const seen = new Set<string>();
  for (const event of events) {
    const invoice = event.data.invoice;
    if (invoice.template_id === null || seen.has(invoice.id)) continue;
    seen.add(invoice.id);
    const key = templateKey(event.tenant_id, invoice.template_id);
    let documents = byTemplate.get(key);
    if (!documents) {
      documents = { templateId: invoice.template_id, occurrences: [] };
      byTemplate.set(key, documents);
    }
    documents.occurrences.push({
      invoiceId: invoice.id,
      occurrenceDate: invoice.occurrence_date ?? invoice.issue_date,
      occurrenceIndex: event.data.occurrence_index,
    });
  }
  return byTemplate;
}
