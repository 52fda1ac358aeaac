import { appendFileSync } from 'fs';
import type { Seeded } from './seed-tenant';
import { DbState, sameCounts, type Counts } from './db-state';
import type { Operation } from './openapi';
import { checkResponse, printable, visible, type Failure } from './oracle';
import {
  ANY_CURSOR,
  cursorPool,
  materialize,
  send,
  type Ref,
  type RequestPlan,
  type Secrets,
  type WireResponse,
} from './wire';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REQUEST_TIMEOUT_MS = 30_000;

export interface RunnerOptions {
  url: string;
  seed: number;
  db: DbState;
  seeded: Seeded;
  secrets: Secrets;
  ops: Operation[];
  /** Every exchange as a JSON line, when set. */
  log?: string;
}

/**
 * Sends requests one at a time and judges each response: the oracle on the response itself, the
 * row counts of the domain tables around a rejected request, and after an accepted one a wait until
 * its asynchronous effects have landed, so they are not blamed on the next request.
 */
export class Runner {
  readonly failures: Failure[] = [];
  readonly stats: Stats;
  readonly notQuiet: string[] = [];
  readonly spent = { requests: 0, counts: 0, quiet: 0 };
  /** Real ids and cursors, by pool: the seeded ones and what accepted requests handed out since. */
  private readonly pools: Map<string, string[]>;
  /** Counts after the last rejected request, to catch rows it stored just after answering. */
  private afterRejected?: { counts: Counts; failure: Omit<Failure, 'kind' | 'what'> };
  private readonly base: URL;

  constructor(private readonly o: RunnerOptions) {
    this.stats = new Stats(o.ops);
    this.pools = new Map([...o.seeded.pools].map(([k, v]) => [k, [...v]]));
    this.base = new URL(o.url);
  }

  private readonly resolve = (ref: Ref): string | undefined => {
    const pool = this.pools.get(ref.pool);
    return pool?.length ? pool[ref.pick % pool.length] : undefined;
  };

  /**
   * A first cursor of every list that has a second page, so valid requests can follow one: each list
   * without path parameters, asked for one item (required parameters get their first allowed value).
   */
  async collectCursors(): Promise<void> {
    for (const op of this.o.ops) {
      const params = op.parameters;
      if (
        op.method !== 'GET' ||
        !params.some((p) => p.name === 'cursor') ||
        params.some((p) => p.in === 'path')
      ) {
        continue;
      }
      const required = params.filter((p) => p.required && p.in === 'query');
      if (required.some((p) => !p.schema.enum?.length)) continue;
      const query = ['limit=1', ...required.map((p) => `${p.name}=${String(p.schema.enum![0])}`)].join('&');
      const api = op.access === 'admin' ? this.o.seeded.admin : this.o.seeded.api;
      const res = await api.get(`${op.path}?${query}`);
      if (res.status === 200 && typeof res.body?.next_cursor === 'string')
        this.addCursor(op.path, res.body.next_cursor);
    }
  }

  private addCursor(path: string, cursor: string): void {
    for (const name of [cursorPool(path), ANY_CURSOR]) {
      const pool = this.pools.get(name) ?? [];
      if (pool.length < 50 && !pool.includes(cursor)) this.pools.set(name, [...pool, cursor]);
    }
  }

  /** Remembers what an accepted request handed out: a new resource (by the path's last segment), a cursor. */
  private learn(plan: RequestPlan, res: WireResponse): void {
    let body: any;
    try {
      body = JSON.parse(res.text);
    } catch {
      return;
    }
    if (typeof body?.next_cursor === 'string') this.addCursor(plan.path, body.next_cursor);
    const collection = plan.path.split('/').pop() ?? '';
    if (
      plan.method === 'POST' &&
      typeof body?.id === 'string' &&
      UUID.test(body.id) &&
      this.pools.has(collection)
    ) {
      this.pools.get(collection)!.push(body.id);
    }
  }

  private async timed<T>(what: keyof Runner['spent'], work: Promise<T>): Promise<T> {
    const t = Date.now();
    try {
      return await work;
    } finally {
      this.spent[what] += Date.now() - t;
    }
  }

