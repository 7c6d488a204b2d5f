'use strict';

/**
 * Runs the DocSpace portal emulator (`docspace-emulator`, built by `cargo build` next to the
 * library) as a child process, and drives its test controls under `/__emulator/`.
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');
const readline = require('node:readline');
const { after, before, beforeEach } = require('node:test');
const { libraryPath } = require('../lib/native');

const BINARY = process.platform === 'win32' ? 'docspace-emulator.exe' : 'docspace-emulator';
const STARTUP_TIMEOUT_MS = 15_000;

/**
 * The emulator binary: `DOCSPACE_EMULATOR`, else the one built with the loaded library, else
 * the repository's debug or release build.
 */
function findEmulator() {
  if (process.env.DOCSPACE_EMULATOR) return process.env.DOCSPACE_EMULATOR;
  const target = path.join(__dirname, '..', '..', '..', 'target');
  const candidates = [path.dirname(libraryPath), path.join(target, 'debug'), path.join(target, 'release')]
    .map((dir) => path.join(dir, BINARY));
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`${BINARY} not found (run \`cargo build\` at the repository root): ${candidates.join(', ')}`);
  return found;
}

/**
 * A request to the emulator's controls, on a fresh connection (nothing keeps the test
 * process alive afterwards).
 *
 * @param {string} base the emulator URL
 * @param {string|undefined} ca PEM of the certificate an https emulator serves
 * @param {string} method
 * @param {string} route below `/__emulator/`
 * @param {unknown} [body] sent as JSON
 * @returns {Promise<any>} the parsed answer
 */
function control(base, ca, method, route, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const url = new URL(`/__emulator/${route}`, base);
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method,
      agent: false,
      ca,
      headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => (response.statusCode === 200
        ? resolve(JSON.parse(text))
        : reject(new Error(`emulator ${method} ${route}: ${response.statusCode} ${text}`))));
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/**
 * A running emulator.
 *
 * @typedef {object} Emulator
 * @property {string} url base URL, e.g. `http://127.0.0.1:41234`
 * @property {Record<string, {email: string, password: string, id: string, totp_secret: string|null, api_key: string}>} users
 *   the seeded users by kind (`admin`, `no_tfa`, `not_linked`, `linked`, `sms`, `disabled`)
 * @property {() => Promise<void>} reset back to the seeded state (faults, clock, lockouts too)
 * @property {(fault: object) => Promise<void>} fault queue a fault (`POST /__emulator/faults`)
 * @property {(offsetSeconds: number) => Promise<void>} setClock set the clock offset
 * @property {(email: string) => Promise<any>} userState `GET /__emulator/users/{email}`
 * @property {() => Promise<void>} stop kill the process
 */

/**
 * Starts `docspace-emulator --port 0` and waits for its first line,
 * `docspace-emulator listening on <url>`.
 *
 * @param {object} [tls] serve HTTPS (the URL is then `https://localhost:PORT`)
 * @param {string} tls.certFile PEM certificate chain
 * @param {string} tls.keyFile PEM private key
 * @param {string} tls.certPem the certificate itself, trusted by the control requests
 * @returns {Promise<Emulator>}
 */
async function startEmulator(tls) {
  const args = ['--port', '0', ...(tls ? ['--tls-cert', tls.certFile, '--tls-key', tls.keyFile] : [])];
  const child = spawn(findEmulator(), args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Should this process end without stop() (an uncaught error), take the emulator along.
  const killOnExit = () => child.kill();
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const lines = readline.createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the emulator did not start in time')), STARTUP_TIMEOUT_MS);
    timer.unref();
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = /^docspace-emulator listening on (\S+)$/.exec(line);
      if (match) resolve(match[1]);
      else reject(new Error(`unexpected first line from the emulator: ${line}`));
    });
  });
  // Keep reading (and dropping) the user lines so the pipe never fills.
  lines.on('line', () => {});

  const send = (method, route, body) => control(url, tls?.certPem, method, route, body);
  const users = Object.fromEntries((await send('GET', 'users')).map((user) => [user.kind, user]));
  return {
    url,
    users,
    reset: () => send('POST', 'reset'),
    fault: (fault) => send('POST', 'faults', fault),
    setClock: (offsetSeconds) => send('POST', 'clock', { offset_seconds: offsetSeconds }),
    userState: (email) => send('GET', `users/${encodeURIComponent(email)}`),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    },
  };
}

/**
 * One emulator for the calling test file: started before its first test, reset before each
 * test, stopped after the last. The returned object is filled in once the emulator runs.
 *
 * @param {() => Parameters<typeof startEmulator>[0]} [tls] called in `before`: HTTPS settings
 * @returns {Emulator}
 */
function useEmulator(tls) {
  const emulator = /** @type {Emulator} */ ({});
  before(async () => Object.assign(emulator, await startEmulator(tls?.())));
  beforeEach(() => emulator.reset());
  after(() => emulator.stop?.());
  return emulator;
}

module.exports = { startEmulator, useEmulator };
