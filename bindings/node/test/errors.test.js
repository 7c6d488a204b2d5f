'use strict';

// Every error kind, driven through the emulator's faults, clock and lockout rules (tls:
// tls.test.js).

const assert = require('node:assert/strict');
const net = require('node:net');
const { afterEach, beforeEach, test } = require('node:test');
const { Client, DocSpaceError, Session, Totp, totp } = require('..');
const { useEmulator } = require('../test-support/emulator');

const emulator = useEmulator();
/** @type {Client} */
let client;

beforeEach(() => {
  client = new Client(emulator.url);
});
afterEach(() => client.close());

const LOGIN_PATH = '/api/2.0/authentication';

/**
 * Asserts that `promise` rejects with a DocSpaceError with these fields.
 *
 * @param {Promise<unknown>} promise
 * @param {Partial<DocSpaceError>} expected
 */
async function rejectsWith(promise, expected) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof DocSpaceError, `not a DocSpaceError: ${error}`);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'DocSpaceError');
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(error[key], value, key);
    assert.ok(error.message.length > 0);
    return true;
  });
}

/** Signs in the user without 2FA. */
async function signInPlain() {
  const { email, password } = emulator.users.no_tfa;
  return (await client.login(email, password)).session;
}

test('invalid_argument: unusable URL, empty user name, bad TOTP secret, empty token', async () => {
  assert.throws(() => new Client('not a url'), (error) => error instanceof DocSpaceError && error.kind === 'invalid_argument');
  assert.throws(() => Session.fromToken('   '), { kind: 'invalid_argument', message: /`token` argument is empty/ });
  assert.throws(() => Session.fromApiKey(''), { kind: 'invalid_argument', message: /`key` argument is empty/ });
  assert.throws(() => new Client('http://portal.example.com'), { kind: 'invalid_argument' }, 'plain http off loopback');
  await rejectsWith(client.login('', 'password'), { kind: 'invalid_argument', status: null, retryAfter: null });
  assert.throws(() => totp('not base32!'), { kind: 'invalid_argument' });
  assert.throws(() => new Totp(emulator.users.linked.totp_secret, { digits: 9 }), { kind: 'invalid_argument' });
});

test('network: a dropped connection, and a port nobody listens on', async () => {
  await emulator.fault({ path: LOGIN_PATH, method: 'POST', drop_connection: true });
  await rejectsWith(client.login(emulator.users.no_tfa.email, 'x'), { kind: 'network', status: null, retryable: true });

  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  const closed = new Client(`http://127.0.0.1:${port}`);
  await rejectsWith(closed.login('user@example.com', 'x'), { kind: 'network' });
  closed.close();
});

test('timeout: an answer slower than timeoutMs', async () => {
  const impatient = new Client(emulator.url, { timeoutMs: 300 });
  await emulator.fault({ path: LOGIN_PATH, method: 'POST', delay_ms: 3000 });
  await rejectsWith(impatient.login(emulator.users.no_tfa.email, 'x'), { kind: 'timeout', status: null });
  impatient.close();
});

test('invalid_credentials: a wrong password', async () => {
  await rejectsWith(client.login(emulator.users.no_tfa.email, 'wrong password'),
    { kind: 'invalid_credentials', status: 401, serverMessage: 'User authentication failed', retryAfter: null,
      retryable: false });
});

test('invalid_code: a wrong TOTP code, at sign-in and at app validation', async () => {
  const { email, password } = emulator.users.linked;
  await rejectsWith(client.loginWithCode(email, password, '000000'), { kind: 'invalid_code', status: 401 });

  const setup = await client.login(emulator.users.not_linked.email, emulator.users.not_linked.password);
  await rejectsWith(client.validateApp(setup.challenge, '000000'),
    { kind: 'invalid_code', status: 400, serverMessage: 'Incorrect code' });
});

test('locked_out: the sixth wrong password within a minute', async () => {
  const { email, password } = emulator.users.no_tfa;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await rejectsWith(client.login(email, 'wrong'), { kind: 'invalid_credentials' });
  }
  await rejectsWith(client.login(email, 'wrong'), { kind: 'locked_out', status: 403, retryable: true });
  await rejectsWith(client.login(email, password), { kind: 'locked_out' });
  await emulator.setClock(61);
  assert.equal((await client.login(email, password)).kind, 'authenticated');
});

test('rate_limited: 429 with Retry-After', async () => {
  await emulator.fault({ path: LOGIN_PATH, method: 'POST', status: 429, retry_after: '120' });
  await rejectsWith(client.login(emulator.users.no_tfa.email, 'x'),
    { kind: 'rate_limited', status: 429, retryAfter: 120, retryable: true });
});

test('tfa_not_available: backup codes of a user without 2FA', async () => {
  await rejectsWith(client.backupCodes(await signInPlain()), { kind: 'tfa_not_available', status: 403 });
});

test('confirm_context: app setup after the confirm key expired', async () => {
  const { email, password } = emulator.users.not_linked;
  const { challenge } = await client.login(email, password);
  await emulator.setClock(2 * 3600);
  await rejectsWith(client.setupApp(challenge), { kind: 'confirm_context' });
});

test('access_denied: a disabled user', async () => {
  const { email, password } = emulator.users.disabled;
  await rejectsWith(client.login(email, password), { kind: 'access_denied', status: 403 });
});

test('session_invalid: a bogus token', async () => {
  await rejectsWith(client.backupCodes(Session.fromToken('bogus-token')), { kind: 'session_invalid', status: 401 });
});

test('server_error: 503 with an HTML page', async () => {
  await emulator.fault({ path: LOGIN_PATH, method: 'POST', status: 503, body: 'html' });
  await rejectsWith(client.login(emulator.users.no_tfa.email, 'x'), { kind: 'server_error', status: 503 });
});

test('unexpected_response: a truncated JSON answer', async () => {
  await emulator.fault({ path: LOGIN_PATH, method: 'POST', body: 'truncated-json' });
  await rejectsWith(client.login(emulator.users.no_tfa.email, emulator.users.no_tfa.password),
    { kind: 'unexpected_response' });
});
