'use strict';

// The seed flows and the rest of the client's flows, against the emulator.

const assert = require('node:assert/strict');
const { afterEach, beforeEach, test } = require('node:test');
const { Client, Challenge, DocSpaceError, Session, totp } = require('..');
const { useEmulator } = require('../test-support/emulator');

const emulator = useEmulator();
/** @type {Client} */
let client;

beforeEach(() => {
  client = new Client(emulator.url);
});
afterEach(() => client.close());

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Signs the linked user in with a TOTP code. */
async function signInLinked() {
  const { email, password, totp_secret: secret } = emulator.users.linked;
  return client.loginWithCode(email, password, totp(secret));
}

test('seed flow 1: sign in by code with a TOTP from the linked user\'s secret', async () => {
  const { email, password, id, totp_secret: secret } = emulator.users.linked;
  const result = await client.login(email, password);
  assert.equal(result.kind, 'code_required');
  assert.ok(result.challenge instanceof Challenge);
  assert.equal(result.challenge.confirmType, 'TfaAuth');
  assert.equal(result.challenge.userId, id);
  assert.equal(result.challenge.userName, email);
  assert.equal(result.challenge.secret, null, 'a linked account gets no secret');

  const session = await client.loginWithCode(email, password, totp(secret));
  assert.ok(session instanceof Session);
  assert.equal(await client.isAuthenticated(session), true);
  assert.match(session.expires, /^\d{4}-\d\d-\d\dT/);
});

test('seed flow 2a: link an app with setupApp + validateApp', async () => {
  const { email, password } = emulator.users.not_linked;
  const result = await client.login(email, password);
  assert.equal(result.kind, 'setup_required');
  assert.equal(result.challenge.confirmType, 'TfaActivation');
  assert.match(result.secret, /^[A-Z2-7]{16}$/);
  assert.ok(result.otpauthUri.startsWith('otpauth://totp/'));
  assert.equal(result.secret, result.challenge.secret);

  const setup = await client.setupApp(result.challenge);
  assert.equal(setup.account, email);
  assert.equal(setup.manualEntryKey, result.secret);
  assert.ok(setup.qrCodePng.subarray(0, 8).equals(PNG_SIGNATURE), 'the QR code is a PNG');
  assert.ok(setup.otpauthUri.includes(`secret=${setup.manualEntryKey}`));

  const { linkedNow, session } = await client.validateApp(result.challenge, totp(setup.manualEntryKey));
  assert.equal(linkedNow, true);
  assert.equal(await client.isAuthenticated(session), true);
  assert.equal((await emulator.userState(email)).linked, true);
  assert.equal((await client.login(email, password)).kind, 'code_required');
});

test('seed flow 2b: link an app by signing in with a code from the secret', async () => {
  const { email, password } = emulator.users.not_linked;
  const { kind, secret } = await client.login(email, password);
  assert.equal(kind, 'setup_required');
  const session = await client.loginWithCode(email, password, totp(secret));
  assert.equal(await client.isAuthenticated(session), true);
  assert.equal((await emulator.userState(email)).linked, true);
  assert.equal((await client.login(email, password)).kind, 'code_required');
});

test('seed flow 3: read and regenerate backup codes; old ones die, a new one works once', async () => {
  const { email, password } = emulator.users.linked;
  const session = await signInLinked();
  const old = await client.backupCodes(session);
  assert.equal(old.length, 5);
  assert.deepEqual(old.map((c) => c.code), (await emulator.userState(email)).backup_codes.map((c) => c.code));
  assert.ok(old.every((c) => c.used === false && /^[A-Za-z0-9_-]{6}$/.test(c.code)));

  const fresh = await client.regenerateBackupCodes(session);
  assert.equal(fresh.length, 5);
  assert.ok(fresh.every((c) => !c.used && !old.some((o) => o.code === c.code)));

  await assert.rejects(client.loginWithCode(email, password, old[0].code),
    (error) => error instanceof DocSpaceError && error.kind === 'invalid_code');
  const viaBackup = await client.loginWithCode(email, password, fresh[0].code);
  assert.equal(await client.isAuthenticated(viaBackup), true);
  await assert.rejects(client.loginWithCode(email, password, fresh[0].code), { kind: 'invalid_code' });
  const after = await client.backupCodes(session);
  assert.deepEqual(after.map((c) => c.used), [true, false, false, false, false]);
});

