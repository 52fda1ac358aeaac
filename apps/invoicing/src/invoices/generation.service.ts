import { Injectable } from '@nestjs/common';
import { type EventEnvelope, InvoiceEvents, type OccurrenceDue, OccurrenceEvents } from '@billing/contracts';
import { type Tx, uuidv7 } from '@billing/common';
import { finalizationEntry } from '../ledger/journal';
import { JournalRepository } from '../ledger/journal.repository';
import { allocatedNumbers } from './document-number';
import { DocumentNumberRepository, numberKey } from './document-number.repository';
import { type Invoice, mapInvoice } from './invoice.model';
import { InvoiceRepository, type NewGeneratedDocument } from './invoice.repository';
import { type OccurrenceDocument, documentFromOccurrence, occurrenceKeyOf } from './occurrence-document';

export interface GenerationOutcome {
  generated: number;
  alreadyGenerated: number;
  failed: number;
}

interface Failure {
  tenantId: string;
  due: OccurrenceDue;
  reason: string;
}

/** Tenant, then occurrence date (earlier occurrences get the lower numbers), then template. */
const byKey = (a: OccurrenceDocument, b: OccurrenceDocument) =>
  a.tenantId.localeCompare(b.tenantId) ||
  a.occurrenceDate.localeCompare(b.occurrenceDate) ||
  a.templateId.localeCompare(b.templateId);

/**
 * Turns a batch of due occurrences into invoices and bills, set-based: one query asks which keys are
 * already generated and which customers/vendors exist, one statement allocates the numbers of every
 * auto-sent invoice, one stores the documents with their lines (ON CONFLICT on the occurrence key: the
 * guarantee of exactly once), one posts their journal entries. Everything commits with the consumer's
 * inbox record and the events.
 */
@Injectable()
export class GenerationService {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly numbers: DocumentNumberRepository,
    private readonly journal: JournalRepository,
  ) {}

  async generate(events: ReadonlyArray<EventEnvelope<OccurrenceDue>>, tx: Tx): Promise<GenerationOutcome> {
    const failures: Failure[] = [];
    const candidates: Array<{ document: OccurrenceDocument; due: OccurrenceDue }> = [];
    const seen = new Set<string>();
    for (const event of events) {
      // Two copies of one occurrence (different event ids) in one batch: the first one counts.
      const key = occurrenceKeyOf({
        tenantId: event.tenant_id,
        templateId: event.data.template_id,
        occurrenceDate: event.data.occurrence_date,
      });
      if (seen.has(key)) continue;
      seen.add(key);
      const outcome = documentFromOccurrence(event.tenant_id, event.data);
      if (outcome.ok) candidates.push({ document: outcome.document, due: event.data });
      else failures.push({ tenantId: event.tenant_id, due: event.data, reason: outcome.reason });
    }
    candidates.sort((a, b) => byKey(a.document, b.document));

    const states = await this.invoices.occurrenceStates(
      tx.manager,
      candidates.map((c) => c.document),
    );
    const fresh: OccurrenceDocument[] = [];
    let alreadyGenerated = 0;
    candidates.forEach(({ document, due }, i) => {
      if (states[i].generated) alreadyGenerated++;
      else if (!states[i].counterpartyFound) {
        const party =
          document.type === 'invoice' ? `customer ${document.customerId}` : `vendor ${document.vendorId}`;
        failures.push({ tenantId: document.tenantId, due, reason: `${party} does not exist in this tenant` });
      } else fresh.push(document);
    });

    // Every document goes in as a draft; the auto-send ones are numbered and finalized last, so the
    // tenant's number row is locked only for the end of the transaction, and only documents that were
    // really stored consume numbers (no gaps, whatever another transaction generated meanwhile).
    const docs: NewGeneratedDocument[] = fresh.map((d) => ({ ...d, id: uuidv7(), number: null }));
    const inserted = await this.invoices.insertGenerated(tx.manager, docs);
    const toFinalize = inserted.filter((i) => i.autoSend);
    await this.journal.post(
      tx.manager,
      toFinalize.map((i) => finalizationEntry(i, uuidv7(), i.issueDate)),
    );
    const finalized = await this.finalizeAll(tx, toFinalize);
    const stored = inserted.map((i) => finalized.get(i.id) ?? i);

    for (const invoice of stored) {
      const view = mapInvoice(invoice);
      tx.publish(InvoiceEvents.generated, invoice.tenantId, {
        invoice: view,
        run_id: invoice.runId,
        occurrence_index: invoice.occurrenceIndex,
      });
      if (invoice.number !== null) tx.publish(InvoiceEvents.finalized, invoice.tenantId, { invoice: view });
    }
    for (const f of failures) {
      tx.publish(OccurrenceEvents.failed, f.tenantId, {
        run_id: f.due.run_id,
        template_id: f.due.template_id,
        occurrence_date: f.due.occurrence_date,
        reason: f.reason,
      });
    }
    return {
      generated: stored.length,
      alreadyGenerated: alreadyGenerated + docs.length - stored.length,
      failed: failures.length,
    };
  }

  /** Numbers (one block per tenant, in the batch's order) and the finalization of auto-sent invoices. */
  private async finalizeAll(tx: Tx, invoices: Invoice[]): Promise<Map<string, Invoice>> {
    if (invoices.length === 0) return new Map();
    const counts = new Map<string, number>();
    for (const i of invoices) counts.set(i.tenantId, (counts.get(i.tenantId) ?? 0) + 1);
    const last = await this.numbers.allocate(
      tx.manager,
      [...counts].map(([tenantId, count]) => ({ tenantId, type: 'invoice' as const, count })),
    );
    const blocks = new Map(
      [...counts].map(([tenantId, count]) => [
        tenantId,
        allocatedNumbers('invoice', last.get(numberKey(tenantId, 'invoice'))!, count),
      ]),
    );
    const numbered = invoices.map((i) => ({ invoice: i, number: blocks.get(i.tenantId)!.shift()! }));
    const rows = await this.invoices.finalizeGenerated(
      tx.manager,
      numbered.map((n) => ({ id: n.invoice.id, number: n.number })),
    );
    return new Map(
      numbered.map(({ invoice, number }) => {
        const row = rows.get(invoice.id)!;
        return [invoice.id, { ...invoice, number, status: 'open' as const, ...row }];
      }),
    );
  }
}
