import { JournalListQuerySchema, ReportQuerySchema } from '@billing/contracts';
import { group, type Operation } from '../operation';
import { type Schemas } from '../schemas';

/** The journal and the reports built on it. */
export function ledgerOperations(s: Schemas): Operation[] {
  return group('Ledger', 'tenant', [
    {
      method: 'get',
      path: '/v1/journal-entries',
      summary: 'Journal entries (filter: invoice_id); each is balanced',
      query: JournalListQuerySchema,
      status: 200,
      response: s.JournalEntryPage,
    },
    {
      method: 'get',
      path: '/v1/reports/trial-balance',
      summary: 'Trial balance per currency as of a date',
      query: ReportQuerySchema,
      status: 200,
      response: s.TrialBalance,
    },
    {
      method: 'get',
      path: '/v1/reports/aging',
      summary: 'Aging of open amounts per currency as of a date (current, 1_30, 31_60, 61_90, 90_plus days)',
      query: ReportQuerySchema,
      status: 200,
      response: s.AgingReport,
    },
  ]);
}
