/**
 * A PostgreSQL server of a test's own, in a temporary directory on a free port, which the test may stop
 * and start at will: the machine's shared cluster serves every other test file and cannot be restarted.
 *
 * It uses the distribution's own `initdb` and `pg_ctl` (Debian's `postgresql` package, as CI installs
 * it) rather than the launcher's embedded-postgres helper, because that helper treats a postgres that
 * goes away as fatal and exits, while these tests stop the server on purpose and start it again.
 */
import { execFile, execFileSync } from 'child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { findFreePort } from '../scripts/launcher';

const run = promisify(execFile);

export type StopMode = 'fast' | 'immediate';

export interface PrivatePostgres {
  /** The `postgres` database as the `postgres` superuser (trust authentication). */
  url: string;
  port: number;
  dir: string;
  start(): Promise<void>;
  isRunning(): Promise<boolean>;
  /** `fast`: transactions rolled back, checkpoint; `immediate`: no checkpoint, crash recovery at start. */
  stop(mode: StopMode): Promise<void>;
  /** Stops the server (immediate) and removes its directory; safe to call more than once. */
  destroy(): Promise<void>;
  logTail(lines?: number): string;
}

/** `PG_BIN_DIR`, else the newest `/usr/lib/postgresql/<version>/bin` that has `initdb` (Debian's layout). */
export function postgresBinDir(): string {
  const given = process.env.PG_BIN_DIR;
  if (given) return given;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `No PostgreSQL server binaries under ${base} (install the postgresql package, or set PG_BIN_DIR)`,
    );
  }
  return join(base, versions[0], 'bin');
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` OS user. */
function command(bin: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'billing-pg-'));
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const port = await findFreePort(25432 + Math.floor(Math.random() * 5000));
  const pgCtl = async (args: string[]) => {
    const [file, argv] = command(join(bin, 'pg_ctl'), ['-D', data, ...args]);
    await run(file, argv, { timeout: 90_000 });
  };

  const [initFile, initArgs] = command(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  await run(initFile, initArgs, { timeout: 120_000 });

  // A process crash (which is what `-m immediate` is) loses nothing with fsync off: the WAL is in the
  // OS's page cache. Only a machine crash would, and that is not what these tests do.
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c max_connections=200',
  ].join(' ');
  let running = false;
  let destroyed = false;

  // If Jest dies without afterAll, the server must not outlive it (pg_ctl daemonises it).
  const onExit = () => {
    if (!running) return;
    try {
      const [file, argv] = command(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      execFileSync(file, argv, { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // already stopped
    }
  };
  process.on('exit', onExit);

  const server: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    start: async () => {
      await pgCtl(['-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
      running = true;
    },
    isRunning: () =>
      pgCtl(['status']).then(
        () => true,
        () => false,
      ),
    stop: async (mode) => {
      await pgCtl(['-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      // Whatever `running` says: a start that timed out may still have left a postmaster behind.
      await server.stop('immediate').catch(() => undefined);
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
    logTail: (lines = 40) => {
      try {
        return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
  };
  try {
    await server.start();
  } catch (err) {
    const tail = server.logTail();
    await server.destroy();
    throw new Error(`private PostgreSQL did not start: ${(err as Error).message}\n${tail}`);
  }
  return server;
}
