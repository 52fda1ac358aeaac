'use strict';
/** Which apps the system has, where their builds are, and which ports they listen on. */
const fs = require('fs');
const path = require('path');
const { LaunchError } = require('./util');

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

function appMain(rootDir, app) {
  return path.join(rootDir, 'dist', 'apps', app, 'src', 'main.js');
}

/** APPS (comma-separated), else every known app with a main.ts or a build, else DEFAULT_APPS. */
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

/** Each app's port: `given`, else env <APP>_PORT, else its default; fails on invalid or shared ports. */
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

module.exports = { KNOWN_APPS, DEFAULT_APPS, DEFAULT_PORTS, appMain, detectApps, resolvePorts };
