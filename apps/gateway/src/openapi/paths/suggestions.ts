import { SuggestionListQuerySchema } from '@billing/contracts';
import { ById, group, type Operation } from '../operation';
import { type Schemas } from '../schemas';

/** `/v1/transactions` (imports) and `/v1/suggestions`. */
export function suggestionOperations(s: Schemas): Operation[] {
  return [
    ...group('Transactions', 'tenant', [
      {
        method: 'post',
        path: '/v1/transactions',
        summary:
          'Import past transactions as JSON (`{"transactions": [...]}`) or CSV (`text/csv`, header row ' +
          'date,amount,direction,currency,counterparty[,description][,external_id]); up to 100,000 rows. ' +
          'Any bad row rejects the file (422, `rows[N].<field>`); re-importing adds nothing. Runs as a job: ' +
          '202 with the import, `Location` to follow it',
        body: s.TransactionImport,
        csvBody: true,
        status: 202,
        response: s.TransactionImportJob,
      },
      {
        method: 'get',
        path: '/v1/transactions/imports/{id}',
        summary: 'An import job and its progress',
        params: ById('Import'),
        status: 200,
        response: s.TransactionImportJob,
        problems: [404],
      },
    ]),
    ...group('Suggestions', 'tenant', [
      {
        method: 'get',
        path: '/v1/suggestions',
        summary: 'Recurring patterns found in the transactions, highest confidence first',
        query: SuggestionListQuerySchema,
        status: 200,
        response: s.SuggestionPage,
      },
      {
        method: 'get',
        path: '/v1/suggestions/{id}',
        summary: 'A suggestion',
        params: ById('Suggestion'),
        status: 200,
        response: s.Suggestion,
        problems: [404],
      },
      {
        method: 'post',
        path: '/v1/suggestions/{id}/accept',
        summary:
          'Create the template it proposes (invoice for incoming money, bill for outgoing), finding the ' +
          'customer or vendor by name or creating it; overrides are validated like a template',
        params: ById('Suggestion'),
        body: s.SuggestionAccept,
        optionalBody: true,
        status: 200,
        response: s.SuggestionAccepted,
        problems: [404, 409],
      },
      {
        method: 'post',
        path: '/v1/suggestions/{id}/dismiss',
        summary: 'Hide the suggestion for good (re-mining does not bring it back)',
        params: ById('Suggestion'),
        status: 200,
        response: s.Suggestion,
        problems: [404, 409],
      },
    ]),
  ];
}
