'use strict';
/** Build detection: runs `npm run build` when dist/ is missing or older than the sources. */
const fs = require('fs');
const path = require('path');
const { DEFAULT_APPS, appMain } = require('./apps');
const { LaunchError, indent, npmCommand, readTextTail, runCommand } = require('./util');

const BUILD_STAMP = path.join('dist', '.launcher-build-stamp');

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
    mtimeOr(path.join(rootDir, BUILD_STAMP), 0),
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
  const stamp = path.join(rootDir, BUILD_STAMP);
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return true;
}

module.exports = { ensureBuilt };
