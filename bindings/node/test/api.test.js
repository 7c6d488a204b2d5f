'use strict';

// The binding itself, without a portal: argument checking (TypeError / RangeError, thrown by
// synchronous functions, rejected by Promise-returning ones), handle lifetimes, the version,
// and the declared C prototypes against include/docspace_auth.h.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { afterEach, beforeEach, test } = require('node:test');
const api = require('..');
const native = require('../lib/native');

const { Client, Challenge, DocSpaceError, Session, Totp, totp, verifyTotp } = api;
const HEADER = path.join(__dirname, '..', '..', '..', 'include', 'docspace_auth.h');
/** Nothing listens there; no test here reaches the network. */
const UNUSED_URL = 'http://127.0.0.1:9';

/** @type {Client} */
let client;
beforeEach(() => {
  client = new Client(UNUSED_URL);
});
afterEach(() => client.close());

test('the package exports the documented API', () => {
  assert.deepEqual(Object.keys(api).sort(),
    ['Challenge', 'Client', 'DocSpaceError', 'Session', 'Totp', 'secondsRemaining', 'totp', 'verifyTotp', 'version'].sort());
  assert.equal(api.version, require('../package.json').version);
});

test('async methods reject with TypeError for wrong argument types, never throw', async () => {
  const session = Session.fromToken('token');
  const calls = [
    () => client.login(42, 'password'),
    () => client.login('user', undefined),
    () => client.loginWithCode('user', 'password', 123456),
    () => client.setupApp({ confirmType: 'TfaActivation' }),
    () => client.validateApp(null, '123456'),
    () => client.backupCodes('token'),
    () => client.regenerateBackupCodes({ token: 'x' }),
    () => client.logout(undefined),
    () => client.isAuthenticated(session.token),
    () => client.tfaPolicy(null),
    () => client.setTfaPolicy(session, { method: 'email' }),
    () => client.setTfaPolicy(session, { method: 'app', trustedIps: '10.0.0.1' }),
    () => client.setTfaPolicy(session, { method: 'app', mandatoryUsers: [1] }),
    () => client.setTfaPolicy(session, { method: 'app', typo: [] }),
    () => client.confirmContext(42),
    () => client.resetApp(session, 7),
  ];
  for (const call of calls) {
    const promise = call();
    assert.ok(promise instanceof Promise, `${call} did not return a Promise`);
    await assert.rejects(promise, TypeError, String(call));
  }
  session.dispose();
});

