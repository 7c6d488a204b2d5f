'use strict';

/**
 * Keeping secrets (tokens, TOTP secrets, otpauth URIs, backup codes) out of logs: objects
 * that hold one print it as `'***'` in `util.inspect` / `console.log` and `JSON.stringify`.
 *
 * @module docspace-auth/lib/redact
 * @private
 */

const util = require('node:util');

/** What a secret prints as. */
const MASK = '***';

/**
 * `value` masked, keeping null / undefined visible (whether a secret is present is not secret).
 *
 * @param {unknown} value
 */
function mask(value) {
  return value === null || value === undefined ? value : MASK;
}

/**
 * A plain object with `fields`, in their order, whose `secretKeys` are masked in `toJSON()`
 * and `util.inspect`. The secret fields are also non-enumerable, so spreading the object or
 * `Object.keys()` leaves them out; reading them (`result.secret`) works as usual.
 *
 * @template {Record<string, unknown>} T
 * @param {T} fields
 * @param {readonly (keyof T)[]} secretKeys
 * @returns {T}
 */
function redacted(fields, secretKeys) {
  const target = {};
  for (const [key, value] of Object.entries(fields)) {
    if (secretKeys.includes(key)) {
      Object.defineProperty(target, key, { value, enumerable: false });
    } else {
      target[key] = value;
    }
  }
  const view = () => Object.fromEntries(Object.keys(fields).map(
    (key) => [key, secretKeys.includes(key) ? mask(target[key]) : target[key]]));
  Object.defineProperties(target, {
    toJSON: { value: view },
    [util.inspect.custom]: { value: (depth, options, inspect) => inspect(view(), options) },
  });
  return /** @type {T} */ (target);
}

module.exports = { MASK, mask, redacted };
