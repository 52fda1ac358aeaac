import type { INestApplication } from '@nestjs/common';
import { NotifierRpc, TenantsRpc, type TenantContext } from '@billing/contracts';
import { ProblemError, uuidv7 } from '@billing/common';
import {
  TestRpc,
  TEST_NATS_URL,
  createTestDatabase,
  dropBus,
  uniqueName,
  type TestDatabase,
} from '@billing/common/testing';
import { FakeServices } from './fake-services';
import { ADMIN_TOKEN, type Api, bootGateway } from './support';

const PROBLEM_JSON = /^application\/problem\+json/;

/** The gateway's notifier routes and tenant profile, with the notifier a fake. */
describe('gateway: PDFs, deliveries, reminders and the tenant profile', () => {
  let db: TestDatabase;
  let root: string;
  let gateway: INestApplication;
  let api: Api;
  let fakes: FakeServices;
  let acme: { key: string; context: TenantContext };

  beforeAll(async () => {
    db = await createTestDatabase('gwntf');
    root = uniqueName('gwntf');
    ({ app: gateway, api } = await bootGateway(db, root));
    fakes = await FakeServices.connect(root);
    const created = await api.createTenant('Acme Retainers');
    acme = {
      key: created.api_key,
      context: { id: created.tenant.id, name: 'Acme Retainers', base_currency: 'USD', timezone: 'UTC' },
    };
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

  it('GET /v1/invoices/{id}/pdf answers the PDF as application/pdf', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% a tiny stand-in\n%%EOF\n');
    const id = uuidv7();
    await fakes.answer(NotifierRpc.invoicePdf, () => ({
      filename: 'INV-000042.pdf',
      content_base64: pdf.toString('base64'),
    }));
    const res = await fetch(`${api.url}/v1/invoices/${id}/pdf`, {
      headers: { authorization: `Bearer ${acme.key}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="INV-000042.pdf"');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(pdf);
    expect(fakes.callsTo(NotifierRpc.invoicePdf)).toEqual([
      expect.objectContaining({ data: { id }, tenant: acme.context }),
    ]);
  });

  it('a notifier problem is a problem+json, not a PDF', async () => {
    await fakes.answer(NotifierRpc.invoicePdf, () => {
      throw ProblemError.invalidState('Only invoices are rendered and emailed; bills come from vendors.');
    });
    const res = await api.get(`/v1/invoices/${uuidv7()}/pdf`, acme.key);
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect((await api.get('/v1/invoices/not-a-uuid/pdf', acme.key)).status).toBe(404);
  });

  it('PUT /v1/reminders/policy validates before forwarding: bad offsets are a 422 that changes nothing', async () => {
    await fakes.answer(NotifierRpc.setReminderPolicy, (data) => ({
      offsets: data.offsets,
      updated_at: null,
    }));
    for (const body of [
      { offsets: [1, 1] },
      { offsets: [0.5] },
      { offsets: [366] },
      { offsets: 'soon' },
      { offsets: [1], extra: true },
      {},
    ]) {
      const res = await api.request('PUT', '/v1/reminders/policy', { token: acme.key, body });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    }
    expect(fakes.callsTo(NotifierRpc.setReminderPolicy)).toHaveLength(0);
    const ok = await api.request('PUT', '/v1/reminders/policy', {
      token: acme.key,
      body: { offsets: [-3, 7] },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ offsets: [-3, 7], updated_at: null });
  });

  it('pausing reminders forwards the invoice id with the tenant', async () => {
    const id = uuidv7();
    await fakes.answer(NotifierRpc.pauseReminders, (data) => ({ invoice_id: data.id, paused: true }));
    const res = await api.post(`/v1/invoices/${id}/reminders/pause`, acme.key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ invoice_id: id, paused: true });
  });

  it('PATCH /v1/tenant sets the address and paper size that PDFs print; TenantsRpc.get answers them', async () => {
    const address = { line1: '500 Market Street', city: 'San Francisco', region: 'CA', country: 'US' };
    const res = await api.patch('/v1/tenant', acme.key, { address, paper_size: 'Letter' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Acme Retainers', address, paper_size: 'Letter' });
    const bad = await api.patch('/v1/tenant', acme.key, { paper_size: 'A3', address: { city: '' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['paper_size', 'address.line1', 'address.city', 'address.country']),
    );
    const rpc = await TestRpc.connect(TEST_NATS_URL, root);
    try {
      expect(await rpc.call(TenantsRpc.get, { id: acme.context.id }, null)).toMatchObject({
        address,
        paper_size: 'Letter',
      });
      await expect(rpc.call(TenantsRpc.get, { id: acme.context.id }, acme.context)).rejects.toMatchObject({
        problem: { status: 409 },
      });
    } finally {
      await rpc.close();
    }
    const renamed = await api.patch(`/v1/admin/tenants/${acme.context.id}`, ADMIN_TOKEN, { address: null });
    expect(renamed.body).toMatchObject({ address: null, paper_size: 'Letter' });
  });
});
