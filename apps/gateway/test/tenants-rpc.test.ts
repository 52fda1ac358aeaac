import type { INestApplication } from '@nestjs/common';
import { TenantViewSchema, TenantsRpc } from '@billing/contracts';
import {
  TEST_NATS_URL,
  TestRpc,
  createTestDatabase,
  dropBus,
  testTenant,
  uniqueName,
  type TestDatabase,
} from '@billing/common/testing';
import { type Api, bootGateway } from './support';

/** `TenantsRpc.list`, answered by the gateway over NATS: how the scheduler finds every tenant. */
describe('gateway: TenantsRpc.list', () => {
  let db: TestDatabase;
  let root: string;
  let gateway: INestApplication;
  let api: Api;
  let rpc: TestRpc;
  const created: Array<{ id: string; name: string; timezone: string }> = [];

  beforeAll(async () => {
    db = await createTestDatabase('gwten');
    root = uniqueName('gwten');
    ({ app: gateway, api } = await bootGateway(db, root));
    rpc = await TestRpc.connect(TEST_NATS_URL, root);
    const zones = ['UTC', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Europe/Paris'];
    for (const [i, timezone] of zones.entries()) {
      created.push((await api.createTenant(`Tenant ${i}`, { timezone, base_currency: 'EUR' })).tenant);
    }
  });

  afterAll(async () => {
    await rpc?.close();
    await gateway?.close();
    await db?.drop();
    await dropBus(root);
  });

  it('pages every tenant by id, with its base currency and time zone', async () => {
    const seen: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await rpc.call(TenantsRpc.list, { limit: 2, ...(cursor ? { cursor } : {}) }, null);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const ids = created.map((t) => t.id).sort();
    expect(seen.map((t) => (t as { id: string }).id)).toEqual(ids);
    for (const tenant of seen) {
      expect(TenantViewSchema.strict().safeParse(tenant).success).toBe(true);
    }
    expect(seen).toContainEqual({
      ...created[2],
      base_currency: 'EUR',
      timezone: 'Australia/Sydney',
      created_at: expect.any(String),
    });
  });

  it('defaults to pages of 50 and ends with a null cursor', async () => {
    const page = await rpc.call(TenantsRpc.list, { limit: 50 }, null);
    expect(page.data).toHaveLength(created.length);
    expect(page.next_cursor).toBeNull();
  });

  it('answers a bad page with 422 naming the field', async () => {
    await expect(rpc.call(TenantsRpc.list, { limit: 0 }, null)).rejects.toMatchObject({
      problem: { status: 422, errors: [expect.objectContaining({ field: 'limit' })] },
    });
    await expect(rpc.call(TenantsRpc.list, { limit: 2, cursor: 'not-a-cursor' }, null)).rejects.toMatchObject(
      {
        problem: { status: 422, errors: [expect.objectContaining({ field: 'cursor' })] },
      },
    );
  });

  it("refuses a call made in a tenant's name: one tenant never sees the others", async () => {
    await expect(
      rpc.call(TenantsRpc.list, { limit: 2 }, testTenant({ id: created[0].id })),
    ).rejects.toMatchObject({
      problem: { status: 409, type: '/problems/invalid-state' },
    });
  });
});
