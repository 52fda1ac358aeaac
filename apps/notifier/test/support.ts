import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { INestApplication } from '@nestjs/common';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/nats-core';
import {
  type Address,
  CustomersRpc,
  type EventEnvelope,
  type InvoiceView,
  InvoicesRpc,
  type OccurrenceDue,
  OccurrenceEvents,
  type PaperSize,
  type RpcReply,
  RpcRequestEnvelopeSchema,
  type TenantContext,
  TenantsRpc,
  type TenantView,
  eventSubject,
  occurrenceKey,
  rpcSubject,
} from '@billing/contracts';
import { ClockService, DATA_SOURCE, ProblemError, uuidFromName, uuidv7 } from '@billing/common';
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
import { InvoicingAppModule } from '../../invoicing/src/app.module';
import { invoicingConfigSchema } from '../../invoicing/src/config';
import { NotifierAppModule } from '../src/app.module';
import { notifierConfigSchema } from '../src/config';
import { TestSmtpServer } from './mail';

export * from './mail';

/** A local HTTP server counting every request that reaches it (nothing should). */
export class TripwireServer {
  private constructor(
    private readonly server: Server,
    readonly requests: string[],
  ) {}

  static async start(): Promise<TripwireServer> {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.setHeader('content-type', req.url?.endsWith('.css') ? 'text/css' : 'image/png');
      res.end(req.url?.endsWith('.css') ? 'body { background: red }' : '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return new TripwireServer(server, requests);
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

export interface TenantOptions {
  name?: string;
  address?: Address | null;
  paperSize?: PaperSize;
  timezone?: string;
}

/**
 * Invoicing (real) and the notifier in-process, on one test database (each in its own schema) and one
 * bus root, with the manual clock; the gateway's tenant directory (`TenantsRpc`) is a fake answering
 * from `tenants`; mail goes to a real SMTP server started here.
 */
export class NotifierSystem {
  readonly tenants = new Map<string, TenantView>();
  invoicing!: INestApplication;
  notifier!: INestApplication;
  rpc!: TestRpc;
  js!: JetStreamClient;
  private directory: Subscription[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly root: string,
    readonly smtp: TestSmtpServer,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(extra: Record<string, string> = {}): Promise<NotifierSystem> {
    const db = await createTestDatabase('notifier');
    const root = uniqueName('ntf');
    const smtp = await TestSmtpServer.start();
    const env = testEnv(db, root, {
      CLOCK_MODE: 'manual',
      SMTP_URL: smtp.url,
      SMTP_TIMEOUT_MS: '2000',
      DELIVERY_POLL_MS: '100',
      DELIVERY_MAX_ATTEMPTS: '4',
      DELIVERY_BACKOFF_MS: '400,800,1200',
      REMINDERS_DAILY: 'false',
      PDF_PAGES: '2',
      ...extra,
    });
    const system = new NotifierSystem(db, root, smtp, env);
    system.rpc = await TestRpc.connect(TEST_NATS_URL, root, 20_000);
    system.js = jetstream(system.rpc.nc);
    await system.answerTenants();
    ({ app: system.invoicing } = await bootTestApp(
      invoicingConfigSchema,
      (c) => InvoicingAppModule.forRoot(c),
      { ...env, DB_SCHEMA: 'invoicing' },
    ));
    ({ app: system.notifier } = await bootTestApp(notifierConfigSchema, (c) => NotifierAppModule.forRoot(c), {
      ...env,
      DB_SCHEMA: 'notifier',
    }));
    return system;
  }

  async stop(): Promise<void> {
    for (const s of this.directory) s.unsubscribe();
    await this.notifier?.close();
    await this.invoicing?.close();
    await this.rpc?.close();
    await this.smtp.down();
    await this.db.drop();
    await dropBus(this.root);
  }

  get notifierDb(): DataSource {
    return this.notifier.get<DataSource>(DATA_SOURCE);
  }

  setToday(date: string): Promise<void> {
    return this.notifier.get(ClockService).setManualDate(date);
  }

  async tenant(options: TenantOptions = {}): Promise<TenantContext> {
    const view: TenantView = {
      id: uuidv7(),
      name: options.name ?? 'Acme Retainers LLC',
      base_currency: 'USD',
      timezone: options.timezone ?? 'UTC',
      address:
        options.address === undefined
          ? {
              line1: '500 Market Street',
              city: 'San Francisco',
              region: 'CA',
              postal_code: '94105',
              country: 'US',
            }
          : options.address,
      paper_size: options.paperSize ?? 'A4',
      created_at: new Date().toISOString(),
    };
    this.tenants.set(view.id, view);
    return { id: view.id, name: view.name, base_currency: view.base_currency, timezone: view.timezone };
  }

  async customer(tenant: TenantContext, over: Record<string, unknown> = {}): Promise<string> {
    const c = await this.rpc.call(
      CustomersRpc.create,
      {
        name: 'Northwind Traders',
        email: `ap-${uuidv7().slice(-8)}@northwind.test`,
        address: {
          line1: '12 Harbour Road',
          city: 'Seattle',
          region: 'WA',
          postal_code: '98101',
          country: 'US',
        },
        ...over,
      },
      tenant,
    );
    return c.id;
  }

  /** Generates one invoice through invoicing (an `occurrence.due`, as the scheduler publishes it). */
  async invoice(
    tenant: TenantContext,
    customerId: string,
    over: Partial<OccurrenceDue['document']> = {},
    date = '2027-01-31',
  ): Promise<InvoiceView> {
    const due: OccurrenceDue = {
      run_id: uuidv7(),
      template_id: uuidv7(),
      occurrence_date: date,
      occurrence_index: 0,
      document: {
        type: 'invoice',
        customer_id: customerId,
        vendor_id: null,
        currency: 'USD',
        days_until_due: 30,
        auto_send: false,
        description: 'Monthly retainer',
        notes: 'Thank you for your business.',
        lines: [
          { description: 'Strategy retainer', quantity: '1', unit_price: '1500.00', tax_rate: '8.25' },
          { description: 'Design hours', quantity: '12.5', unit_price: '95.00', tax_rate: '0' },
        ],
        ...over,
      },
    };
    const eventId = uuidFromName(occurrenceKey(due.template_id, due.occurrence_date));
    const envelope: EventEnvelope<OccurrenceDue> = {
      event_id: eventId,
      event_type: 'occurrence.due.v1',
      schema_version: 1,
      tenant_id: tenant.id,
      occurred_at: new Date().toISOString(),
      data: due,
    };
    await this.js.publish(eventSubject(this.root, OccurrenceEvents.due), JSON.stringify(envelope), {
      msgID: eventId,
    });
    const id = await eventually(async () => {
      const page = await this.rpc.call(InvoicesRpc.list, { limit: 10, template_id: due.template_id }, tenant);
      return page.data[0]?.id;
    }, 20_000);
    return this.rpc.call(InvoicesRpc.get, { id }, tenant);
  }

  getInvoice(tenant: TenantContext, id: string): Promise<InvoiceView> {
    return this.rpc.call(InvoicesRpc.get, { id }, tenant);
  }

  async deliveries(
    invoiceId: string,
  ): Promise<Array<{ kind: string; status: string; attempts: number; reminder_offset: number | null }>> {
    return this.notifierDb.query(
      'SELECT kind, status, attempts, reminder_offset FROM deliveries WHERE invoice_id = $1 ORDER BY created_at',
      [invoiceId],
    );
  }

  /** The gateway's `TenantsRpc.get` and `.list`, answered from `tenants`. */
  private async answerTenants(): Promise<void> {
    const answer = (subject: string, handle: (data: any) => unknown) =>
      this.rpc.nc.subscribe(subject, {
        callback: (_err, msg) => {
          let reply: RpcReply;
          try {
            reply = { ok: true, data: handle(RpcRequestEnvelopeSchema.parse(msg.json()).data) };
          } catch (err) {
            reply = {
              ok: false,
              problem: err instanceof ProblemError ? err.problem : ProblemError.internal().problem,
            };
          }
          msg.respond(JSON.stringify(reply));
        },
      });
    this.directory.push(
      answer(rpcSubject(this.root, TenantsRpc.get), (data: { id: string }) => {
        const t = this.tenants.get(data.id);
        if (!t) throw ProblemError.notFound('Tenant', data.id);
        return t;
      }),
      answer(rpcSubject(this.root, TenantsRpc.list), () => ({
        data: [...this.tenants.values()],
        next_cursor: null,
      })),
    );
    await this.rpc.nc.flush();
  }
}
