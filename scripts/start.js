#!/usr/bin/env node
'use strict';
/**
 * `npm start`: installs dependencies if needed, builds, and runs the whole system as separate processes
 * (see scripts/launcher/ and scripts/README.md). Only Node built-ins may be required before
 * ensureDependencies() has run: on a fresh clone node_modules does not exist yet.
 *
 * Environment: DATABASE_URL, NATS_URL, BUS_ROOT, CLOCK_MODE, ADMIN_TOKEN, PORT (gateway), <APP>_PORT,
 * LOG_LEVEL, APPS (comma-separated subset).
 */
const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');

const rootDir = path.resolve(__dirname, '..');

function fail(message) {
  console.error(`\n${message}`);
  process.exit(1);
}

function ensureDependencies() {
  if (fs.existsSync(path.join(rootDir, 'node_modules', '.package-lock.json'))) return;
  // `npm install` rather than `npm ci`: it installs the versions in package-lock.json all the same, and
  // npm 11 on Linux writes lock files without other platforms' optional packages, which `npm ci`
  // then rejects as out of sync (npm/cli#4828).
  const args = ['install', '--no-audit', '--no-fund'];
  const npmCli = process.env.npm_execpath;
  const [command, prefix] =
    npmCli && /npm-cli\.js$/.test(npmCli) ? [process.execPath, [npmCli]] : ['npm', []];
  console.log(`Installing dependencies: npm ${args.join(' ')}`);
  const result = childProcess.spawnSync(command, [...prefix, ...args], {
    cwd: rootDir,
    stdio: 'inherit',
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
  });
  if (result.error) fail(`Could not run npm: ${result.error.message}`);
  if (result.status !== 0) fail(`npm ${args[0]} failed (exit code ${result.status}).`);
}

function describeDatabase(system, redactUrl) {
  const db = system.infra.database;
  if (db.source === 'embedded') {
    return `embedded PostgreSQL at 127.0.0.1:${db.port} (data in ${path.relative(rootDir, db.dataDir)}; ${db.url})`;
  }
  return `DATABASE_URL (${redactUrl(db.url)})`;
}

function describeNats(system, redactUrl) {
  const nats = system.infra.nats;
  if (nats.source === 'started') {
    return `nats-server started at ${nats.url} (JetStream data in ${path.relative(rootDir, nats.dataDir)})`;
  }
  if (nats.source === 'local') return `${nats.url} (the NATS server already running here)`;
  return `NATS_URL (${redactUrl(nats.url)})`;
}

async function main() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(`Node.js ${process.versions.node} is too old; this project needs Node.js 20.19 or later.`);
  }
  ensureDependencies();
  const { startSystem, redactUrl } = require('./launcher');

  const controller = new AbortController();
  let system = null;
  let stopping = false;

  const shutdown = (code) => {
    if (!system) return;
    stopping = true;
    console.log('\nStopping ...');
    system
      .stop()
      .then(() => process.exit(code))
      .catch((err) => {
        console.error(err);
        process.exit(1);
      });
  };
  const onSignal = (sig) => {
    if (stopping) {
      // A second Ctrl+C: stop waiting. The helpers still stop PostgreSQL/NATS when we are gone.
      console.log(`\n${sig} again: exiting without waiting.`);
      for (const child of Object.values(system ? system.processes : {})) child.kill('SIGKILL');
      process.exit(130);
    }
    stopping = true;
    if (!system) {
      console.log('\nInterrupted; stopping what was started ...');
      controller.abort();
      return;
    }
    shutdown(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => onSignal(sig));

  const ports = {};
  if (process.env.PORT) ports.gateway = process.env.PORT;
  try {
    system = await startSystem({
      rootDir,
      stdio: 'inherit',
      createDevTenant: true,
      ports,
      signal: controller.signal,
      log: (message) => console.log(`[start] ${message}`),
    });
  } catch (err) {
    if (controller.signal.aborted) process.exit(0);
    fail(`Could not start the system: ${err && err.name === 'LaunchError' ? err.message : err && err.stack}`);
  }
  if (stopping) return shutdown(0); // the signal came just as start-up finished

  system.on('app-exit', ({ name, code, signal, expected }) => {
    if (stopping || expected) return;
    console.error(
      `\n${name} exited unexpectedly (${signal || `exit code ${code}`}); shutting everything down.`,
    );
    shutdown(1);
  });
  system.on('infra-exit', ({ name, code, signal, logFile }) => {
    if (stopping) return;
    console.error(
      `\n${name} exited unexpectedly (${signal || `exit code ${code}`}; see ${logFile}); shutting everything down.`,
    );
    shutdown(1);
  });

  const base = system.gatewayUrl.replace('127.0.0.1', 'localhost');
  console.log(
    [
      '',
      'Recurring billing is running.',
      `  API:      ${base}/v1`,
      `  Docs:     ${base}/docs`,
      `  API key:  ${system.apiKey}   (Authorization: Bearer <key>)`,
      `  Admin:    ${system.adminToken}   (ADMIN_TOKEN, for /v1/admin/*)`,
      `  Database: ${describeDatabase(system, redactUrl)}`,
      `  NATS:     ${describeNats(system, redactUrl)}`,
      `  Logs:     ${path.relative(rootDir, system.logDir)}/ (PostgreSQL, nats-server)`,
      ...(system.apps.includes('notifier')
        ? [
            process.env.SMTP_URL
              ? `  Mail:     SMTP_URL (${redactUrl(process.env.SMTP_URL)})`
              : `  Mail:     ${process.env.MAIL_OUTBOX_DIR || path.join('.data', 'outbox')}/ (.eml files; set SMTP_URL to send them)`,
          ]
        : []),
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
