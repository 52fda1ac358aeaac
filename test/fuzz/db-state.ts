import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';

export const SERVICE_SCHEMAS = ['gateway', 'templates', 'invoicing', 'scheduler', 'notifier', 'suggestions'];

/**
 * Tables whose rows change by design whatever the outcome: migrations, the outbox (emptied by the
 * relay), the inbox and request log (bookkeeping of consumed events and requests), idempotency
 * records (a 4xx outcome of a request with a key is stored on purpose) and rate limits. Every other
 * table, `parked_messages` included, must not change when a request is rejected.
 */
const BOOKKEEPING = new Set([
  'migrations',
  'outbox',
  'inbox',
  'request_log',
  'idempotency_keys',
  'rate_limits',
]);

export type Counts = Map<string, number>;

/**
 * Row counts of every table of the services' schemas, in one statement, and the "quiet" check: the
 * asynchronous effects of an accepted request (events consumed by other services) have landed.
 */
export class DbState {
  private constructor(
    private readonly pg: Client,
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    readonly tables: string[],
    private readonly countSql: string,
  ) {}

  static async open(databaseUrl: string, natsUrl: string, stream: string): Promise<DbState> {
    const pg = new Client({ connectionString: databaseUrl });
    await pg.connect();
    const { rows } = await pg.query<{ schema: string; table: string }>(
      `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
        WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
      [SERVICE_SCHEMAS],
    );
    const tables = rows.map((r) => `${r.schema}.${r.table}`);
    const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;
    const parts = rows.map(
      (r) =>
        `SELECT '${r.schema}.${r.table}' AS t, count(*)::int AS n FROM ${quote(r.schema)}.${quote(r.table)}`,
    );
    // Work the services still have to do by themselves: committed suggestion imports not yet
    // imported and mined (a poller does it, not an event). An import still `receiving` waits for its
    // client's next chunk; nothing happens to it until then.
    if (tables.includes('suggestions.imports')) {
      parts.push(
        `SELECT 'pending:suggestions.imports' AS t, count(*)::int AS n FROM suggestions.imports
          WHERE status IN ('queued', 'importing', 'mining')`,
      );
    }
    const nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    return new DbState(pg, nc, jsm, stream, tables, parts.join('\nUNION ALL\n'));
  }

  /** The tables compared around rejected requests. */
  get domainTables(): string[] {
    return this.tables.filter((t) => !BOOKKEEPING.has(t.split('.')[1]));
  }

  /** A read the suite needs besides the counts (the services' tables are not changed here). */
  async query<T extends object>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.pg.query<T>(sql, params)).rows;
  }

  async counts(): Promise<Counts> {
    const { rows } = await this.pg.query<{ t: string; n: number }>(this.countSql);
    return new Map(rows.map((r) => [r.t, r.n]));
  }

  /** Domain tables whose count differs, as `schema.table before→after`. */
  domainDiff(before: Counts, after: Counts): string[] {
    return this.domainTables
      .filter((t) => before.get(t) !== after.get(t))
      .map((t) => `${t} ${before.get(t) ?? '?'}→${after.get(t) ?? '?'}`);
  }

  /** Outbox rows not yet published, queued mining, unfinished imports. */
  private pendingRows(c: Counts): number {
    let n = 0;
    for (const [t, v] of c) {
      if (t.endsWith('.outbox') || t === 'suggestions.mining_queue' || t.startsWith('pending:')) n += v;
    }
    return n;
  }

  /** Messages of the test's stream not yet delivered or not yet acknowledged, over all consumers. */
  private async pendingMessages(): Promise<number> {
    let n = 0;
    for await (const ci of this.jsm.consumers.list(this.stream)) {
      n += ci.num_pending + ci.num_ack_pending;
    }
    return n;
  }

  /** What keeps the system from being quiet, for the message when it does not get there. */
  async busyWith(): Promise<string> {
    const c = await this.counts();
    const rows = [...c].filter(
      ([t, v]) =>
        v > 0 && (t.endsWith('.outbox') || t === 'suggestions.mining_queue' || t.startsWith('pending:')),
    );
    const consumers: string[] = [];
    for await (const ci of this.jsm.consumers.list(this.stream)) {
      if (ci.num_pending + ci.num_ack_pending > 0) {
        consumers.push(`${ci.name}: ${ci.num_pending} pending, ${ci.num_ack_pending} unacknowledged`);
      }
    }
    const imports: string[] = [];
    if (c.get('pending:suggestions.imports')) {
      const { rows: jobs } = await this.pg.query<{ job: string }>(
        `SELECT format('import %s %s, %s/%s rows, %s', id, status, rows_processed, rows_total,
                coalesce(error, 'no error')) AS job
           FROM suggestions.imports WHERE status IN ('queued', 'importing', 'mining')`,
      );
      imports.push(...jobs.map((j) => j.job));
    }
    return (
      [...rows.map(([t, v]) => `${t}: ${v}`), ...imports, ...consumers].join('; ') || 'counts still changing'
    );
  }

  /**
   * Waits until nothing is pending (outboxes empty, every consumer caught up) and two snapshots of
   * every table's count ~150 ms apart are equal; gives up after `capMs` and says so.
   */
  async waitQuiet(capMs = 15_000): Promise<{ quiet: boolean; ms: number; counts: Counts }> {
    const started = Date.now();
    let previous: Counts | undefined;
    for (;;) {
      const c = await this.counts();
      const busy = this.pendingRows(c) > 0 || (await this.pendingMessages()) > 0;
      if (!busy && previous && sameCounts(previous, c))
        return { quiet: true, ms: Date.now() - started, counts: c };
      if (Date.now() - started > capMs) return { quiet: false, ms: Date.now() - started, counts: c };
      previous = busy ? undefined : c;
      await sleep(busy ? 50 : 150);
    }
  }

  async close(): Promise<void> {
    await this.pg.end().catch(() => undefined);
    await this.nc.close().catch(() => undefined);
  }
}

export function sameCounts(a: Counts, b: Counts): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
