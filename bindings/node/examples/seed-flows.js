#!/usr/bin/env node
'use strict';

/**
 * The three DocSpace 2FA seed flows with docspace-auth, printing each step with every secret
 * masked (tokens, TOTP secrets and codes, backup codes):
 *
 *   1. sign in with a password, then a TOTP code;
 *   2. link an authenticator app (setupApp + validateApp);
 *   3. read and regenerate the backup codes.
 *
 * Without DOCSPACE_URL it starts the local emulator (`cargo build` first) and runs all three
 * with its seeded users. With DOCSPACE_URL, DOCSPACE_USER and DOCSPACE_PASSWORD it signs in to
 * that portal and does what the account calls for:
 *   - an app is linked: the code comes from DOCSPACE_TOTP_SECRET (or is asked for);
 *   - 2FA applies but no app is linked: the QR code is saved to a PNG file to scan, and the
 *     first code from the app links it (asked for: a terminal is needed);
 *   - then the backup codes are read. They are regenerated only with
 *     DOCSPACE_REGENERATE_BACKUP_CODES=1 (the old ones stop working), and the new ones are
 *     saved to a file only you can read, never printed.
 *
 *   node examples/seed-flows.js
 *   DOCSPACE_URL=https://portal.example.com DOCSPACE_USER=me@example.com \
 *     DOCSPACE_PASSWORD=… DOCSPACE_TOTP_SECRET=… node examples/seed-flows.js
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline/promises');
const util = require('node:util');
const { Client, DocSpaceError, totp, version } = require('..');

const MASK = '***';

/** A value on one line; the library's objects mask their secrets themselves. */
function show(value) {
  return typeof value === 'string' ? value : util.inspect(value, { depth: 3, breakLength: Infinity });
}

/** Prints one step: what was called, and what came back. */
function step(call, outcome) {
  console.log(`    ${call} → ${show(outcome)}`);
}

/** Asks for a code on the terminal; null without one. */
async function ask(question) {
  if (!process.stdin.isTTY) return null;
  const terminal = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await terminal.question(`    ${question} `)).trim();
  } finally {
    terminal.close();
  }
}

/** A path in the temporary directory for a file only the current user can read. */
function privateFile(name) {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docspace-auth-')), name);
}

/** Seed flow 1, second step: the code after the password (null: none given, no session). */
async function finishWithCode(client, user, password, code) {
  if (!code) return null;
  const session = await client.loginWithCode(user, password, code);
  step(`loginWithCode(code ${MASK})`, session);
  return session;
}

/** Seed flow 2: link an app; `codeFor(setup)` gives the first code from it. */
async function linkApp(client, challenge, codeFor) {
  const setup = await client.setupApp(challenge);
  step('setupApp', `account ${setup.account}, key ${MASK}, QR code ${setup.qrCodePng.length}-byte PNG`);
  const code = await codeFor(setup);
  if (!code) return null;
  const { linkedNow, session } = await client.validateApp(challenge, code);
  step(`validateApp(code ${MASK})`, { linkedNow, session });
  return session;
}

/** Seed flow 3, read part: the codes, masked. */
async function readBackupCodes(client, session) {
  const codes = await client.backupCodes(session);
  step('backupCodes', `${codes.length} codes, ${codes.filter((c) => !c.used).length} unused ${show(codes)}`);
  return codes;
}

/** The three flows against the local emulator, with its seeded users. */
async function runOnEmulator() {
  const { startEmulator } = require('../test-support/emulator');
  const emulator = await startEmulator();
  const client = new Client(emulator.url);
  try {
    console.log(`docspace-auth ${version}, emulator at ${emulator.url}`);
    const linked = emulator.users.linked;
    console.log(`[1] sign in by code (${linked.email})`);
    step('login', show(await client.login(linked.email, linked.password)));
    const session = await finishWithCode(client, linked.email, linked.password, totp(linked.totp_secret));

    const setupUser = emulator.users.not_linked;
    console.log(`[2] link an authenticator app (${setupUser.email})`);
    const result = await client.login(setupUser.email, setupUser.password);
    step('login', `${result.kind}, secret ${MASK}`);
    await linkApp(client, result.challenge, (setup) => totp(setup.manualEntryKey));

    console.log('[3] backup codes');
    const old = await readBackupCodes(client, session);
    const fresh = await client.regenerateBackupCodes(session);
    step('regenerateBackupCodes', `${fresh.length} new codes ${show(fresh)}`);
    try {
      await client.loginWithCode(linked.email, linked.password, old[0].code);
    } catch (error) {
      if (!(error instanceof DocSpaceError)) throw error;
      step(`loginWithCode(old backup code ${MASK})`, `refused: ${error.kind}`);
    }
    step(`loginWithCode(new backup code ${MASK})`,
      await client.loginWithCode(linked.email, linked.password, fresh[0].code));
    await client.logout(session);
    step('logout', 'signed out');
  } finally {
    client.close();
    await emulator.stop();
  }
}

/** The flows the account at DOCSPACE_URL calls for. */
async function runOnPortal(url) {
  const { DOCSPACE_USER: user, DOCSPACE_PASSWORD: password, DOCSPACE_TOTP_SECRET: secret } = process.env;
  if (!user || !password) throw new Error('set DOCSPACE_USER and DOCSPACE_PASSWORD (and DOCSPACE_TOTP_SECRET)');
  const client = new Client(url, { userAgent: 'docspace-auth-seed-flows' });
  try {
    console.log(`docspace-auth ${version}, portal at ${client.baseUrl}`);
    console.log(`[1] sign in (${user})`);
    const result = await client.login(user, password);
    step('login', result);
    let session;
    switch (result.kind) {
      case 'authenticated':
        ({ session } = result);
        break;
      case 'code_required':
        session = await finishWithCode(client, user, password,
          secret ? totp(secret) : await ask('code from your authenticator app:'));
        break;
      case 'setup_required':
        console.log('[2] link an authenticator app');
        session = await linkApp(client, result.challenge, async (setup) => {
          const qr = privateFile('docspace-qr.png');
          fs.writeFileSync(qr, setup.qrCodePng, { mode: 0o600 });
          console.log(`    scan ${qr} with your authenticator app`);
          return ask('first code from the app:');
        });
        break;
      case 'sms_required':
        session = await finishWithCode(client, user, password, await ask(`code texted to ${result.phoneNoise}:`));
        break;
    }
    if (!session) {
      console.log('    no code given (a terminal is needed to type one); stopping');
      return;
    }
    console.log('[3] backup codes');
    try {
      await readBackupCodes(client, session);
    } catch (error) {
      if (error?.kind !== 'tfa_not_available') throw error;
      step('backupCodes', 'none: no authenticator app is linked to this account');
    }
    if (process.env.DOCSPACE_REGENERATE_BACKUP_CODES === '1') {
      const fresh = await client.regenerateBackupCodes(session);
      const file = privateFile('backup-codes.txt');
      fs.writeFileSync(file, `${fresh.map((c) => c.code).join('\n')}\n`, { mode: 0o600 });
      step('regenerateBackupCodes', `${fresh.length} new codes saved to ${file}; the old ones no longer work`);
    }
    await client.logout(session);
    step('logout', 'signed out');
  } finally {
    client.close();
  }
}

const url = process.env.DOCSPACE_URL;
(url ? runOnPortal(url) : runOnEmulator()).catch((error) => {
  console.error(error instanceof DocSpaceError ? `failed: ${error.kind}: ${error.message}` : error);
  process.exitCode = 1;
});