test('synchronous functions throw TypeError / RangeError', () => {
  assert.throws(() => new Client(), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new Client(UNUSED_URL, 'fast'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new Client(UNUSED_URL, { timeout: 5 }), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => new Client(UNUSED_URL, { timeoutMs: '5' }), { name: 'TypeError' });
  assert.throws(() => new Client(UNUSED_URL, { timeoutMs: -1 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => new Client(UNUSED_URL, { timeoutMs: 1.5 }), { name: 'RangeError' });
  assert.throws(() => new Client(UNUSED_URL, { allowInsecureHttp: 'yes' }), { name: 'TypeError' });
  assert.throws(() => Session.fromToken(42), { name: 'TypeError' });
  assert.throws(() => Session.fromApiKey(), { name: 'TypeError' });
  assert.throws(() => totp(42), { name: 'TypeError' });
  assert.throws(() => totp('LJVTCTSWGJYEOYSV', { at: '2026-01-01' }), { name: 'TypeError' });
  assert.throws(() => totp('LJVTCTSWGJYEOYSV', { at: new Date('nope') }), { name: 'RangeError' });
  assert.throws(() => totp('LJVTCTSWGJYEOYSV', { when: 0 }), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => verifyTotp('LJVTCTSWGJYEOYSV', '123456', { window: -1 }), { name: 'RangeError' });
  assert.throws(() => new Totp('LJVTCTSWGJYEOYSV', { algorithm: 'MD5' }), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => new Totp('LJVTCTSWGJYEOYSV').codeAt(), { name: 'TypeError' });
  assert.throws(() => new Session(), { name: 'TypeError', code: 'ERR_ILLEGAL_CONSTRUCTOR' });
  assert.throws(() => new Challenge(), { name: 'TypeError', code: 'ERR_ILLEGAL_CONSTRUCTOR' });
});

test('options are applied: the client keeps its normalised URL', () => {
  const configured = new Client('http://127.0.0.1:9/portal', {
    timeoutMs: 5000, connectTimeoutMs: 1000, allowInsecureHttp: false, userAgent: 'tests/1.0',
    maxResponseBytes: 65536, noProxy: true,
  });
  assert.equal(configured.baseUrl, 'http://127.0.0.1:9/portal/');
  configured.close();
});

test('DocSpaceError carries the kind and details; library errors come from the C error', () => {
  const error = new DocSpaceError('slow down', { kind: 'rate_limited', status: 429, retryAfter: 30 });
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'DocSpaceError');
  assert.deepEqual([error.kind, error.status, error.serverMessage, error.retryAfter], ['rate_limited', 429, null, 30]);
  assert.equal(error.retryable, true, 'retryable by default for a kind the library calls retryable');
  assert.equal(new DocSpaceError('no', { kind: 'invalid_code' }).retryable, false);
  assert.equal(new DocSpaceError('no', { kind: 'network', retryable: false }).retryable, false, 'an explicit value wins');
  assert.equal(new DocSpaceError('no', { kind: 'internal' }).retryable, false);
  assert.match(error.stack, /^DocSpaceError: slow down/);

  const refused = (() => { try { return new Client('ftp://portal.example.com'); } catch (e) { return e; } })();
  assert.ok(refused instanceof DocSpaceError);
  assert.deepEqual([refused.kind, refused.status, refused.serverMessage, refused.retryAfter, refused.retryable],
    ['invalid_argument', null, null, null, false]);
  assert.match(refused.message, /http\(s\)/, 'the library says why');
});

test('kind names and retryability come from the library', () => {
  const kinds = {
    1: 'invalid_argument', 10: 'network', 11: 'timeout', 12: 'tls', 20: 'invalid_credentials', 21: 'invalid_code',
    22: 'locked_out', 23: 'rate_limited', 24: 'tfa_not_available', 25: 'confirm_context', 26: 'access_denied',
    27: 'session_invalid', 30: 'server_error', 31: 'unexpected_response',
  };
  for (const [result, kind] of Object.entries(kinds)) {
    assert.equal(native.docspace_result_kind_name(Number(result)), kind);
  }
  for (const cOnly of [0, 2, 3, 4, 99]) assert.equal(native.docspace_result_kind_name(cOnly), null);
  const retryable = Object.keys(kinds).map(Number).filter((result) => native.docspace_result_is_retryable(result));
  assert.deepEqual(retryable, [10, 11, 22, 23, 30]);
});

test('option values are checked by the library when the client is built, with its message', () => {
  const refused = (options) => {
    try {
      new Client(UNUSED_URL, options).close();
    } catch (error) {
      assert.ok(error instanceof DocSpaceError, String(error));
      assert.equal(error.kind, 'invalid_argument');
      return error.message;
    }
    assert.fail(`${JSON.stringify(options)} was accepted`);
  };
  assert.match(refused({ timeoutMs: 0 }), /timeouts must be greater than zero/);
  assert.match(refused({ connectTimeoutMs: 0 }), /timeouts must be greater than zero/);
  assert.match(refused({ maxResponseBytes: 0 }), /size limit/);
  assert.match(refused({ userAgent: 'bad\nagent' }), /printable ASCII/);
  assert.match(refused({ caPem: 'not a certificate' }), /CA PEM/);
  assert.match(refused({ caFile: '/nonexistent/ca.pem' }), /\/nonexistent\/ca\.pem/);
  assert.match(refused({ caFile: '' }), /CA file/);
});

test('handles: dispose is idempotent, later use fails, Symbol.dispose is wired', async () => {
  const session = Session.fromToken('a-token');
  assert.equal(session.disposed, false);
  assert.equal(session.token, 'a-token');
  assert.equal(typeof session[Symbol.dispose], 'function');
  session[Symbol.dispose]();
  session.dispose();
  assert.equal(session.disposed, true);
  assert.throws(() => session.token, { code: 'ERR_INVALID_STATE' });
  await assert.rejects(client.isAuthenticated(session), { code: 'ERR_INVALID_STATE' });

  client.close();
  client.close();
  await assert.rejects(client.login('user', 'password'), { code: 'ERR_INVALID_STATE' });
  assert.equal(typeof Client.prototype[Symbol.dispose], 'function');
  assert.equal(typeof Totp.prototype[Symbol.dispose], 'function');
});

test('the declared C prototypes match include/docspace_auth.h', () => {
  const header = fs.readFileSync(HEADER, 'utf8').replace(/\/\/.*$/gm, '');
  const declared = new Map();
  for (const [, declaration, name] of header.matchAll(/^([a-z][^;#{}]*?\b(docspace_\w+)\(([^;]*?)\));/gm)) {
    declared.set(name, declaration.replace(/\s+/g, ' ').replace(/\( /g, '('));
  }
  // Binding spellings: `_Out_` marks outputs, `docspace_string *` is a `char **` koffi frees.
  const normalise = (prototype) => prototype.replace(/_Out_ /g, '').replace(/docspace_string \*/g, 'char **');
  for (const prototype of native.PROTOTYPES) {
    const name = /(docspace_\w+)\(/.exec(prototype)[1];
    assert.equal(normalise(prototype), declared.get(name), name);
  }
  const version = /#define DOCSPACE_VERSION_STRING "([^"]+)"/.exec(header)[1];
  assert.equal(api.version, version);
  assert.equal(Number(/#define DOCSPACE_TOTP_CODE_BUFFER_SIZE (\d+)/.exec(header)[1]), native.TOTP_CODE_BUFFER_SIZE);
});