test('a user without 2FA is authenticated at once', async () => {
  const { email, password } = emulator.users.no_tfa;
  const result = await client.login(email, password);
  assert.equal(result.kind, 'authenticated');
  assert.equal(await client.isAuthenticated(result.session), true);
});

test('an SMS user gets sms_required with the masked phone', async () => {
  const { email, password } = emulator.users.sms;
  const result = await client.login(email, password);
  assert.deepEqual(Object.keys(result), ['kind', 'phoneNoise', 'expires']);
  assert.equal(result.kind, 'sms_required');
  assert.match(result.phoneNoise, /\*\*\*/);
  assert.match(result.expires, /^\d{4}-\d\d-\d\dT/);
});

test('logout revokes the token', async () => {
  const session = await signInLinked();
  await client.logout(session);
  assert.equal(await client.isAuthenticated(session), false);
});

test('a stored token and an API key make working sessions', async () => {
  const stored = Session.fromToken((await signInLinked()).token);
  assert.equal(await client.isAuthenticated(stored), true);
  const byKey = Session.fromApiKey(emulator.users.linked.api_key);
  assert.equal((await client.backupCodes(byKey)).length, 5);
  assert.equal(await client.isAuthenticated(Session.fromToken('not-a-token')), false);
});

test('the 2FA policy can be read and set by an admin', async () => {
  const admin = Session.fromApiKey(emulator.users.admin.api_key);
  const before = await client.tfaPolicy(admin);
  assert.equal(before.method, 'app');
  assert.equal(before.app.available, true);

  const enabled = await client.setTfaPolicy(admin, {
    method: 'app', trustedIps: ['10.0.0.0/8'], mandatoryUsers: [emulator.users.no_tfa.id],
  });
  assert.equal(enabled, true);
  const after = await client.tfaPolicy(admin);
  assert.deepEqual(after.app.trustedIps, ['10.0.0.0/8']);
  assert.deepEqual(after.app.mandatoryUsers, [emulator.users.no_tfa.id]);
  assert.deepEqual(after.app.mandatoryGroups, []);

  assert.equal(await client.setTfaPolicy(admin, { method: 'none' }), false);
  assert.equal((await client.tfaPolicy(admin)).method, 'none');
});

test('confirmContext gives a challenge where app 2FA applies, else null', async () => {
  const challenge = await client.confirmContext(await signInLinked());
  assert.ok(challenge instanceof Challenge);
  assert.equal(challenge.userId, emulator.users.linked.id);
  const plain = await client.login(emulator.users.no_tfa.email, emulator.users.no_tfa.password);
  assert.equal(await client.confirmContext(plain.session), null);
});

test('resetApp on yourself gives a fresh session and an activation challenge', async () => {
  const { email, password, id } = emulator.users.linked;
  const old = await signInLinked();
  const reset = await client.resetApp(old, id);
  assert.equal(await client.isAuthenticated(old), false, 'the old session is signed out');
  assert.equal(await client.isAuthenticated(reset.session), true);
  assert.equal(reset.challenge.confirmType, 'TfaActivation');
  const setup = await client.setupApp(reset.challenge);
  const { linkedNow } = await client.validateApp(reset.challenge, totp(setup.manualEntryKey));
  assert.equal(linkedNow, true);
  assert.equal((await client.login(email, password)).kind, 'code_required');
});

test('the client reports its normalised base URL', () => {
  assert.equal(client.baseUrl, `${emulator.url}/`);
});
