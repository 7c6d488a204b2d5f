'use strict';

/**
 * TOTP codes (RFC 6238), computed by the library: synchronous, no network.
 *
 * {@link totp} and {@link verifyTotp} use DocSpace's parameters (HMAC-SHA1, 6 digits, 30 s)
 * on a base32 secret such as the portal's `tfaKey` / manual entry key; secrets are read
 * leniently (either case, spaces, optional `=` padding). {@link Totp} holds a parsed secret
 * with any parameters, for repeated use and for `otpauth://` URIs.
 *
 * {@link secondsRemaining} needs no secret: how long the current code of any generator stays
 * valid.
 *
 * Times (`at`) are Unix seconds (fractions are dropped) or `Date`s; the default is now.
 * These functions throw: `TypeError` / `RangeError` for arguments of the wrong type, and
 * `DocSpaceError` (`invalid_argument`) for a secret, code or parameter the library refuses,
 * with the library's own message (which base32 rule a secret breaks, which parameter is out
 * of range; never the secret).
 *
 * @module docspace-auth/lib/totp
 */

const util = require('node:util');
const native = require('./native');
const { checkCall, codedError, requireInteger, requireOneOf, requireOptions, requireString } = require('./errors');
const { NativeObject, adopt, pointerOf } = require('./handle');

const UINT32_MAX = 2 ** 32 - 1;

/** Hash algorithms by their otpauth name. */
const ALGORITHMS = { SHA1: native.TotpAlgorithm.SHA1, SHA256: native.TotpAlgorithm.SHA256, SHA512: native.TotpAlgorithm.SHA512 };
/** Otpauth names by `docspace_totp_algorithm` value. */
const ALGORITHM_NAMES = Object.fromEntries(Object.entries(ALGORITHMS).map(([name, value]) => [value, name]));

/**
 * Unix seconds for the C ABI.
 *
 * @param {unknown} at Unix seconds, a Date, or undefined for now
 * @returns {number}
 */
