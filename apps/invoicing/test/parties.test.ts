import type { INestApplication } from '@nestjs/common';
import { CustomersRpc, VendorsRpc, PartyEvents, eventStreamName, eventSubject } from '@billing/contracts';
import { ProblemError } from '@billing/common';
import {
  TEST_NATS_URL,
  TestRpc,
  bootTestApp,
  createTestDatabase,
  dropBus,
  eventually,
  testEnv,
  testTenant,
  uniqueName,
  type TestDatabase,
} from '@billing/common/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { InvoicingAppModule } from '../src/app.module';
import { invoicingConfigSchema } from '../src/config';

describe('invoicing: customers and vendors over NATS', () => {
  let db: TestDatabase;
  let root: string;
  let app: INestApplication;
  let rpc: TestRpc;
  const tenant = testTenant();
  const other = testTenant({ base_currency: 'EUR' });

  beforeAll(async () => {
    db = await createTestDatabase('invoicing');
    root = uniqueName('inv');
    ({ app } = await bootTestApp(
      invoicingConfigSchema,
      (c) => InvoicingAppModule.forRoot(c),
      testEnv(db, root),
    ));
    rpc = await TestRpc.connect(TEST_NATS_URL, root);
  });

  afterAll(async () => {
    await rpc?.close();
    await app?.close();
    await db?.drop();
    await dropBus(root);
  });

  it('creates, reads, updates and lists customers within the tenant', async () => {
    const created = await rpc.call(
      CustomersRpc.create,
      {
        name: 'Northwind',
        email: 'ap@northwind.test',
        address: { line1: '1 Main St', city: 'Springfield', country: 'US' },
      },
      tenant,
    );
    expect(created).toMatchObject({ name: 'Northwind', currency: 'USD', email: 'ap@northwind.test' });
    expect(await rpc.call(CustomersRpc.get, { id: created.id }, tenant)).toEqual(created);

    const updated = await rpc.call(
      CustomersRpc.update,
      { id: created.id, patch: { currency: 'CAD' } },
      tenant,
    );
    expect(updated.currency).toBe('CAD');

    const page = await rpc.call(CustomersRpc.list, { limit: 10 }, tenant);
    expect(page.data.map((c) => c.id)).toEqual([created.id]);
  });

  it("never shows one tenant another tenant's customer", async () => {
    const mine = await rpc.call(CustomersRpc.create, { name: 'Mine', email: 'a@b.test' }, tenant);
    await expect(rpc.call(CustomersRpc.get, { id: mine.id }, other)).rejects.toMatchObject({
      problem: { status: 404 },
    });
    const page = await rpc.call(CustomersRpc.list, { limit: 50 }, other);
    expect(page.data).toEqual([]);
  });

  it('answers bad input with field errors and stores nothing', async () => {
    const before = await rpc.call(VendorsRpc.list, { limit: 200 }, tenant);
    const err = (await rpc
      .call(VendorsRpc.create, { name: '', currency: 'XYZ', colour: 'red' } as never, tenant)
      .catch((e: unknown) => e)) as ProblemError;
    expect(err).toBeInstanceOf(ProblemError);
    expect(err.problem.status).toBe(422);
    expect(err.problem.errors?.map((e) => e.field).sort()).toEqual(['colour', 'currency', 'name']);
    const customerErr = (await rpc
      .call(CustomersRpc.create, { name: 'No Email' }, tenant)
      .catch((e: unknown) => e)) as ProblemError;
    expect(customerErr.problem.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    expect((await rpc.call(VendorsRpc.list, { limit: 200 }, tenant)).data).toEqual(before.data);
  });

  it('pages with a cursor', async () => {
    const t = testTenant();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await rpc.call(VendorsRpc.create, { name: `V${i}` }, t)).id);
    const first = await rpc.call(VendorsRpc.list, { limit: 2 }, t);
    const second = await rpc.call(VendorsRpc.list, { limit: 2, cursor: first.next_cursor! }, t);
    const third = await rpc.call(VendorsRpc.list, { limit: 2, cursor: second.next_cursor! }, t);
    expect([...first.data, ...second.data, ...third.data].map((v) => v.id)).toEqual(ids);
    expect(third.next_cursor).toBeNull();
  });

  it('publishes customer.created through the outbox', async () => {
    const jsm = await jetstreamManager(rpc.nc);
    const subject = eventSubject(root, PartyEvents.customerCreated);
    const created = await rpc.call(CustomersRpc.create, { name: 'Evented', email: 'e@v.test' }, tenant);
    const found = await eventually(async () => {
      const msg = await jsm.streams.getMessage(eventStreamName(root), { last_by_subj: subject });
      const body = msg?.json<{ event_id: string; data: { customer: { id: string } } }>();
      return body?.data.customer.id === created.id ? { body, msgId: msg!.header.get('Nats-Msg-Id') } : null;
    });
    expect(found.msgId).toBe(found.body.event_id);
  });
});
