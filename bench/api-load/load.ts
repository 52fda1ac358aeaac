/**
 * bench/api-load: one autocannon scenario (in this process), its figures, and the CPU each process of
 * the system used while it ran (from /proc). See README.md beside this file.
 */
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  headers?: Record<string, string>;
  requests?: autocannon.Request[];
}

export interface LoadResult {
  /** 2xx answers per second over the scenario's actual duration. */
  rate: number;
  /** Latency of every answer (2xx or not), milliseconds. */
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  /** Mean size of an answer (headers and body), bytes. */
  bytesPerAnswer: number;
  /** Status code → count, non-2xx only. */
  statuses: Record<string, number>;
  /** Connection errors, timeouts included. */
  socketErrors: number;
  timeouts: number;
  /** Epoch milliseconds. */
  start: number;
  end: number;
  /** CPU cores each process used on average while the scenario ran (1.0 = one core busy). */
  cpu: Record<string, number>;
}

export interface RunningLoad {
  done: Promise<LoadResult>;
  stop(): void;
}

/** Processes whose CPU is sampled around each scenario: a name and its pids (read when sampled). */
export type CpuTargets = Record<string, () => number[]>;

/** Starts autocannon with these options; `done` resolves with the figures once it has finished. */
export function startLoad(options: LoadOptions, targets: CpuTargets): RunningLoad {
  const before = sampleCpu(targets);
  let instance: autocannon.Instance | undefined;
  const done = new Promise<LoadResult>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.duration,
        headers: options.headers,
        requests: options.requests,
        timeout: 10,
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) {
          reject(err instanceof Error ? err : new Error(`autocannon: ${JSON.stringify(err)}`));
          return;
        }
        const after = sampleCpu(targets);
        const start = result.start.getTime();
        const end = result.finish.getTime();
        const seconds = (end - start) / 1000;
        const statuses: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
          if (!code.startsWith('2') && stat.count) statuses[code] = stat.count;
        }
        resolve({
          rate: result['2xx'] / seconds,
          p50: result.latency.p50,
          p99: result.latency.p99,
          ok: result['2xx'],
          non2xx: result.non2xx,
          bytesPerAnswer: result.throughput.total / Math.max(1, result['2xx'] + result.non2xx),
          statuses,
          socketErrors: result.errors,
          timeouts: result.timeouts,
          start,
          end,
          cpu: coresBetween(before, after),
        });
      },
    );
  });
  return { done, stop: () => instance?.stop() };
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface CpuSample {
  /** Wall-clock seconds. */
  at: number;
  /** Target → pid → CPU seconds (user + system) so far. */
  pids: Record<string, Map<number, number>>;
}

function sampleCpu(targets: CpuTargets): CpuSample {
  const pids: Record<string, Map<number, number>> = {};
  for (const [name, list] of Object.entries(targets)) {
    pids[name] = new Map(list().map((pid) => [pid, processCpuSeconds(pid)]));
  }
  return { at: Number(process.hrtime.bigint()) / 1e9, pids };
}

/**
 * Cores each target used between two samples: per process, so that processes that started meanwhile
 * count from zero (one that ended meanwhile is lost: short-lived PostgreSQL backends, say).
 */
function coresBetween(before: CpuSample, after: CpuSample): Record<string, number> {
  const cores: Record<string, number> = {};
  for (const [name, pids] of Object.entries(after.pids)) {
    let seconds = 0;
    for (const [pid, cpu] of pids) seconds += Math.max(0, cpu - (before.pids[name]?.get(pid) ?? 0));
    cores[name] = seconds / (after.at - before.at);
  }
  return cores;
}

function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces): utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0; // gone, or no /proc
  }
}

/** Every process whose command name is `comm` (e.g. all PostgreSQL backends of the server). */
export function pidsNamed(comm: string): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === comm;
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}
