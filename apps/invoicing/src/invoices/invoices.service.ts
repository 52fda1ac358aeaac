import { Injectable } from '@nestjs/common';
import {
  InvoiceEvents,
  type InvoiceListQuery,
  type InvoiceView,
  type Page,
  type PaymentCreate,
  type PaymentView,
  type TenantContext,
} from '@billing/contracts';
import { ClockService, ProblemError, type Tx, UnitOfWork, uuidv7 } from '@billing/common';
import { finalizationEntry, paymentEntry, reversalEntry } from '../ledger/journal';
import { JournalRepository } from '../ledger/journal.repository';
import { formatDocumentNumber } from './document-number';
import { DocumentNumberRepository, numberKey } from './document-number.repository';
import {
  type Invoice,
  type TemplateHistoryItem,
  mapInvoice,
  mapPayment,
  mapTemplateHistoryItem,
} from './invoice.model';
import { InvoiceRepository } from './invoice.repository';
import { afterPayment, assertFinalizable, assertSendable, checkPayment, voidPlan } from './invoice.rules';
import { PaymentRepository } from './payment.repository';

/**
 * The lifecycle of invoices and bills: finalize, send, void, pay. Every change locks the document,
 * applies the rules, writes the document, its journal entry and its events in one transaction.
 */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly payments: PaymentRepository,
    private readonly numbers: DocumentNumberRepository,
    private readonly journal: JournalRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: ClockService,
  ) {}

  async get(tenant: TenantContext, id: string): Promise<InvoiceView> {
    const invoice = await this.invoices.find(tenant.id, id);
    if (!invoice) throw ProblemError.notFound('Invoice', id);
    return mapInvoice(invoice);
  }

  async list(tenant: TenantContext, q: InvoiceListQuery): Promise<Page<InvoiceView>> {
    const page = await this.invoices.list(
      tenant.id,
      {
        type: q.type,
        status: q.status,
        customerId: q.customer_id,
        vendorId: q.vendor_id,
        templateId: q.template_id,
      },
      q.limit,
      q.cursor,
    );
    return { data: page.data.map(mapInvoice), next_cursor: page.next_cursor };
  }

  async templateHistory(
    tenant: TenantContext,
    q: { template_id: string; limit: number; cursor?: string },
  ): Promise<Page<TemplateHistoryItem>> {
    const page = await this.invoices.templateHistory(tenant.id, q.template_id, q.limit, q.cursor);
    return { data: page.data.map(mapTemplateHistoryItem), next_cursor: page.next_cursor };
  }

  /** Which of these occurrences became documents (for the scheduler's run results). */
  async ofOccurrences(
    tenant: TenantContext,
    occurrences: ReadonlyArray<{ template_id: string; occurrence_date: string }>,
  ): Promise<{ data: Array<{ template_id: string; occurrence_date: string; invoice_id: string }> }> {
    return { data: await this.invoices.ofOccurrences(tenant.id, occurrences) };
  }

  /** How many documents each run's occurrences became. */
  async countByRun(
    tenant: TenantContext,
    runIds: readonly string[],
  ): Promise<{ data: Array<{ run_id: string; documents: number }> }> {
    return { data: await this.invoices.countByRun(tenant.id, runIds) };
  }

  /** Draft → open: the next gapless number, the journal entry, `invoice.finalized`. */
  async finalize(tenant: TenantContext, id: string): Promise<InvoiceView> {
    return this.withLocked(tenant, id, async (invoice, tx) => {
      assertFinalizable(invoice);
      return mapInvoice(await this.finalizeLocked(invoice, tx));
    });
  }

  /**
   * Asks the notifier to email an invoice (a draft is finalized first). Sending again is a no-op: the
   * notifier sends each invoice's email once.
   */
  async send(tenant: TenantContext, id: string): Promise<InvoiceView> {
    return this.withLocked(tenant, id, async (locked, tx) => {
      assertSendable(locked);
      if (locked.sendRequestedAt !== null) return mapInvoice(locked);
      const invoice = locked.status === 'draft' ? await this.finalizeLocked(locked, tx) : locked;
      const saved = await this.invoices.saveLifecycle(tx.manager, {
        ...invoice,
        sendRequestedAt: this.now(),
      });
      const view = mapInvoice(saved);
      tx.publish(InvoiceEvents.sendRequested, tenant.id, { invoice: view });
      return view;
    });
  }

  /** A draft is simply voided; an open document by the reversing entry of its finalization. */
  async void(tenant: TenantContext, id: string): Promise<InvoiceView> {
    return this.withLocked(tenant, id, async (invoice, tx) => {
      const plan = voidPlan(invoice);
      const saved = await this.invoices.saveLifecycle(tx.manager, {
        ...invoice,
        status: 'void',
        voidedAt: this.now(),
      });
      if (plan === 'reverse') {
        const original = await this.journal.findFinalization(tx.manager, invoice.id);
        if (!original) throw new Error(`finalized ${invoice.id} has no finalization entry`);
        // Dated today, never before the entry it reverses.
        const today = await this.clock.today(tenant.timezone);
        const entryDate = today < original.entryDate ? original.entryDate : today;
        await this.journal.post(tx.manager, [reversalEntry(original, invoice.type, uuidv7(), entryDate)]);
      }
      const view = mapInvoice(saved);
      tx.publish(InvoiceEvents.voided, tenant.id, { invoice: view });
      return view;
    });
  }

  async recordPayment(
    tenant: TenantContext,
    id: string,
    input: PaymentCreate,
  ): Promise<{ invoice: InvoiceView; payment: PaymentView }> {
    const today = await this.clock.today(tenant.timezone);
    const paidOn = input.paid_on ?? today;
    return this.withLocked(tenant, id, async (invoice, tx) => {
      const amountMinor = checkPayment(
        invoice,
        { amount: input.amount, currency: input.currency, paidOn },
        today,
      );
      const payment = await this.payments.insert(tx.manager, {
        id: uuidv7(),
        tenantId: tenant.id,
        invoiceId: invoice.id,
        amountMinor,
        currency: invoice.currency,
        paidOn,
        reference: input.reference ?? null,
      });
      const next = afterPayment(invoice, amountMinor);
      const saved = await this.invoices.saveLifecycle(tx.manager, {
        ...invoice,
        amountPaidMinor: next.amountPaidMinor,
        status: next.status,
        paidAt: next.fullyPaid ? this.now() : null,
      });
      await this.journal.post(tx.manager, [paymentEntry(saved, payment, uuidv7())]);
      const view = mapInvoice(saved);
      const paymentView = mapPayment(payment);
      tx.publish(InvoiceEvents.paymentRecorded, tenant.id, { invoice: view, payment: paymentView });
      if (next.fullyPaid) tx.publish(InvoiceEvents.paid, tenant.id, { invoice: view });
      return { invoice: view, payment: paymentView };
    });
  }

  async listPayments(tenant: TenantContext, id: string): Promise<{ data: PaymentView[] }> {
    await this.get(tenant, id);
    return { data: (await this.payments.listForInvoice(tenant.id, id)).map(mapPayment) };
  }

  /** The daily pass: open invoices past due on `asOf` are marked and announced, each once. */
  async markOverdue(tenant: TenantContext, asOf: string): Promise<{ marked: number }> {
    return this.uow.run(async (tx) => {
      const marked = await this.invoices.markOverdue(tx.manager, tenant.id, asOf);
      for (const invoice of marked) {
        tx.publish(InvoiceEvents.overdue, tenant.id, { invoice: mapInvoice(invoice), as_of: asOf });
      }
      return { marked: marked.length };
    });
  }

  /** Numbers, posts and announces a locked draft; the caller has checked that it is one. */
  private async finalizeLocked(draft: Invoice, tx: Tx): Promise<Invoice> {
    const last = await this.numbers.allocate(tx.manager, [
      { tenantId: draft.tenantId, type: draft.type, count: 1 },
    ]);
    const saved = await this.invoices.saveLifecycle(tx.manager, {
      ...draft,
      status: 'open',
      number: formatDocumentNumber(draft.type, last.get(numberKey(draft.tenantId, draft.type))!),
      finalizedAt: this.now(),
    });
    // Recognised on the document's own date, whenever it is finalized.
    await this.journal.post(tx.manager, [finalizationEntry(saved, uuidv7(), saved.issueDate)]);
    tx.publish(InvoiceEvents.finalized, saved.tenantId, { invoice: mapInvoice(saved) });
    return saved;
  }

  private withLocked<T>(
    tenant: TenantContext,
    id: string,
    work: (invoice: Invoice, tx: Tx) => Promise<T>,
  ): Promise<T> {
    return this.uow.run(async (tx) => {
      const invoice = await this.invoices.lockForUpdate(tx.manager, tenant.id, id);
      if (!invoice) throw ProblemError.notFound('Invoice', id);
      return work(invoice, tx);
    });
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
