/**
 * bench/daily-run: 100,000 due templates in one tenant (all six frequencies, half of the invoices
 * auto-send) run to the end through the real system — gateway, templates, scheduler and invoicing as
 * separate processes, the way `npm start` runs them — and, in the same run, the same rows inserted by
 * plain batched SQL as the machine's limit. See README.md beside this file.
 */
import { mkdtempSync } from 'fs';
import { cpus, loadavg, tmpdir } from 'os';
import { join } from 'path';
import { Client, types } from 'pg';
import { dropBus } from '@billing/common/testing';
import { seedDueTemplates } from '../shared/due-templates';
import { callApi } from '../shared/http';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require(
  join(__dirname, '..', '..', '..', 'scripts', 'launcher'),
) as typeof import('../../scripts/launcher');

const ROOT_DIR = join(__dirname, '..', '..', '..');
types.setTypeParser(1082, (value: string) => value); // dates stay calendar dates
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const RUN_DATE = '2027-03-31';

interface Options {
  templates: number;
  pgUrl: string;
  natsUrl: string;
  keep: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    templates: 100_000,
    pgUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--templates') opts.templates = Number(argv[++i]);
    else if (arg === '--keep') opts.keep = true;
    else throw new Error(`unknown argument ${arg} (use --templates N, --keep)`);
  }
  if (!Number.isInteger(opts.templates) || opts.templates < 100) throw new Error('--templates must be ≥ 100');
  return opts;
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms).toLocaleString('en-US');

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const dbName = `bench_daily_${Date.now().toString(36)}`;
  const root = `bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: opts.pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const dbUrl = new URL(opts.pgUrl);
  dbUrl.pathname = `/${dbName}`;
  const pg = new Client({ connectionString: dbUrl.toString() });

  console.log(
    `daily-run bench: ${opts.templates.toLocaleString('en-US')} due templates, one tenant, run date ${RUN_DATE}`,
  );
  console.log(
    `${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()})`,
  );

  const system = await launcher.startSystem({
    rootDir: ROOT_DIR,
    apps: ['gateway', 'templates', 'scheduler', 'invoicing'],
    ports: { gateway: 3600, templates: 3601, scheduler: 3603, invoicing: 3602 },
    databaseUrl: dbUrl.toString(),
    natsUrl: opts.natsUrl,
    busRoot: root,
    clockMode: 'manual',
    adminToken: ADMIN_TOKEN,
    dataDir: mkdtempSync(join(tmpdir(), 'bench-daily-')),
    stdio: 'file',
    build: false,
    createDevTenant: false,
    logLevel: 'warn',
    // As in production: outgoing events are not parsed again before they are stored (receivers check).
    // The setup creates customers and vendors through the API faster than the default rate limits allow.
    env: { RPC_TIMEOUT_MS: '60000', BUS_VALIDATE_OUTGOING: 'false', RATE_LIMIT_KEY_RPS: '0' },
    log: () => undefined,
  });
  try {
    await pg.connect();
    const base = system.gatewayUrl;
    await callApi(base, 'PUT', '/v1/admin/clock', ADMIN_TOKEN, { today: RUN_DATE });
    const created = await callApi(base, 'POST', '/v1/admin/tenants', ADMIN_TOKEN, {
      name: 'Bench Agency',
      base_currency: 'USD',
      timezone: 'UTC',
    });
    const tenantId: string = created.tenant.id;
    const key: string = created.api_key;

    // --- setup (not timed): parties through the API, templates straight into the templates schema ---
    const customers: string[] = [];
    const vendors: string[] = [];
    for (let i = 0; i < 100; i++) {
      customers.push(
        (
          await callApi(base, 'POST', '/v1/customers', key, {
            name: `Customer ${i}`,
            email: `c${i}@bench.test`,
          })
        ).id,
      );
      vendors.push((await callApi(base, 'POST', '/v1/vendors', key, { name: `Vendor ${i}` })).id);
    }
    const seedStarted = Date.now();
    const mix = await seedDueTemplates(pg, {
      tenantId,
      runDate: RUN_DATE,
      customers,
      vendors,
      count: opts.templates,
    });
    console.log(
      `seeded in ${seconds(Date.now() - seedStarted)} s: ` +
        Object.entries(mix)
          .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
          .join(', '),
    );

    // --- the measured run ---
    const started = Date.now();
    const run = await callApi(base, 'POST', '/v1/scheduler/runs', key, { as_of: RUN_DATE });
    // The cheap conditions first, each only once the one before holds: polling must not load the very
    // database being measured (an outbox full of deleted rows makes even "is it empty" a scan unless it
    // goes by the primary key; counting the invoices 20 times a second would cost more still).
    const published = await waitUntil(started, async () => {
      const { rows } = await pg.query('SELECT status FROM scheduler.runs WHERE id = $1', [run.id]);
      if (rows[0].status === 'running') return false;
      const { rows: outboxes } = await pg.query(
        `SELECT (SELECT seq FROM invoicing.outbox ORDER BY seq LIMIT 1) IS NULL
            AND (SELECT seq FROM scheduler.outbox ORDER BY seq LIMIT 1) IS NULL AS empty`,
      );
      if (!outboxes[0].empty) return false;
      const { rows: counted } = await pg.query('SELECT count(*)::int AS invoices FROM invoicing.invoices');
      return counted[0].invoices === opts.templates;
    });
    const endToEndMs = published - started;
    const advanced = await waitUntil(started, async () => {
      const { rows } = await pg.query(
        'SELECT (SELECT seq FROM templates.outbox ORDER BY seq LIMIT 1) IS NOT NULL AS outbox',
      );
      if (rows[0].outbox) return false;
      const { rows: counted } = await pg.query(
        'SELECT count(*)::int AS advanced FROM templates.templates WHERE generated_count = 1',
      );
      return counted[0].advanced === opts.templates;
    });
    const { rows: counts } = await pg.query(
      `SELECT (SELECT count(*) FROM invoicing.invoices)::int AS invoices,
              (SELECT count(*) FROM invoicing.invoices WHERE status = 'open')::int AS finalized,
              (SELECT count(*) FROM invoicing.invoice_lines)::int AS lines,
              (SELECT count(*) FROM invoicing.journal_entries)::int AS entries,
              (SELECT count(*) FROM invoicing.journal_lines)::int AS journal_lines,
              (SELECT count(DISTINCT (template_id, occurrence_date)) FROM invoicing.invoices)::int AS keys`,
    );
    const c = counts[0];
    const tb = await callApi(base, 'GET', `/v1/reports/trial-balance?as_of=${RUN_DATE}`, key);
    const balanced = tb.currencies.every((x: { difference: string }) => x.difference === '0.00');

    // --- the machine's limit: the same rows, plain batched SQL, same database ---
    const limitMs = await plainSqlLimit(pg);

    const e2eRate = (opts.templates * 1000) / endToEndMs;
    const limitRate = (opts.templates * 1000) / limitMs;
    const ratio = e2eRate / limitRate;
    console.log(
      `produced: ${c.invoices.toLocaleString('en-US')} documents (${c.finalized.toLocaleString('en-US')} finalized), ` +
        `${c.lines.toLocaleString('en-US')} lines, ${c.entries.toLocaleString('en-US')} journal entries ` +
        `(${c.journal_lines.toLocaleString('en-US')} lines); distinct occurrence keys ${c.keys.toLocaleString('en-US')}; ` +
        `trial balance ${balanced ? 'zero' : 'NOT ZERO'}`,
    );
    console.log(
      `end to end:      ${seconds(endToEndMs).padStart(7)} s  ${rate(opts.templates, endToEndMs).padStart(8)} invoices/s` +
        `  (run → documents, lines, journal committed, every event published)`,
    );
    console.log(
      `  + templates:   ${seconds(advanced - started).padStart(7)} s  ${rate(opts.templates, advanced - started).padStart(8)} invoices/s` +
        `  (… and every template advanced, its events published)`,
    );
    console.log(
      `plain SQL limit: ${seconds(limitMs).padStart(7)} s  ${rate(opts.templates, limitMs).padStart(8)} invoices/s` +
        `  (the same rows, batched INSERT … SELECT unnest, 5,000 per statement)`,
    );
    console.log(
      `ratio: ${(ratio * 100).toFixed(1)} % of the limit (required ≥ 25 %); load average ${loadavg()[0].toFixed(2)}`,
    );
    if (c.invoices !== opts.templates || c.keys !== opts.templates || !balanced) {
      console.error('FAILED: the run did not produce exactly one balanced document per occurrence');
      process.exitCode = 1;
    } else if (ratio < 0.25) {
      console.error('FAILED: below 25 % of the plain SQL limit');
      process.exitCode = 1;
    }
  } finally {
    await pg.end().catch(() => undefined);
    await system.stop();
    if (!opts.keep) {
      await dropBus(root, opts.natsUrl);
      const c2 = new Client({ connectionString: opts.pgUrl });
      await c2.connect();
      await c2.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c2.end();
    }
  }
}

async function waitUntil(started: number, done: () => Promise<boolean>): Promise<number> {
  for (;;) {
    if (await done()) return Date.now();
    if (Date.now() - started > 30 * 60_000) throw new Error('the run did not finish within 30 minutes');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Copies the tables' shape into a scratch schema and inserts the very rows the run produced (read
 * beforehand, not timed) with plain batched SQL: what the database alone can do on this machine.
 */
async function plainSqlLimit(pg: Client): Promise<number> {
  await pg.query('DROP SCHEMA IF EXISTS bench_limit CASCADE; CREATE SCHEMA bench_limit');
  for (const table of ['invoices', 'invoice_lines', 'journal_entries', 'journal_lines']) {
    await pg.query(`CREATE TABLE bench_limit.${table} (LIKE invoicing.${table} INCLUDING ALL)`);
  }
  const data: Record<string, { columns: string[]; types: string[]; rows: unknown[][] }> = {};
  for (const table of ['invoices', 'invoice_lines', 'journal_entries', 'journal_lines']) {
    const { rows: cols } = await pg.query(
      `SELECT column_name, format_type(a.atttypid, a.atttypmod) AS type
         FROM information_schema.columns c
         JOIN pg_attribute a ON a.attrelid = ('invoicing.' || $1)::regclass AND a.attname = c.column_name
        WHERE c.table_schema = 'invoicing' AND c.table_name = $1 ORDER BY c.ordinal_position`,
      [table],
    );
    const columns = cols.map((c: { column_name: string }) => c.column_name);
    const types = cols.map((c: { type: string }) => c.type);
    const { rows } = await pg.query({
      text: `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM invoicing.${table}`,
      rowMode: 'array',
    });
    data[table] = { columns, types, rows };
  }
  const started = Date.now();
  const batch = 5000;
  const invoices = data.invoices.rows.length;
  for (let from = 0; from < invoices; from += batch) {
    await pg.query('BEGIN');
    const ids = new Set(data.invoices.rows.slice(from, from + batch).map((r) => r[0]));
    for (const table of ['invoices', 'invoice_lines', 'journal_entries', 'journal_lines']) {
      const t = data[table];
      const owner = ownerColumn(table, t.columns);
      const rows =
        table === 'journal_lines' ? journalLinesFor(data, ids) : t.rows.filter((r) => ids.has(r[owner]));
      if (rows.length === 0) continue;
      const params = t.columns.map((_, k) => rows.map((r) => r[k]));
      const arrays = t.types.map((type, k) => `$${k + 1}::${arrayType(type)}`);
      await pg.query(
        `INSERT INTO bench_limit.${table} (${t.columns.map((c) => `"${c}"`).join(', ')})
         SELECT * FROM unnest(${arrays.join(', ')})`,
        params,
      );
    }
    await pg.query('COMMIT');
  }
  const elapsed = Date.now() - started;
  await pg.query('DROP SCHEMA bench_limit CASCADE');
  return elapsed;
}

/** Which column ties a row to its invoice (the batch it belongs to). */
function ownerColumn(table: string, columns: string[]): number {
  const name = table === 'invoices' ? 'id' : 'invoice_id';
  const k = columns.indexOf(name);
  if (k < 0 && table !== 'journal_lines') throw new Error(`${table} has no ${name} column`);
  return k;
}

function journalLinesFor(
  data: Record<string, { columns: string[]; rows: unknown[][] }>,
  invoiceIds: Set<unknown>,
): unknown[][] {
  const entries = data.journal_entries;
  const inv = entries.columns.indexOf('invoice_id');
  const entryIds = new Set(entries.rows.filter((r) => invoiceIds.has(r[inv])).map((r) => r[0]));
  const lines = data.journal_lines;
  const owner = lines.columns.indexOf('entry_id');
  return lines.rows.filter((r) => entryIds.has(r[owner]));
}

/** `character(3)` → `character(3)[]`, enum types keep their schema-qualified name. */
function arrayType(type: string): string {
  return `${type}[]`;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
