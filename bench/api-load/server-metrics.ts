/**
 * bench/api-load: where a scenario's time went, from the apps' own Prometheus series (`GET /metrics`)
 * scraped before and after it: the gateway's time per route, each service's time per RPC it answered,
 * and each process's event-loop delay (prom-client resets that histogram at every scrape, so the value
 * after a scenario covers the scenario).
 */

export interface Scrape {
  /** `<metric>|<labels that identify the series>` → value. */
  values: Map<string, number>;
}

export interface TimeSpent {
  /** `app route` or `app subject` → calls and mean seconds during the scenario. */
  series: { name: string; calls: number; mean: number }[];
  /** App → event-loop delay p99, seconds. */
  loopP99: Record<string, number>;
}

const HISTOGRAMS = ['billing_http_request_duration_seconds', 'billing_rpc_server_duration_seconds'];

/** Every app's series; an app that does not answer contributes nothing (the figures then say so). */
export async function scrapeApps(ports: Record<string, number>): Promise<Record<string, Scrape>> {
  const out: Record<string, Scrape> = {};
  await Promise.all(
    Object.entries(ports).map(async ([app, port]) => {
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
        (r) => r.text(),
        () => '',
      );
      out[app] = parse(text);
    }),
  );
  return out;
}

function parse(text: string): Scrape {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const [, metric, labels = '', raw] = m;
    const value = Number(raw);
    if (metric === 'nodejs_eventloop_lag_p99_seconds') {
      values.set(metric, value);
      continue;
    }
    const histogram = HISTOGRAMS.find((h) => metric === `${h}_sum` || metric === `${h}_count`);
    if (!histogram) continue;
    const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(labels)?.[1] ?? '';
    // Per route (HTTP: method and route pattern) or per subject (RPC), all statuses and outcomes together.
    const series = histogram.includes('http') ? `${label('method')} ${label('route')}` : label('subject');
    const key = `${metric}|${series}`;
    values.set(key, (values.get(key) ?? 0) + value);
  }
  return { values };
}

/** The series that moved between two scrapes (at least `minCalls` calls), busiest first. */
export function timeSpent(
  before: Record<string, Scrape>,
  after: Record<string, Scrape>,
  minCalls: number,
): TimeSpent {
  const series: TimeSpent['series'] = [];
  const loopP99: Record<string, number> = {};
  for (const [app, scrape] of Object.entries(after)) {
    const lag = scrape.values.get('nodejs_eventloop_lag_p99_seconds');
    if (lag !== undefined) loopP99[app] = lag;
    for (const [key, count] of scrape.values) {
      const [metric, name] = key.split('|');
      if (!metric.endsWith('_count')) continue;
      const base = metric.slice(0, -'_count'.length);
      const calls = count - (before[app]?.values.get(key) ?? 0);
      if (calls < minCalls) continue;
      const sumKey = `${base}_sum|${name}`;
      const seconds = (scrape.values.get(sumKey) ?? 0) - (before[app]?.values.get(sumKey) ?? 0);
      series.push({ name: `${app} ${name}`, calls, mean: seconds / calls });
    }
  }
  series.sort((a, b) => b.calls - a.calls);
  return { series, loopP99 };
}
