import {
  AgingReportSchema,
  DeliveryViewSchema,
  InvoiceRemindersViewSchema,
  InvoiceViewSchema,
  InvoicesRpc,
  JournalEntryViewSchema,
  ParkedMessageSchema,
  PartyCreateSchema,
  PartyPatchSchema,
  PartyViewSchema,
  PaymentCreateSchema,
  PaymentViewSchema,
  ProblemSchema,
  ReminderPolicySetSchema,
  ReminderPolicyViewSchema,
  ReminderRunSchema,
  ReplayResultSchema,
  RunDetailSchema,
  RunResultSchema,
  RunSummarySchema,
  SchedulerRpc,
  ImportViewSchema,
  SuggestionAcceptSchema,
  SuggestionAcceptedSchema,
  SuggestionViewSchema,
  TransactionImportJsonSchema,
  TransactionInputSchema,
  TemplateCloneSchema,
  TemplateCreateSchema,
  TemplateHistoryItemSchema,
  TemplatePatchSchema,
  TemplatePreviewSchema,
  TemplateViewSchema,
  TenantCreateSchema,
  TenantCreatedResponseSchema,
  TenantPatchSchema,
  TenantViewSchema,
  TrialBalanceSchema,
  pageOf,
} from '@billing/contracts';
import { z } from 'zod';
import { ClockSetSchema, ClockViewSchema } from '../admin/admin.schemas';
import { ApiKeyIssuedSchema, ApiKeyViewSchema } from '../tenants/tenant.schemas';

export type Schemas = ReturnType<typeof registerSchemas>;
/** Registers a schema as the named component `name` and returns the copy to reference. */
export type Named = <S extends z.ZodType>(name: string, schema: S) => S;

/** Named components: a client generator gets one type per resource. */
export function registerSchemas(named: Named) {
  const Party = named('Party', PartyViewSchema);
  const Template = named('Template', TemplateViewSchema);
  const Tenant = named('Tenant', TenantViewSchema);
  const ApiKey = named('ApiKey', ApiKeyViewSchema);
  const ParkedMessage = named('ParkedMessage', ParkedMessageSchema);
  const platform = {
    Party,
    PartyCreate: named('PartyCreate', PartyCreateSchema),
    PartyPatch: named('PartyPatch', PartyPatchSchema),
    PartyPage: named('PartyPage', pageOf(Party)),
    Template,
    TemplateCreate: named('TemplateCreate', TemplateCreateSchema),
    TemplatePatch: named('TemplatePatch', TemplatePatchSchema),
    TemplateClone: named('TemplateClone', TemplateCloneSchema),
    TemplatePage: named('TemplatePage', pageOf(Template)),
    TemplatePreview: named('TemplatePreview', TemplatePreviewSchema),
    Tenant,
    TenantCreate: named('TenantCreate', TenantCreateSchema),
    TenantPatch: named('TenantPatch', TenantPatchSchema),
    TenantCreated: named('TenantCreated', TenantCreatedResponseSchema.extend({ tenant: Tenant })),
    TenantPage: named('TenantPage', pageOf(Tenant)),
    ApiKey,
    ApiKeyIssued: named('ApiKeyIssued', ApiKeyIssuedSchema.extend({ key: ApiKey })),
    ApiKeyPage: named('ApiKeyPage', pageOf(ApiKey)),
    Clock: named('Clock', ClockViewSchema),
    ClockSet: named('ClockSet', ClockSetSchema),
    ParkedPage: named('ParkedMessagePage', pageOf(ParkedMessage)),
    ReplayResult: named('ReplayResult', ReplayResultSchema),
    Problem: named(
      'Problem',
      ProblemSchema.extend({ detail: z.string(), errors: ProblemSchema.shape.errors.unwrap() }),
    ),
  };
  return { ...platform, ...registerBillingSchemas(named) };
}

/** Generated documents, payments, the ledger and scheduler runs (after the others: a stable order). */
function registerBillingSchemas(named: Named) {
  const Invoice = named('Invoice', InvoiceViewSchema);
  const Payment = named('Payment', PaymentViewSchema);
  const JournalEntry = named('JournalEntry', JournalEntryViewSchema);
  const SchedulerRun = named('SchedulerRun', RunSummarySchema);
  const SchedulerRunResult = named('SchedulerRunResult', RunResultSchema);
  const Delivery = named('Delivery', DeliveryViewSchema);
  return {
    Delivery,
    DeliveryList: named('DeliveryList', z.object({ data: z.array(Delivery) })),
    InvoiceReminders: named('InvoiceReminders', InvoiceRemindersViewSchema),
    ReminderPolicy: named('ReminderPolicy', ReminderPolicyViewSchema),
    ReminderPolicySet: named('ReminderPolicySet', ReminderPolicySetSchema),
    ReminderRun: named('ReminderRun', ReminderRunSchema),
    TemplateHistoryPage: named(
      'TemplateHistoryPage',
      pageOf(named('TemplateHistoryItem', TemplateHistoryItemSchema)),
    ),
    Invoice,
    InvoicePage: named('InvoicePage', pageOf(Invoice)),
    PaymentCreate: named('PaymentCreate', PaymentCreateSchema),
    Payment,
    PaymentRecorded: named(
      'PaymentRecorded',
      InvoicesRpc.recordPayment.response.extend({ invoice: Invoice, payment: Payment }),
    ),
    PaymentList: named('PaymentList', InvoicesRpc.listPayments.response.extend({ data: z.array(Payment) })),
    JournalEntry,
    JournalEntryPage: named('JournalEntryPage', pageOf(JournalEntry)),
    TrialBalance: named('TrialBalance', TrialBalanceSchema),
    AgingReport: named('AgingReport', AgingReportSchema),
    SchedulerRun,
    SchedulerRunCreate: named('SchedulerRunCreate', SchedulerRpc.run.request),
    SchedulerRunPage: named('SchedulerRunPage', pageOf(SchedulerRun)),
    SchedulerRunDetail: named(
      'SchedulerRunDetail',
      RunDetailSchema.extend({ run: SchedulerRun, results: pageOf(SchedulerRunResult) }),
    ),
    ...registerSuggestionSchemas(named),
  };
}

/** Transaction imports and suggestions. */
function registerSuggestionSchemas(named: Named) {
  const Suggestion = named('Suggestion', SuggestionViewSchema);
  const Transaction = named('TransactionInput', TransactionInputSchema);
  return {
    TransactionImport: named(
      'TransactionImport',
      TransactionImportJsonSchema.extend({ transactions: z.array(Transaction).min(1).max(100000) }),
    ),
    TransactionImportJob: named('TransactionImportJob', ImportViewSchema),
    Suggestion,
    SuggestionPage: named('SuggestionPage', pageOf(Suggestion)),
    SuggestionAccept: named('SuggestionAccept', SuggestionAcceptSchema),
    SuggestionAccepted: named(
      'SuggestionAccepted',
      SuggestionAcceptedSchema.extend({ suggestion: Suggestion }),
    ),
  };
}
