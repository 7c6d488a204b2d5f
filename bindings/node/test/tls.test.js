'use strict';

// HTTPS: a portal with its own CA (caPem / caFile), and one whose certificate is not trusted.
// The certificate is made with the openssl command-line tool (installed by `make setup`).

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, test } = require('node:test');
const { Client, DocSpaceError } = require('..');
const { useEmulator } = require('../test-support/emulator');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docspace-auth-tls-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const certFile = path.join(dir, 'cert.pem');
const keyFile = path.join(dir, 'key.pem');

/** A self-signed end-entity certificate for localhost, written to certFile/keyFile. */
function makeCertificate() {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost', '-addext', 'basicConstraints=critical,CA:FALSE'], { stdio: 'ignore' });
}

makeCertificate();
const emulator = useEmulator(() => ({ certFile, keyFile, certPem: fs.readFileSync(certFile, 'utf8') }));

/** Signs the user without 2FA in through `client`, then frees it. */
async function signIn(client) {
  try {
    const { email, password } = emulator.users.no_tfa;
    return (await client.login(email, password)).kind;
  } finally {
    client.close();
  }
}

test('caPem makes a portal with its own CA trusted', async () => {
  assert.match(emulator.url, /^https:\/\/localhost:/);
  assert.equal(await signIn(new Client(emulator.url, { caPem: fs.readFileSync(certFile, 'utf8') })), 'authenticated');
});

test('caFile makes a portal with its own CA trusted', async () => {
  assert.equal(await signIn(new Client(emulator.url, { caFile: certFile })), 'authenticated');
});

test('an untrusted certificate is refused with kind tls', async () => {
  await assert.rejects(signIn(new Client(emulator.url)), (error) => {
    assert.ok(error instanceof DocSpaceError);
    assert.equal(error.kind, 'tls');
    return true;
  });
});
