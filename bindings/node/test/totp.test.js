'use strict';

// TOTP: the CONTRACT.md worked example, the RFC 6238 test vectors, verification windows,
// the Totp class and otpauth URIs. No network.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const util = require('node:util');
const { DocSpaceError, Totp, secondsRemaining, totp, verifyTotp } = require('..');

/** CONTRACT.md §4: secret ASCII `Zk1NV2pGbU`, its manual entry key, and the code at 2026-01-01. */
const DOCSPACE_SECRET = 'LJVTCTSWGJYEOYSV';
const DOCSPACE_TIME = 1767225600;
const DOCSPACE_CODE = '157287';

/** RFC 6238 Appendix B seeds (ASCII "1234567890…" of 20, 32 and 64 bytes), base32. */
const RFC_SECRETS = {
  SHA1: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  SHA256: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA====',
  SHA512: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA=',
};

/** RFC 6238 Appendix B: time → 8-digit codes for SHA1, SHA256, SHA512. */
const RFC_VECTORS = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

/**
 * Disposes `value` when the test ends.
 *
 * @template {{dispose(): void}} T
 * @param {import('node:test').TestContext} t
 * @param {T} value
 * @returns {T}
 */
function owned(t, value) {
  t.after(() => value.dispose());
  return value;
}

test('the CONTRACT.md worked example', (t) => {
  assert.equal(totp(DOCSPACE_SECRET, { at: DOCSPACE_TIME }), DOCSPACE_CODE);
  assert.equal(totp(DOCSPACE_SECRET, { at: new Date(DOCSPACE_TIME * 1000) }), DOCSPACE_CODE);
  assert.equal(totp(DOCSPACE_SECRET, { at: DOCSPACE_TIME + 29.9 }), DOCSPACE_CODE, 'fractions are dropped');
  assert.equal(totp('ljvt ctsw gjye oysv', { at: DOCSPACE_TIME }), DOCSPACE_CODE, 'lenient base32');
  assert.equal(owned(t, new Totp(DOCSPACE_SECRET)).codeAt(DOCSPACE_TIME), DOCSPACE_CODE);
});

test('the RFC 6238 test vectors', (t) => {
  for (const [time, ...codes] of RFC_VECTORS) {
    Object.entries(RFC_SECRETS).forEach(([algorithm, secret], index) => {
      const generator = owned(t, new Totp(secret, { algorithm, digits: 8, period: 30 }));
      assert.equal(generator.codeAt(time), codes[index], `${algorithm} at ${time}`);
      assert.equal(generator.verify(codes[index], { at: time, window: 0 }), 0);
    });
  }
  // The one-shot helpers use SHA1 with 6 digits: the last 6 digits of the SHA1 vectors.
  for (const [time, sha1] of RFC_VECTORS) assert.equal(totp(RFC_SECRETS.SHA1, { at: time }), sha1.slice(2));
});

test('verifyTotp returns the step offset of the match, or null', () => {
  const code = totp(DOCSPACE_SECRET, { at: DOCSPACE_TIME });
  assert.equal(verifyTotp(DOCSPACE_SECRET, code, { at: DOCSPACE_TIME }), 0);
  assert.equal(verifyTotp(DOCSPACE_SECRET, code, { at: DOCSPACE_TIME + 30 }), -1);
  assert.equal(verifyTotp(DOCSPACE_SECRET, code, { at: DOCSPACE_TIME - 30 }), 1);
  assert.equal(verifyTotp(DOCSPACE_SECRET, code, { at: DOCSPACE_TIME + 60 }), null, 'outside the default window');
  assert.equal(verifyTotp(DOCSPACE_SECRET, code, { at: DOCSPACE_TIME + 60, window: 2 }), -2);
  assert.equal(verifyTotp(DOCSPACE_SECRET, code, { at: DOCSPACE_TIME + 30, window: 0 }), null);
  assert.equal(verifyTotp(DOCSPACE_SECRET, ` ${code} `, { at: DOCSPACE_TIME }), 0, 'whitespace is ignored');
  assert.equal(verifyTotp(DOCSPACE_SECRET, '12345x', { at: DOCSPACE_TIME }), null, 'malformed codes do not match');
  // Now: the step may turn between the two calls.
  assert.ok([0, -1].includes(verifyTotp(DOCSPACE_SECRET, totp(DOCSPACE_SECRET))));
});

test('Totp: current code, seconds remaining, other parameters', (t) => {
  const generator = owned(t, new Totp(DOCSPACE_SECRET));
  assert.ok([0, -1].includes(generator.verify(generator.codeNow())), 'the step may turn in between');
  assert.equal(generator.secondsRemaining({ at: DOCSPACE_TIME }), 30);
  assert.equal(generator.secondsRemaining({ at: DOCSPACE_TIME + 29 }), 1);
  const left = generator.secondsRemaining();
  assert.ok(left >= 1 && left <= 30);

  const slow = owned(t, new Totp(DOCSPACE_SECRET, { period: 60, digits: 7 }));
  assert.match(slow.codeAt(DOCSPACE_TIME), /^\d{7}$/);
  assert.equal(slow.codeAt(DOCSPACE_TIME), slow.codeAt(DOCSPACE_TIME + 59));
});

