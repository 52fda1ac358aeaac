import { ADMIN_TOKEN, client, createTenant, startE2eSystem, type E2eSystem } from './helpers';

async function waitFor<T>(check: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Suggestions end to end, the system started as separate processes the way `npm start` does it:
 * import a CSV, list the suggestions, accept one and find the template with the right schedule and
 * the vendor it created.
 */
describe('end to end: a CSV of past transactions becomes a template', () => {
  let e2e: E2eSystem;

  beforeAll(async () => {
    e2e = await startE2eSystem(['gateway', 'templates', 'invoicing', 'suggestions']);
    const clock = await client(e2e.url, ADMIN_TOKEN).put('/v1/admin/clock', { today: '2026-07-08' });
    expect(clock.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('import, list, accept: a monthly bill on the 12th from the next occurrence, and its vendor', async () => {
    const { key, api } = await createTenant(e2e.url, 'Csv Agency');
    const lines = ['date,amount,direction,currency,counterparty,description'];
    for (let m = 1; m <= 18; m++) {
      const year = 2025 + Math.floor((m - 1) / 12);
      const month = String(((m - 1) % 12) + 1).padStart(2, '0');
      lines.push(
        `${year}-${month}-12,49.00,outgoing,USD,${m % 2 ? 'HOSTING.COM*7731' : 'Hosting Co Inc'},Plan`,
      );
      if (m % 3 === 1) lines.push(`${year}-${month}-20,1200.00,outgoing,USD,Hosting Co,Support`);
    }
    lines.push('2025-05-17,310.00,outgoing,USD,Hosting Co,Setup');
    const res = await fetch(`${e2e.url}/v1/transactions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
      body: `${lines.join('\n')}\n`,
    });
    expect(res.status).toBe(202);
    const job = (await res.json()) as { id: string };
    await waitFor(async () => {
      const r = await api.get(`/v1/transactions/imports/${job.id}`);
      return r.body.status === 'completed' ? r.body : null;
    });

    const list = (await api.get('/v1/suggestions?direction=outgoing')).body.data;
    expect(list.map((s: any) => [s.frequency, s.average_amount, s.day_of_month])).toEqual(
      expect.arrayContaining([
        ['monthly', '49.00', 12],
        ['quarterly', '1200.00', 20],
      ]),
    );
    expect(list).toHaveLength(2);
    const monthly = list.find((s: any) => s.frequency === 'monthly');
    expect(monthly).toMatchObject({
      counterparty_key: 'hosting',
      type: 'bill',
      next_date: '2026-07-12',
      occurrences: 18,
    });

    const accepted = await api.post(`/v1/suggestions/${monthly.id}/accept`, { days_until_due: 10 });
    expect(accepted.status).toBe(200);
    const template = (await api.get(`/v1/templates/${accepted.body.template.id}`)).body;
    expect(template).toMatchObject({
      type: 'bill',
      frequency: 'monthly',
      day_of_month: 12,
      start_date: '2026-07-12',
      next_occurrence_date: '2026-07-12',
      total: '49.00',
      days_until_due: 10,
      status: 'active',
    });
    const preview = (await api.get(`/v1/templates/${template.id}/preview?count=3`)).body;
    expect(preview.occurrences.map((o: any) => o.issue_date)).toEqual([
      '2026-07-12',
      '2026-08-12',
      '2026-09-12',
    ]);
    const vendor = (await api.get(`/v1/vendors/${template.vendor_id}`)).body;
    expect(vendor).toMatchObject({ name: 'Hosting Co Inc', currency: 'USD' });

    // The quarterly fee goes to the same vendor (found by its normalised name), on its own quarter.
    const quarterly = list.find((s: any) => s.frequency === 'quarterly');
    const second = await api.post(`/v1/suggestions/${quarterly.id}/accept`, {});
    expect(second.status).toBe(200);
    expect(second.body.counterparty).toMatchObject({ id: vendor.id, created: false });
    expect(second.body.template).toMatchObject({
      frequency: 'quarterly',
      day_of_month: 20,
      start_date: '2026-07-20',
    });
    expect((await api.get('/v1/vendors')).body.data).toHaveLength(1);
    expect((await api.get('/v1/suggestions')).body.data).toHaveLength(0);
  });
});
