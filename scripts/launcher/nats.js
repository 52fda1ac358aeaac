'use strict';
/** NATS with JetStream: probing a server, and starting `nats-server -js` under a helper process. */
const fs = require('fs');
const net = require('net');
const path = require('path');
const { startHelper } = require('./helper');
const { LaunchError, findFreePort, sleep, stopLeftover, throwIfAborted, which } = require('./util');

const NATS_LOCAL_URL = 'nats://127.0.0.1:4222';
const NATS_FIRST_PORT = 4223;
const NATS_SERVER_CANDIDATES = [
  '/usr/sbin/nats-server',
  '/usr/local/bin/nats-server',
  '/usr/bin/nats-server',
];

function parseNatsServer(server) {
  const u = new URL(server.includes('://') ? server : `nats://${server}`);
  return { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(u.port) || 4222 };
}

/** Reads the INFO line a NATS server sends on connect. */
function readNatsInfo(server, timeoutMs = 2000) {
  const { host, port } = parseNatsServer(server);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let data = '';
    const finish = (err, info) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(info);
    };
    socket.setTimeout(timeoutMs, () =>
      finish(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)),
    );
    socket.once('error', (err) => finish(new Error(`${host}:${port}: ${err.code || err.message}`)));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      const end = data.indexOf('\r\n');
      if (end === -1) return;
      const line = data.slice(0, end);
      if (!line.startsWith('INFO ')) return finish(new Error(`${host}:${port} is not a NATS server`));
      try {
        finish(null, JSON.parse(line.slice(5)));
      } catch {
        finish(new Error(`${host}:${port} sent an unreadable INFO line`));
      }
    });
  });
}

/**
 * Checks that a NATS server answers at `url` (comma-separated list allowed) and has JetStream.
 * Returns { ok, reachable, error? }; never throws.
 */
async function probeNats(url, timeoutMs = 2000) {
  const servers = url
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let info;
  let lastError;
  for (const server of servers) {
    try {
      info = await readNatsInfo(server, timeoutMs);
      break;
    } catch (err) {
      lastError = err;
    }
  }
  if (!info) return { ok: false, reachable: false, error: lastError ? lastError.message : 'no server given' };
  if (!info.jetstream) {
    return { ok: false, reachable: true, error: 'the server has no JetStream (start nats-server with -js)' };
  }
  let transport;
  let jetstream;
  try {
    transport = require('@nats-io/transport-node');
    jetstream = require('@nats-io/jetstream');
  } catch {
    return { ok: true, reachable: true, info }; // client not installed yet: the INFO check has to do
  }
  let nc;
  try {
    nc = await transport.connect({
      servers,
      timeout: timeoutMs,
      reconnect: false,
      name: 'billing-launcher-probe',
    });
    const jsm = await jetstream.jetstreamManager(nc);
    await jsm.getAccountInfo();
    return { ok: true, reachable: true, info };
  } catch (err) {
    return { ok: false, reachable: true, error: `JetStream check failed: ${err.message}` };
  } finally {
    if (nc) await nc.close().catch(() => undefined);
  }
}

function findNatsServer() {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  const onPath = which('nats-server');
  if (onPath) return onPath;
  return NATS_SERVER_CANDIDATES.find((candidate) => fs.existsSync(candidate)) || null;
}

/** Starts `nats-server -js` on 127.0.0.1 and a free port from 4223, storing JetStream data in `<dataDir>/nats`. */
async function startNatsServer({ dataDir, logDir, log = console.log, signal, binary } = {}) {
  const bin = binary || findNatsServer();
  if (!bin) {
    throw new LaunchError(
      `No NATS server: nothing answers at ${NATS_LOCAL_URL} and no nats-server binary was found ` +
        `(PATH, ${NATS_SERVER_CANDIDATES.join(', ')}).\n` +
        '  Install one (Debian/Ubuntu: `sudo apt-get install nats-server`; others: https://docs.nats.io), ' +
        'or set NATS_URL to a NATS server with JetStream.',
    );
  }
  const storeDir = path.join(dataDir, 'nats');
  fs.mkdirSync(storeDir, { recursive: true });
  const pidFile = path.join(storeDir, 'nats-server.pid');
  await stopLeftover({
    pidFile,
    expect: 'nats-server',
    name: 'nats-server',
    log,
    signals: [
      ['SIGTERM', 10_000],
      ['SIGKILL', 5_000],
    ],
  });
  const port = await findFreePort(NATS_FIRST_PORT);
  const natsUrl = `nats://127.0.0.1:${port}`;
  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, '-P', pidFile];
  log(`Starting ${bin} ${args.join(' ')}`);
  const helper = startHelper(
    'command',
    { command: bin, args },
    { logFile: path.join(logDir, 'nats-server.log'), timeoutMs: 30_000, name: 'nats-server', signal },
  );
  const deadline = Date.now() + 20_000;
  let lastError = 'not started';
  try {
    for (;;) {
      throwIfAborted(signal);
      await helper.ready; // throws if the helper failed
      if (helper.child.exitCode !== null || helper.child.signalCode !== null) {
        const { code, signal: sig } = await helper.exited;
        throw helper.failure(`nats-server exited during start-up (${sig || `exit code ${code}`}).`);
      }
      const probe = await probeNats(natsUrl, 1000);
      if (probe.ok) break;
      lastError = probe.error;
      if (Date.now() > deadline) {
        throw helper.failure(
          `nats-server did not accept connections at ${natsUrl} within 20 s (${lastError}).`,
        );
      }
      await sleep(200, signal);
    }
  } catch (err) {
    await helper.stop();
    throw err;
  }
  return { natsUrl, port, dataDir: storeDir, helper, stop: () => helper.stop().then(() => undefined) };
}

module.exports = { NATS_LOCAL_URL, probeNats, startNatsServer };