test('Totp.fromUri and toUri round-trip', (t) => {
  const uri = 'otpauth://totp/ACME:ann@acme.test?secret=ljvt%20ctsw%20gjye%20oysv&issuer=ACME&algorithm=SHA-1';
  const parsed = owned(t, Totp.fromUri(uri));
  assert.equal(parsed.issuer, 'ACME');
  assert.equal(parsed.account, 'ann@acme.test');
  assert.equal(parsed.codeAt(DOCSPACE_TIME), DOCSPACE_CODE);

  const canonical = parsed.toUri();
  assert.ok(canonical.startsWith('otpauth://totp/'));
  assert.ok(canonical.includes(`secret=${DOCSPACE_SECRET}`));
  const again = owned(t, Totp.fromUri(canonical));
  assert.deepEqual([again.issuer, again.account], ['ACME', 'ann@acme.test']);

  const mine = owned(t, new Totp(DOCSPACE_SECRET, { algorithm: 'SHA256', digits: 8, period: 60 }));
  const custom = mine.toUri({ issuer: 'Portal', account: 'me@example.com' });
  const back = owned(t, Totp.fromUri(custom));
  assert.equal(back.codeAt(DOCSPACE_TIME), mine.codeAt(DOCSPACE_TIME));
  assert.throws(() => mine.toUri(), { name: 'TypeError' }, 'an account is needed');
});

test('secondsRemaining needs no secret', () => {
  assert.equal(secondsRemaining({ at: DOCSPACE_TIME }), 30);
  assert.equal(secondsRemaining({ at: DOCSPACE_TIME + 29 }), 1);
  assert.equal(secondsRemaining({ at: new Date((DOCSPACE_TIME + 10) * 1000) }), 20);
  assert.equal(secondsRemaining({ at: 61, period: 60 }), 59);
  assert.equal(secondsRemaining({ at: 0, period: 3600 }), 3600);
  const now = secondsRemaining();
  assert.ok(now >= 1 && now <= 30, String(now));
  assert.throws(() => secondsRemaining({ period: 0 }), (error) =>
    error instanceof DocSpaceError && error.kind === 'invalid_argument' && /period/.test(error.message));
  assert.throws(() => secondsRemaining({ period: 3601 }), { kind: 'invalid_argument' });
  assert.throws(() => secondsRemaining({ at: -1 }), { kind: 'invalid_argument', message: /negative/ });
  assert.throws(() => secondsRemaining({ period: '30' }), { name: 'TypeError' });
  assert.throws(() => secondsRemaining({ step: 30 }), { code: 'ERR_INVALID_ARG_VALUE' });
});

test('Totp reports its algorithm, digits and period', (t) => {
  const plain = owned(t, new Totp(DOCSPACE_SECRET));
  assert.deepEqual([plain.algorithm, plain.digits, plain.period], ['SHA1', 6, 30]);
  const custom = owned(t, new Totp(RFC_SECRETS.SHA512, { algorithm: 'SHA512', digits: 8, period: 90 }));
  assert.deepEqual([custom.algorithm, custom.digits, custom.period], ['SHA512', 8, 90]);
  const parsed = owned(t, Totp.fromUri(`otpauth://totp/x?secret=${DOCSPACE_SECRET}&algorithm=SHA256&digits=7&period=45`));
  assert.deepEqual([parsed.algorithm, parsed.digits, parsed.period], ['SHA256', 7, 45]);
  parsed.dispose();
  assert.throws(() => parsed.algorithm, { code: 'ERR_INVALID_STATE' });
});

test('refused secrets, parameters and URIs carry the library\'s message, never the secret', () => {
  const messageOf = (call) => {
    try {
      call();
    } catch (error) {
      assert.ok(error instanceof DocSpaceError, String(error));
      assert.equal(error.kind, 'invalid_argument');
      assert.equal(error.retryable, false);
      return error.message;
    }
    return assert.fail('no error');
  };
  const base32 = messageOf(() => totp('LJVT1CTSWGJYEOYSV'));
  assert.match(base32, /base32/);
  assert.ok(!base32.includes('LJVT1'), base32);
  assert.match(messageOf(() => totp('')), /empty/);
  assert.match(messageOf(() => verifyTotp('not*base32', '123456')), /base32/);
  assert.match(messageOf(() => totp(DOCSPACE_SECRET, { at: -1 })), /negative/);
  assert.match(messageOf(() => new Totp(DOCSPACE_SECRET, { digits: 9 })), /6, 7 or 8 digits/);
  assert.match(messageOf(() => new Totp(DOCSPACE_SECRET, { period: 7200 })), /between 1 and 3600/);
  assert.match(messageOf(() => Totp.fromUri('otpauth://hotp/x?secret=LJVTCTSWGJYEOYSV')), /HOTP/);
  const generator = new Totp(DOCSPACE_SECRET);
  assert.match(messageOf(() => generator.codeAt(-30)), /negative/);
  assert.match(messageOf(() => generator.secondsRemaining({ at: -1 })), /negative/);
  generator.dispose();
});

test('secrets, parameters and URIs the library refuses are DocSpaceErrors', () => {
  for (const refuse of [
    () => totp('', { at: DOCSPACE_TIME }),
    () => totp('not base32!'),
    () => totp(DOCSPACE_SECRET, { at: -1 }),
    () => new Totp(DOCSPACE_SECRET, { digits: 5 }),
    () => new Totp(DOCSPACE_SECRET, { period: 0 }),
    () => Totp.fromUri('https://example.com/'),
  ]) {
    assert.throws(refuse, (error) => error instanceof DocSpaceError && error.kind === 'invalid_argument');
  }
});

test('a Totp never shows its secret', (t) => {
  const generator = owned(t, Totp.fromUri(`otpauth://totp/ACME:ann@acme.test?secret=${DOCSPACE_SECRET}`));
  const shown = [util.inspect(generator, { showHidden: true, depth: 5 }), JSON.stringify(generator), String(generator)];
  for (const text of shown) assert.ok(!text.includes(DOCSPACE_SECRET), text);
  generator.dispose();
  assert.equal(util.inspect(generator), 'Totp { disposed: true }');
  assert.throws(() => generator.codeNow(), { code: 'ERR_INVALID_STATE' });
});
