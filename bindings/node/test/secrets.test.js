'use strict';

// No secret reaches anything a Node user can see. Users with distinctive secrets are added
// through the emulator (passwords `Pw-LEAKCHECK-<random>`); every flow and error path runs
// through the package, which is the only source of the secrets' values (session tokens, TOTP
// secrets, otpauth URIs, backup codes, the codes sent, API keys). Every rendering of every
// returned object and error is collected (util.inspect with and without hidden properties,
// util.format, JSON.stringify, String(), error messages and stacks), with everything the
// package writes through `console` and every process warning, and the console output of
// examples/seed-flows.js (against the test's emulator with the LEAKCHECK users, and on its own
// emulator). The test fails if any secret appears: long ones as substrings, 6-character codes
// as whole words, and anything shaped like a login token (`+/+/...`) or a confirm key.

const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const util = require('node:util');
const { Client, DocSpaceError, Session, Totp, totp, verifyTotp } = require('..');
const { useEmulator } = require('../test-support/emulator');

const emulator = useEmulator();
const EXAMPLE = path.join(__dirname, '..', 'examples', 'seed-flows.js');

/** POST a JSON body to the emulator's controls. */
function control(route, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(`/__emulator/${route}`, emulator.url), {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => (response.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(text))));
    });
    request.on('error', reject);
    request.end(payload);
  });
}

const addUser = (email, password, kind) => control('users', { email, password, kind });

/** A loopback port nothing listens on. */
function closedPort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

class Watch {
  constructor() {
    /** @type {Map<string, string>} value -> what */
    this.secrets = new Map();
    /** @type {Map<string, string>} 6-character codes, matched as whole words */
    this.codes = new Map();
    /** @type {[string, string][]} */
    this.shown = [];
  }

  secret(what, value) {
    if (value) this.secrets.set(value, what);
  }

  code(what, value) {
    if (value) this.codes.set(value, what);
  }

  /** Every way a value commonly ends up in a log. */
  show(label, value) {
    const renderings = [
      ['inspect', () => util.inspect(value, { depth: 10 })],
      ['inspect(showHidden)', () => util.inspect(value, { depth: 10, showHidden: true, getters: true })],
      ['format', () => util.format('%s %o %O %j', value, value, value, value)],
      ['JSON', () => JSON.stringify(value)],
      ['String', () => String(value)],
      ['spread', () => JSON.stringify(value && typeof value === 'object' ? { ...value } : value)],
    ];
    for (const [how, render] of renderings) {
      let text;
      try {
        text = render();
      } catch (error) {
        text = `(${how} threw ${error})`;
      }
      this.shown.push([`${how}(${label})`, String(text)]);
    }
    console.log(label, value);
    return value;
  }

  error(label, error) {
    this.show(label, error);
    this.shown.push([`${label}.message`, String(error?.message)]);
    this.shown.push([`${label}.stack`, String(error?.stack)]);
    if (error instanceof DocSpaceError) this.shown.push([`${label}.serverMessage`, String(error.serverMessage)]);
    console.error(error);
  }

  /** Awaits `promise` (or calls `fn`), expects it to fail with `kind`, records the error. */
  async fails(label, kind, fnOrPromise) {
    let error;
    try {
      await (typeof fnOrPromise === 'function' ? fnOrPromise() : fnOrPromise);
    } catch (e) {
      error = e;
    }
    assert.ok(error, `${label}: no error`);
    assert.equal(error.kind ?? error.code, kind, `${label}: ${error}`);
    this.error(label, error);
  }

