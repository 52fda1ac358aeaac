import { ById, group, type Operation } from '../operation';
import { type Schemas } from '../schemas';

/** Invoice PDFs, emails and payment reminders (answered by the notifier). */
export function notifierOperations(s: Schemas): Operation[] {
  const byId = ById('Invoice');
  return [
    ...group('Invoices', 'tenant', [
      {
        method: 'get',
        path: '/v1/invoices/{id}/pdf',
        summary: 'The invoice as a PDF (application/pdf), rendered now; bills have none (409)',
        params: byId,
        status: 200,
        produces: 'application/pdf',
        problems: [404, 409],
      },
      {
        method: 'get',
        path: '/v1/invoices/{id}/deliveries',
        summary: 'The emails of an invoice (the invoice itself, each reminder): status, attempts, errors',
        params: byId,
        status: 200,
        response: s.DeliveryList,
        problems: [404],
      },
      {
        method: 'post',
        path: '/v1/invoices/{id}/reminders/pause',
        summary: 'Stop payment reminders for this invoice (reminders already queued are cancelled)',
        params: byId,
        status: 200,
        response: s.InvoiceReminders,
        problems: [404],
      },
      {
        method: 'post',
        path: '/v1/invoices/{id}/reminders/resume',
        summary: 'Send payment reminders for this invoice again',
        params: byId,
        status: 200,
        response: s.InvoiceReminders,
        problems: [404],
      },
    ]),
    ...group('Reminders', 'tenant', [
      {
        method: 'get',
        path: '/v1/reminders/policy',
        summary: 'The reminder policy: day offsets from the due date (empty: no reminders)',
        status: 200,
        response: s.ReminderPolicy,
      },
      {
        method: 'put',
        path: '/v1/reminders/policy',
        summary: 'Set the reminder policy, e.g. {"offsets": [-3, 1, 7, 14]} (integers in ±365, no repeats)',
        body: s.ReminderPolicySet,
        status: 200,
        response: s.ReminderPolicy,
      },
      {
        method: 'post',
        path: '/v1/reminders/runs',
        summary: "Run today's reminder pass now (the daily pass runs by itself); answers what it queued",
        status: 200,
        response: s.ReminderRun,
      },
    ]),
  ];
}
