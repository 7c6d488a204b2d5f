'use strict';

// Network calls run on worker threads: the event loop keeps turning during a slow answer,
// calls overlap, and handles disposed during a call are freed only after it.

const assert = require('node:assert/strict');
const { afterEach, beforeEach, test } = require('node:test');
const { Client, totp } = require('..');
const { useEmulator } = require('../test-support/emulator');

const emulator = useEmulator();
/** @type {Client} */
let client;

beforeEach(() => {
  client = new Client(emulator.url);
});
afterEach(() => client.close());

const LOGIN_PATH = '/api/2.0/authentication';

/** Signs the user without 2FA in. */
async function signInPlain(on = client) {
  const { email, password } = emulator.users.no_tfa;
  return on.login(email, password);
}

test('a timer keeps ticking while a call waits for a slow answer', async () => {
  const delayMs = 1500;
  const intervalMs = 10;
  await emulator.fault({ path: LOGIN_PATH, method: 'POST', delay_ms: delayMs });
  let ticks = 0;
  const timer = setInterval(() => { ticks += 1; }, intervalMs);
  try {
    const started = performance.now();
    const result = await signInPlain();
    assert.equal(result.kind, 'authenticated');
    assert.ok(performance.now() - started >= delayMs, 'the answer really was slow');
  } finally {
    clearInterval(timer);
  }
  // 150 ticks at best; a blocked event loop would give 0 or 1.
  assert.ok(ticks >= 50, `only ${ticks} ticks during a ${delayMs} ms call`);
});

test('concurrent calls on one client overlap', async () => {
  const calls = 4;
  const delayMs = 1000;
  await emulator.fault({ path: LOGIN_PATH, method: 'POST', delay_ms: delayMs, times: calls });
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: calls }, () => signInPlain()));
  const elapsed = performance.now() - started;
  assert.deepEqual(results.map((r) => r.kind), Array(calls).fill('authenticated'));
  // One after the other they would take calls × delayMs.
  assert.ok(elapsed < (calls - 1) * delayMs, `${calls} calls of ${delayMs} ms took ${Math.round(elapsed)} ms: not concurrent`);
});

test('many concurrent calls of different kinds', async () => {
  const { email, password, totp_secret: secret } = emulator.users.linked;
  const sessions = await Promise.all(Array.from({ length: 12 }, () => client.loginWithCode(email, password, totp(secret))));
  const checks = await Promise.all(sessions.flatMap((session) => [client.isAuthenticated(session), client.backupCodes(session)]));
  assert.equal(checks.filter((c) => c === true).length, 12);
  assert.ok(checks.filter(Array.isArray).every((codes) => codes.length === 5));
  sessions.forEach((session) => session.dispose());
});

test('closing a client during a call lets the call finish, then refuses new calls', async () => {
  const other = new Client(emulator.url);
  await emulator.fault({ path: LOGIN_PATH, method: 'POST', delay_ms: 300 });
  const pending = signInPlain(other);
  other.close();
  assert.equal(other.disposed, true);
  assert.equal((await pending).kind, 'authenticated');
  await assert.rejects(signInPlain(other), { code: 'ERR_INVALID_STATE' });
  other.close();
});

test('disposing a session during a call is safe', async () => {
  const { session } = await signInPlain();
  await emulator.fault({ path: LOGIN_PATH, method: 'GET', delay_ms: 300 });
  const pending = client.isAuthenticated(session);
  session.dispose();
  assert.equal(await pending, true);
  await assert.rejects(client.isAuthenticated(session), { code: 'ERR_INVALID_STATE' });
  assert.throws(() => session.token, { code: 'ERR_INVALID_STATE' });
});
