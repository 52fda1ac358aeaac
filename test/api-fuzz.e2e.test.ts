import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { eventStreamName } from '@billing/contracts';
import { TEST_NATS_URL } from '@billing/common/testing';
import { ADMIN_TOKEN, startE2eSystem, type E2eSystem } from './helpers';
import { DbState } from './fuzz/db-state';
import { generateRequests, validRequests, worldPools, type FuzzWorld } from './fuzz/openapi-arbitraries';
import { loadOpenApi, operationsOf } from './fuzz/openapi';
import { describe as describeFailure, formatFailures } from './fuzz/oracle';
import { Runner } from './fuzz/runner';
import { seedTenant, type Seeded } from './fuzz/seed-tenant';
import { closeAgent, toJsonText, type RequestPlan, type Secrets, type WireResponse } from './fuzz/wire';

/**
 * Seeded fuzzing of the public REST API. Requests are generated from docs/openapi.json (read now, so
 * a new route is fuzzed without touching this file): valid ones and ones with wrong types, missing
 * and unknown fields, huge and deeply nested values, awkward unicode, impossible dates, money with
 * too many decimals, bad query strings, paths and headers. Every response must pass the oracle
 * (fuzz/oracle.ts): no 5xx, every 4xx a complete problem naming its field or resource, and nothing
 * stored by a rejected request. An accepted clock change to a day more than a year away (0000-01-01)
 * is followed by one valid request of every operation on that day.
 *
 *   FUZZ_SEED=<n>        the seed (default below); the same seed sends the same requests
 *   FUZZ_REQUESTS=<n>    how many (default 2400: every operation × every mutation that applies, the
 *                        sweeps, and about 850 random ones)
 *   FUZZ_ONLY=<i>,<j>    send only these requests of the sequence (after the same seeding), to replay
 *                        them; what earlier requests did (a moved clock, a deleted template) is not there
 *   FUZZ_REPORT=<file>   where the full list of failures goes as JSON (default in the temp dir)
 *   FUZZ_LOG=<file>      every exchange as a JSON line (index, operation, mutations, status, ms)
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20270301);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2400);
const ONLY = process.env.FUZZ_ONLY ? new Set(process.env.FUZZ_ONLY.split(',').map(Number)) : undefined;
const REPORT = process.env.FUZZ_REPORT ?? join(tmpdir(), `api-fuzz-${SEED}.json`);
const LOG = process.env.FUZZ_LOG;
/** The manual clock's date while fuzzing; valid dates are generated around it. */
const TODAY = '2027-03-01';
const APPS = ['gateway', 'templates', 'invoicing', 'scheduler', 'notifier', 'suggestions'] as const;

const out = (text: string) => process.stdout.write(`${text}\n`);

