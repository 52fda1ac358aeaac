import { Injectable } from '@nestjs/common';
import { type EventEnvelope, InvoiceEvents, type OccurrenceDue, OccurrenceEvents } from '@billing/contracts';
import { DispatchTurn, type Tx, uuidv7 } from '@billing/common';
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

  /**
   * `turn` keeps numbers in the stream's order across the consumer's batches in flight: a batch
   * numbers only after every batch taken before it holds the tenant's number lock (or needs none), so
   * its numbers are the next ones and a later occurrence never gets a lower number than an earlier one.
   * The turn is passed as soon as the batch holds that lock or knows it needs none (and, by the
   * consumer, whenever the batch ends).
   */
  async generate(
    events: ReadonlyArray<EventEnvelope<OccurrenceDue>>,
    tx: Tx,
    turn: DispatchTurn = DispatchTurn.free,
  ): Promise<GenerationOutcome> {
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

    // Drafts go in first. The auto-send documents go in already finalized (number, open — no second
    // write of each row), numbered last so that the tenant's number row is locked only for numbering,
    // storing them and the commit: their journal entries are posted before (the entries' check against
    // the documents is deferred to the commit). Numbers are allocated for exactly the documents stored:
    // should a concurrent generation have stored one of them meanwhile, the batch rolls back (numbers
    // included) and its events are handled one by one, where that occurrence is found generated.
    const drafts = await this.invoices.insertGenerated(
      tx.manager,
      fresh.filter((d) => !d.autoSend).map((d) => ({ ...d, id: uuidv7(), number: null })),
    );
    const toFinalize = fresh.filter((d) => d.autoSend).map((d) => ({ ...d, id: uuidv7() }));
    if (toFinalize.length > 0) {
      await tx.manager.query('SET CONSTRAINTS journal_entries_invoice_id_fkey DEFERRED');
      await this.journal.post(
        tx.manager,
        toFinalize.map((d) => finalizationEntry(d, uuidv7(), d.issueDate)),
      );
    }
    // Only numbering needs the order: a batch without auto-sent documents lets the next one go at once.
    if (toFinalize.length > 0) await turn.wait(NUMBERING_TURN_MS);
    else turn.pass();
    const finalized = await this.insertFinalized(tx, toFinalize, turn);
    const stored = [...drafts, ...finalized];

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
      alreadyGenerated: alreadyGenerated + fresh.length - stored.length,
      failed: failures.length,
    };
  }

  /** Auto-sent invoices: numbered (one block per tenant, in the batch's order) and stored finalized. */
  private async insertFinalized(
    tx: Tx,
    documents: Array<OccurrenceDocument & { id: string }>,
    turn: DispatchTurn,
  ): Promise<Invoice[]> {
    if (documents.length === 0) return [];
    const counts = new Map<string, number>();
    for (const d of documents) counts.set(d.tenantId, (counts.get(d.tenantId) ?? 0) + 1);
    const last = await this.numbers.allocate(
      tx.manager,
      [...counts].map(([tenantId, count]) => ({ tenantId, type: 'invoice' as const, count })),
    );
    turn.pass(); // the number lock is ours: the next batch may queue behind it
    const blocks = new Map(
      [...counts].map(([tenantId, count]) => [
        tenantId,
        allocatedNumbers('invoice', last.get(numberKey(tenantId, 'invoice'))!, count),
      ]),
    );
    const withNumbers: NewGeneratedDocument[] = documents.map((d) => ({
      ...d,
      number: blocks.get(d.tenantId)!.shift()!,
    }));
    const stored = await this.invoices.insertGenerated(tx.manager, withNumbers);
    if (stored.length < withNumbers.length) {
      throw new ConcurrentGeneration(withNumbers.length - stored.length);
    }
    return stored;
  }
}

/**
 * How long a batch waits for the ones before it to take their numbers before it goes on regardless: a
 * batch before may be waiting on a document this one stored (the same occurrence redelivered while both
 * are in flight); the database then resolves it and the order is the commit order.
 */
const NUMBERING_TURN_MS = 2_000;

/** Another generation stored some of the batch's occurrences first: numbers would have gaps. */
export class ConcurrentGeneration extends Error {
  constructor(count: number) {
    super(
      `${count} occurrence(s) of the batch were generated concurrently; the batch is rolled back and retried`,
    );
  }
}
