'use strict';
/** Makes PostgreSQL and NATS available for the apps: given by URL, found locally, or started here. */
const fs = require('fs');
const path = require('path');
const { NATS_LOCAL_URL, probeNats, startNatsServer } = require('./nats');
const { checkDatabase, startEmbeddedPostgres } = require('./postgres');
const { LaunchError, pidAlive, processCommand, redactUrl, resolveDirs, throwIfAborted } = require('./util');

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

/**
 * Makes PostgreSQL and NATS available. Returns
 * { databaseUrl, natsUrl, database: {source, ...}, nats: {source, ...}, helpers, stop() }.
 * database.source: 'given' | 'embedded'; nats.source: 'given' | 'local' (127.0.0.1:4222) | 'started'.
 */
async function startInfrastructure(options = {}) {
  const { dataDir, logDir } = resolveDirs(options);
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

module.exports = { startInfrastructure };
