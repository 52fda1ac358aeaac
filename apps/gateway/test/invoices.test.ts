import type { INestApplication } from '@nestjs/common';
import { InvoicesRpc, TemplatesRpc, type TenantContext } from '@billing/contracts';
import { ProblemError, requestIdOfCall, uuidv7 } from '@billing/common';
import { createTestDatabase, dropBus, uniqueName, type TestDatabase } from '@billing/common/testing';
import { serviceRequestId } from '../src/idempotency/request-fingerprint';
import { FakeServices } from './fake-services';
import { invoiceView, paymentView, templateView } from './fixtures';
import { type Api, bootGateway } from './support';

const PROBLEM_JSON = /^application\/problem\+json/;

/** The gateway alone on its bus; the invoicing and templates services are fakes answering their subjects. */
describe('gateway: /v1/invoices and template history (fake services)', () => {
  let db: TestDatabase;
  let root: string;
  let gateway: INestApplication;
  let api: Api;
  let fakes: FakeServices;
  let acme: { key: string; context: TenantContext };
  let globex: { key: string; context: TenantContext };

  beforeAll(async () => {
    db = await createTestDatabase('gwinv');
    root = uniqueName('gwinv');
    ({ app: gateway, api } = await bootGateway(db, root));
    fakes = await FakeServices.connect(root);
    const tenant = async (name: string, timezone: string) => {
      const created = await api.createTenant(name, { timezone });
      const { id } = created.tenant;
      return { key: created.api_key, context: { id, name, base_currency: 'USD', timezone } };
    };
    acme = await tenant('Acme Retainers', 'America/New_York');
    globex = await tenant('Globex', 'Europe/Paris');
  });

  afterEach(async () => {
    const errors = [...fakes.errors];
    await fakes.reset();
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await fakes?.close();
    await gateway?.close();
    await db?.drop();
    await dropBus(root);
  });

  const fields = (body: { errors: Array<{ field: string }> }) => body.errors.map((e) => e.field).sort();

  describe('GET /v1/invoices', () => {
    it('forwards the filters, parsed, with the caller tenant and answers the page', async () => {
      const page = { data: [invoiceView(), invoiceView({ type: 'bill' })], next_cursor: 'next-page' };
      await fakes.answer(InvoicesRpc.list, () => page);
      const customerId = uuidv7();
      const templateId = uuidv7();
      const res = await api.get(
        `/v1/invoices?type=invoice&status=open&customer_id=${customerId}&template_id=${templateId}&limit=2&cursor=0190f0e0-0000-7000-8000-0000000000c1`,
        acme.key,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual(page);
      const [call] = fakes.callsTo(InvoicesRpc.list);
      expect(call.tenant).toEqual(acme.context);
      expect(call.data).toEqual({
        type: 'invoice',
        status: 'open',
        customer_id: customerId,
        template_id: templateId,
        limit: 2,
        cursor: '0190f0e0-0000-7000-8000-0000000000c1',
      });
      const vendor = uuidv7();
      await api.get(`/v1/invoices?type=bill&vendor_id=${vendor}`, globex.key);
      expect(fakes.callsTo(InvoicesRpc.list)[1]).toMatchObject({
        tenant: globex.context,
        data: { type: 'bill', vendor_id: vendor, limit: 50 },
      });
    });

    it('answers bad filters with 422 naming each, without calling the service', async () => {
      const res = await api.get(
        '/v1/invoices?type=quote&status=late&customer_id=nope&vendor_id=1&template_id=x&limit=0&colour=red',
        acme.key,
      );
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.body.type).toBe('/problems/validation-error');
      expect(fields(res.body)).toEqual(
        ['colour', 'customer_id', 'limit', 'status', 'template_id', 'type', 'vendor_id'].sort(),
      );
      expect((await api.get('/v1/invoices?limit=201', acme.key)).status).toBe(422);
      expect(fakes.calls).toEqual([]);
    });

    it('answers 503 when the invoicing service is not running', async () => {
      const res = await api.get('/v1/invoices', acme.key);
      expect(res.status).toBe(503);
      expect(res.body.type).toBe('/problems/service-unavailable');
    });
  });

  describe('GET /v1/invoices/{id}', () => {
    it('answers the invoice; a 404 of the service (another tenant) passes through', async () => {
      const invoice = invoiceView();
      await fakes.answer(InvoicesRpc.get, ({ id }, call) => {
        if (id !== invoice.id || call.tenant?.id !== acme.context.id)
          throw ProblemError.notFound('Invoice', id);
        return invoice;
      });
      const mine = await api.get(`/v1/invoices/${invoice.id.toUpperCase()}`, acme.key);
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual(invoice);
      const theirs = await api.get(`/v1/invoices/${invoice.id}`, globex.key);
      expect(theirs.status).toBe(404);
      expect(theirs.body).toMatchObject({ type: '/problems/not-found', status: 404 });
      expect(fakes.callsTo(InvoicesRpc.get).map((c) => [c.data.id, c.tenant?.id])).toEqual([
        [invoice.id, acme.context.id],
        [invoice.id, globex.context.id],
      ]);
    });

    it('answers 404 for an id that is not a UUID on every invoice route, without calling a service', async () => {
      const gets = ['/v1/invoices/nope', '/v1/invoices/123/payments'];
      for (const path of gets) {
        const res = await api.get(path, acme.key);
        expect(res.status).toBe(404);
        expect(res.body.type).toBe('/problems/not-found');
      }
      for (const action of ['finalize', 'send', 'void']) {
        expect((await api.post(`/v1/invoices/not-a-uuid/${action}`, acme.key)).status).toBe(404);
      }
      const payment = await api.post('/v1/invoices/not-a-uuid/payments', acme.key, {
        amount: '10.00',
        currency: 'USD',
      });
      expect(payment.status).toBe(404);
      expect(fakes.calls).toEqual([]);
    });
  });

  describe('POST /v1/invoices/{id}/finalize|send|void', () => {
    const actions = [
      ['finalize', InvoicesRpc.finalize],
      ['send', InvoicesRpc.send],
      ['void', InvoicesRpc.void],
    ] as const;

    it.each(actions)('%s answers 200 with the invoice, with no body or {}', async (action, contract) => {
      const invoice = invoiceView({ status: action === 'void' ? 'void' : 'open', number: 'INV-000007' });
      await fakes.answer(contract, ({ id }) => ({ ...invoice, id }));
      const bare = await api.post(`/v1/invoices/${invoice.id}/${action}`, acme.key);
      expect(bare.status).toBe(200);
      expect(bare.body).toEqual(invoice);
      const empty = await api.post(`/v1/invoices/${invoice.id}/${action}`, acme.key, {});
      expect(empty.status).toBe(200);
      expect(fakes.callsTo(contract)).toEqual([
        expect.objectContaining({ data: { id: invoice.id }, tenant: acme.context }),
        expect.objectContaining({ data: { id: invoice.id }, tenant: acme.context }),
      ]);
    });

    it.each(actions)('%s refuses any field in the body with 422', async (action) => {
      const res = await api.post(`/v1/invoices/${uuidv7()}/${action}`, acme.key, { force: true });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        { field: 'force', message: 'is not a known field', code: 'unknown_field' },
      ]);
      expect(fakes.calls).toEqual([]);
    });

    it('passes the service state rules through as 409 and replays them under the same key', async () => {
      await fakes.answer(InvoicesRpc.void, () => {
        throw ProblemError.invalidState('A paid invoice cannot be voided.');
      });
      const key = { 'idempotency-key': 'void-paid-invoice' };
      const id = uuidv7();
      const first = await api.post(`/v1/invoices/${id}/void`, acme.key, undefined, key);
      expect(first.status).toBe(409);
      expect(first.body).toMatchObject({
        type: '/problems/invalid-state',
        detail: 'A paid invoice cannot be voided.',
      });
      const again = await api.post(`/v1/invoices/${id}/void`, acme.key, undefined, key);
      expect(again.status).toBe(409);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(fakes.callsTo(InvoicesRpc.void)).toHaveLength(1);
    });
  });

  describe('/v1/invoices/{id}/payments', () => {
    const payment = { amount: '500.00', currency: 'USD', paid_on: '2026-01-20', reference: 'wire 42' };

    /** Records payments like the service would: a new payment each time, the invoice's amount due down. */
    async function fakeRecordPayment(): Promise<void> {
      await fakes.answer(InvoicesRpc.recordPayment, ({ id, payment: input }) => {
        const recorded = paymentView(id, {
          amount: input.amount,
          currency: input.currency,
          paid_on: input.paid_on ?? '2026-01-15',
          reference: input.reference ?? null,
        });
        const invoice = invoiceView({
          id,
          status: 'partially_paid',
          amount_paid: input.amount,
          amount_due: '1123.75',
        });
        return { invoice, payment: recorded };
      });
    }

    it('records a payment: 201 with the invoice and the payment', async () => {
      await fakeRecordPayment();
      const id = uuidv7();
      const res = await api.post(`/v1/invoices/${id}/payments`, acme.key, payment);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        invoice: expect.objectContaining({ id, status: 'partially_paid', amount_due: '1123.75' }),
        payment: expect.objectContaining({ invoice_id: id, amount: '500.00', reference: 'wire 42' }),
      });
      const [call] = fakes.callsTo(InvoicesRpc.recordPayment);
      expect(call).toMatchObject({ tenant: acme.context, data: { id, payment }, requestId: null });
    });

    it('replays an idempotent payment instead of recording it twice', async () => {
      await fakeRecordPayment();
      const id = uuidv7();
      const key = { 'idempotency-key': 'pay-invoice-once' };
      const first = await api.post(`/v1/invoices/${id}/payments`, acme.key, payment, key);
      const again = await api.post(`/v1/invoices/${id}/payments`, acme.key, payment, key);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      const calls = fakes.callsTo(InvoicesRpc.recordPayment);
      expect(calls).toHaveLength(1);
      // The service is given a request id, so it can record the result with the payment (retry after 504).
      const path = `/v1/invoices/${id}/payments`;
      expect(calls[0].requestId).toBe(
        requestIdOfCall(
          serviceRequestId(acme.context.id, 'pay-invoice-once', 'POST', path, payment),
          'invoicing.invoices.record_payment.v1',
          0,
        ),
      );

      const otherAmount = await api.post(
        `/v1/invoices/${id}/payments`,
        acme.key,
        { ...payment, amount: '1.00' },
        key,
      );
      expect(otherAmount.status).toBe(422);
      expect(otherAmount.body.type).toBe('/problems/idempotency-key-reused');
      // Keys are per tenant: the same key from another tenant is another payment.
      const other = await api.post(`/v1/invoices/${id}/payments`, globex.key, payment, key);
      expect(other.status).toBe(201);
      expect(other.headers.get('idempotent-replayed')).toBeNull();
      expect(other.body.payment.id).not.toBe(first.body.payment.id);
      expect(fakes.callsTo(InvoicesRpc.recordPayment)).toHaveLength(2);
    });

    it('answers an invalid payment with 422 naming each field, without calling the service', async () => {
      const id = uuidv7();
      const bad = await api.post(`/v1/invoices/${id}/payments`, acme.key, {
        amount: 12.5,
        currency: 'XYZ',
        paid_on: 'yesterday',
        reference: 'r'.repeat(201),
        tip: '1.00',
      });
      expect(bad.status).toBe(422);
      expect(fields(bad.body)).toEqual(['amount', 'currency', 'paid_on', 'reference', 'tip']);
      const empty = await api.post(`/v1/invoices/${id}/payments`, acme.key, {});
      expect(empty.status).toBe(422);
      expect(empty.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'amount', message: 'is required' }),
          expect.objectContaining({ field: 'currency' }),
        ]),
      );
      const cents = await api.post(`/v1/invoices/${id}/payments`, acme.key, {
        amount: '1.005',
        currency: 'USD',
      });
      expect(fields(cents.body)).toEqual(['amount']);
      expect(fakes.calls).toEqual([]);
    });

    it('lists the payments of an invoice', async () => {
      const id = uuidv7();
      const payments = { data: [paymentView(id), paymentView(id, { amount: '1123.75' })] };
      await fakes.answer(InvoicesRpc.listPayments, () => payments);
      const res = await api.get(`/v1/invoices/${id}/payments`, acme.key);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(payments);
      expect(fakes.callsTo(InvoicesRpc.listPayments)).toEqual([
        expect.objectContaining({ data: { id }, tenant: acme.context }),
      ]);
    });
  });

  describe('GET /v1/templates/{id}/history', () => {
    const template = templateView();
    const history = {
      data: [
        {
          invoice_id: uuidv7(),
          number: 'INV-000001',
          occurrence_date: '2026-01-31',
          status: 'open' as const,
          total: '1500.00',
          amount_due: '1500.00',
          currency: 'USD' as const,
          due_date: '2026-03-02',
          sent_at: null,
          created_at: '2026-01-31T05:00:00.000Z',
        },
      ],
      next_cursor: null,
    };

    /** The templates fake knows one template of acme; the invoicing fake answers its history. */
    async function fakeTemplatesAndHistory(): Promise<void> {
      await fakes.answer(TemplatesRpc.get, ({ id }, call) => {
        if (id !== template.id || call.tenant?.id !== acme.context.id)
          throw ProblemError.notFound('Template', id);
        return template;
      });
      await fakes.answer(InvoicesRpc.templateHistory, () => history);
    }

    it('checks the template in the tenant, then answers what it generated', async () => {
      await fakeTemplatesAndHistory();
      const res = await api.get(
        `/v1/templates/${template.id}/history?limit=10&cursor=0190f0e0-0000-7000-8000-0000000000c1`,
        acme.key,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual(history);
      expect(fakes.calls.map((c) => c.operation)).toEqual([
        TemplatesRpc.get.name,
        InvoicesRpc.templateHistory.name,
      ]);
      expect(fakes.callsTo(TemplatesRpc.get)[0]).toMatchObject({
        data: { id: template.id },
        tenant: acme.context,
      });
      expect(fakes.callsTo(InvoicesRpc.templateHistory)[0]).toMatchObject({
        data: { template_id: template.id, limit: 10, cursor: '0190f0e0-0000-7000-8000-0000000000c1' },
        tenant: acme.context,
      });
    });

    it("answers 404 for another tenant's template without asking for its history", async () => {
      await fakeTemplatesAndHistory();
      const theirs = await api.get(`/v1/templates/${template.id}/history`, globex.key);
      expect(theirs.status).toBe(404);
      expect(theirs.body.type).toBe('/problems/not-found');
      const unknown = await api.get(`/v1/templates/${uuidv7()}/history`, acme.key);
      expect(unknown.status).toBe(404);
      expect(fakes.callsTo(InvoicesRpc.templateHistory)).toEqual([]);
    });

    it('answers 404 for a malformed id and 422 for a bad page, calling no service', async () => {
      expect((await api.get('/v1/templates/nope/history', acme.key)).status).toBe(404);
      const bad = await api.get(`/v1/templates/${template.id}/history?limit=500&status=open`, acme.key);
      expect(bad.status).toBe(422);
      expect(fields(bad.body)).toEqual(['limit', 'status']);
      expect(fakes.calls).toEqual([]);
    });

    it('answers 503 when the templates service is down, and does not ask for the history', async () => {
      await fakes.answer(InvoicesRpc.templateHistory, () => history);
      const res = await api.get(`/v1/templates/${template.id}/history`, acme.key);
      expect(res.status).toBe(503);
      expect(fakes.calls).toEqual([]);
    });
  });

  it('needs an API key on every invoice route', async () => {
    const id = uuidv7();
    const routes: Array<[string, string]> = [
      ['GET', '/v1/invoices'],
      ['GET', `/v1/invoices/${id}`],
      ['POST', `/v1/invoices/${id}/finalize`],
      ['POST', `/v1/invoices/${id}/send`],
      ['POST', `/v1/invoices/${id}/void`],
      ['POST', `/v1/invoices/${id}/payments`],
      ['GET', `/v1/invoices/${id}/payments`],
      ['GET', `/v1/templates/${id}/history`],
    ];
    for (const [method, path] of routes) {
      const res = await api.request(method, path, { token: null });
      expect(res.status).toBe(401);
      expect(res.body.type).toBe('/problems/unauthorized');
    }
    expect(fakes.calls).toEqual([]);
  });
});
