'use strict';

// No secret (password, token, TOTP secret, otpauth URI, backup code, TOTP code) shows up in
// util.inspect, JSON.stringify, toString, spreads or error messages.

const assert = require('node:assert/strict');
const { afterEach, beforeEach, test } = require('node:test');
const util = require('node:util');
const { Client, totp } = require('..');
const { useEmulator } = require('../test-support/emulator');

const emulator = useEmulator();
/** @type {Client} */
let client;

beforeEach(() => {
  client = new Client(emulator.url);
});
afterEach(() => client.close());

/**
 * Every way a value commonly ends up in a log.
 *
 * @param {unknown} value
 */
function renderings(value) {
  return [
    util.inspect(value, { depth: 10 }),
    util.inspect(value, { depth: 10, showHidden: true }),
    util.format('%s %o %O %j', value, value, value, value),
    JSON.stringify(value),
    String(value),
    JSON.stringify(typeof value === 'object' && value !== null ? { ...value } : value),
  ];
}

/**
 * Asserts that none of `secrets` appears in any rendering of `value`.
 *
 * @param {unknown} value
 * @param {string[]} secrets
 */
function assertNoSecret(value, secrets) {
  for (const text of renderings(value)) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `secret shown in: ${text}`);
  }
}

test('sign-in results, sessions and challenges mask their secrets', async () => {
  const { email, password } = emulator.users.not_linked;
  const result = await client.login(email, password);
  assert.equal(result.kind, 'setup_required');
  const secrets = [password, result.secret, result.otpauthUri, result.challenge.secret];
  assertNoSecret(result, secrets);
  assertNoSecret(result.challenge, secrets);
  assert.deepEqual(JSON.parse(JSON.stringify(result)).secret, '***');

  const setup = await client.setupApp(result.challenge);
  assertNoSecret(setup, [setup.manualEntryKey, setup.otpauthUri]);
  assert.match(util.inspect(setup), /manualEntryKey: '\*\*\*'/);

  const { session } = await client.validateApp(result.challenge, totp(setup.manualEntryKey));
  assertNoSecret(session, [session.token]);
  assertNoSecret({ nested: [session] }, [session.token]);
  assert.match(util.inspect(session), /^Session \{\s+token: '\*\*\*',/);
});

test('backup codes mask their codes', async () => {
  const { email, password, totp_secret: secret } = emulator.users.linked;
  const session = await client.loginWithCode(email, password, totp(secret));
  const codes = await client.backupCodes(session);
  assertNoSecret(codes, codes.map((c) => c.code));
  assert.deepEqual(JSON.parse(JSON.stringify(codes))[0], { code: '***', used: false });
});

test('errors never contain the password or the code', async () => {
  const { email, password } = emulator.users.linked;
  const wrongPassword = 'Wrong#Secret-Password';
  const wrongCode = '024680';
  for (const [attempt, secrets] of [
    [() => client.login(email, wrongPassword), [wrongPassword]],
    [() => client.loginWithCode(email, password, wrongCode), [password, wrongCode]],
  ]) {
    const error = await attempt().then(() => assert.fail('no error'), (e) => e);
    assertNoSecret(error, secrets);
    assertNoSecret(error.stack, secrets);
  }
});

test('argument errors name the argument, never its value', async () => {
  const secretNumber = 987654321;
  const error = await client.login('user@example.com', secretNumber).then(() => assert.fail('no error'), (e) => e);
  assert.ok(error instanceof TypeError);
  assert.match(error.message, /"password"/);
  assertNoSecret(error, [String(secretNumber)]);

  const nul = await client.login('user@example.com', 'Zq7vK\0Xw9pL').then(() => assert.fail('no error'), (e) => e);
  assert.equal(nul.code, 'ERR_INVALID_ARG_VALUE');
  assertNoSecret(nul, ['Zq7vK', 'Xw9pL']);
});
