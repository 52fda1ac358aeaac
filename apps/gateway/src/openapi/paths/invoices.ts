import { InvoiceListQuerySchema } from '@billing/contracts';
import { ById, group, type Operation, stateAction } from '../operation';
import { type Schemas } from '../schemas';

/** `/v1/invoices`: invoices and bills, their lifecycle and payments. */
export function invoiceOperations(s: Schemas): Operation[] {
  const byId = ById('Invoice');
  const action = stateAction('/v1/invoices', 'Invoice', s.Invoice);
  return group('Invoices', 'tenant', [
    {
      method: 'get',
      path: '/v1/invoices',
      summary: 'List invoices and bills (filters: type, status, customer_id, vendor_id, template_id)',
      query: InvoiceListQuerySchema,
      status: 200,
      response: s.InvoicePage,
    },
    {
      method: 'get',
      path: '/v1/invoices/{id}',
      summary: 'Get an invoice or bill',
      params: byId,
      status: 200,
      response: s.Invoice,
      problems: [404],
    },
    action('finalize', 'Finalize a draft: it gets its number and is posted to the ledger'),
    action('send', 'Have an invoice delivered to its customer (invoices only; a draft is finalized first)'),
    action('void', 'Void: the ledger entries are reversed'),
    {
      method: 'post',
      path: '/v1/invoices/{id}/payments',
      summary: 'Record a payment; the answer has the payment and the invoice with its new amount due',
      params: byId,
      body: s.PaymentCreate,
      status: 201,
      response: s.PaymentRecorded,
      problems: [404, 409],
    },
    {
      method: 'get',
      path: '/v1/invoices/{id}/payments',
      summary: 'The payments recorded on an invoice or bill',
      params: byId,
      status: 200,
      response: s.PaymentList,
      problems: [404],
    },
  ]);
}
