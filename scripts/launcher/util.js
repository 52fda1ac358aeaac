'use strict';
/**
 * Small utilities shared by the launcher's modules: its error type, waiting, ports, processes, output
 * tails and log files. Node built-ins only.
 */
const childProcess = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const STOP_GRACE_MS = 10_000;
const TAIL_LINES = 40;

class LaunchError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LaunchError';
  }
}

/** rootDir (default: the repository), dataDir (default `<rootDir>/.data`) and logDir (default `<dataDir>/logs`). */
function resolveDirs(options) {
  const rootDir = path.resolve(options.rootDir || path.join(__dirname, '..', '..'));
  const dataDir = path.resolve(rootDir, options.dataDir || '.data');
  const logDir = options.logDir ? path.resolve(rootDir, options.logDir) : path.join(dataDir, 'logs');
  return { rootDir, dataDir, logDir };
}

// ---------------------------------------------------------------------------------------------------------
// Waiting and aborting
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

// ---------------------------------------------------------------------------------------------------------
// Ports and URLs
// ---------------------------------------------------------------------------------------------------------

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

async function httpStatus(url, { timeoutMs = 2000, headers } = {}) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  return { status: res.status, body };
}

// ---------------------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------------------

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

/**
 * Stops the process named by `pidFile` (its first line) that an earlier launcher left behind (its launcher
 * and helper are gone, we hold the lock), sending each of `signals` ([signal, ms to wait]) in turn.
 */
async function stopLeftover({ pidFile, expect, name, log, signals }) {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0], 10);
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

/** Stops a child process if it runs: each of `steps` ([signal, ms to wait]) in turn, then SIGKILL. */
async function stopChild(child, steps) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  for (const [sig, waitMs] of steps) {
    child.kill(sig);
    if (await settlesWithin(gone, waitMs)) return;
  }
  child.kill('SIGKILL');
  await gone;
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
      ({ fd } = openLog(logFile));
      io = ['ignore', fd, fd];
    }
    const child = childProcess.spawn(command, args, { cwd, env, stdio: io });
    if (fd !== undefined) fs.closeSync(fd);
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Log files and output tails
// ---------------------------------------------------------------------------------------------------------

/**
 * Opens `file` for appending (creating its directory) and writes `header`, if given, for a child process's
 * output. Returns { fd, offset }: offset is where this run's output starts (for readTextTail).
 */
function openLog(file, header) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const offset = fs.existsSync(file) ? fs.statSync(file).size : 0;
  const fd = fs.openSync(file, 'a');
  if (header) fs.writeSync(fd, header);
  return { fd, offset };
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

/** A LaunchError: `message`, then the last lines `logFile` got since `offset`. */
function failureWithLog(message, logFile, offset) {
  return new LaunchError(`${message}\n  Last lines of ${logFile}:\n${indent(readTextTail(logFile, offset))}`);
}

module.exports = {
  STOP_GRACE_MS,
  TAIL_LINES,
  LaunchError,
  resolveDirs,
  sleep,
  settlesWithin,
  abortError,
  throwIfAborted,
  redactUrl,
  isPortFree,
  findFreePort,
  httpStatus,
  pidAlive,
  processCommand,
  stopLeftover,
  stopChild,
  which,
  npmCommand,
  runCommand,
  openLog,
  readTextTail,
  indent,
  failureWithLog,
};
