'use strict';
/** The apps' processes: spawning them, their output, waiting for /health, stopping and restarting them. */
const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');
const { appMain } = require('./apps');
const {
  LaunchError,
  STOP_GRACE_MS,
  TAIL_LINES,
  httpStatus,
  indent,
  openLog,
  readTextTail,
  settlesWithin,
  sleep,
  throwIfAborted,
} = require('./util');

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

/**
 * The app processes of one system (see startSystem for the options). `appEnv(app)` is an app's environment,
 * read each time it is spawned; `isStopped()` is true once the whole system stops (every exit is expected).
 * Emits `app-exit` on `emitter`.
 */
function createAppProcesses({
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
  isStopped,
}) {
  const records = {};
  const processes = {};
  const pathsJs = path.join(rootDir, 'scripts', 'paths.js');
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
      ({ fd, offset: rec.logOffset } = openLog(
        rec.logFile,
        `\n--- ${app} started ${new Date().toISOString()} on port ${ports[app]} ---\n`,
      ));
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
        emitter.emit('app-exit', { name: app, code, signal: sig, expected: rec.expectedExit || isStopped() });
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
    const failure = (message) =>
      new LaunchError(
        `${message}\n  Last lines of its output${rec.logFile ? ` (${rec.logFile})` : ''}:\n${indent(tailOf(app))}`,
      );
    let last = 'no answer';
    for (;;) {
      throwIfAborted(signal);
      if (rec.exited) {
        await sleep(200); // let the last output arrive
        throw failure(`${app} exited during start-up (${describeExit(rec.exited)}).`);
      }
      try {
        const res = await httpStatus(url);
        if (res.status === 200) return;
        last = `HTTP ${res.status} ${res.body.slice(0, 300)}`;
      } catch (err) {
        last = err.cause && err.cause.code ? err.cause.code : err.message;
      }
      if (Date.now() > deadline) {
        throw failure(
          `${app} did not answer 200 on ${url} within ${Math.round(timeoutMs / 1000)} s (last: ${last}).`,
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
    if (isStopped()) throw new LaunchError('The system has been stopped.');
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

  /** Stops every app that was started (gracefully, as stopApp). */
  function stopAll() {
    return Promise.all(Object.keys(records).map((app) => stopApp(app)));
  }

  /** Sends SIGTERM to every running app without waiting (when the launcher exits without stop()). */
  function terminateAll() {
    for (const app of Object.keys(records)) if (isRunning(app)) records[app].child.kill('SIGTERM');
  }

  return {
    processes,
    isRunning,
    spawnApp,
    tailOf,
    waitForHealth,
    kill,
    start,
    restart,
    stopAll,
    terminateAll,
  };
}

module.exports = { createAppProcesses };