  async settle(label: string): Promise<void> {
    const q = await this.timed('quiet', this.o.db.waitQuiet());
    if (!q.quiet) this.notQuiet.push(`${label}: ${await this.o.db.busyWith()}`);
  }

  /**
   * One request and its judgement. `index` is the request's place in the seeded sequence (a request
   * sent because of another, such as a clock episode, carries the index of the one that caused it).
   */
  async exchange(plan: RequestPlan, index: number): Promise<WireResponse | undefined> {
    const { db, seeded, secrets } = this.o;
    if (catchesUp(plan)) {
      // What the pausing sets off must not be taken for a late effect of the last rejected request.
      this.checkLate(await this.timed('counts', db.counts()));
      if (await pauseFarBehind(db, seeded)) await this.settle(`#${index} before a scheduler run`);
    }
    const req = materialize(plan, this.resolve, secrets);
    const base = {
      index,
      seed: this.o.seed,
      operation: plan.operation,
      mutations: plan.mutations,
      request: printable(plan, req, secrets),
    };
    const before = await this.timed('counts', db.counts());
    this.checkLate(before);

    let res: WireResponse;
    try {
      res = await this.timed('requests', send(this.base, req, REQUEST_TIMEOUT_MS));
    } catch (err) {
      this.stats.record(plan, undefined);
      this.log({ index, operation: plan.operation, mutations: plan.mutations, status: null });
      const head = req.target.length + Object.entries(req.headers).join('').length;
      this.failures.push({
        ...base,
        kind: 'no-response',
        what: (err as Error).message,
        error: `${String(err)} (request head ≈ ${head} bytes)`,
      });
      await this.settle(`#${index} (${plan.operation})`);
      return undefined;
    }
    this.stats.record(plan, res.status);
    this.log({ index, operation: plan.operation, mutations: plan.mutations, status: res.status, ms: res.ms });
    const response = {
      status: res.status,
      contentType: String(res.headers['content-type'] ?? ''),
      body: visible(res.text),
      length: res.length,
    };
    for (const v of checkResponse(res)) this.failures.push({ ...base, ...v, response });

    if (res.status >= 400 && res.status < 500) {
      const after = await this.timed('counts', db.counts());
      const changed = db.domainDiff(before, after);
      if (changed.length) {
        this.failures.push({
          ...base,
          kind: 'stored-on-reject',
          what: 'rows stored by a rejected request',
          response,
          tables: changed,
        });
        await this.settle(`#${index} (${plan.operation})`);
      } else {
        this.afterRejected = { counts: after, failure: { ...base, response } };
      }
    } else if (res.status < 400) {
      this.learn(plan, res);
      // A read that changed nothing needs no wait; anything else may have set events off.
      if (plan.method !== 'GET' || !sameCounts(before, await this.timed('counts', db.counts()))) {
        await this.settle(`#${index} (${plan.operation})`);
      }
    } else {
      await this.settle(`#${index} (${plan.operation})`);
    }
    return res;
  }

  /** Rows that appeared after the last rejected request had been answered are its, too. */
  private checkLate(now: Counts): void {
    if (!this.afterRejected) return;
    const late = this.o.db.domainDiff(this.afterRejected.counts, now);
    if (late.length) {
      this.failures.push({
        ...this.afterRejected.failure,
        kind: 'stored-on-reject',
        what: 'rows appeared after the rejection',
        tables: late,
      });
    }
    this.afterRejected = undefined;
  }

  private log(entry: object): void {
    if (this.o.log) appendFileSync(this.o.log, `${JSON.stringify(entry)}\n`);
  }
}

/**
 * A scheduler run catches up every occurrence between a template's next date and today. An accepted
 * clock change stays for a while (what a "today" of 0000-01-01 or 9999-12-31 does to the other routes
 * is part of the fuzzing), but with the clock at 9999-12-31, or a daily template started while it
 * said 0001-01-01, a run would make millions of documents: load, not fuzzing. Before a run, templates
 * more than 60 days behind the clock are paused, through the API.
 */
