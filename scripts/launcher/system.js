'use strict';
/** startSystem: PostgreSQL and NATS, a build when needed, every app as its own process, a dev tenant. */
const crypto = require('crypto');
const { EventEmitter } = require('events');
const fs = require('fs');
const path = require('path');
const { createAppProcesses } = require('./app-processes');
const { detectApps, resolvePorts } = require('./apps');
const { ensureBuilt } = require('./build');
const { ensureDevTenant } = require('./dev-tenant');
const { startInfrastructure } = require('./infrastructure');
const { LaunchError, isPortFree, resolveDirs, throwIfAborted } = require('./util');

const HEALTH_TIMEOUT_MS = 60_000;

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
  const { rootDir, dataDir, logDir } = resolveDirs(options);
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
  fs.mkdirSync(logDir, { recursive: true });

  const emitter = new EventEmitter();
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
  const appProcesses = createAppProcesses({
    rootDir,
    apps,
    ports,
    stdioMode,
    logDir,
    appEnv,
    healthTimeoutMs,
    log,
    signal,
    emitter,
    isStopped: () => stopped,
  });
  const { processes, spawnApp, waitForHealth } = appProcesses;

  // Last resort when the launcher exits without stop(): do not leave the apps running.
  const onProcessExit = () => appProcesses.terminateAll();

  function stop() {
    if (stopPromise) return stopPromise;
    stopped = true;
    stopPromise = (async () => {
      await appProcesses.stopAll();
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
      kill: appProcesses.kill,
      restart: appProcesses.restart,
      start: appProcesses.start,
      waitForHealth,
      logTail: appProcesses.tailOf,
      isRunning: appProcesses.isRunning,
    });
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

module.exports = { startSystem };
