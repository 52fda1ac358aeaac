/**
 * bench/api-load: autocannon against the gateway of the real system (gateway, templates, invoicing and
 * scheduler as separate processes, the way `npm start` runs them) on a fresh database and bus root:
 * three API scenarios idle, against a bare NestJS route as the ceiling in the same run, then the same
 * scenarios during a 100,000-template daily run. See README.md beside this file.
 */
import { type ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync } from 'fs';
import { cpus, loadavg, tmpdir } from 'os';
import { join } from 'path';
import type autocannon from 'autocannon';
import { Client, types } from 'pg';
import { dropBus } from '@billing/common/testing';
import { seedDueTemplates } from '../shared/due-templates';
import { callApi } from '../shared/http';
import { type CpuTargets, type LoadOptions, type LoadResult, pidsNamed, startLoad } from './load';
import { type TimeSpent, scrapeApps, timeSpent } from './server-metrics';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require(
  join(__dirname, '..', '..', '..', 'scripts', 'launcher'),
) as typeof import('../../scripts/launcher');

const ROOT_DIR = join(__dirname, '..', '..', '..');
types.setTypeParser(1082, (value: string) => value); // dates stay calendar dates
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const RUN_DATE = '2027-03-31';
/** The coming per-API-key limiter, configured so that it costs what it costs but never refuses. */
const RATE_LIMIT_ENV = {
  RATE_LIMIT_KEY_RPS: '1000000',
  RATE_LIMIT_KEY_BURST: '1000000',
  RATE_LIMIT_ADDRESS_RPS: '1000000',
  RATE_LIMIT_ADDRESS_BURST: '1000000',
};
/** How many of the API tenant's invoices `GET /v1/invoices/{id}` cycles through. */
const INVOICE_IDS = 1000;

interface Options {
  duration: number;
  connections: number;
  warmup: number;
  templates: number;
  runTemplates: number;
  idleOnly: boolean;
  keep: boolean;
  pgUrl: string;
  natsUrl: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    duration: 30,
    connections: 50,
    warmup: 3,
    templates: 3000,
    runTemplates: 100_000,
    idleOnly: false,
    keep: false,
    pgUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  };
  const numeric: Record<string, [keyof Options, number]> = {
    '--duration': ['duration', 1],
    '--connections': ['connections', 1],
    '--warmup': ['warmup', 0],
    '--templates': ['templates', 50],
    '--run-templates': ['runTemplates', 100],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--idle-only') opts.idleOnly = true;
    else if (arg === '--keep') opts.keep = true;
    else if (numeric[arg]) {
      const [field, min] = numeric[arg];
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < min) throw new Error(`${arg} needs an integer ≥ ${min}`);
      (opts as unknown as Record<string, number>)[field] = value;
    } else {
      throw new Error(
        `unknown argument ${arg} (use --duration S, --connections N, --warmup S, --templates N, ` +
          `--run-templates N, --idle-only, --keep)`,
      );
    }
  }
  return opts;
}

// ---------------------------------------------------------------------------------------------------
// small helpers

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => (n < 10 ? `${fmt(n, 1)} ms` : `${fmt(n)} ms`);
const secs = (millis: number) => `${fmt(millis / 1000, 1)} s`;
const sleep = (millis: number) => new Promise((r) => setTimeout(r, millis));
const say = (line: string) => process.stdout.write(`${line}\n`);