function catchesUp(plan: RequestPlan): boolean {
  return plan.method === 'POST' && plan.path.endsWith('/scheduler/runs');
}

async function pauseFarBehind(db: DbState, seeded: Seeded): Promise<boolean> {
  const clock = await seeded.admin.get('/v1/admin/clock');
  if (clock.status !== 200)
    throw new Error(`could not read the clock: ${clock.status} ${JSON.stringify(clock.body)}`);
  const today = Date.parse(`${String(clock.body.today_utc)}T00:00:00Z`);
  if (Number.isNaN(today)) return false;
  // PostgreSQL's dates start at 4713 BC but its input needs a year ≥ 1: nothing is behind year 1.
  const limit = new Date(today - 60 * 86_400_000).toISOString().slice(0, 10);
  if (!/^\d{4}-/.test(limit) || limit < '0001-01-01') return false;
  const behind = await db.query<{ id: string }>(
    `SELECT id FROM templates.templates WHERE tenant_id = $1 AND status = 'active' AND next_occurrence_date < $2::date`,
    [seeded.tenantId, limit],
  );
  for (const { id } of behind) {
    const res = await seeded.api.post(`/v1/templates/${id}/pause`);
    if (res.status !== 200)
      throw new Error(`could not pause template ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return behind.length > 0;
}

/** Requests and answers per operation and per kind of mutation, for the tables at the end. */
export class Stats {
  private readonly rows = new Map<
    string,
    { total: number; valid: number; byClass: Record<string, number> }
  >();
  private readonly kinds = new Map<string, Record<string, number>>();

  constructor(ops: Operation[]) {
    for (const op of ops) this.row(op.id);
  }

  private row(id: string) {
    let r = this.rows.get(id);
    if (!r) {
      r = { total: 0, valid: 0, byClass: {} };
      this.rows.set(id, r);
    }
    return r;
  }

  record(plan: RequestPlan, status: number | undefined): void {
    const r = this.row(plan.operation);
    r.total++;
    if (plan.mutations.length === 0) r.valid++;
    const cls = status === undefined ? 'none' : `${Math.floor(status / 100)}xx`;
    r.byClass[cls] = (r.byClass[cls] ?? 0) + 1;
    const kinds = plan.mutations.length
      ? new Set(plan.mutations.map((m) => m.replace(/\(.*$/s, '')))
      : ['valid'];
    for (const kind of kinds) {
      const k = this.kinds.get(kind) ?? {};
      k[cls] = (k[cls] ?? 0) + 1;
      k.sent = (k.sent ?? 0) + 1;
      this.kinds.set(kind, k);
    }
  }

  sent(id: string): boolean {
    return (this.rows.get(id)?.total ?? 0) > 0;
  }

  get total(): number {
    let n = 0;
    for (const r of this.rows.values()) n += r.total;
    return n;
  }

  table(): string {
    const classes = ['2xx', '3xx', '4xx', '5xx', 'none'];
    const width = Math.max(...[...this.rows.keys()].map((k) => k.length));
    const head = `${'operation'.padEnd(width)}  ${['sent', 'valid', ...classes].map((c) => c.padStart(5)).join(' ')}`;
    const lines = [head, '-'.repeat(head.length)];
    for (const [id, r] of this.rows) {
      const cells = [r.total, r.valid, ...classes.map((c) => r.byClass[c] ?? 0)];
      lines.push(`${id.padEnd(width)}  ${cells.map((n) => String(n).padStart(5)).join(' ')}`);
    }
    lines.push('-'.repeat(head.length), `${'total'.padEnd(width)}  ${String(this.total).padStart(5)}`);
    return lines.join('\n');
  }

  kindTable(): string {
    const cells = [...this.kinds]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([kind, k]) =>
          `${kind} ${k.sent} (${['2xx', '4xx', '5xx', 'none'].map((c) => `${c.slice(0, 1)}:${k[c] ?? 0}`).join(' ')})`,
      );
    return `by mutation (sent; then 2xx/4xx/5xx/no answer; a request may have several):\n  ${cells.join('\n  ')}`;
  }
}
