import type { INestApplication } from '@nestjs/common';
import { jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import {
  CustomersRpc,
  type EventData,
  type EventEnvelope,
  InvoiceEvents,
  type InvoiceView,
  type TemplateCreate,
  TemplateEvents,
  TemplatesRpc,
  type TemplateView,
  eventStreamName,
  eventSubject,
} from '@billing/contracts';
import { ClockService, ProblemError, uuidv7 } from '@billing/common';
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
import { InvoicingAppModule } from '../../invoicing/src/app.module';
import { invoicingConfigSchema } from '../../invoicing/src/config';
import { TemplatesAppModule } from '../src/app.module';
import { templatesConfigSchema } from '../src/config';

type TemplateEvent = EventEnvelope<{ template: TemplateView; occurrence_date?: string; invoice_id?: string }>;

/**
 * The scheduler's side of templates: `TemplatesRpc.due` answers what is due, and `invoice.generated`
 * events (published here as invoicing would) move templates on. Real PostgreSQL and NATS.
 */
describe('templates: due occurrences and generated documents', () => {
  let db: TestDatabase;
  let root: string;
  let templatesApp: INestApplication;
  let invoicingApp: INestApplication;
  let rpc: TestRpc;
  let messages: ConsumerMessages;
  const received: Array<{ subject: string; envelope: TemplateEvent }> = [];
  const tenant = testTenant({ timezone: 'Europe/Paris' });
  const other = testTenant();
  let customerId: string;

  const setToday = (date: string) => templatesApp.get(ClockService).setManualDate(date);
  const create = (input: Partial<TemplateCreate>, t = tenant) =>
    rpc.call(
      TemplatesRpc.create,
      { type: 'invoice', customer_id: customerId, frequency: 'daily', total: '100.00', ...input },
      t,
    );
  const get = (id: string) => rpc.call(TemplatesRpc.get, { id }, tenant);
  const due = (asOf: string, limit = 1000, after?: string, t = tenant) =>
    rpc.call(TemplatesRpc.due, { as_of: asOf, limit, after }, t);
  const dueDates = async (id: string, asOf: string) =>
    (await due(asOf)).items.find((i) => i.template_id === id)?.occurrences.map((o) => o.occurrence_date) ??
    [];

  /** What invoicing publishes when it generated the document of one occurrence. */
  function generatedEvent(
    template: TemplateView,
    occurrenceDate: string,
    occurrenceIndex: number | null,
    t = tenant,
  ): EventEnvelope<EventData<typeof InvoiceEvents.generated>> {
    const now = new Date().toISOString();
    const invoice: InvoiceView = {
      id: uuidv7(),
      type: template.type,
      number: null,
      status: 'draft',
      customer_id: template.customer_id,
      vendor_id: template.vendor_id,
      template_id: template.id,
      occurrence_date: occurrenceDate,
      issue_date: occurrenceDate,
      due_date: occurrenceDate,
      currency: template.currency,
      lines: [],
      subtotal: template.total,
      tax: '0.00',
      total: template.total,
      amount_paid: '0.00',
      amount_due: template.total,
      description: null,
      notes: null,
      auto_send: false,
      finalized_at: null,
      sent_at: null,
      send_requested_at: null,
      delivery_status: 'not_requested',
      delivery_error: null,
      paid_at: null,
      voided_at: null,
      created_at: now,
      updated_at: now,
    };
    return {
      event_id: uuidv7(),
      event_type: 'invoice.generated.v1',
      schema_version: 1,
      tenant_id: t.id,
      occurred_at: now,
      data: { invoice, run_id: uuidv7(), occurrence_index: occurrenceIndex },
    };
  }

  /** Publishes as the outbox relay would; `msgId` differs from the event id to get past JetStream's
   * duplicate window, so that the consumer's inbox is what drops a repeated event. */
  async function publish(events: Array<EventEnvelope>, msgId?: (e: EventEnvelope) => string): Promise<void> {
    const js = jetstream(rpc.nc);
    for (const e of events) {
      await js.publish(eventSubject(root, InvoiceEvents.generated), JSON.stringify(e), {
        msgID: msgId ? msgId(e) : e.event_id,
      });
    }
  }

  const eventsOf = (id: string, name: keyof typeof TemplateEvents, count: number) =>
    eventually(async () => {
      const subject = eventSubject(root, TemplateEvents[name]);
      const found = received.filter((e) => e.subject === subject && e.envelope.data.template.id === id);
      return found.length >= count ? found : null;
    });

  const settled = (id: string, generatedCount: number) =>
    eventually(async () => {
      const t = await get(id);
      return t.generated_count === generatedCount ? t : null;
    });

  beforeAll(async () => {
    db = await createTestDatabase('tplgen');
    root = uniqueName('tplgen');
    const env = testEnv(db, root, { CLOCK_MODE: 'manual' });
    ({ app: invoicingApp } = await bootTestApp(
      invoicingConfigSchema,
      (c) => InvoicingAppModule.forRoot(c),
      env,
    ));
    ({ app: templatesApp } = await bootTestApp(
      templatesConfigSchema,
      (c) => TemplatesAppModule.forRoot(c),
      env,
    ));
    await setToday('2026-03-01');
    rpc = await TestRpc.connect(TEST_NATS_URL, root);
    const consumer = await jetstream(rpc.nc).consumers.get(eventStreamName(root), {
      filter_subjects: `${root}.template.>`,
    });
    messages = await consumer.consume();
    void (async () => {
      for await (const m of messages) received.push({ subject: m.subject, envelope: m.json() });
    })();
    customerId = (
      await rpc.call(CustomersRpc.create, { name: 'Northwind', email: 'ap@northwind.test' }, tenant)
    ).id;
  });

  afterEach(async () => {
    await setToday('2026-03-01');
  });

  afterAll(async () => {
    await messages?.close();
    await rpc?.close();
    await templatesApp?.close();
    await invoicingApp?.close();
    await db?.drop();
    await dropBus(root);
  });

  describe('TemplatesRpc.due', () => {
    it('gives every missed occurrence with its own date and index, and the document', async () => {
      const t = await create({
        start_date: '2026-03-01',
        description: 'Hosting',
        notes: 'Net 30',
        days_until_due: 7,
      });
      const page = await due('2026-03-03');
      const item = page.items.find((i) => i.template_id === t.id);
      expect(item).toEqual({
        template_id: t.id,
        occurrences: [
          { occurrence_index: 0, occurrence_date: '2026-03-01', next_occurrence_date: '2026-03-02' },
          { occurrence_index: 1, occurrence_date: '2026-03-02', next_occurrence_date: '2026-03-03' },
          { occurrence_index: 2, occurrence_date: '2026-03-03', next_occurrence_date: '2026-03-04' },
        ],
        document: {
          type: 'invoice',
          customer_id: customerId,
          vendor_id: null,
          currency: 'USD',
          days_until_due: 7,
          auto_send: false,
          description: 'Hosting',
          notes: 'Net 30',
          lines: [{ description: 'Hosting', quantity: '1', unit_price: '100.00', tax_rate: '0' }],
        },
      });
      expect(await dueDates(t.id, '2026-02-28')).toEqual([]);
    });

    it('gives line items as they are, and stays within end_date and max_occurrences', async () => {
      const lines = await create({
        start_date: '2026-03-01',
        total: undefined,
        line_items: [{ description: 'Seats', quantity: '3', unit_price: '12.50', tax_rate: '20' }],
      });
      const item = (await due('2026-03-01')).items.find((i) => i.template_id === lines.id);
      expect(item?.document.lines).toEqual([
        { description: 'Seats', quantity: '3', unit_price: '12.50', tax_rate: '20' },
      ]);
      const ending = await create({ start_date: '2026-03-01', end_date: '2026-03-02' });
      expect(await dueDates(ending.id, '2026-03-10')).toEqual(['2026-03-01', '2026-03-02']);
      const capped = await create({ start_date: '2026-03-01', max_occurrences: 2 });
      expect(await dueDates(capped.id, '2026-03-10')).toEqual(['2026-03-01', '2026-03-02']);
    });

    it('leaves out paused and cancelled templates, and other tenants', async () => {
      const paused = await create({ start_date: '2026-03-01' });
      await rpc.call(TemplatesRpc.pause, { id: paused.id }, tenant);
      const cancelled = await create({ start_date: '2026-03-01' });
      await rpc.call(TemplatesRpc.cancel, { id: cancelled.id }, tenant);
      expect(await dueDates(paused.id, '2026-03-05')).toEqual([]);
      expect(await dueDates(cancelled.id, '2026-03-05')).toEqual([]);
      expect((await due('2026-03-05', 1000, undefined, other)).items).toEqual([]);
    });

    it('pages by template id', async () => {
      const t2 = testTenant();
      const c = await rpc.call(CustomersRpc.create, { name: 'Paged', email: 'p@p.test' }, t2);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await create({ customer_id: c.id, start_date: '2026-03-01' }, t2)).id);
      }
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await due('2026-03-01', 2, after, t2);
        seen.push(...page.items.map((i) => i.template_id));
        after = page.next_after ?? undefined;
        pages++;
      } while (after);
      expect(seen).toEqual(ids);
      expect(pages).toBe(3);
    });

    it('refuses an impossible date and a call without a tenant', async () => {
      const err = await due('2026-02-30').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProblemError);
      expect((err as ProblemError).problem.errors).toEqual([
        { field: 'as_of', message: 'is not a calendar date', code: 'invalid_date' },
      ]);
      await expect(
        rpc.call(TemplatesRpc.due, { as_of: '2026-03-01', limit: 10 }, null),
      ).rejects.toMatchObject({ problem: { status: 409 } });
    });
  });

  describe('invoice.generated moves the template on', () => {
    it('counts the document and advances the schedule', async () => {
      const t = await create({ frequency: 'monthly', start_date: '2026-03-31' });
      const event = generatedEvent(t, '2026-03-31', 0);
      await publish([event]);
      const after = await settled(t.id, 1);
      expect(after).toMatchObject({
        status: 'active',
        generated_count: 1,
        last_generated_date: '2026-03-31',
        next_occurrence_date: '2026-04-30',
      });
      expect(await dueDates(t.id, '2026-04-30')).toEqual(['2026-04-30']);
    });

    it('handles caught-up documents in any order, and a redelivered event once', async () => {
      const t = await create({ start_date: '2026-03-01' });
      const events = ['2026-03-01', '2026-03-02', '2026-03-03'].map((d, i) => generatedEvent(t, d, i));
      await publish([events[2], events[0]]);
      await settled(t.id, 2);
      await publish([events[2], events[1], events[0]], () => uuidv7());
      const after = await settled(t.id, 3);
      expect(after).toMatchObject({
        generated_count: 3,
        last_generated_date: '2026-03-03',
        next_occurrence_date: '2026-03-04',
      });
      await new Promise((r) => setTimeout(r, 300));
      expect((await get(t.id)).generated_count).toBe(3);
    });

    it('completes the template at max_occurrences and at the end date', async () => {
      const capped = await create({ start_date: '2026-03-01', max_occurrences: 2 });
      await publish([generatedEvent(capped, '2026-03-01', 0), generatedEvent(capped, '2026-03-02', 1)]);
      expect(await settled(capped.id, 2)).toMatchObject({ status: 'completed', next_occurrence_date: null });
      const [completed] = await eventsOf(capped.id, 'completed', 1);
      expect(completed.envelope.data.template).toMatchObject({ status: 'completed', generated_count: 2 });

      const ending = await create({ frequency: 'weekly', start_date: '2026-03-02', end_date: '2026-03-10' });
      await publish([generatedEvent(ending, '2026-03-02', 0)]);
      expect(await settled(ending.id, 1)).toMatchObject({
        status: 'active',
        next_occurrence_date: '2026-03-09',
      });
      await publish([generatedEvent(ending, '2026-03-09', 1)]);
      expect(await settled(ending.id, 2)).toMatchObject({ status: 'completed', next_occurrence_date: null });
      await eventsOf(ending.id, 'completed', 1);
    });

    it('counts a document that arrives after a pause, but leaves the template paused', async () => {
      const t = await create({ start_date: '2026-03-01' });
      await rpc.call(TemplatesRpc.pause, { id: t.id }, tenant);
      await publish([generatedEvent(t, '2026-03-01', 0)]);
      expect(await settled(t.id, 1)).toMatchObject({
        status: 'paused',
        next_occurrence_date: null,
        last_generated_date: '2026-03-01',
      });
      await setToday('2026-03-01');
      const resumed = await rpc.call(TemplatesRpc.resume, { id: t.id }, tenant);
      // Occurrence 0 was generated, so resuming the same day does not repeat it.
      expect(resumed).toMatchObject({ status: 'active', next_occurrence_date: '2026-03-02' });
    });

    it("ignores documents of deleted templates, of another tenant's template, and without a template", async () => {
      const gone = await create({ start_date: '2026-03-01' });
      await rpc.call(TemplatesRpc.delete, { id: gone.id }, tenant);
      const mine = await create({ start_date: '2026-03-01' });
      const foreign = generatedEvent(mine, '2026-03-01', 0, other);
      const plain = generatedEvent(mine, '2026-03-01', null);
      plain.data.invoice.template_id = null;
      const real = generatedEvent(mine, '2026-03-01', 0);
      await publish([generatedEvent(gone, '2026-03-01', 0), foreign, plain, real]);
      expect(await settled(mine.id, 1)).toMatchObject({ generated_count: 1 });
      await new Promise((r) => setTimeout(r, 300));
      expect((await get(mine.id)).generated_count).toBe(1);
    });

    it('moves many templates in one batch', async () => {
      const created: TemplateView[] = [];
      for (let i = 0; i < 20; i++) created.push(await create({ start_date: '2026-03-01' }));
      await publish(
        created.flatMap((t) => [generatedEvent(t, '2026-03-01', 0), generatedEvent(t, '2026-03-02', 1)]),
      );
      for (const t of created) {
        expect(await settled(t.id, 2)).toMatchObject({ next_occurrence_date: '2026-03-03' });
      }
    });
  });
});
