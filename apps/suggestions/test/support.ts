import type { INestApplication } from '@nestjs/common';
import {
  bootTestApp,
  createTestDatabase,
  dropBus,
  testEnv,
  uniqueName,
  type TestDatabase,
} from '@billing/common/testing';
import { type Api, ADMIN_TOKEN, bootGateway } from '../../gateway/test/support';
import { InvoicingAppModule } from '../../invoicing/src/app.module';
import { invoicingConfigSchema } from '../../invoicing/src/config';
import { TemplatesAppModule } from '../../templates/src/app.module';
import { templatesConfigSchema } from '../../templates/src/config';
import { SuggestionsAppModule } from '../src/app.module';
import { suggestionsConfigSchema } from '../src/config';

/**
 * Gateway, invoicing, templates and suggestions in-process on one test database (each app in its own
 * schema) and one bus root, with the manual clock: the REST API over real RPC, PostgreSQL and NATS.
 */
export class SuggestionsSystem {
  private constructor(
    readonly db: TestDatabase,
    readonly root: string,
    readonly apps: INestApplication[],
    readonly suggestions: INestApplication,
    readonly api: Api,
  ) {}

  static async start(prefix: string, extra: Record<string, string> = {}): Promise<SuggestionsSystem> {
    const db = await createTestDatabase(prefix);
    const root = uniqueName(prefix);
    const env = testEnv(db, root, { CLOCK_MODE: 'manual', SUGGESTIONS_POLL_MS: '100', ...extra });
    const apps: INestApplication[] = [];
    apps.push((await bootTestApp(invoicingConfigSchema, (c) => InvoicingAppModule.forRoot(c), env)).app);
    apps.push((await bootTestApp(templatesConfigSchema, (c) => TemplatesAppModule.forRoot(c), env)).app);
    const suggestions = (
      await bootTestApp(suggestionsConfigSchema, (c) => SuggestionsAppModule.forRoot(c), env)
    ).app;
    apps.push(suggestions);
    const gateway = await bootGateway(db, root, { CLOCK_MODE: 'manual', RPC_TIMEOUT_MS: '3000' });
    apps.push(gateway.app);
    return new SuggestionsSystem(db, root, apps, suggestions, gateway.api);
  }

  async setToday(today: string): Promise<void> {
    const res = await this.api.request('PUT', '/v1/admin/clock', { token: ADMIN_TOKEN, body: { today } });
    if (res.status !== 200) throw new Error(`clock not set: ${res.status}`);
  }

  async close(): Promise<void> {
    for (const app of [...this.apps].reverse()) await app.close();
    await this.db.drop();
    await dropBus(this.root);
  }
}

/** CSV text from rows of cells (cells with a comma or quote are quoted). */
export function csv(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** Monthly payments on `day` of each month from `from` (YYYY-MM) for `count` months. */
export function monthly(from: string, count: number, day: number): string[] {
  const [y, m] = from.split('-').map(Number);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const year = y + Math.floor((m - 1 + i) / 12);
    const month = ((m - 1 + i) % 12) + 1;
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    out.push(`${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`);
  }
  return out;
}
