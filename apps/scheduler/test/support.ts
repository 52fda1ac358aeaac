import type { INestApplication } from '@nestjs/common';
import { jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/nats-core';
import {
  CustomersRpc,
  InvoicesRpc,
  type InvoiceView,
  type OccurrenceDue,
  type RunSummary,
  SchedulerRpc,
  type TemplateCreate,
  TemplatesRpc,
  type TemplateView,
  type TenantContext,
  TenantsRpc,
  type TenantView,
  OccurrenceEvents,
  eventStreamName,
  eventSubject,
  rpcSubject,
} from '@billing/contracts';
import { ClockService, uuidv7 } from '@billing/common';
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
import { InvoicingAppModule } from '../../invoicing/src/app.module';
import { invoicingConfigSchema } from '../../invoicing/src/config';
import { TemplatesAppModule } from '../../templates/src/app.module';
import { templatesConfigSchema } from '../../templates/src/config';
import { SchedulerAppModule } from '../src/app.module';
import { schedulerConfigSchema } from '../src/config';

type RunDetail = Awaited<ReturnType<TestSystem['detail']>>;

/**
 * Templates, invoicing and two scheduler instances (replicas) in-process, on one test database (each
 * app in its own schema) and one bus root, with the manual clock. The tenant directory (the gateway's
 * `TenantsRpc.list`) is a fake that answers from `tenants`, at most `tenantPage` per page.
 */
export class TestSystem {
  readonly tenants: TenantView[] = [];
  tenantPage = 2;
  /** Every `occurrence.due` message on the stream: its Nats-Msg-Id and data. */
  readonly published: Array<{ msgId: string | undefined; data: OccurrenceDue }> = [];
  templates!: INestApplication;
  invoicing!: INestApplication;
  schedulers: INestApplication[] = [];
  rpc!: TestRpc;
  private readonly up = new Set<string>();
  private directory?: Subscription;
  private messages?: ConsumerMessages;

  private constructor(
    readonly db: TestDatabase,
    readonly root: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(prefix: string, extra: Record<string, string> = {}): Promise<TestSystem> {
    const db = await createTestDatabase(prefix);
    const root = uniqueName(prefix);
    const env = testEnv(db, root, {
      CLOCK_MODE: 'manual',
      SCHEDULER_DAILY_RUNS: 'false',
      SCHEDULER_PAGE_SIZE: '3',
      ...extra,
    });
    const system = new TestSystem(db, root, env);
    await system.boot('invoicing');
    await system.boot('templates');
    system.schedulers = [await system.bootScheduler(), await system.bootScheduler()];
    system.rpc = await TestRpc.connect(TEST_NATS_URL, root);
    system.directory = system.fakeTenantDirectory();
    await system.recordDueOccurrences();
    return system;
  }

  async boot(app: 'invoicing' | 'templates'): Promise<void> {
    if (app === 'invoicing') {
      ({ app: this.invoicing } = await bootTestApp(
        invoicingConfigSchema,
        (c) => InvoicingAppModule.forRoot(c),
        this.env,
      ));
    } else {
      ({ app: this.templates } = await bootTestApp(
        templatesConfigSchema,
        (c) => TemplatesAppModule.forRoot(c),
        this.env,
      ));
    }
    this.up.add(app);
  }

  async stop(app: 'invoicing' | 'templates'): Promise<void> {
    await (app === 'invoicing' ? this.invoicing : this.templates).close();
    this.up.delete(app);
  }

  private async bootScheduler(): Promise<INestApplication> {
    const { app } = await bootTestApp(schedulerConfigSchema, (c) => SchedulerAppModule.forRoot(c), this.env);
    return app;
  }

  async close(): Promise<void> {
    await this.messages?.close();
    if (this.directory && !this.directory.isClosed()) this.directory.unsubscribe();
    await this.rpc?.close();
    for (const s of this.schedulers) await s.close();
    if (this.up.has('templates')) await this.templates.close();
    if (this.up.has('invoicing')) await this.invoicing.close();
    await this.db.drop();
    await dropBus(this.root);
  }

  setToday(date: string): Promise<void> {
    return this.schedulers[0].get(ClockService).setManualDate(date);
  }

  /** A tenant with one customer, listed in the tenant directory. */
  async tenant(name: string): Promise<{ tenant: TenantContext; customerId: string }> {
    const view: TenantView = {
      id: uuidv7(),
      name,
      base_currency: 'USD',
      timezone: 'America/New_York',
      address: null,
      paper_size: 'A4',
      created_at: new Date().toISOString(),
    };
    this.tenants.push(view);
    const tenant: TenantContext = {
      id: view.id,
      name: view.name,
      base_currency: view.base_currency,
      timezone: view.timezone,
    };
    const customer = await this.rpc.call(
      CustomersRpc.create,
      { name: `${name} customer`, email: 'ap@c.test' },
      tenant,
    );
    return { tenant, customerId: customer.id };
  }

  template(tenant: TenantContext, input: TemplateCreate): Promise<TemplateView> {
    return this.rpc.call(TemplatesRpc.create, input, tenant);
  }

  getTemplate(tenant: TenantContext, id: string): Promise<TemplateView> {
    return this.rpc.call(TemplatesRpc.get, { id }, tenant);
  }

  run(tenant: TenantContext, asOf?: string): Promise<RunSummary> {
    return this.rpc.call(SchedulerRpc.run, asOf ? { as_of: asOf } : {}, tenant);
  }

  detail(tenant: TenantContext, id: string, limit = 200, cursor?: string) {
    return this.rpc.call(SchedulerRpc.get, { id, limit, cursor }, tenant);
  }

  /** The run once it has finished and every occurrence it published is settled (no result pending). */
  settled(tenant: TenantContext, id: string, timeoutMs = 15_000): Promise<RunDetail> {
    return eventually(async () => {
      const d = await this.detail(tenant, id);
      return d.run.status !== 'running' && d.run.counts.pending === 0 ? d : null;
    }, timeoutMs);
  }

  /** Runs the scheduler now and waits until its documents are generated and the templates moved on. */
  async runAndSettle(tenant: TenantContext, asOf?: string): Promise<RunDetail> {
    const run = await this.run(tenant, asOf);
    const settled = await this.settled(tenant, run.id);
    await this.templatesCaughtUp(tenant, settled);
    return this.detail(tenant, run.id);
  }

  /** Every generated result has reached its template (the count and the next occurrence moved on). */
  async templatesCaughtUp(tenant: TenantContext, detail: RunDetail): Promise<void> {
    const generated = detail.results.data.filter((r) => r.outcome === 'generated');
    await eventually(async () => {
      for (const r of generated) {
        const t = await this.getTemplate(tenant, r.template_id);
        if (t.last_generated_date === null || t.last_generated_date < r.occurrence_date) return null;
      }
      return true;
    }, 15_000);
  }

  /** The documents a template generated, by occurrence date. */
  async documents(tenant: TenantContext, templateId: string): Promise<InvoiceView[]> {
    const page = await this.rpc.call(InvoicesRpc.list, { template_id: templateId, limit: 200 }, tenant);
    return [...page.data].sort((a, b) => (a.occurrence_date ?? '').localeCompare(b.occurrence_date ?? ''));
  }

  async issueDates(tenant: TenantContext, templateId: string): Promise<string[]> {
    return (await this.documents(tenant, templateId)).map((d) => d.issue_date);
  }

  /** `occurrence.due` messages stored for a template. */
  publishedFor(templateId: string): Array<{ msgId: string | undefined; data: OccurrenceDue }> {
    return this.published.filter((p) => p.data.template_id === templateId);
  }

  private fakeTenantDirectory(): Subscription {
    const decoder = new TextDecoder();
    return this.rpc.nc.subscribe(rpcSubject(this.root, TenantsRpc.list), {
      callback: (_err, msg) => {
        const { data } = JSON.parse(decoder.decode(msg.data)) as {
          data: { limit?: number; cursor?: string };
        };
        const sorted = [...this.tenants].sort((a, b) => a.id.localeCompare(b.id));
        const from = data.cursor ? sorted.filter((t) => t.id > data.cursor!) : sorted;
        const size = Math.min(data.limit ?? 50, this.tenantPage);
        const page = from.slice(0, size);
        const next = from.length > size ? page[page.length - 1].id : null;
        msg.respond(JSON.stringify({ ok: true, data: { data: page, next_cursor: next } }));
      },
    });
  }

  private async recordDueOccurrences(): Promise<void> {
    const consumer = await jetstream(this.rpc.nc).consumers.get(eventStreamName(this.root), {
      filter_subjects: eventSubject(this.root, OccurrenceEvents.due),
    });
    this.messages = await consumer.consume();
    void (async () => {
      for await (const m of this.messages!) {
        this.published.push({
          msgId: m.headers?.get('Nats-Msg-Id'),
          data: m.json<{ data: OccurrenceDue }>().data,
        });
      }
    })();
  }
}
