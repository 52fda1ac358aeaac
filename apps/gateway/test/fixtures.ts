import type {
  InvoiceView,
  JournalEntryView,
  PaymentView,
  RpcResponse,
  RunSummary,
  SchedulerRpc,
  TemplateView,
  LedgerRpc,
} from '@billing/contracts';
import { uuidv7 } from '@billing/common';

/** Answers the fake services give: shaped like the real services' views (FakeServices checks them). */
const AT = '2026-01-15T14:30:00.000Z';

export function invoiceView(overrides: Partial<InvoiceView> = {}): InvoiceView {
  return {
    id: uuidv7(),
    type: 'invoice',
    number: null,
    status: 'draft',
    customer_id: uuidv7(),
    vendor_id: null,
    template_id: null,
    occurrence_date: null,
    issue_date: '2026-01-15',
    due_date: '2026-02-14',
    currency: 'USD',
    lines: [
      {
        description: 'Retainer',
        quantity: '1',
        unit_price: '1500.00',
        tax_rate: '8.25',
        amount: '1500.00',
        tax: '123.75',
      },
    ],
    subtotal: '1500.00',
    tax: '123.75',
    total: '1623.75',
    amount_paid: '0.00',
    amount_due: '1623.75',
    description: null,
    notes: null,
    auto_send: false,
    finalized_at: null,
    sent_at: null,
    send_requested_at: null,
    delivery_status: 'not_requested',
    delivery_error: null,
    paid_at: null,
    voided_at: null,
    created_at: AT,
    updated_at: AT,
    ...overrides,
  };
}

export function paymentView(invoiceId: string, overrides: Partial<PaymentView> = {}): PaymentView {
  return {
    id: uuidv7(),
    invoice_id: invoiceId,
    amount: '500.00',
    currency: 'USD',
    paid_on: '2026-01-20',
    reference: null,
    created_at: AT,
    ...overrides,
  };
}

export function templateView(overrides: Partial<TemplateView> = {}): TemplateView {
  return {
    id: uuidv7(),
    type: 'invoice',
    customer_id: uuidv7(),
    vendor_id: null,
    frequency: 'monthly',
    day_of_month: 31,
    day_of_week: null,
    start_date: '2026-01-31',
    end_date: null,
    max_occurrences: null,
    days_until_due: 30,
    auto_send: false,
    currency: 'USD',
    line_items: null,
    subtotal: '1500.00',
    tax: '0.00',
    total: '1500.00',
    description: 'Retainer',
    notes: null,
    status: 'active',
    next_occurrence_date: '2026-02-28',
    generated_count: 1,
    skipped_count: 0,
    last_generated_date: '2026-01-31',
    created_at: AT,
    updated_at: AT,
    ...overrides,
  };
}

export function journalEntryView(invoiceId: string): JournalEntryView {
  return {
    id: uuidv7(),
    kind: 'invoice_finalized',
    invoice_id: invoiceId,
    payment_id: null,
    entry_date: '2026-01-15',
    currency: 'USD',
    reverses_id: null,
    lines: [
      { account: 'accounts_receivable', debit: '1623.75', credit: '0.00' },
      { account: 'revenue', debit: '0.00', credit: '1500.00' },
      { account: 'sales_tax_payable', debit: '0.00', credit: '123.75' },
    ],
    created_at: AT,
  };
}

export function trialBalance(asOf: string): RpcResponse<typeof LedgerRpc.trialBalance> {
  return {
    as_of: asOf,
    currencies: [
      {
        currency: 'USD',
        accounts: [
          { account: 'accounts_receivable', debit: '1623.75', credit: '0.00', balance: '1623.75' },
          { account: 'revenue', debit: '0.00', credit: '1500.00', balance: '-1500.00' },
          { account: 'sales_tax_payable', debit: '0.00', credit: '123.75', balance: '-123.75' },
        ],
        total_debit: '1623.75',
        total_credit: '1623.75',
        difference: '0.00',
      },
    ],
  };
}

export function agingReport(
  asOf: string,
  invoiceId: string,
  customerId: string,
): RpcResponse<typeof LedgerRpc.aging> {
  return {
    as_of: asOf,
    currencies: [
      {
        currency: 'USD',
        buckets: { current: '0.00', '1_30': '1623.75', '31_60': '0.00', '61_90': '0.00', '90_plus': '0.00' },
        total: '1623.75',
        invoices: [
          {
            invoice_id: invoiceId,
            number: 'INV-000001',
            customer_id: customerId,
            due_date: '2026-02-14',
            days_past_due: 3,
            bucket: '1_30',
            amount_due: '1623.75',
          },
        ],
      },
    ],
  };
}

export function runSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: uuidv7(),
    run_date: '2026-01-31',
    trigger: 'manual',
    status: 'published',
    started_at: AT,
    finished_at: AT,
    error: null,
    counts: { templates: 2, occurrences: 3, pending: 0, generated: 2, skipped: 1, failed: 0 },
    ...overrides,
  };
}

export function runResult(): RpcResponse<typeof SchedulerRpc.get>['results']['data'][number] {
  return {
    template_id: uuidv7(),
    occurrence_date: '2026-01-31',
    outcome: 'generated',
    reason: null,
    invoice_id: uuidv7(),
    next_occurrence_date: '2026-02-28',
  };
}
