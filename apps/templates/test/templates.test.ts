import type { INestApplication } from '@nestjs/common';
import { jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import {
  CustomersRpc,
  type EventEnvelope,
  type PartyView,
  type TemplateCreate,
  type TemplateListQuery,
  TemplateEvents,
  TemplatesRpc,
  type TemplateView,
  type TenantContext,
  VendorsRpc,
  eventStreamName,
  eventSubject,
} from '@billing/contracts';
import { ClockService, DATA_SOURCE, ProblemError } from '@billing/common';
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
import type { DataSource } from 'typeorm';
import { InvoicingAppModule } from '../../invoicing/src/app.module';
import { invoicingConfigSchema } from '../../invoicing/src/config';
import { TemplatesAppModule } from '../src/app.module';
import { templatesConfigSchema } from '../src/config';

const TODAY = '2026-01-15';
const UNKNOWN_ID = '0190a1b2-0000-7000-8000-0000000000ff';

interface ReceivedEvent {
  subject: string;
  msgId: string | undefined;
  envelope: EventEnvelope<{ template: TemplateView; skipped_date?: string }>;
}

describe('templates over NATS, with invoicing answering for customers and vendors', () => {
  let db: TestDatabase;
  let root: string;
  let templatesApp: INestApplication;
  let invoicingApp: INestApplication;
  let invoicingUp = false;
  let rpc: TestRpc;
  let messages: ConsumerMessages;
  const received: ReceivedEvent[] = [];
  const tenant = testTenant({ base_currency: 'USD', timezone: 'America/New_York' });
  const other = testTenant();
  let customer: PartyView;
  let cadCustomer: PartyView;
  let vendor: PartyView;

  const setToday = (date: string) => templatesApp.get(ClockService).setManualDate(date);

  async function storedCount(): Promise<number> {
    const rows: Array<{ n: number }> = await templatesApp
      .get<DataSource>(DATA_SOURCE)
      .query('SELECT count(*)::int AS n FROM templates');
    return rows[0].n;
  }

  async function fail(call: Promise<unknown>): Promise<ProblemError['problem']> {
    const err = await call.then(
      () => new Error('expected the call to fail'),
      (e: unknown) => e,
    );
    if (!(err instanceof ProblemError)) throw err;
    return err.problem;
  }

  /** The events about one template, in stream order, once at least `count` have arrived. */
  function eventsOf(templateId: string, count: number): Promise<ReceivedEvent[]> {
    return eventually(async () => {
      const found = received.filter((e) => e.envelope.data.template.id === templateId);
      return found.length >= count ? found : null;
    });
  }

  const subjectOf = (name: keyof typeof TemplateEvents) => eventSubject(root, TemplateEvents[name]);

  const monthlyInvoice = (overrides: Partial<TemplateCreate> = {}): TemplateCreate => ({
    type: 'invoice',
    customer_id: customer.id,
    frequency: 'monthly',
    start_date: '2026-01-31',
    total: '1500.00',
    ...overrides,
  });

  const create = (input: TemplateCreate, t: TenantContext = tenant) =>
    rpc.call(TemplatesRpc.create, input, t);

  beforeAll(async () => {
    db = await createTestDatabase('templates');
    root = uniqueName('tpl');
    const env = testEnv(db, root, { CLOCK_MODE: 'manual' });
    ({ app: invoicingApp } = await bootTestApp(
      invoicingConfigSchema,
      (c) => InvoicingAppModule.forRoot(c),
      env,
    ));
    invoicingUp = true;
    ({ app: templatesApp } = await bootTestApp(
      templatesConfigSchema,
      (c) => TemplatesAppModule.forRoot(c),
      env,
    ));
    await setToday(TODAY);
    rpc = await TestRpc.connect(TEST_NATS_URL, root);

    const consumer = await jetstream(rpc.nc).consumers.get(eventStreamName(root), {
      filter_subjects: `${root}.template.>`,
    });
    messages = await consumer.consume();
    void (async () => {
      for await (const m of messages) {
        received.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), envelope: m.json() });
      }
    })();

    customer = await rpc.call(CustomersRpc.create, { name: 'Northwind', email: 'ap@northwind.test' }, tenant);
    cadCustomer = await rpc.call(
      CustomersRpc.create,
      { name: 'Maple', email: 'ap@maple.test', currency: 'CAD' },
      tenant,
    );
    vendor = await rpc.call(VendorsRpc.create, { name: 'Office Lease', currency: 'EUR' }, tenant);
  });

  afterEach(async () => {
    await setToday(TODAY);
  });

  afterAll(async () => {
    await messages?.close();
    await rpc?.close();
    await templatesApp?.close();
    if (invoicingUp) await invoicingApp?.close();
    await db?.drop();
    await dropBus(root);
  });

  describe('create and get', () => {
    it('stores an invoice template with its first occurrence and publishes template.created', async () => {
      const created = await create(monthlyInvoice({ description: 'Retainer', auto_send: true }));
      expect(created).toMatchObject({
        type: 'invoice',
        customer_id: customer.id,
        vendor_id: null,
        frequency: 'monthly',
        day_of_month: null,
        start_date: '2026-01-31',
        end_date: null,
        days_until_due: 30,
        auto_send: true,
        currency: 'USD',
        line_items: null,
        subtotal: '1500.00',
        tax: '0.00',
        total: '1500.00',
        status: 'active',
        next_occurrence_date: '2026-01-31',
        generated_count: 0,
        skipped_count: 0,
        last_generated_date: null,
      });
      expect(await rpc.call(TemplatesRpc.get, { id: created.id }, tenant)).toEqual(created);

      const [event] = await eventsOf(created.id, 1);
      expect(event.subject).toBe(subjectOf('created'));
      expect(event.msgId).toBe(event.envelope.event_id);
      expect(event.envelope).toMatchObject({ tenant_id: tenant.id, schema_version: 1 });
      expect(event.envelope.data.template).toEqual(created);
    });

    it("defaults the currency to the customer's or vendor's, the start date to today", async () => {
      const cad = await create(monthlyInvoice({ customer_id: cadCustomer.id }));
      expect(cad.currency).toBe('CAD');
      const billed = await create({
        type: 'bill',
        vendor_id: vendor.id,
        frequency: 'weekly',
        total: '99.99',
      });
      expect(billed).toMatchObject({
        currency: 'EUR',
        start_date: TODAY,
        auto_send: false,
        next_occurrence_date: TODAY,
      });
    });

    it('prices line items half-up per line', async () => {
      const created = await create(
        monthlyInvoice({
          total: undefined,
          line_items: [
            { description: 'Consulting', quantity: '2', unit_price: '100.00', tax_rate: '8.25' },
            { description: 'Support', quantity: '1.5', unit_price: '33.33' },
          ],
        }),
      );
      expect(created).toMatchObject({ subtotal: '250.00', tax: '16.50', total: '266.50' });
      expect(created.line_items).toEqual([
        {
          description: 'Consulting',
          quantity: '2',
          unit_price: '100.00',
          tax_rate: '8.25',
          amount: '200.00',
          tax: '16.50',
        },
        {
          description: 'Support',
          quantity: '1.5',
          unit_price: '33.33',
          tax_rate: '0',
          amount: '50.00',
          tax: '0.00',
        },
      ]);
    });

    it('targets a weekday or a day of the month from the start date', async () => {
      const weekly = await create(monthlyInvoice({ frequency: 'weekly', start_date: TODAY, day_of_week: 4 }));
      expect(weekly.next_occurrence_date).toBe('2026-01-16');
      const monthly = await create(monthlyInvoice({ start_date: TODAY, day_of_month: 10 }));
      expect(monthly.next_occurrence_date).toBe('2026-02-10');
    });
  });

  describe('validation: one field error per rule, nothing stored', () => {
    const cases: Array<[string, () => TemplateCreate, string[]]> = [
      ['invoice without customer', () => monthlyInvoice({ customer_id: undefined }), ['customer_id']],
      ['unknown customer', () => monthlyInvoice({ customer_id: UNKNOWN_ID }), ['customer_id']],
      ['invoice with a vendor', () => monthlyInvoice({ vendor_id: vendor.id }), ['vendor_id']],
      ['bill without vendor', () => ({ type: 'bill', frequency: 'monthly', total: '5.00' }), ['vendor_id']],
      [
        'unknown vendor',
        () => ({ type: 'bill', vendor_id: UNKNOWN_ID, frequency: 'monthly', total: '5.00' }),
        ['vendor_id'],
      ],
      [
        'bill with a customer',
        () => ({
          type: 'bill',
          vendor_id: vendor.id,
          customer_id: customer.id,
          frequency: 'monthly',
          total: '5.00',
        }),
        ['customer_id'],
      ],
      [
        'bill with auto_send',
        () => ({ type: 'bill', vendor_id: vendor.id, frequency: 'monthly', total: '5.00', auto_send: true }),
        ['auto_send'],
      ],
      [
        'day_of_month on weekly',
        () => monthlyInvoice({ frequency: 'weekly', day_of_month: 3 }),
        ['day_of_month'],
      ],
      ['day_of_week on monthly', () => monthlyInvoice({ day_of_week: 3 }), ['day_of_week']],
      ['start_date 2026-02-30', () => monthlyInvoice({ start_date: '2026-02-30' }), ['start_date']],
      ['start_date in the past', () => monthlyInvoice({ start_date: '2026-01-14' }), ['start_date']],
      ['end_date not a real date', () => monthlyInvoice({ end_date: '2026-04-31' }), ['end_date']],
      [
        'end_date in the past',
        () => monthlyInvoice({ start_date: TODAY, end_date: '2026-01-10' }),
        ['end_date'],
      ],
      ['end_date before start_date', () => monthlyInvoice({ end_date: '2026-01-20' }), ['end_date']],
      [
        'no occurrence before end_date',
        () => monthlyInvoice({ start_date: '2026-01-16', day_of_month: 10, end_date: '2026-02-01' }),
        ['end_date'],
      ],
      ['max_occurrences 0', () => monthlyInvoice({ max_occurrences: 0 }), ['max_occurrences']],
      ['days_until_due 366', () => monthlyInvoice({ days_until_due: 366 }), ['days_until_due']],
      ['currency XYZ', () => monthlyInvoice({ currency: 'XYZ' as never }), ['currency']],
      [
        'both total and line_items',
        () => monthlyInvoice({ line_items: [{ description: 'x', quantity: '1', unit_price: '1.00' }] }),
        ['line_items', 'total'],
      ],
      ['neither total nor line_items', () => monthlyInvoice({ total: undefined }), ['line_items', 'total']],
      ['total 0', () => monthlyInvoice({ total: '0.00' }), ['total']],
      ['negative total', () => monthlyInvoice({ total: '-10.00' }), ['total']],
      [
        'line quantity 0',
        () =>
          monthlyInvoice({
            total: undefined,
            line_items: [{ description: 'x', quantity: '0', unit_price: '1.00' }],
          }),
        ['line_items[0].quantity'],
      ],
      [
        'line unit_price 0',
        () =>
          monthlyInvoice({
            total: undefined,
            line_items: [
              { description: 'a', quantity: '1', unit_price: '1.00' },
              { description: 'b', quantity: '1', unit_price: '1.00' },
              { description: 'c', quantity: '1', unit_price: '0.00' },
            ],
          }),
        ['line_items[2].unit_price'],
      ],
      [
        'line tax_rate 101',
        () =>
          monthlyInvoice({
            total: undefined,
            line_items: [{ description: 'x', quantity: '1', unit_price: '1.00', tax_rate: '101' }],
          }),
        ['line_items[0].tax_rate'],
      ],
    ];

    it.each(cases)('%s', async (_name, input, expected) => {
      const before = await storedCount();
      const problem = await fail(create(input()));
      expect(problem.status).toBe(422);
      expect(problem.type).toBe('/problems/validation-error');
      expect(problem.errors?.map((e) => e.field).sort()).toEqual(expected);
      expect(await storedCount()).toBe(before);
    });

    it('reports every violation in one answer', async () => {
      const problem = await fail(
        create({
          type: 'bill',
          vendor_id: UNKNOWN_ID,
          customer_id: customer.id,
          frequency: 'weekly',
          day_of_month: 5,
          start_date: '2026-01-01',
          auto_send: true,
          total: '-1.00',
        }),
      );
      expect(problem.errors?.map((e) => e.field).sort()).toEqual(
        ['auto_send', 'customer_id', 'day_of_month', 'start_date', 'total', 'vendor_id'].sort(),
      );
    });

    it("judges the past by the tenant's today (the manual clock)", async () => {
      await setToday('2026-03-01');
      const problem = await fail(create(monthlyInvoice({ start_date: '2026-02-28' })));
      expect(problem.errors).toEqual([
        {
          field: 'start_date',
          message: 'must not be in the past (today is 2026-03-01)',
          code: 'in_the_past',
        },
      ]);
    });
  });

  describe('lifecycle', () => {
    it('pauses, refuses a second pause, and resumes past the dates inside the pause', async () => {
      const t = await create(monthlyInvoice());
      const paused = await rpc.call(TemplatesRpc.pause, { id: t.id }, tenant);
      expect(paused).toMatchObject({ status: 'paused', next_occurrence_date: null });

      const again = await fail(rpc.call(TemplatesRpc.pause, { id: t.id }, tenant));
      expect(again).toMatchObject({ status: 409, type: '/problems/invalid-state' });
      expect(again.detail).toContain('is paused');
      expect((await fail(rpc.call(TemplatesRpc.skipNext, { id: t.id }, tenant))).status).toBe(409);

      // Jan 31, Feb 28 and Mar 31 fall inside the pause.
      await setToday('2026-04-10');
      const preview = await rpc.call(TemplatesRpc.preview, { id: t.id, count: 2 }, tenant);
      expect(preview.occurrences.map((o) => o.issue_date)).toEqual(['2026-04-30', '2026-05-31']);
      const resumed = await rpc.call(TemplatesRpc.resume, { id: t.id }, tenant);
      expect(resumed).toMatchObject({ status: 'active', next_occurrence_date: '2026-04-30' });
      expect((await fail(rpc.call(TemplatesRpc.resume, { id: t.id }, tenant))).detail).toContain('is active');

      const events = await eventsOf(t.id, 3);
      expect(events.map((e) => e.subject)).toEqual([
        subjectOf('created'),
        subjectOf('paused'),
        subjectOf('resumed'),
      ]);
      expect(events[2].envelope.data.template).toEqual(resumed);
    });

    it('completes on resume when the end date has passed meanwhile', async () => {
      const t = await create(monthlyInvoice({ end_date: '2026-03-31' }));
      await rpc.call(TemplatesRpc.pause, { id: t.id }, tenant);
      await setToday('2026-04-01');
      const done = await rpc.call(TemplatesRpc.resume, { id: t.id }, tenant);
      expect(done).toMatchObject({ status: 'completed', next_occurrence_date: null });
      const events = await eventsOf(t.id, 3);
      expect(events.map((e) => e.subject)).toEqual([
        subjectOf('created'),
        subjectOf('paused'),
        subjectOf('completed'),
      ]);
    });

    it('skips the next occurrence without counting it', async () => {
      const t = await create(monthlyInvoice({ max_occurrences: 2 }));
      const skipped = await rpc.call(TemplatesRpc.skipNext, { id: t.id }, tenant);
      expect(skipped).toMatchObject({
        status: 'active',
        next_occurrence_date: '2026-02-28',
        skipped_count: 1,
        generated_count: 0,
      });
      const preview = await rpc.call(TemplatesRpc.preview, { id: t.id, count: 10 }, tenant);
      expect(preview.occurrences.map((o) => o.issue_date)).toEqual(['2026-02-28', '2026-03-31']);
      const [, event] = await eventsOf(t.id, 2);
      expect(event.subject).toBe(subjectOf('skipped'));
      expect(event.envelope.data).toEqual({ template: skipped, skipped_date: '2026-01-31' });
    });

    it('completes when a skip passes the end date; a completed template refuses every change', async () => {
      const t = await create(monthlyInvoice({ end_date: '2026-02-27' }));
      const done = await rpc.call(TemplatesRpc.skipNext, { id: t.id }, tenant);
      expect(done).toMatchObject({ status: 'completed', next_occurrence_date: null, skipped_count: 1 });
      const events = await eventsOf(t.id, 3);
      expect(events.map((e) => e.subject)).toEqual([
        subjectOf('created'),
        subjectOf('skipped'),
        subjectOf('completed'),
      ]);

      for (const call of [
        () => rpc.call(TemplatesRpc.skipNext, { id: t.id }, tenant),
        () => rpc.call(TemplatesRpc.pause, { id: t.id }, tenant),
        () => rpc.call(TemplatesRpc.resume, { id: t.id }, tenant),
        () => rpc.call(TemplatesRpc.cancel, { id: t.id }, tenant),
        () => rpc.call(TemplatesRpc.update, { id: t.id, patch: { total: '1.00' } }, tenant),
      ]) {
        const problem = await fail(call());
        expect(problem.status).toBe(409);
        expect(problem.detail).toContain('is completed');
      }
      const preview = await rpc.call(TemplatesRpc.preview, { id: t.id, count: 5 }, tenant);
      expect(preview).toEqual({ template_id: t.id, status: 'completed', occurrences: [] });
    });

    it('cancels for good, from active or paused', async () => {
      const t = await create(monthlyInvoice());
      const cancelled = await rpc.call(TemplatesRpc.cancel, { id: t.id }, tenant);
      expect(cancelled).toMatchObject({ status: 'cancelled', next_occurrence_date: null });
      const again = await fail(rpc.call(TemplatesRpc.cancel, { id: t.id }, tenant));
      expect(again).toMatchObject({ status: 409 });
      expect(again.detail).toContain('is cancelled');
      expect((await fail(rpc.call(TemplatesRpc.resume, { id: t.id }, tenant))).status).toBe(409);
      expect(
        (await fail(rpc.call(TemplatesRpc.update, { id: t.id, patch: { notes: 'x' } }, tenant))).status,
      ).toBe(409);
      expect((await rpc.call(TemplatesRpc.preview, { id: t.id, count: 3 }, tenant)).occurrences).toEqual([]);

      const p = await create(monthlyInvoice());
      await rpc.call(TemplatesRpc.pause, { id: p.id }, tenant);
      expect((await rpc.call(TemplatesRpc.cancel, { id: p.id }, tenant)).status).toBe('cancelled');

      const [, event] = await eventsOf(t.id, 2);
      expect(event.subject).toBe(subjectOf('cancelled'));
      expect(event.envelope.data.template).toEqual(cancelled);
    });

    it('deletes the template and publishes its last snapshot', async () => {
      const t = await create(monthlyInvoice());
      const paused = await rpc.call(TemplatesRpc.pause, { id: t.id }, tenant);
      expect(await rpc.call(TemplatesRpc.delete, { id: t.id }, tenant)).toEqual({ id: t.id, deleted: true });
      expect((await fail(rpc.call(TemplatesRpc.get, { id: t.id }, tenant))).status).toBe(404);
      expect((await fail(rpc.call(TemplatesRpc.delete, { id: t.id }, tenant))).status).toBe(404);
      const events = await eventsOf(t.id, 3);
      expect(events[2].subject).toBe(subjectOf('deleted'));
      expect(events[2].envelope.data.template).toEqual(paused);
    });
  });

  describe('update', () => {
    it('changes money and publishes template.updated', async () => {
      const t = await create(monthlyInvoice());
      const updated = await rpc.call(
        TemplatesRpc.update,
        {
          id: t.id,
          patch: {
            line_items: [{ description: 'Seats', quantity: '3', unit_price: '20.00', tax_rate: '10' }],
            currency: 'GBP',
            notes: 'Thanks',
          },
        },
        tenant,
      );
      expect(updated).toMatchObject({
        total: '66.00',
        currency: 'GBP',
        notes: 'Thanks',
        next_occurrence_date: '2026-01-31',
      });
      const back = await rpc.call(TemplatesRpc.update, { id: t.id, patch: { total: '10.00' } }, tenant);
      expect(back).toMatchObject({ total: '10.00', line_items: null });
      const events = await eventsOf(t.id, 3);
      expect(events.map((e) => e.subject)).toEqual([
        subjectOf('created'),
        subjectOf('updated'),
        subjectOf('updated'),
      ]);
      expect(events[2].envelope.data.template).toEqual(back);
    });

    it('refuses non-positive money, a bad currency, a type change and an unknown customer', async () => {
      const t = await create(monthlyInvoice());
      const bad = await fail(
        rpc.call(TemplatesRpc.update, { id: t.id, patch: { total: '0.00', days_until_due: 10 } }, tenant),
      );
      expect(bad.errors?.map((e) => e.field)).toEqual(['total']);
      const currency = await fail(
        rpc.call(TemplatesRpc.update, { id: t.id, patch: { currency: 'JPY' as never } }, tenant),
      );
      expect(currency.errors?.map((e) => e.field)).toEqual(['patch.currency']);
      const type = await fail(
        rpc.call(TemplatesRpc.update, { id: t.id, patch: { type: 'bill' } as never }, tenant),
      );
      expect(type.errors?.map((e) => e.field)).toEqual(['patch.type']);
      const party = await fail(
        rpc.call(TemplatesRpc.update, { id: t.id, patch: { customer_id: UNKNOWN_ID } }, tenant),
      );
      expect(party.errors?.map((e) => e.field)).toEqual(['customer_id']);
      expect(await rpc.call(TemplatesRpc.get, { id: t.id }, tenant)).toEqual(t);
      // A patch that changes nothing writes nothing and publishes nothing.
      expect(
        await rpc.call(
          TemplatesRpc.update,
          { id: t.id, patch: { currency: 'USD', total: '1500.00' } },
          tenant,
        ),
      ).toEqual(t);
      await rpc.call(TemplatesRpc.pause, { id: t.id }, tenant);
      const events = await eventsOf(t.id, 2);
      expect(events.map((e) => e.subject)).toEqual([subjectOf('created'), subjectOf('paused')]);
    });

    it('re-anchors the schedule when it changes', async () => {
      const t = await create(monthlyInvoice());
      const moved = await rpc.call(TemplatesRpc.update, { id: t.id, patch: { day_of_month: 20 } }, tenant);
      expect(moved.next_occurrence_date).toBe('2026-02-20');
      const earlier = await rpc.call(
        TemplatesRpc.update,
        { id: t.id, patch: { start_date: TODAY, frequency: 'weekly', day_of_month: null, day_of_week: 0 } },
        tenant,
      );
      expect(earlier.next_occurrence_date).toBe('2026-01-19');
      const ended = await fail(
        rpc.call(TemplatesRpc.update, { id: t.id, patch: { end_date: '2026-01-18' } }, tenant),
      );
      expect(ended.errors).toEqual([
        {
          field: 'end_date',
          message: 'leaves no occurrence to generate (the next would be 2026-01-19)',
          code: 'no_occurrence_left',
        },
      ]);
    });

    it('keeps a paused template paused with no next date', async () => {
      const t = await create(monthlyInvoice());
      await rpc.call(TemplatesRpc.pause, { id: t.id }, tenant);
      const updated = await rpc.call(TemplatesRpc.update, { id: t.id, patch: { day_of_month: 5 } }, tenant);
      expect(updated).toMatchObject({ status: 'paused', next_occurrence_date: null, day_of_month: 5 });
      const resumed = await rpc.call(TemplatesRpc.resume, { id: t.id }, tenant);
      expect(resumed.next_occurrence_date).toBe('2026-02-05');
    });
  });

  describe('clone', () => {
    it('copies a template as a fresh one starting today', async () => {
      const source = await create(
        monthlyInvoice({ start_date: '2026-02-10', max_occurrences: 3, notes: 'n' }),
      );
      await rpc.call(TemplatesRpc.skipNext, { id: source.id }, tenant);
      await rpc.call(TemplatesRpc.cancel, { id: source.id }, tenant);
      const copy = await rpc.call(TemplatesRpc.clone, { id: source.id, overrides: {} }, tenant);
      expect(copy.id).not.toBe(source.id);
      expect(copy).toMatchObject({
        status: 'active',
        start_date: TODAY,
        next_occurrence_date: TODAY,
        generated_count: 0,
        skipped_count: 0,
        max_occurrences: 3,
        notes: 'n',
        total: '1500.00',
        customer_id: customer.id,
      });
      const [event] = await eventsOf(copy.id, 1);
      expect(event.subject).toBe(subjectOf('created'));
    });

    it('takes a start date, an end date and another customer, fully validated', async () => {
      const source = await create(monthlyInvoice({ end_date: '2026-03-31' }));
      const copy = await rpc.call(
        TemplatesRpc.clone,
        { id: source.id, overrides: { start_date: '2026-02-01', customer_id: cadCustomer.id } },
        tenant,
      );
      expect(copy).toMatchObject({ start_date: '2026-02-01', customer_id: cadCustomer.id, currency: 'USD' });
      expect(copy.next_occurrence_date).toBe('2026-02-01');

      const unknown = await fail(
        rpc.call(TemplatesRpc.clone, { id: source.id, overrides: { customer_id: UNKNOWN_ID } }, tenant),
      );
      expect(unknown.errors?.map((e) => e.field)).toEqual(['customer_id']);
      const forBill = await fail(
        rpc.call(TemplatesRpc.clone, { id: source.id, overrides: { vendor_id: vendor.id } }, tenant),
      );
      expect(forBill.errors?.map((e) => e.field)).toEqual(['vendor_id']);

      // Renewing after the end date needs a new one.
      await setToday('2026-05-01');
      const before = await storedCount();
      const ended = await fail(rpc.call(TemplatesRpc.clone, { id: source.id, overrides: {} }, tenant));
      expect(ended.errors?.map((e) => e.field)).toEqual(['end_date']);
      expect(await storedCount()).toBe(before);
      const renewed = await rpc.call(
        TemplatesRpc.clone,
        { id: source.id, overrides: { end_date: '2026-12-31' } },
        tenant,
      );
      expect(renewed).toMatchObject({
        start_date: '2026-05-01',
        end_date: '2026-12-31',
        next_occurrence_date: '2026-05-01',
      });
    });
  });

  describe('preview', () => {
    it('lists monthly-on-the-31st occurrences with due dates and amounts', async () => {
      const t = await create(
        monthlyInvoice({
          days_until_due: 15,
          total: undefined,
          line_items: [{ description: 'Plan', quantity: '1', unit_price: '100.00', tax_rate: '5' }],
        }),
      );
      const preview = await rpc.call(TemplatesRpc.preview, { id: t.id, count: 5 }, tenant);
      expect(preview).toMatchObject({ template_id: t.id, status: 'active' });
      expect(preview.occurrences).toEqual(
        [
          ['2026-01-31', '2026-02-15'],
          ['2026-02-28', '2026-03-15'],
          ['2026-03-31', '2026-04-15'],
          ['2026-04-30', '2026-05-15'],
          ['2026-05-31', '2026-06-15'],
        ].map(([issue, due], i) => ({
          sequence: i + 1,
          issue_date: issue,
          due_date: due,
          currency: 'USD',
          subtotal: '100.00',
          tax: '5.00',
          total: '105.00',
        })),
      );
    });

    it('stops at max_occurrences and at the end date', async () => {
      const counted = await create(monthlyInvoice({ max_occurrences: 3 }));
      expect(
        (await rpc.call(TemplatesRpc.preview, { id: counted.id, count: 12 }, tenant)).occurrences,
      ).toHaveLength(3);
      const ending = await create(monthlyInvoice({ end_date: '2026-04-29' }));
      const preview = await rpc.call(TemplatesRpc.preview, { id: ending.id, count: 12 }, tenant);
      expect(preview.occurrences.map((o) => o.issue_date)).toEqual([
        '2026-01-31',
        '2026-02-28',
        '2026-03-31',
      ]);
    });

    it('refuses a count outside 1..120', async () => {
      const t = await create(monthlyInvoice());
      expect(
        (await fail(rpc.call(TemplatesRpc.preview, { id: t.id, count: 121 }, tenant))).errors?.[0].field,
      ).toBe('count');
    });
  });

  describe('tenancy, filters and pagination', () => {
    it("never shows one tenant another tenant's template", async () => {
      const t = await create(monthlyInvoice());
      const calls: Array<() => Promise<unknown>> = [
        () => rpc.call(TemplatesRpc.get, { id: t.id }, other),
        () => rpc.call(TemplatesRpc.update, { id: t.id, patch: { notes: 'x' } }, other),
        () => rpc.call(TemplatesRpc.pause, { id: t.id }, other),
        () => rpc.call(TemplatesRpc.resume, { id: t.id }, other),
        () => rpc.call(TemplatesRpc.skipNext, { id: t.id }, other),
        () => rpc.call(TemplatesRpc.cancel, { id: t.id }, other),
        () => rpc.call(TemplatesRpc.delete, { id: t.id }, other),
        () => rpc.call(TemplatesRpc.clone, { id: t.id, overrides: {} }, other),
        () => rpc.call(TemplatesRpc.preview, { id: t.id, count: 3 }, other),
      ];
      for (const call of calls) expect((await fail(call())).status).toBe(404);
      expect((await rpc.call(TemplatesRpc.list, { limit: 50 }, other)).data).toEqual([]);
      // Nor another tenant's customer.
      const foreign = await rpc.call(CustomersRpc.create, { name: 'Theirs', email: 't@o.test' }, other);
      const problem = await fail(create(monthlyInvoice({ customer_id: foreign.id })));
      expect(problem.errors?.map((e) => e.field)).toEqual(['customer_id']);
      expect(await rpc.call(TemplatesRpc.get, { id: t.id }, tenant)).toEqual(t);
    });

    it('filters by type, status, customer and vendor, and pages with a cursor', async () => {
      const t = testTenant();
      const a = await rpc.call(CustomersRpc.create, { name: 'A', email: 'a@a.test' }, t);
      const b = await rpc.call(CustomersRpc.create, { name: 'B', email: 'b@b.test' }, t);
      const v = await rpc.call(VendorsRpc.create, { name: 'V' }, t);
      const inv = (customerId: string) => create(monthlyInvoice({ customer_id: customerId }), t);
      const billOf = () => create({ type: 'bill', vendor_id: v.id, frequency: 'monthly', total: '9.00' }, t);
      const all = [await inv(a.id), await inv(a.id), await inv(b.id), await billOf(), await billOf()];
      await rpc.call(TemplatesRpc.pause, { id: all[1].id }, t);

      const ids = async (q: Partial<TemplateListQuery>) =>
        (await rpc.call(TemplatesRpc.list, { limit: 50, ...q }, t)).data.map((x) => x.id);
      expect(await ids({ type: 'bill' })).toEqual([all[3].id, all[4].id]);
      expect(await ids({ type: 'invoice', status: 'active' })).toEqual([all[0].id, all[2].id]);
      expect(await ids({ status: 'paused' })).toEqual([all[1].id]);
      expect(await ids({ customer_id: a.id })).toEqual([all[0].id, all[1].id]);
      expect(await ids({ vendor_id: v.id })).toEqual([all[3].id, all[4].id]);

      const pages: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 3; i++) {
        const page = await rpc.call(TemplatesRpc.list, { limit: 2, cursor }, t);
        pages.push(...page.data.map((x) => x.id));
        cursor = page.next_cursor ?? undefined;
        if (i === 2) expect(page.next_cursor).toBeNull();
      }
      expect(pages).toEqual(all.map((x) => x.id));
      const badCursor = await fail(rpc.call(TemplatesRpc.list, { limit: 2, cursor: 'nope' }, t));
      expect(badCursor.errors).toEqual([
        { field: 'cursor', message: 'is not a valid cursor', code: 'invalid_cursor' },
      ]);
    });
  });

  describe('when invoicing is down', () => {
    it('answers 503 and stores nothing', async () => {
      await invoicingApp.close();
      invoicingUp = false;
      const before = await storedCount();
      const problem = await fail(create(monthlyInvoice()));
      expect(problem).toMatchObject({ status: 503, type: '/problems/service-unavailable' });
      expect(await storedCount()).toBe(before);
    });
  });
});
