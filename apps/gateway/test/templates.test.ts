import type { INestApplication } from '@nestjs/common';
import {
  bootTestApp,
  createTestDatabase,
  dropBus,
  testEnv,
  uniqueName,
  type TestDatabase,
} from '@billing/common/testing';
import { InvoicingAppModule } from '../../invoicing/src/app.module';
import { invoicingConfigSchema } from '../../invoicing/src/config';
import { TemplatesAppModule } from '../../templates/src/app.module';
import { templatesConfigSchema } from '../../templates/src/config';
import { ADMIN_TOKEN, type Api, bootGateway } from './support';

const TODAY = '2026-01-15';

describe('gateway: /v1/templates over the templates and invoicing services', () => {
  const dbs: TestDatabase[] = [];
  let root: string;
  const apps: INestApplication[] = [];
  let api: Api;
  let key: string;
  let otherKey: string;
  let customerId: string;
  let vendorId: string;

  beforeAll(async () => {
    root = uniqueName('gwtpl');
    const [gatewayDb, invoicingDb, templatesDb] = await Promise.all(
      ['gwt', 'gwtinv', 'gwttpl'].map((p) => createTestDatabase(p)),
    );
    dbs.push(gatewayDb, invoicingDb, templatesDb);
    const manual = { CLOCK_MODE: 'manual' };
    apps.push(
      (
        await bootTestApp(
          invoicingConfigSchema,
          (c) => InvoicingAppModule.forRoot(c),
          testEnv(invoicingDb, root, manual),
        )
      ).app,
      (
        await bootTestApp(
          templatesConfigSchema,
          (c) => TemplatesAppModule.forRoot(c),
          testEnv(templatesDb, root, manual),
        )
      ).app,
    );
    const gateway = await bootGateway(gatewayDb, root, manual);
    apps.push(gateway.app);
    api = gateway.api;
    const clock = await api.request('PUT', '/v1/admin/clock', { token: ADMIN_TOKEN, body: { today: TODAY } });
    expect(clock.status).toBe(200);
    key = (await api.createTenant('Acme Retainers', { timezone: 'America/New_York' })).api_key;
    otherKey = (await api.createTenant('Globex')).api_key;
    customerId = (await api.post('/v1/customers', key, { name: 'Northwind', email: 'ap@northwind.test' }))
      .body.id;
    vendorId = (await api.post('/v1/vendors', key, { name: 'Office Lease', currency: 'EUR' })).body.id;
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await Promise.all(dbs.map((db) => db.drop()));
    await dropBus(root);
  });

  const monthly = (overrides: Record<string, unknown> = {}) => ({
    type: 'invoice',
    customer_id: customerId,
    frequency: 'monthly',
    start_date: '2026-01-31',
    total: '1500.00',
    ...overrides,
  });

  it('creates, reads and updates a template', async () => {
    const created = await api.post('/v1/templates', key, monthly({ description: 'Retainer' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'invoice',
      customer_id: customerId,
      status: 'active',
      total: '1500.00',
      next_occurrence_date: '2026-01-31',
      generated_count: 0,
    });
    const got = await api.get(`/v1/templates/${created.body.id}`, key);
    expect(got.body).toEqual(created.body);
    const patched = await api.patch(`/v1/templates/${created.body.id}`, key, { total: '1750.00' });
    expect(patched.status).toBe(200);
    expect(patched.body.total).toBe('1750.00');
  });

  it('lists with type, status and counterparty filters and a cursor', async () => {
    const bill = await api.post('/v1/templates', key, {
      type: 'bill',
      vendor_id: vendorId,
      frequency: 'weekly',
      total: '99.99',
    });
    expect(bill.status).toBe(201);
    const bills = await api.get('/v1/templates?type=bill', key);
    expect(bills.body.data.map((t: { id: string }) => t.id)).toEqual([bill.body.id]);
    const byVendor = await api.get(`/v1/templates?vendor_id=${vendorId}`, key);
    expect(byVendor.body.data.map((t: { id: string }) => t.id)).toEqual([bill.body.id]);
    const invoices = await api.get(`/v1/templates?customer_id=${customerId}&status=active`, key);
    expect(invoices.body.data.length).toBeGreaterThan(0);
    expect(invoices.body.data.every((t: { type: string }) => t.type === 'invoice')).toBe(true);

    const first = await api.get('/v1/templates?limit=1', key);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await api.get(`/v1/templates?limit=1&cursor=${first.body.next_cursor}`, key);
    expect(second.body.data[0].id).not.toBe(first.body.data[0].id);

    for (const query of ['type=credit', 'status=done', 'customer_id=nope', 'colour=red']) {
      expect((await api.get(`/v1/templates?${query}`, key)).status).toBe(422);
    }
  });

  it('pauses, resumes, skips the next occurrence and previews the schedule', async () => {
    const { body: template } = await api.post('/v1/templates', key, monthly());
    const paused = await api.post(`/v1/templates/${template.id}/pause`, key);
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    expect(
      (await api.get('/v1/templates?status=paused', key)).body.data.map((t: { id: string }) => t.id),
    ).toContain(template.id);
    const resumed = await api.post(`/v1/templates/${template.id}/resume`, key);
    expect(resumed.body).toMatchObject({ status: 'active', next_occurrence_date: '2026-01-31' });

    const preview = await api.get(`/v1/templates/${template.id}/preview?count=3`, key);
    expect(preview.status).toBe(200);
    expect(preview.body.occurrences.map((o: { issue_date: string }) => o.issue_date)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
    ]);
    expect(preview.body.occurrences[0]).toMatchObject({ due_date: '2026-03-02', total: '1500.00' });
    expect((await api.get(`/v1/templates/${template.id}/preview?count=0`, key)).status).toBe(422);

    const skipped = await api.post(`/v1/templates/${template.id}/skip-next`, key);
    expect(skipped.body).toMatchObject({ next_occurrence_date: '2026-02-28', skipped_count: 1 });
    const withBody = await api.post(`/v1/templates/${template.id}/pause`, key, { reason: 'x' });
    expect(withBody.status).toBe(422);
    expect(withBody.body.errors[0].field).toBe('reason');
  });

  it('clones (201), cancels, deletes (204) and keeps other tenants out', async () => {
    const { body: template } = await api.post('/v1/templates', key, monthly());
    const clone = await api.post(`/v1/templates/${template.id}/clone`, key, { start_date: '2026-02-01' });
    expect(clone.status).toBe(201);
    expect(clone.body).toMatchObject({ start_date: '2026-02-01', generated_count: 0, status: 'active' });
    expect(clone.body.id).not.toBe(template.id);

    expect((await api.get(`/v1/templates/${template.id}`, otherKey)).status).toBe(404);
    expect((await api.post(`/v1/templates/${template.id}/pause`, otherKey)).status).toBe(404);
    expect((await api.get('/v1/templates', otherKey)).body.data).toEqual([]);

    const cancelled = await api.post(`/v1/templates/${template.id}/cancel`, key);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await api.post(`/v1/templates/${template.id}/cancel`, key);
    expect(again.status).toBe(409);

    const deleted = await api.request('DELETE', `/v1/templates/${clone.body.id}`, { token: key });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');
    expect((await api.get(`/v1/templates/${clone.body.id}`, key)).status).toBe(404);
    expect((await api.get('/v1/templates/not-a-uuid', key)).status).toBe(404);
  });

  it("passes the service's own rule errors through with REST field names", async () => {
    const pastStart = await api.post('/v1/templates', key, monthly({ start_date: '2025-12-01' }));
    expect(pastStart.status).toBe(422);
    expect(pastStart.body.errors).toEqual([expect.objectContaining({ field: 'start_date' })]);
    const otherCustomer = await api.post('/v1/templates', otherKey, monthly());
    expect(otherCustomer.status).toBe(422);
    expect(otherCustomer.body.errors).toEqual([expect.objectContaining({ field: 'customer_id' })]);
    const badLine = await api.post(
      '/v1/templates',
      key,
      monthly({
        total: undefined,
        line_items: [{ description: 'Hours', quantity: 2, unit_price: '12.345' }],
      }),
    );
    expect(badLine.status).toBe(422);
    expect(badLine.body.errors).toEqual([expect.objectContaining({ field: 'line_items[0].unit_price' })]);
  });

  it('creates a template once for one Idempotency-Key', async () => {
    const headers = { 'idempotency-key': '7d0c3a52-3c1e-4a55-9d1f-0b6a1f7e9c21' };
    const body = { type: 'bill', vendor_id: vendorId, frequency: 'daily', total: '1.00', notes: 'once' };
    const count = async () =>
      (await api.get(`/v1/templates?vendor_id=${vendorId}&limit=200`, key)).body.data.filter(
        (t: { notes: string | null }) => t.notes === 'once',
      ).length;
    const first = await api.post('/v1/templates', key, body, headers);
    const again = await api.post('/v1/templates', key, body, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await count()).toBe(1);
  });
});
