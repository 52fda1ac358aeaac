'use strict';
/** The development tenant `npm start` prints an API key for. */
const fs = require('fs');
const path = require('path');
const { LaunchError, httpStatus } = require('./util');

/** Reuses the saved development API key if it still works, else creates a tenant and saves its key. */
async function ensureDevTenant({ gatewayUrl, adminToken, keyFile, log = console.log }) {
  let saved = '';
  try {
    saved = fs.readFileSync(keyFile, 'utf8').trim();
  } catch {
    // none yet
  }
  if (saved) {
    const res = await httpStatus(`${gatewayUrl}/v1/customers`, {
      timeoutMs: 10_000,
      headers: { authorization: `Bearer ${saved}` },
    });
    if (res.status === 200) return saved;
    log(`The saved development API key was not accepted (HTTP ${res.status}); creating a new tenant.`);
  }
  const res = await fetch(`${gatewayUrl}/v1/admin/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Development', base_currency: 'USD', timezone: 'UTC' }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // reported below
  }
  if ((res.status !== 201 && res.status !== 200) || !body || typeof body.api_key !== 'string') {
    throw new LaunchError(
      `Creating the development tenant failed: POST /v1/admin/tenants answered HTTP ${res.status}: ${text.slice(0, 500)}`,
    );
  }
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  fs.writeFileSync(keyFile, `${body.api_key}\n`, { mode: 0o600 });
  log(`Created the development tenant ${body.tenant && body.tenant.id ? body.tenant.id : ''}`.trim());
  return body.api_key;
}

module.exports = { ensureDevTenant };
