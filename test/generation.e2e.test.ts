import { ADMIN_TOKEN, client, createTenant, startE2eSystem, type E2eSystem } from './helpers';

type Api = ReturnType<typeof client>;

/**
 * The schedule runs itself: the manual clock is driven day by day through HTTP and the scheduler is
 * run on each day, with the system started as separate processes the way `npm start` does it.
 */
describe('end to end: every due occurrence becomes exactly one document', () => {
  let e2e: E2eSystem;
  let admin: Api;
  let api: Api;
  let customerId: string;
  let vendorId: string;
  const ids: Record<string, string> = {};

  const setToday = async (today: string) =>
    expect((await admin.put('/v1/admin/clock', { today })).status).toBe(200);

  /** Runs the scheduler for today and waits until every occurrence it published became a document. */
  const runScheduler = async () => {
    const run = await api.post('/v1/scheduler/runs', {});
    expect(run.status).toBe(201);
    const detail = await waitFor(async () => {
      const d = (await api.get(`/v1/scheduler/runs/${run.body.id}?limit=200`)).body;
      return d.run.status !== 'running' && d.run.counts.pending === 0 ? d : null;
    });
    // The documents exist; the templates count them from invoice.generated, a moment later.
    const latest = new Map<string, string>();
    for (const r of detail.results.data.filter((x: any) => x.outcome === 'generated')) {
      if ((latest.get(r.template_id) ?? '') < r.occurrence_date) latest.set(r.template_id, r.occurrence_date);
    }
    await waitFor(async () => {
      for (const [id, date] of latest) {
        const t = (await api.get(`/v1/templates/${id}`)).body;
        if (t.last_generated_date === null || t.last_generated_date < date) return null;
      }
      return true;
    });
    return run.body;
  };

  const day = async (today: string) => {
    await setToday(today);
    await runScheduler();
  };

  const create = async (name: string, body: Record<string, unknown>) => {
    const res = await api.post('/v1/templates', {
      type: 'invoice',
      customer_id: customerId,
      total: '100.00',
      ...body,
    });
    expect(res.status).toBe(201);
    ids[name] = res.body.id;
    return res.body;
  };

  const invoicesOf = async (name: string): Promise<any[]> => {
    const out: any[] = [];
    let cursor: string | null = null;
    do {
      const res = await api.get(
        `/v1/invoices?template_id=${ids[name]}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      out.push(...res.body.data);
      cursor = res.body.next_cursor;
    } while (cursor);
    return out;
  };

  const issueDates = async (name: string): Promise<string[]> =>
    (await invoicesOf(name)).map((i: { issue_date: string }) => i.issue_date).sort();

  /** Documents are generated asynchronously from the events: wait until the template has them all. */
  const expectDates = async (name: string, dates: string[]) => {
    await waitFor(async () => ((await issueDates(name)).length >= dates.length ? true : null)).catch(
      () => undefined,
    );
    expect(await issueDates(name)).toEqual(dates);
  };

  const template = async (name: string) => (await api.get(`/v1/templates/${ids[name]}`)).body;

  beforeAll(async () => {
    e2e = await startE2eSystem(['gateway', 'templates', 'invoicing', 'scheduler']);
    admin = client(e2e.url, ADMIN_TOKEN);
    await setToday('2027-01-01'); // a Friday
    ({ api } = await createTenant(e2e.url, 'Calendar Agency'));
    customerId = (await api.post('/v1/customers', { name: 'Northwind', email: 'ap@northwind.test' })).body.id;
    vendorId = (await api.post('/v1/vendors', { name: 'Hosting Co' })).body.id;

    await create('monthly31', {
      frequency: 'monthly',
      day_of_month: 31,
      auto_send: true,
      days_until_due: 14,
    });
    await create('weeklyWed', { frequency: 'weekly', day_of_week: 2 });
    await create('biweeklyFri', { frequency: 'biweekly', day_of_week: 4 });
    await create('max3', { frequency: 'daily', start_date: '2027-01-02', max_occurrences: 3 });
    await create('endJan5', { frequency: 'daily', start_date: '2027-01-03', end_date: '2027-01-05' });
    await create('paused', { frequency: 'daily', start_date: '2027-01-02' });
    await create('skipMon', { frequency: 'weekly', day_of_week: 0 });
    await create('downThreeDays', { frequency: 'daily' });
    const bill = await api.post('/v1/templates', {
      type: 'bill',
      vendor_id: vendorId,
      frequency: 'monthly',
      total: '42.00',
    });
    ids.bill = bill.body.id;
    expect((await api.post(`/v1/templates/${ids.skipMon}/skip-next`)).body.next_occurrence_date).toBe(
      '2027-01-11',
    );

    // January, day by day, with the scheduler down on the 11th, 12th and 13th.
    for (let d = 1; d <= 10; d++) {
      const date = `2027-01-${String(d).padStart(2, '0')}`;
      await setToday(date);
      if (date === '2027-01-04')
        expect((await api.post(`/v1/templates/${ids.paused}/pause`)).status).toBe(200);
      if (date === '2027-01-07')
        expect((await api.post(`/v1/templates/${ids.paused}/resume`)).status).toBe(200);
      await runScheduler();
    }
    await day('2027-01-14');
    await day('2027-01-15');
    for (const date of ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30']) {
      await day(date);
    }
    for (const date of ['2027-07-31', '2027-08-31', '2027-09-30', '2027-10-31', '2027-11-30', '2027-12-31']) {
      await day(date);
    }
  }, 600_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('monthly on the 31st gives Jan 31, Feb 28, Mar 31, Apr 30 … twelve documents, finalized when auto-send', async () => {
    await expectDates('monthly31', [
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31',
      '2027-06-30',
      '2027-07-31',
      '2027-08-31',
      '2027-09-30',
      '2027-10-31',
      '2027-11-30',
      '2027-12-31',
    ]);
    const invoices = (await api.get(`/v1/invoices?template_id=${ids.monthly31}&limit=200`)).body.data;
    for (const inv of invoices) {
      expect(inv.status).toBe('open');
      expect(inv.number).toMatch(/^INV-\d{6}$/);
      expect(inv.due_date).toBe(addDays(inv.issue_date, 14));
    }
    expect(new Set(invoices.map((i: any) => i.number)).size).toBe(12);
    const t = await template('monthly31');
    expect(t).toMatchObject({
      generated_count: 12,
      last_generated_date: '2027-12-31',
      next_occurrence_date: '2028-01-31',
    });
  });

  it('weekly and biweekly land on the chosen weekday', async () => {
    const wednesdays = await issueDates('weeklyWed');
    expect(wednesdays.slice(0, 5)).toEqual([
      '2027-01-06',
      '2027-01-13',
      '2027-01-20',
      '2027-01-27',
      '2027-02-03',
    ]);
    expect(wednesdays).toHaveLength(52);
    const fridays = await issueDates('biweeklyFri');
    expect(fridays.slice(0, 4)).toEqual(['2027-01-01', '2027-01-15', '2027-01-29', '2027-02-12']);
    for (const d of fridays) expect(new Date(`${d}T00:00:00Z`).getUTCDay()).toBe(5);
  });

  it('max_occurrences and end_date complete the template', async () => {
    await expectDates('max3', ['2027-01-02', '2027-01-03', '2027-01-04']);
    await expectDates('endJan5', ['2027-01-03', '2027-01-04', '2027-01-05']);
    await waitFor(async () => ((await template('max3')).status === 'completed' ? true : null));
    expect(await template('max3')).toMatchObject({
      status: 'completed',
      generated_count: 3,
      next_occurrence_date: null,
    });
    await waitFor(async () => ((await template('endJan5')).status === 'completed' ? true : null));
  });

  it('pause then resume skips the paused occurrences', async () => {
    const dates = await issueDates('paused');
    expect(dates.slice(0, 5)).toEqual(['2027-01-02', '2027-01-03', '2027-01-07', '2027-01-08', '2027-01-09']);
    expect(dates).not.toContain('2027-01-04');
    expect(dates).not.toContain('2027-01-06');
  });

  it('skip next skips exactly one occurrence', async () => {
    expect((await issueDates('skipMon')).slice(0, 2)).toEqual(['2027-01-11', '2027-01-18']);
    expect((await template('skipMon')).skipped_count).toBe(1);
  });

  it('a scheduler down for three days catches up each missed day with its own date', async () => {
    const dates = await issueDates('downThreeDays');
    expect(dates.slice(0, 15)).toEqual(
      Array.from({ length: 15 }, (_, i) => `2027-01-${String(i + 1).padStart(2, '0')}`),
    );
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates).toHaveLength(365);
  });

  it('bills follow the same engine as drafts with BILL numbers when finalized', async () => {
    const bills = (await api.get(`/v1/invoices?template_id=${ids.bill}&limit=200`)).body.data;
    expect(bills).toHaveLength(12);
    expect(bills.every((b: any) => b.type === 'bill' && b.status === 'draft')).toBe(true);
    const finalized = await api.post(`/v1/invoices/${bills[0].id}/finalize`);
    expect(finalized.body).toMatchObject({ status: 'open', number: 'BILL-000001' });
  });

  it('keeps the ledger balanced and shows the history of a template', async () => {
    const tb = (await api.get('/v1/reports/trial-balance')).body;
    for (const c of tb.currencies) expect(c.difference).toBe('0.00');
    const history = (await api.get(`/v1/templates/${ids.monthly31}/history?limit=50`)).body;
    expect(history.data).toHaveLength(12);
    expect(history.data[0]).toMatchObject({ status: 'open', total: '100.00', currency: 'USD' });
  });

  it('quarterly and annual on Feb 29 fall back to Feb 28 in other years', async () => {
    for (const name of Object.keys(ids)) await api.post(`/v1/templates/${ids[name]}/cancel`);
    await setToday('2028-02-29');
    await create('quarterly29', { frequency: 'quarterly', start_date: '2028-02-29' });
    await create('annual29', { frequency: 'annually', start_date: '2028-02-29' });
    for (const date of ['2028-02-29', '2028-05-29', '2028-08-29', '2028-11-29', '2029-02-28', '2032-02-29']) {
      await day(date);
    }
    const quarterly = await issueDates('quarterly29');
    expect(quarterly.slice(0, 5)).toEqual([
      '2028-02-29',
      '2028-05-29',
      '2028-08-29',
      '2028-11-29',
      '2029-02-28',
    ]);
    await expectDates('annual29', ['2028-02-29', '2029-02-28', '2030-02-28', '2031-02-28', '2032-02-29']);
  }, 120_000);
});

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function waitFor<T>(check: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
