import type { INestApplication } from '@nestjs/common';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/nats-core';
import {
  CustomersRpc,
  type EventContract,
  type EventData,
  type EventEnvelope,
  type InvoiceView,
  InvoicesRpc,
  type OccurrenceDue,
  OccurrenceEvents,
  type TenantContext,
  VendorsRpc,
  eventSubject,
  occurrenceKey,
} from '@billing/contracts';
import { DATA_SOURCE, uuidFromName, uuidv7 } from '@billing/common';
import {
  TEST_NATS_URL,
  TestRpc,
  bootTestApp,
  createTestDatabase,
  dropBus,
  eventually,
  testEnv,
  uniqueName,
  type TestDatabase,
} from '@billing/common/testing';
import type { DataSource } from 'typeorm';
import { InvoicingAppModule } from '../src/app.module';
import { invoicingConfigSchema } from '../src/config';

export type DueDocument = OccurrenceDue['document'];

/** The invoicing app in-process with its own database and bus root, a caller and an event recorder. */
export class InvoicingHarness {
  readonly events: EventEnvelope[] = [];
  private sub?: Subscription;

  private constructor(
    readonly db: TestDatabase,
    readonly root: string,
    readonly app: INestApplication,
    readonly rpc: TestRpc,
    readonly js: JetStreamClient,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<InvoicingHarness> {
    const db = await createTestDatabase('invoicing');
    const root = uniqueName('inv');
    const { app } = await bootTestApp(
      invoicingConfigSchema,
      (c) => InvoicingAppModule.forRoot(c),
      testEnv(db, root, { CLOCK_MODE: 'manual', ...env }),
    );
    const rpc = await TestRpc.connect(TEST_NATS_URL, root, 10_000);
    const harness = new InvoicingHarness(db, root, app, rpc, jetstream(rpc.nc));
    harness.record();
    return harness;
  }

  async stop(): Promise<void> {
    this.sub?.unsubscribe();
    await this.rpc?.close();
    await this.app?.close();
    await this.db?.drop();
    await dropBus(this.root);
  }

  get ds(): DataSource {
    return this.app.get<DataSource>(DATA_SOURCE);
  }

  /** Every invoice and occurrence event the outbox relays (JetStream publishes reach core subscribers). */
  private record(): void {
    const decoder = new TextDecoder();
    this.sub = this.rpc.nc.subscribe(`${this.root}.>`, {
      callback: (_err, msg) => {
        if (msg.subject.startsWith(`${this.root}.rpc.`)) return;
        this.events.push(JSON.parse(decoder.decode(msg.data)) as EventEnvelope);
      },
    });
  }

  eventsOf<C extends EventContract>(contract: C, invoiceId?: string): Array<EventEnvelope<EventData<C>>> {
    const type = `${contract.name}.v${contract.version}`;
    return this.events.filter(
      (e) =>
        e.event_type === type &&
        (invoiceId === undefined || (e.data as { invoice?: { id: string } }).invoice?.id === invoiceId),
    ) as Array<EventEnvelope<EventData<C>>>;
  }

  async customer(tenant: TenantContext, currency?: 'USD' | 'EUR' | 'CAD' | 'GBP' | 'AUD'): Promise<string> {
    const c = await this.rpc.call(
      CustomersRpc.create,
      { name: 'Northwind', email: 'ap@northwind.test', ...(currency ? { currency } : {}) },
      tenant,
    );
    return c.id;
  }

  async vendor(tenant: TenantContext): Promise<string> {
    return (await this.rpc.call(VendorsRpc.create, { name: 'Office Supplies Inc' }, tenant)).id;
  }

  /**
   * Publishes an `occurrence.due` envelope as the scheduler would: event id = uuidFromName(key) unless
   * given, Nats-Msg-Id = event id unless given (a different one simulates a redelivery the stream did
   * not deduplicate).
   */
  async publishDue(
    tenantId: string,
    due: OccurrenceDue,
    opts: { eventId?: string; msgId?: string } = {},
  ): Promise<string> {
    const eventId = opts.eventId ?? uuidFromName(occurrenceKey(due.template_id, due.occurrence_date));
    const envelope: EventEnvelope<OccurrenceDue> = {
      event_id: eventId,
      event_type: 'occurrence.due.v1',
      schema_version: 1,
      tenant_id: tenantId,
      occurred_at: new Date().toISOString(),
      data: due,
    };
    await this.js.publish(eventSubject(this.root, OccurrenceEvents.due), JSON.stringify(envelope), {
      msgID: opts.msgId ?? eventId,
    });
    return eventId;
  }

  /** Publishes the occurrences and waits until each has its document. */
  async generate(tenant: TenantContext, dues: OccurrenceDue[]): Promise<InvoiceView[]> {
    for (const due of dues) await this.publishDue(tenant.id, due);
    const ids = await eventually(async () => {
      const rows: Array<{ id: string; template_id: string; occurrence_date: string }> = await this.ds.query(
        `SELECT id, template_id, occurrence_date FROM invoices
         WHERE tenant_id = $1 AND (template_id, occurrence_date) IN
           (SELECT * FROM unnest($2::uuid[], $3::date[]))`,
        [tenant.id, dues.map((d) => d.template_id), dues.map((d) => d.occurrence_date)],
      );
      if (rows.length < dues.length) return null;
      const byKey = new Map(rows.map((r) => [occurrenceKey(r.template_id, r.occurrence_date), r.id]));
      return dues.map((d) => byKey.get(occurrenceKey(d.template_id, d.occurrence_date))!);
    }, 20_000);
    return Promise.all(ids.map((id) => this.rpc.call(InvoicesRpc.get, { id }, tenant)));
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const [row]: Array<{ n: number }> = await this.ds.query(sql, params);
    return row.n;
  }
}

/** A due occurrence of a fresh template (unless `template_id` is given). */
export function due(
  partyId: string,
  over: Partial<DueDocument> = {},
  at: { date?: string; templateId?: string; index?: number; runId?: string } = {},
): OccurrenceDue {
  const type = over.type ?? 'invoice';
  return {
    run_id: at.runId ?? uuidv7(),
    template_id: at.templateId ?? uuidv7(),
    occurrence_date: at.date ?? '2026-01-31',
    occurrence_index: at.index ?? 0,
    document: {
      type,
      customer_id: type === 'invoice' ? partyId : null,
      vendor_id: type === 'bill' ? partyId : null,
      currency: 'USD',
      days_until_due: 30,
      auto_send: false,
      description: 'Monthly retainer',
      notes: 'Thank you for your business.',
      lines: [{ description: 'Retainer', quantity: '1', unit_price: '1500.00', tax_rate: '8.25' }],
      ...over,
    },
  };
}

/** The failure of a call as its problem (or rethrows what is not one). */
export async function problemOf(call: Promise<unknown>): Promise<{
  status: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}> {
  const err: unknown = await call.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (err && typeof err === 'object' && 'problem' in err) {
    return (err as { problem: { status: number; detail?: string; errors?: [] } }).problem;
  }
  throw err;
}
