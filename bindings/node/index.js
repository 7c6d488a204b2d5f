'use strict';

/**
 * docspace-auth: ONLYOFFICE DocSpace sign-in and two-factor authentication for Node.js, a
 * thin binding of the Rust library's C ABI (loaded with koffi).
 *
 * - {@link Client}: the portal flows; every network call returns a Promise and runs off the
 *   event loop.
 * - {@link Session}, {@link Challenge}: values the flows return (they own native memory:
 *   `dispose()` them, or let the garbage collector do it).
 * - {@link totp}, {@link verifyTotp}, {@link secondsRemaining}, {@link Totp}: TOTP codes,
 *   synchronous.
 * - {@link DocSpaceError}: every failure the library reports, with `kind`, `status`,
 *   `serverMessage`, `retryAfter` and `retryable`.
 *
 * @module docspace-auth
 */

const native = require('./lib/native');
const { DocSpaceError } = require('./lib/errors');
const { Client } = require('./lib/client');
const { Session, Challenge } = require('./lib/model');
const { totp, verifyTotp, secondsRemaining, Totp } = require('./lib/totp');

module.exports = {
  Client,
  Session,
  Challenge,
  DocSpaceError,
  Totp,
  totp,
  verifyTotp,
  secondsRemaining,
  /** The library's version, e.g. `'0.1.0'`. */
  version: native.docspace_version(),
};