function unixTime(at) {
  if (at === undefined) return Math.floor(Date.now() / 1000);
  if (at instanceof Date) {
    const ms = at.getTime();
    if (Number.isNaN(ms)) throw codedError(RangeError, 'ERR_OUT_OF_RANGE', 'The "at" argument is an invalid Date');
    return Math.floor(ms / 1000);
  }
  if (typeof at !== 'number') {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "at" argument must be a number of Unix seconds or a Date');
  }
  return requireInteger(Math.floor(at), 'at', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

/**
 * Calls a C function that writes a code into a caller buffer (`error_out` last), and returns
 * the code.
 *
 * @param {(buffer: Buffer, size: number, errorOut: unknown[]) => number} write
 * @returns {string}
 */
function readCode(write) {
  const buffer = Buffer.alloc(native.TOTP_CODE_BUFFER_SIZE);
  checkCall((errorOut) => write(buffer, buffer.length, errorOut));
  return buffer.toString('ascii', 0, buffer.indexOf(0));
}

/**
 * Calls a C verify function (`matched_out`, `offset_out`, `error_out` last) and returns the
 * step offset of the match, or null.
 *
 * @param {(matched: boolean[], offset: number[], errorOut: unknown[]) => number} verify
 * @returns {number|null}
 */
function readOffset(verify) {
  const matched = [false];
  const offset = [0];
  checkCall((errorOut) => verify(matched, offset, errorOut));
  return matched[0] ? offset[0] : null;
}

/**
 * Calls a C function that writes a number of seconds (`seconds_out`, `error_out` last).
 *
 * @param {(seconds: number[], errorOut: unknown[]) => number} read
 * @returns {number}
 */
function readSeconds(read) {
  const seconds = [0];
  checkCall((errorOut) => read(seconds, errorOut));
  return seconds[0];
}

/**
 * The verify options: `window` (steps accepted before and after, default 1, at most 10)
 * and `at`.
 *
 * @param {unknown} options
 */
function verifyOptions(options) {
  const { window = 1, at } = requireOptions(options, 'options', ['window', 'at']);
  return { window: requireInteger(window, 'options.window', 0, UINT32_MAX), time: unixTime(at) };
}

/**
 * The TOTP code of a base32 secret with DocSpace's parameters (SHA1, 6 digits, 30 s).
 *
 * @param {string} secret base32, e.g. the portal's `tfaKey`
 * @param {{at?: number|Date}} [options] the time (default: now)
 * @returns {string} the code, e.g. `'157287'`
 */
function totp(secret, options) {
  const { at } = requireOptions(options, 'options', ['at']);
  requireString(secret, 'secret');
  const time = unixTime(at);
  return readCode((buffer, size, errorOut) => native.docspace_totp_code_at(secret, time, buffer, size, errorOut));
}

/**
 * Checks a code against a base32 secret (DocSpace's parameters), accepting codes up to
 * `window` steps of 30 s before or after `at`. Constant-time; surrounding whitespace is
 * ignored; a malformed code simply does not match.
 *
 * @param {string} secret
 * @param {string} code
 * @param {{window?: number, at?: number|Date}} [options]
 * @returns {number|null} the step offset of the match (0 now, -1 the previous step …), or null
 */
function verifyTotp(secret, code, options) {
  requireString(secret, 'secret');
  requireString(code, 'code');
  const { window, time } = verifyOptions(options);
  return readOffset((matched, offset, errorOut) =>
    native.docspace_totp_verify_at(secret, code, time, window, matched, offset, errorOut));
}

/**
 * How many seconds the code of `at` stays current, for any TOTP generator with this period:
 * 1 to `period`. No secret needed. With DocSpace's 30 s steps, a code computed with fewer
 * than a few seconds left may expire on its way to the portal.
 *
 * @param {{at?: number|Date, period?: number}} [options] the time (default: now) and the
 *   period in seconds (default 30, at most 3600)
 * @returns {number}
 */
function secondsRemaining(options) {
  const { at, period = 30 } = requireOptions(options, 'options', ['at', 'period']);
  const seconds = requireInteger(period, 'options.period', 0, UINT32_MAX);
  const time = unixTime(at);
  return readSeconds((out, errorOut) => native.docspace_totp_seconds_remaining_at(time, seconds, out, errorOut));
}

/** Passed by {@link Totp.fromUri} to the constructor. */
const FROM_POINTER = Symbol('docspace-auth totp pointer');

/**
 * A TOTP generator: a parsed secret with its algorithm, digits and period. Printing it never
 * shows the secret. Free it with {@link NativeObject#dispose} (or `using`); a forgotten one
 * is freed (and its secret wiped) when garbage-collected.
 */
class Totp extends NativeObject {
  /** @type {string|null} */
  #issuer = null;
  /** @type {string|null} */
  #account = null;

  /**
   * @param {string} secret base32
   * @param {object} [options]
   * @param {'SHA1'|'SHA256'|'SHA512'} [options.algorithm] default `'SHA1'`
   * @param {number} [options.digits] 6 (default), 7 or 8
   * @param {number} [options.period] seconds per step, default 30
   */
  constructor(secret, options) {
    super();
    if (secret === FROM_POINTER) {
      adopt(this, options.pointer, native.docspace_totp_free);
      this.#issuer = options.issuer;
      this.#account = options.account;
      return;
    }
    const { algorithm = 'SHA1', digits = 6, period = 30 } =
      requireOptions(options, 'options', ['algorithm', 'digits', 'period']);
    const out = [null];
    const args = [
      requireString(secret, 'secret'),
      ALGORITHMS[requireOneOf(algorithm, 'options.algorithm', Object.keys(ALGORITHMS))],
      requireInteger(digits, 'options.digits', 0, UINT32_MAX),
      requireInteger(period, 'options.period', 0, UINT32_MAX),
    ];
    checkCall((errorOut) => native.docspace_totp_new(...args, out, errorOut));
    adopt(this, out[0], native.docspace_totp_free);
  }

  /**
   * Parses an `otpauth://totp/…` key URI (the text of an authenticator QR code), tolerating
   * what real issuers produce. The result remembers the URI's issuer and account.
   *
   * @param {string} uri
   * @returns {Totp}
   */
  static fromUri(uri) {
    const pointer = [null];
    const issuer = [null];
    const account = [null];
    requireString(uri, 'uri');
    checkCall((errorOut) => native.docspace_totp_from_uri(uri, pointer, issuer, account, errorOut));
    return new Totp(FROM_POINTER, { pointer: pointer[0], issuer: issuer[0], account: account[0] });
  }

  /** The issuer named by the URI this was parsed from, else null. @type {string|null} */
  get issuer() {
    return this.#issuer;
  }

  /** The account named by the URI this was parsed from, else null. @type {string|null} */
  get account() {
    return this.#account;
  }

  /** The HMAC hash: `'SHA1'`, `'SHA256'` or `'SHA512'`. @type {'SHA1'|'SHA256'|'SHA512'} */
  get algorithm() {
    return ALGORITHM_NAMES[native.docspace_totp_get_algorithm(pointerOf(this))];
  }

  /** The code length: 6, 7 or 8. @type {number} */
  get digits() {
    return native.docspace_totp_digits(pointerOf(this));
  }

  /** The time step in seconds (30 for DocSpace). @type {number} */
  get period() {
    return native.docspace_totp_period(pointerOf(this));
  }

  /**
   * The code at a time.
   *
   * @param {number|Date} at Unix seconds or a Date
   * @returns {string}
   */
  codeAt(at) {
    if (at === undefined) throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "at" argument is required');
    const time = unixTime(at);
    return readCode((buffer, size, errorOut) => native.docspace_totp_generate(pointerOf(this), time, buffer, size, errorOut));
  }

  /**
   * The current code.
   *
   * @returns {string}
   */
  codeNow() {
    const time = unixTime();
    return readCode((buffer, size, errorOut) => native.docspace_totp_generate(pointerOf(this), time, buffer, size, errorOut));
  }

  /**
   * Checks a code, accepting up to `window` steps before or after `at` (see {@link verifyTotp}).
   *
   * @param {string} code
   * @param {{window?: number, at?: number|Date}} [options]
   * @returns {number|null} the step offset of the match, or null
   */
  verify(code, options) {
    requireString(code, 'code');
    const { window, time } = verifyOptions(options);
    return readOffset((matched, offset, errorOut) =>
      native.docspace_totp_check(pointerOf(this), code, time, window, matched, offset, errorOut));
  }

  /**
   * How many seconds the code of `at` stays current (1 to the period).
   *
   * @param {{at?: number|Date}} [options]
   * @returns {number}
   */
  secondsRemaining(options) {
    const { at } = requireOptions(options, 'options', ['at']);
    const time = unixTime(at);
    return readSeconds((out, errorOut) => native.docspace_totp_seconds_remaining(pointerOf(this), time, out, errorOut));
  }

  /**
   * An `otpauth://totp/…` URI for a QR code. **Contains the secret.** Issuer and account
   * default to those of the parsed URI.
   *
   * @param {{issuer?: string|null, account?: string}} [options]
   * @returns {string}
   */
  toUri(options) {
    const { issuer = this.#issuer, account = this.#account } = requireOptions(options, 'options', ['issuer', 'account']);
    const uri = [null];
    const issuerArg = issuer === null ? null : requireString(issuer, 'options.issuer');
    requireString(account, 'options.account');
    checkCall((errorOut) => native.docspace_totp_to_uri(pointerOf(this), issuerArg, account, uri, errorOut));
    return uri[0];
  }

  /** What JSON shows of the generator: no secret. */
  toJSON() {
    return { issuer: this.#issuer, account: this.#account };
  }

  [util.inspect.custom](depth, options, inspect) {
    return `Totp ${inspect(this.disposed ? { disposed: true } : this.toJSON(), options)}`;
  }
}

module.exports = { totp, verifyTotp, secondsRemaining, Totp };