/** `task(i)` for i in [0, n), `width` at a time. */
async function inParallel<T>(n: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------------
// the ceiling process

interface Ceiling {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startCeiling(port: number): Promise<Ceiling> {
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '-r', join(ROOT_DIR, 'scripts', 'paths.js'), join(__dirname, 'ceiling.js')],
    { cwd: ROOT_DIR, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ceiling app exited (${child.exitCode}):\n${output}`);
    const status = await fetch(`${url}/ping`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return { url, child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the ceiling app did not answer within 30 s:\n${output}`);
    }
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------------
// scenarios

type ScenarioKey = 'ceiling' | 'list' | 'create' | 'get';

interface Scenario {
  key: ScenarioKey;
  label: string;
  options: () => LoadOptions;
}

interface Target {
  gatewayUrl: string;
  ceilingUrl: string;
  apiKey: string;
  invoiceIds: string[];
  connections: number;
}

function scenarios(t: Target): Scenario[] {
  const auth = { authorization: `Bearer ${t.apiKey}` };
  let customer = 0;
  let invoice = 0;
  return [
    {
      key: 'ceiling',
      label: 'bare Nest route (ceiling)',
      options: () => ({ url: `${t.ceilingUrl}/ping`, connections: t.connections, duration: 0 }),
    },
    {
      key: 'list',
      label: 'GET /v1/templates?limit=50',
      options: () => ({
        url: `${t.gatewayUrl}/v1/templates?limit=50`,
        connections: t.connections,
        duration: 0,
        headers: auth,
      }),
    },
    {
      key: 'create',
      label: 'POST /v1/customers',
      options: () => ({
        url: t.gatewayUrl,
        connections: t.connections,
        duration: 0,
        requests: [
          {
            method: 'POST',
            path: '/v1/customers',
            headers: { ...auth, 'content-type': 'application/json' },
            // A fresh Idempotency-Key and customer per request: every one is a first request.
            setupRequest: (req: autocannon.Request) => {
              const n = ++customer;
              return {
                ...req,
                headers: { ...req.headers, 'idempotency-key': randomUUID() },
                body: JSON.stringify({ name: `Load customer ${n}`, email: `load${n}@bench.test` }),
              };
            },
          },
        ],
      }),
    },
    {
      key: 'get',
      label: 'GET /v1/invoices/{id}',
      options: () => ({
        url: t.gatewayUrl,
        connections: t.connections,
        duration: 0,
        requests: [
          {
            method: 'GET',
            headers: auth,
            setupRequest: (req: autocannon.Request) => ({
              ...req,
              path: `/v1/invoices/${t.invoiceIds[invoice++ % t.invoiceIds.length]}`,
            }),
          },
        ],
      }),
    },
  ];
}

/** One request of each scenario, checked, before any load: a broken scenario fails here, not at 50 connections. */
async function checkScenarios(t: Target): Promise<void> {
  const ping = await fetch(`${t.ceilingUrl}/ping`);
  if (ping.status !== 200) throw new Error(`ceiling: ${ping.status}`);
  const list = await callApi(t.gatewayUrl, 'GET', '/v1/templates?limit=50', t.apiKey);
  if (!Array.isArray(list.data) || list.data.length !== 50)
    throw new Error(`GET /v1/templates?limit=50 answered ${list.data?.length} templates`);
  const res = await fetch(`${t.gatewayUrl}/v1/customers`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${t.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({ name: 'Check customer', email: 'check@bench.test' }),
  });
  if (res.status !== 201) throw new Error(`POST /v1/customers: ${res.status} ${await res.text()}`);
  const invoice = await callApi(t.gatewayUrl, 'GET', `/v1/invoices/${t.invoiceIds[0]}`, t.apiKey);
  if (invoice.id !== t.invoiceIds[0]) throw new Error('GET /v1/invoices/{id} answered another invoice');
}

// ---------------------------------------------------------------------------------------------------
// the daily run under the scenarios

interface RunWindow {
  start: number;
  /** Every document, its lines and journal committed. */
  documents: number;
  /** … and every template advanced: the end of the run's work. */
  end: number;
}

/**
 * Polls the database (cheap conditions first, counts only once the tenant has no running run) until
 * `expected` documents exist for the tenant and as many templates have advanced. Throws when a run of
 * the tenant failed.
 */
async function waitForRun(pg: Client, tenantId: string, expected: number, start: number): Promise<RunWindow> {
  let documents = 0;
  for (;;) {
    const { rows } = await pg.query(
      `SELECT count(*) FILTER (WHERE status = 'running')::int AS running,
              max(error) FILTER (WHERE status = 'failed') AS failed
         FROM scheduler.runs WHERE tenant_id = $1`,
      [tenantId],
    );
    if (rows[0].failed) throw new Error(`the scheduler run failed: ${rows[0].failed}`);
    if (rows[0].running === 0) {
      if (!documents) {
        const { rows: c } = await pg.query(
          'SELECT count(*)::int AS n FROM invoicing.invoices WHERE tenant_id = $1',
          [tenantId],
        );
        if (c[0].n === expected) documents = Date.now();
      }
      if (documents) {
        const { rows: c } = await pg.query(
          'SELECT count(*)::int AS n FROM templates.templates WHERE tenant_id = $1 AND generated_count >= 1',
          [tenantId],
        );
        if (c[0].n === expected) return { start, documents, end: Date.now() };
      }
    }
    if (Date.now() - start > 30 * 60_000) throw new Error('the run did not finish within 30 minutes');
    await sleep(250);
  }
}

/**
 * The scheduler inserts each tenant's scheduled run for "today" once, a minute after it starts and every
 * minute after. A run tenant's templates are seeded only once that run is over (it found nothing due), so
 * the measured run is the one the bench starts, at the moment it starts it.
 */
async function waitForScheduledRun(pg: Client, tenantId: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    const { rows } = await pg.query(
      `SELECT status FROM scheduler.runs WHERE tenant_id = $1 AND trigger = 'scheduled' AND run_date = $2`,
      [tenantId, RUN_DATE],
    );
    if (rows.length && rows[0].status !== 'running') return Date.now() - started;
    if (Date.now() - started > 180_000) throw new Error('no scheduled run within 3 minutes');
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------------
// output

/** A scenario's figures and where its time went on the server side. */
type Timed = LoadResult & { spent: TimeSpent };

interface Measured {
  idle?: Timed;
  during?: Timed & { overlap: number; overlapSeconds: number; run: RunWindow };
}

/** Right-aligned columns (the first left-aligned) two spaces apart; answers the lines and the widths. */
function table(rows: string[][]): { lines: string[]; widths: number[] } {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
  return { lines, widths };
}

/** `── title ──` filling `width` characters. */
function rule(title: string, width: number): string {
  const left = Math.max(2, Math.floor((width - title.length - 2) / 2));
  const right = Math.max(2, width - title.length - 2 - left);
  return `${'─'.repeat(left)} ${title} ${'─'.repeat(right)}`;
}

function figures(r: LoadResult | undefined, ceiling: number): string[] {
  if (!r) return ['—', '—', '—', '—', '—', '—'];
  return [
    fmt(r.rate),
    ms(r.p50),
    ms(r.p99),
    fmt(r.non2xx),
    fmt(r.socketErrors),
    `${fmt((r.rate / ceiling) * 100, 1)} %`,
  ];
}

function cpuLine(r: LoadResult): string {
  return Object.entries(r.cpu)
    .map(([name, cores]) => `${name} ${fmt(cores, 2)}`)
    .join(', ');
}

/** Calls and mean time per route (gateway) and per RPC answered (services); event-loop delay p99 per app. */
function spentLine(spent: TimeSpent): string {
  const series = spent.series.map((x) => `${x.name} ${fmt(x.calls)} × ${ms(x.mean * 1000)}`);
  const loops = Object.entries(spent.loopP99).map(([app, s]) => `${app} ${ms(s * 1000)}`);
  return `${series.length ? series.join('; ') : 'no calls'}; event-loop delay p99: ${loops.join(', ')}`;
}

function errorsLine(r: LoadResult): string {
  const timeouts = r.timeouts ? ` (${fmt(r.timeouts)} timeouts)` : '';
  return (
    `non-2xx ${statusLine(r)}, socket errors ${fmt(r.socketErrors)}${timeouts}; ` +
    `${fmt(r.bytesPerAnswer)} bytes per answer`
  );
}

function statusLine(r: LoadResult): string {
  const codes = Object.entries(r.statuses).map(([code, n]) => `${code}×${fmt(n)}`);
  return codes.length ? codes.join(', ') : 'none';
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const stamp = Date.now().toString(36);
  const dbName = `bench_api_${stamp}`;
  const root = `bench_api_${stamp}`;
  const admin = new Client({ connectionString: opts.pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const { rows: version } = await admin.query('SHOW server_version');
  await admin.end();
  const dbUrl = new URL(opts.pgUrl);
  dbUrl.pathname = `/${dbName}`;
  const pg = new Client({ connectionString: dbUrl.toString() });
  const benchStarted = Date.now();

  const cpu = cpus();
  const load0 = loadavg();
  say(
    `api-load bench: ${opts.connections} connections × ${opts.duration} s per scenario` +
      `${opts.warmup ? ` (after ${opts.warmup} s of warm-up each, idle)` : ''}; ` +
      `${fmt(opts.templates)} templates listed` +
      (opts.idleOnly ? '' : `; during-run phase: ${fmt(opts.runTemplates)} due templates per run`),
  );
  say(
    `${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC, node ${process.version}, ` +
      `${cpu.length} CPUs (${cpu[0]?.model.trim() ?? '?'}), PostgreSQL ${version[0].server_version}, ` +
      `load average ${load0.map((l) => l.toFixed(2)).join(' / ')}`,
  );

  let system: Awaited<ReturnType<typeof launcher.startSystem>> | undefined;
  let ceiling: Ceiling | undefined;
  let stopLoad: (() => void) | undefined;
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      stopLoad?.();
      await pg.end().catch(() => undefined);
      await ceiling?.stop();
      await system?.stop();
      if (!opts.keep) {
        await dropBus(root, opts.natsUrl).catch((err: unknown) => console.error('dropping the bus:', err));
        const c = new Client({ connectionString: opts.pgUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await c.end();
      } else {
        say(`kept: database ${dbName}, bus root ${root}`);
      }
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // --- the system and the ceiling ---
    const used: number[] = [];
    const port = async (first: number) => {
      const p = await launcher.findFreePort(first, { exclude: used });
      used.push(p);
      return p;
    };
    const ports = {
      gateway: await port(3700),
      templates: await port(3701),
      invoicing: await port(3702),
      scheduler: await port(3703),
    };
    const ceilingPort = await port(3710);
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-api-'));
    ceiling = await startCeiling(ceilingPort);
    system = await launcher.startSystem({
      rootDir: ROOT_DIR,
      apps: ['gateway', 'templates', 'invoicing', 'scheduler'],
      ports,
      databaseUrl: dbUrl.toString(),
      natsUrl: opts.natsUrl,
      busRoot: root,
      clockMode: 'manual',
      adminToken: ADMIN_TOKEN,
      dataDir,
      stdio: 'file',
      build: false,
      createDevTenant: false,
      logLevel: 'warn',
      // As in production: outgoing events not parsed again (receivers check). The rate limiter's
      // variables reach every app; only the gateway will read them.
      env: { BUS_VALIDATE_OUTGOING: 'false', ...RATE_LIMIT_ENV },
      log: () => undefined,
    });
    say(`apps' logs: ${system.logDir}`);
    await pg.connect();
    const base = system.gatewayUrl;
    const proc = (name: 'gateway' | 'templates' | 'invoicing' | 'scheduler') => () => {
      const pid = system?.processes[name]?.pid;
      return pid ? [pid] : [];
    };
    const cpuTargets: CpuTargets = {
      gateway: proc('gateway'),
      templates: proc('templates'),
      invoicing: proc('invoicing'),
      scheduler: proc('scheduler'),
      ceiling: () => (ceiling?.child.pid ? [ceiling.child.pid] : []),
      'bench (autocannon)': () => [process.pid],
      'postgres (whole server)': () => pidsNamed('postgres'),
      'nats-server': () => pidsNamed('nats-server'),
    };

    // --- setup (not measured): tenants, parties, the API tenant's templates and invoices ---
    const setupStarted = Date.now();
    await callApi(base, 'PUT', '/v1/admin/clock', ADMIN_TOKEN, { today: RUN_DATE });
    const tenantNames = [
      'API tenant',
      ...(opts.idleOnly ? [] : ['Run tenant 1', 'Run tenant 2', 'Run tenant 3']),
    ];
    const tenants = await Promise.all(
      tenantNames.map(async (name) => {
        const created = await callApi(base, 'POST', '/v1/admin/tenants', ADMIN_TOKEN, {
          name,
          base_currency: 'USD',
          timezone: 'UTC',
        });
        const key: string = created.api_key;
        const customers = await inParallel(100, 8, async (i) =>
          String(
            (
              await callApi(base, 'POST', '/v1/customers', key, {
                name: `Customer ${i}`,
                email: `c${i}@bench.test`,
              })
            ).id,
          ),
        );
        const vendors = await inParallel(100, 8, async (i) =>
          String((await callApi(base, 'POST', '/v1/vendors', key, { name: `Vendor ${i}` })).id),
        );
        return { name, id: String(created.tenant.id), key, customers, vendors };
      }),
    );
    const [apiTenant, ...runTenants] = tenants;
    await seedDueTemplates(pg, {
      tenantId: apiTenant.id,
      runDate: RUN_DATE,
      customers: apiTenant.customers,
      vendors: apiTenant.vendors,
      count: opts.templates,
    });
    const small = Date.now();
    await callApi(base, 'POST', '/v1/scheduler/runs', apiTenant.key, { as_of: RUN_DATE });
    const smallRun = await waitForRun(pg, apiTenant.id, opts.templates, small);
    const { rows: ids } = await pg.query(
      'SELECT id FROM invoicing.invoices WHERE tenant_id = $1 ORDER BY id LIMIT $2',
      [apiTenant.id, INVOICE_IDS],
    );
    const target: Target = {
      gatewayUrl: base,
      ceilingUrl: ceiling.url,
      apiKey: apiTenant.key,
      invoiceIds: ids.map((r: { id: string }) => r.id),
      connections: opts.connections,
    };
    await checkScenarios(target);
    say(
      `setup ${secs(Date.now() - setupStarted)}: ${tenants.length} tenant${tenants.length > 1 ? 's' : ''} with 100 customers and 100 vendors each; ` +
        `the API tenant's ${fmt(opts.templates)} templates generated by a scheduler run in ${secs(smallRun.end - small)}`,
    );

    const all = scenarios(target);
    const results = new Map<ScenarioKey, Measured>(all.map((s) => [s.key, {}]));
    const measure = async (s: Scenario, duration: number): Promise<Timed> => {
      const before = await scrapeApps(ports);
      const running = startLoad({ ...s.options(), duration }, cpuTargets);
      stopLoad = running.stop;
      const result = await running.done;
      stopLoad = undefined;
      const spent = timeSpent(
        before,
        await scrapeApps(ports),
        Math.max(20, (result.ok + result.non2xx) / 100),
      );
      return { ...result, spent };
    };

    // --- idle: the ceiling, then each scenario ---
    say('');
    say('idle:');
    for (const s of all) {
      if (opts.warmup) await measure(s, opts.warmup);
      const r = await measure(s, opts.duration);
      results.get(s.key)!.idle = r;
      say(
        `  ${s.label.padEnd(28)} ${fmt(r.rate).padStart(7)} req/s  p50 ${ms(r.p50)}, p99 ${ms(r.p99)}; ` +
          errorsLine(r),
      );
      say(`    cores used: ${cpuLine(r)}`);
      say(`    server side: ${spentLine(r.spent)}`);
    }

    // --- during a daily run: each API scenario during its own run (another tenant's) ---
    if (!opts.idleOnly) {
      say('');
      say(`during a ${fmt(opts.runTemplates)}-template daily run (each scenario during its own run):`);
      const apiScenarios = all.filter((s) => s.key !== 'ceiling');
      for (const [i, s] of apiScenarios.entries()) {
        const tenant = runTenants[i];
        const waited = await waitForScheduledRun(pg, tenant.id);
        if (waited > 1000)
          say(`  (waited ${secs(waited)} for the scheduler's daily tick to pass ${tenant.name})`);
        const seedStarted = Date.now();
        await seedDueTemplates(pg, {
          tenantId: tenant.id,
          runDate: RUN_DATE,
          customers: tenant.customers,
          vendors: tenant.vendors,
          count: opts.runTemplates,
        });
        const seeded = Date.now() - seedStarted;
        // The scenario starts as the run is asked for (the answer comes when the run is over or after half
        // of RPC_TIMEOUT_MS); the run is watched meanwhile, and the scenario keeps its full duration.
        const runStart = Date.now();
        const posted = callApi(base, 'POST', '/v1/scheduler/runs', tenant.key, { as_of: RUN_DATE });
        posted.catch(() => stopLoad?.()); // a refused run ends the scenario; the error is thrown below
        const watched = waitForRun(pg, tenant.id, opts.runTemplates, runStart);
        watched.catch(() => stopLoad?.()); // likewise a failed run
        const r = await measure(s, opts.duration);
        const run = await posted;
        const window = await watched;
        const overlapMs = Math.max(0, Math.min(r.end, window.end) - Math.max(r.start, runStart));
        const overlap = overlapMs / (r.end - r.start);
        results.get(s.key)!.during = { ...r, overlap, overlapSeconds: overlapMs / 1000, run: window };
        const { rows: c } = await pg.query(
          `SELECT count(*)::int AS documents, count(DISTINCT (template_id, occurrence_date))::int AS keys
             FROM invoicing.invoices WHERE tenant_id = $1`,
          [tenant.id],
        );
        if (c[0].documents !== opts.runTemplates || c[0].keys !== opts.runTemplates)
          throw new Error(`run ${run.id}: ${c[0].documents} documents, ${c[0].keys} occurrence keys`);
        say(
          `  ${s.label.padEnd(28)} ${fmt(r.rate).padStart(7)} req/s  p50 ${ms(r.p50)}, p99 ${ms(r.p99)}; ` +
            errorsLine(r),
        );
        say(
          `    run (seeded in ${secs(seeded)}): documents after ${secs(window.documents - runStart)}, templates ` +
            `advanced after ${secs(window.end - runStart)} (${fmt((opts.runTemplates * 1000) / (window.end - runStart))} /s); ` +
            `scenario started ${secs(r.start - runStart)} into the run, ${fmt(overlapMs / 1000, 1)} of ` +
            `${fmt((r.end - r.start) / 1000, 1)} s inside it (${fmt(overlap * 100)} %)`,
        );
        say(`    cores used: ${cpuLine(r)}`);
        say(`    server side: ${spentLine(r.spent)}`);
      }
    }

    // --- the table ---
    const ceilingRate = results.get('ceiling')!.idle!.rate;
    const header = ['scenario', 'req/s', 'p50', 'p99', 'non-2xx', 'socket', '× ceiling'];
    header.push('req/s', 'p50', 'p99', 'non-2xx', 'socket', '× ceiling', 'overlap');
    const rows = all.map((s) => {
      const m = results.get(s.key)!;
      return [
        s.label,
        ...figures(m.idle, ceilingRate),
        ...(s.key === 'ceiling' || !m.during
          ? ['—', '—', '—', '—', '—', '—', '—']
          : [...figures(m.during, ceilingRate), `${fmt(m.during.overlap * 100)} %`]),
      ];
    });
    const { lines, widths } = table([header, ...rows]);
    const span = (from: number, to: number) =>
      widths.slice(from, to).reduce((a, b) => a + b, 0) + 2 * (to - from - 1);
    say('');
    say(
      `results: ${opts.connections} connections, ${opts.duration} s each; req/s = 2xx answers per second; ` +
        `p50/p99 over every answer; × ceiling = req/s ÷ the bare route's idle req/s`,
    );
    say(
      `${' '.repeat(widths[0] + 2)}${rule('idle', span(1, 7))}  ` +
        rule(
          opts.idleOnly
            ? 'during a daily run (skipped)'
            : `during a ${fmt(opts.runTemplates)}-template daily run`,
          span(7, 14),
        ),
    );
    for (const line of lines) say(line);
    const load1 = loadavg();
    say(
      `machine: node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}; load average ` +
        `${load0.map((l) => l.toFixed(2)).join(' / ')} at the start, ${load1.map((l) => l.toFixed(2)).join(' / ')} ` +
        `at the end; whole bench ${secs(Date.now() - benchStarted)}`,
    );

    // --- verdict: any 5xx (or a refusal by the limiter, which must never refuse here) fails the bench ---
    const failures: string[] = [];
    for (const s of all) {
      const m = results.get(s.key)!;
      for (const [phase, r] of [
        ['idle', m.idle],
        ['during the run', m.during],
      ] as const) {
        if (!r) continue;
        const bad = Object.entries(r.statuses).filter(([code]) => code.startsWith('5') || code === '429');
        if (bad.length)
          failures.push(`${s.label} (${phase}): ${bad.map(([c, n]) => `${c}×${n}`).join(', ')}`);
        else if (r.non2xx || r.socketErrors) say(`note: ${s.label} (${phase}): ${errorsLine(r)}`);
      }
    }
    if (failures.length) {
      console.error(`FAILED: 5xx (or 429) answers:\n  ${failures.join('\n  ')}`);
      console.error(`gateway log (last lines):\n${system.logTail('gateway', 30)}`);
      process.exitCode = 1;
    }
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