  leaks(texts = this.shown) {
    const found = [];
    for (const [label, text] of texts) {
      for (const [value, what] of this.secrets) if (text.includes(value)) found.push(`${label} shows a ${what}`);
      for (const [value, what] of this.codes) {
        const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        if (new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`).test(text)) found.push(`${label} shows a ${what}`);
      }
      if (text.includes('+/+/')) found.push(`${label} shows something shaped like a login token`);
      if (/\d{10,}\.[A-Z0-9]{20,}/.test(text)) found.push(`${label} shows something shaped like a confirm key`);
    }
    return found;
  }
}

/** Runs `fn` with console.* and process warnings captured into `watch`. */
async function capturingConsole(watch, fn) {
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'];
  const saved = methods.map((m) => console[m]);
  const onWarning = (warning) => watch.shown.push(['process warning', util.inspect(warning)]);
  for (const m of methods) {
    console[m] = (...args) => watch.shown.push([`console.${m}`, util.format(...args)]);
  }
  process.on('warning', onWarning);
  try {
    return await fn();
  } finally {
    methods.forEach((m, i) => { console[m] = saved[i]; });
    process.off('warning', onWarning);
  }
}

test('no secret in inspect, JSON, String, errors, stacks or console output', async () => {
  const w = new Watch();
  const tag = crypto.randomBytes(4).toString('hex');
  const password = `Pw-LEAKCHECK-${tag}`;
  const wrongPassword = `Pw-LEAKCHECK-wrong-${tag}`;
  const linked = await addUser(`leak-linked-${tag}@example.com`, password, 'linked');
  const linked2 = await addUser(`leak-linked2-${tag}@example.com`, password, 'linked');
  const setup = await addUser(`leak-setup-${tag}@example.com`, password, 'not_linked');
  const plain = await addUser(`leak-plain-${tag}@example.com`, password, 'no_tfa');
  w.secret('password', password);
  w.secret('rejected password', wrongPassword);
  w.secret('TOTP secret', linked.totp_secret);
  w.secret('TOTP secret', linked2.totp_secret);
  for (const user of [linked, linked2, setup, plain]) w.secret('API key', user.api_key);

  const code = (secret) => {
    const value = totp(secret);
    w.code('TOTP code', value);
    return value;
  };
  const wrongCode = (secret) => {
    let value = code(secret);
    while (verifyTotp(secret, value, { window: 10 }) !== null) value = String((Number(value) + 137) % 1e6).padStart(6, '0');
    w.code('rejected TOTP code', value);
    return value;
  };
  const sessionSecrets = (label, session) => {
    w.secret(`${label} token`, session.token);
    w.show(label, session);
    return session;
  };
  const challengeSecrets = (label, challenge) => {
    w.secret(`${label} secret`, challenge.secret);
    w.secret(`${label} otpauth URI`, challenge.otpauthUri);
    w.show(label, challenge);
  };

  const client = new Client(emulator.url);
  let session;
  let fresh;
  await capturingConsole(w, async () => {
    w.show('client', client);

    // sign-in with a code, and the errors on the way
    await w.fails('login (wrong password)', 'invalid_credentials', client.login(linked.email, wrongPassword));
    const outcome = w.show('code_required', await client.login(linked.email, password));
    challengeSecrets('TfaAuth challenge', outcome.challenge);
    const bad = wrongCode(linked.totp_secret);
    await w.fails('loginWithCode (wrong code)', 'invalid_code', client.loginWithCode(linked.email, password, bad));
    await w.fails('validateApp (wrong code)', 'invalid_code', client.validateApp(outcome.challenge, bad));
    session = sessionSecrets('session', await client.loginWithCode(linked.email, password, code(linked.totp_secret)));
    const validation = w.show('validation', await client.validateApp(outcome.challenge, code(linked.totp_secret)));
    sessionSecrets('validateApp session', validation.session);

    // backup codes
    const old = w.show('backup codes', await client.backupCodes(session));
    for (const c of old) w.code('backup code', c.code);
    fresh = w.show('new backup codes', await client.regenerateBackupCodes(session));
    for (const c of fresh) w.code('backup code', c.code);
    await w.fails('loginWithCode (old backup code)', 'invalid_code',
      client.loginWithCode(linked.email, password, old[0].code));
    const byBackup = sessionSecrets('backup-code session',
      await client.loginWithCode(linked.email, password, fresh[0].code));
    await w.fails('loginWithCode (spent backup code)', 'invalid_code',
      client.loginWithCode(linked.email, password, fresh[0].code));

    // policy, confirm context
    w.show('policy', await client.tfaPolicy(session));
    challengeSecrets('confirm context', await client.confirmContext(session));
    await w.fails('setTfaPolicy (not an admin)', 'access_denied', client.setTfaPolicy(session, { method: 'app' }));
    await client.logout(byBackup);
    await w.fails('backupCodes (revoked)', 'session_invalid', client.backupCodes(byBackup));

    // linking an app
    const pending = w.show('setup_required', await client.login(setup.email, password));
    challengeSecrets('activation challenge', pending.challenge);
    w.secret('TOTP secret', pending.secret);
    const appSetup = await client.setupApp(pending.challenge);
    w.secret('manual entry key', appSetup.manualEntryKey);
    w.secret('otpauth URI', appSetup.otpauthUri);
    w.show('app setup', appSetup);
    await w.fails('validateApp (activation, wrong code)', 'invalid_code',
      client.validateApp(pending.challenge, wrongCode(pending.secret)));
    const activation = w.show('activation', await client.validateApp(pending.challenge, code(pending.secret)));
    sessionSecrets('activation session', activation.session);
    for (const c of await client.backupCodes(activation.session)) w.code('backup code', c.code);
    await w.fails('setupApp (linked)', 'tfa_not_available', client.setupApp(pending.challenge));

    // no 2FA, API keys, stored tokens
    const signedIn = w.show('authenticated', await client.login(plain.email, password));
    sessionSecrets('plain session', signedIn.session);
    await w.fails('backupCodes (no app)', 'tfa_not_available', client.backupCodes(signedIn.session));
    const api = w.show('API-key session', Session.fromApiKey(plain.api_key));
    assert.equal(await client.isAuthenticated(api), true);
    await w.fails('logout (API key)', 'invalid_argument', client.logout(api));
    const bogusKey = `sk-LEAKCHECK-${tag}`;
    w.secret('bogus API key', bogusKey);
    await w.fails('backupCodes (bogus key)', 'session_invalid', client.backupCodes(Session.fromApiKey(bogusKey)));
    const bogus = `LEAKCHECK-token-${tag}-abcdefghijklmnop`;
    w.secret('bogus token', bogus);
    await w.fails('tfaPolicy (bogus token)', 'session_invalid', client.tfaPolicy(Session.fromToken(bogus)));

    // portal failures while the password is in flight
    for (const [label, fault, kind] of [
      ['503 HTML', { status: 503, body: 'html' }, 'server_error'],
      ['429', { status: 429, retry_after: '30' }, 'rate_limited'],
      ['truncated', { body: 'truncated-json' }, 'unexpected_response'],
      ['envelope in a 200', { body: 'error-envelope-200' }, 'invalid_credentials'],
      ['16 MiB', { body: 'oversized' }, 'unexpected_response'],
      ['dropped', { drop_connection: true }, 'network'],
      ['500', { status: 500 }, 'server_error'],
    ]) {
      await emulator.fault({ path: '/api/2.0/authentication', ...fault });
      await w.fails(`login (${label})`, kind, client.login(linked.email, password));
    }

    // unlinking: a fresh session and activation challenge
    const s2 = sessionSecrets('second linked session',
      await client.loginWithCode(linked2.email, password, code(linked2.totp_secret)));
    const reset = w.show('reset', await client.resetApp(s2, linked2.id));
    sessionSecrets('reset session', reset.session);
    challengeSecrets('reset challenge', reset.challenge);
    await w.fails('resetApp (revoked)', 'session_invalid', client.resetApp(s2, linked2.id));

    // TOTP helpers with secrets that are wrong in various ways
    const generator = w.show('Totp', new Totp(linked.totp_secret));
    const uri = generator.toUri({ issuer: 'ACME', account: linked.email });
    w.secret('otpauth URI', uri);
    w.show('Totp.fromUri', Totp.fromUri(uri));
    const badSecret = `LEAKCHECK${tag}SECRET1!`;
    w.secret('malformed TOTP secret', badSecret);
    await w.fails('totp (bad secret)', 'invalid_argument', () => totp(badSecret));
    await w.fails('Totp (bad secret)', 'invalid_argument', () => new Totp(badSecret));
    await w.fails('Totp.fromUri (bad digits)', 'invalid_argument',
      () => Totp.fromUri(`otpauth://totp/x?secret=${linked.totp_secret}&digits=12`));
    await w.fails('Client (credentials in the URL)', 'invalid_argument',
      () => new Client(`https://${plain.email}:${password}@portal.example.com`));
    const offline = new Client(`http://127.0.0.1:${await closedPort()}`);
    await w.fails('login (unreachable)', 'network', offline.login(plain.email, password));
    offline.close();
    await w.fails('login (password not a string)', 'ERR_INVALID_ARG_TYPE', () => client.login(plain.email, 123456789));
    await client.logout(session);
  });
  client.close();

  assert.ok(w.secrets.size >= 20 && w.codes.size >= 15, `${w.secrets.size} secrets, ${w.codes.size} codes`);
  assert.ok(w.shown.length > 200, `${w.shown.length} renderings`);
  assert.deepEqual(w.leaks(), []);
  // Positive control: the scan finds secrets when they are shown.
  assert.ok(w.leaks([['control', `${session.token} ${fresh[1].code} ${password}`]]).length >= 3);
});

/** Runs examples/seed-flows.js; resolves with its exit code and stdout + stderr. */
function runExample(env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [EXAMPLE], { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }));
  });
}