describe('api fuzz: every operation of docs/openapi.json', () => {
  const doc = loadOpenApi(join(__dirname, '..', 'docs', 'openapi.json'));
  const ops = operationsOf(doc);
  const world: FuzzWorld = { doc, seed: SEED, today: TODAY, pools: worldPools(ops) };
  let e2e: E2eSystem;
  let db: DbState;
  let seeded: Seeded;
  /** Where the notifier writes the emails (no SMTP server here). */
  const mailDir = mkdtempSync(join(tmpdir(), 'billing-fuzz-mail-'));

  beforeAll(async () => {
    e2e = await startE2eSystem([...APPS], {
      env: {
        // Nothing runs by itself while fuzzing: a scheduled run or reminder pass in the middle of a
        // rejected request would look like the request had stored something.
        SCHEDULER_DAILY_RUNS: 'false',
        REMINDERS_DAILY: 'false',
        SUGGESTIONS_POLL_MS: '100',
        DELIVERY_POLL_MS: '200',
        // A loaded 2-core machine renders PDFs slowly; a 504 here would be the machine, not the API.
        RPC_TIMEOUT_MS: '10000',
        MAIL_OUTBOX_DIR: mailDir,
        PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
        // Short, so that a parked message that was not really terminated on the stream would come back
        // during the run: a new parked_messages row in the middle of a rejected request, which fails.
        BUS_ACK_WAIT_MS: '15000',
      },
    });
    seeded = await seedTenant(e2e.url, e2e.root, TEST_NATS_URL, TODAY);
    db = await DbState.open(e2e.db.url, TEST_NATS_URL, eventStreamName(e2e.root));
    const settled = await db.waitQuiet(30_000);
    if (!settled.quiet)
      throw new Error(`the seeded system did not settle within 30 s: ${await db.busyWith()}`);
  }, 180_000);

  afterAll(async () => {
    closeAgent();
    await db?.close();
    await e2e?.close();
    rmSync(mailDir, { recursive: true, force: true });
  });

  it('generates the same requests from the same seed, and sends lone surrogates as JSON escapes', () => {
    const a = JSON.stringify(generateRequests(world, ops, 150));
    const b = JSON.stringify(generateRequests(world, ops, 150));
    expect(a).toBe(b);
    expect(JSON.stringify(generateRequests({ ...world, seed: SEED + 1 }, ops, 150))).not.toBe(a);
    // What goes on the wire for a lone surrogate is the six ASCII characters \ud800, not U+FFFD.
    expect(toJsonText({ name: '\ud800x\u0000' }, () => '')).toBe('{"name":"\\ud800x\\u0000"}');
  });

  it(`sends ${REQUESTS} generated requests and every response passes the oracle`, async () => {
    const started = Date.now();
    const plans = generateRequests(world, ops, REQUESTS);
    out(`api fuzz: seed=${SEED} requests=${plans.length}${ONLY ? ` (only ${[...ONLY].join(',')})` : ''}`);
    out(`  ${ops.length} operations, ${db.domainTables.length} domain tables: ${db.domainTables.join(' ')}`);
    if (LOG) writeFileSync(LOG, '');
    const secrets: Secrets = { tenantKey: seeded.tenantKey, adminToken: ADMIN_TOKEN };
    const runner = new Runner({ url: e2e.url, seed: SEED, db, seeded, secrets, ops, log: LOG });
    await runner.collectCursors();

    for (let index = 0; index < plans.length; index++) {
      if (ONLY && !ONLY.has(index)) continue;
      const plan = plans[index];
      const res = await runner.exchange(plan, index);
      const day = strangeDay(plan, res);
      if (day) {
        // Every route once on that day, then the fuzzing date again.
        for (const valid of validRequests(world, ops, index).filter(
          (p) => !p.path.endsWith('/admin/clock'),
        )) {
          await runner.exchange({ ...valid, mutations: [`clock-episode(${day} set by #${index})`] }, index);
        }
        const res = await seeded.admin.put('/v1/admin/clock', { today: TODAY });
        if (res.status !== 200)
          throw new Error(`could not set the clock back: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }

    const { stats, failures, notQuiet, spent } = runner;
    const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    out(stats.table());
    out(stats.kindTable());
    out(
      `time: requests ${sec(spent.requests)}, row counts ${sec(spent.counts)}, waiting for quiet ${sec(spent.quiet)}`,
    );
    out(
      `api fuzz: seed=${SEED} requests=${stats.total} in ${sec(Date.now() - started)}; ${failures.length} oracle failures` +
        (notQuiet.length
          ? `; ${notQuiet.length} waits for quiet hit the cap:\n  ${notQuiet.join('\n  ')}`
          : ''),
    );
    writeFileSync(REPORT, JSON.stringify({ seed: SEED, requests: stats.total, failures }, null, 1));
    if (failures.length) {
      out(`full list of failures: ${REPORT}`);
      out(formatFailures(failures, SEED));
    }

    if (!ONLY) {
      expect(stats.total).toBeGreaterThanOrEqual(Math.min(REQUESTS, 2000));
      expect(ops.filter((op) => !stats.sent(op.id))).toEqual([]);
    }
    if (failures.length) {
      const first = failures.slice(0, 3).map(describeFailure).join('\n\n');
      throw new Error(
        `${failures.length} oracle failures (seed=${SEED}); grouped list above and in ${REPORT}. First ones:\n\n${first}`,
      );
    }
  }, 900_000);
});

/**
 * The day an accepted clock change set, when it is more than a year from TODAY (0000-01-01,
 * 9999-12-31): every route is then tried once on that day. Nearer days are ordinary and simply stay.
 */
function strangeDay(plan: RequestPlan, res: WireResponse | undefined): string | undefined {
  if (plan.method !== 'PUT' || !plan.path.endsWith('/admin/clock') || !res || res.status !== 200)
    return undefined;
  let day: unknown;
  try {
    day = (JSON.parse(res.text) as { manual_date?: unknown }).manual_date;
  } catch {
    return undefined;
  }
  if (typeof day !== 'string') return undefined;
  const distance = Math.abs(Date.parse(`${day}T00:00:00Z`) - Date.parse(`${TODAY}T00:00:00Z`));
  return Number.isNaN(distance) || distance > 366 * 86_400_000 ? day : undefined;
}