test('examples/seed-flows.js prints no secret', async () => {
  const w = new Watch();
  const tag = crypto.randomBytes(4).toString('hex');
  const password = `Pw-LEAKCHECK-demo-${tag}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docspace-leakcheck-'));
  try {
    const linked = await addUser(`leak-demo-linked-${tag}@example.com`, password, 'linked');
    const setup = await addUser(`leak-demo-setup-${tag}@example.com`, password, 'not_linked');
    const plain = await addUser(`leak-demo-plain-${tag}@example.com`, password, 'no_tfa');
    w.secret('password', password);
    w.secret('TOTP secret', linked.totp_secret);
    for (const user of [linked, setup, plain]) w.secret('API key', user.api_key);
    for (const c of (await emulator.userState(linked.email)).backup_codes) w.code('backup code', c.code);
    // The example on its own emulator: the seeded users' fixed passwords and the linked
    // user's fixed key.
    for (const user of Object.values(emulator.users)) {
      w.secret('seeded password', user.password);
      w.secret('seeded TOTP secret', user.totp_secret);
    }
    const started = Date.now() / 1000;
    const portal = { DOCSPACE_URL: emulator.url, TMPDIR: tmp };
    const runs = [
      ['own emulator', {}, 0],
      ['code + regenerated codes', {
        ...portal, DOCSPACE_USER: linked.email, DOCSPACE_PASSWORD: password,
        DOCSPACE_TOTP_SECRET: linked.totp_secret, DOCSPACE_REGENERATE_BACKUP_CODES: '1',
      }, 0],
      ['not linked (no terminal)', { ...portal, DOCSPACE_USER: setup.email, DOCSPACE_PASSWORD: password }, 0],
      ['no 2FA', { ...portal, DOCSPACE_USER: plain.email, DOCSPACE_PASSWORD: password }, 0],
      ['wrong password', { ...portal, DOCSPACE_USER: plain.email, DOCSPACE_PASSWORD: `${password}-wrong` }, 1],
      ['wrong TOTP secret', {
        ...portal, DOCSPACE_USER: linked.email, DOCSPACE_PASSWORD: password, DOCSPACE_TOTP_SECRET: 'MFRGGZDFMZTWQ2LK',
      }, 1],
    ];
    for (const [label, env, expected] of runs) {
      const { code, output } = await runExample(env);
      assert.equal(code, expected, `${label}: exit ${code}\n${output}`);
      w.shown.push([`seed-flows.js (${label})`, output]);
    }
    w.secret('rejected password', `${password}-wrong`);
    // What the emulator knows now: the new backup codes, the setup user's secret, the codes.
    for (const email of [linked.email, setup.email]) {
      const state = await emulator.userState(email);
      for (const c of state.backup_codes) w.code('backup code', c.code);
      w.secret('TOTP secret', state.totp_secret);
      for (let t = started - 60; t <= Date.now() / 1000 + 60; t += 30) {
        if (state.totp_secret) w.code('TOTP code', totp(state.totp_secret, { at: t }));
      }
    }
    // The regenerated codes went to a file only the user can read, not to the console.
    const files = fs.readdirSync(tmp, { recursive: true }).map(String);
    assert.ok(files.some((f) => f.endsWith('backup-codes.txt')), `files: ${files}`);
    assert.deepEqual(w.leaks(), []);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
