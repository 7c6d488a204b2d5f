'use strict';

/**
 * Errors: {@link DocSpaceError} for everything the library reports, and the TypeError /
 * RangeError checks of JS arguments (Node's `ERR_INVALID_ARG_TYPE`, `ERR_INVALID_ARG_VALUE`,
 * `ERR_OUT_OF_RANGE` codes). No message ever contains an argument's value.
 *
 * @module docspace-auth/lib/errors
 */

const native = require('./native');

const RESULT_PREFIX = 'DOCSPACE_RESULT_';

/**
 * Kinds for the C ABI's own results, which are not core error kinds (the library has no
 * kind name for them). NULL_PARAMETER and BUFFER_TOO_SMALL are mistakes of the calling
 * layer; PANIC is a bug in the library.
 */
const C_ONLY_KINDS = Object.freeze({
  NULL_PARAMETER: 'invalid_argument',
  BUFFER_TOO_SMALL: 'invalid_argument',
  PANIC: 'internal',
});

/**
 * The `docspace_result` of each core kind, asked of the library once (results are small
 * numbers; 256 covers every group with room to spare): lets {@link DocSpaceError} built from
 * JS know its retryability from the library too.
 *
 * @type {ReadonlyMap<string, number>}
 */
const RESULT_OF_KIND = new Map();
for (let result = 0; result < 256; result += 1) {
  const kind = native.docspace_result_kind_name(result);
  if (kind !== null) RESULT_OF_KIND.set(kind, result);
}

/**
 * Whether the library calls failures of this kind retryable (`docspace_result_is_retryable`).
 *
 * @param {string} kind
 */
function retryableKind(kind) {
  const result = RESULT_OF_KIND.get(kind);
  return result !== undefined && native.docspace_result_is_retryable(result);
}

/**
 * A failure reported by docspace-auth: the core's error kind plus the portal's details.
 *
 * `kind` is the core's stable identifier, the same string in every language binding:
 * `'invalid_argument'`, `'network'`, `'timeout'`, `'tls'`, `'invalid_credentials'`,
 * `'invalid_code'`, `'locked_out'`, `'rate_limited'`, `'tfa_not_available'`,
 * `'confirm_context'`, `'access_denied'`, `'session_invalid'`, `'server_error'`,
 * `'unexpected_response'`, or `'internal'` (a bug in the library: please report it).
 *
 * The message never contains a password, token, TOTP secret, confirm key or code.
 */
class DocSpaceError extends Error {
  /**
   * @param {string} message what happened and what to do next
   * @param {object} details
   * @param {string} details.kind the error kind (see the class description)
   * @param {number|null} [details.status] HTTP status of the portal's answer
   * @param {string|null} [details.serverMessage] the portal's own `error.message`
   * @param {number|null} [details.retryAfter] seconds the portal asked to wait
   * @param {boolean} [details.retryable] whether trying again later may succeed; by default
   *   what the library says for `kind`
   */
  constructor(message, { kind, status = null, serverMessage = null, retryAfter = null, retryable = retryableKind(kind) }) {
    super(message);
    /** @type {string} the core's error kind, e.g. `'invalid_code'` */
    this.kind = kind;
    /** @type {number|null} HTTP status of the portal's answer, or null when there was none */
    this.status = status;
    /** @type {string|null} the portal's own `error.message`, when its answer had one */
    this.serverMessage = serverMessage;
    /** @type {number|null} seconds the portal asked to wait (`Retry-After`), or null */
    this.retryAfter = retryAfter;
    /**
     * @type {boolean} whether repeating the same call later, unchanged, may succeed (network,
     * timeout, rate limit: after `retryAfter`, server error, lockout). Advice only: the
     * library never retries, and a code must not be resent blindly.
     */
    this.retryable = retryable;
  }
}
Object.defineProperty(DocSpaceError.prototype, 'name', { value: 'DocSpaceError', configurable: true, writable: true });

/**
 * The error kind of a `docspace_result`: the library's own kind name
 * (`docspace_result_kind_name`: `DOCSPACE_RESULT_INVALID_CODE` → `'invalid_code'`), or, for
 * the C-only results, `'invalid_argument'` / `'internal'`.
 *
 * @param {number} result
 */
function kindOf(result) {
  const kind = native.docspace_result_kind_name(result);
  if (kind !== null) return kind;
  const name = native.docspace_result_name(result)?.slice(RESULT_PREFIX.length);
  return (name !== undefined && C_ONLY_KINDS[name]) || 'internal';
}

/**
 * Builds the {@link DocSpaceError} for a failed C call and frees the `docspace_error` handle.
 * This is the only place where library errors become JS errors.
 *
 * Calls without `error_out` (accessors and option setters, which fail only on NULL, UTF-8 or
 * range) give only a result code; the message is then the code's description, prefixed with
 * what was refused (`subject`) when the caller names it.
 *
 * @param {number} result the call's `docspace_result` (not OK)
 * @param {unknown} [error] the `docspace_error` from `error_out`, when the call has one
 * @param {string} [subject] the argument(s) the call checked, e.g. `'options.timeoutMs'`
 * @returns {DocSpaceError}
 */
function fromNative(result, error = null, subject = undefined) {
  if (!error) {
    const description = native.docspace_result_str(result);
    return new DocSpaceError(subject ? `${subject}: ${description}` : description,
      { kind: kindOf(result), retryable: native.docspace_result_is_retryable(result) });
  }
  try {
    const status = native.docspace_error_status(error);
    const retryAfter = Number(native.docspace_error_retry_after(error));
    const code = native.docspace_error_result(error);
    return new DocSpaceError(native.docspace_error_message(error), {
      kind: kindOf(code),
      status: status === 0 ? null : status,
      serverMessage: native.docspace_error_server_message(error),
      retryAfter: retryAfter < 0 ? null : retryAfter,
      retryable: native.docspace_result_is_retryable(code),
    });
  } finally {
    native.docspace_error_free(error);
  }
}

/**
 * Throws the library's error unless `result` is OK (calls without `error_out`).
 *
 * @param {number} result
 * @param {string} [subject] the argument(s) the call checked, for the message
 */
function check(result, subject) {
  if (result !== native.OK) throw fromNative(result, null, subject);
}

/**
 * Runs a synchronous C call whose last parameter is `docspace_error **error_out`, and throws
 * the library's error (with its precise message) unless it succeeded.
 *
 * @param {(errorOut: unknown[]) => number} call gets the `error_out` array to pass last
 */
function checkCall(call) {
  const errorOut = [null];
  const result = call(errorOut);
  if (result !== native.OK) throw fromNative(result, errorOut[0]);
}

/**
 * A Node-style error with a `code` (`ERR_INVALID_ARG_TYPE` …).
 *
 * @param {ErrorConstructor|TypeErrorConstructor|RangeErrorConstructor} Type
 * @param {string} code
 * @param {string} message
 */
function codedError(Type, code, message) {
  const error = new Type(message);
  error.code = code;
  return error;
}

function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'Object'}`;
  return `type ${typeof value}`;
}

/**
 * The argument as a C string: a well-formed string without NUL characters (a NUL would cut
 * the string short in C, a lone surrogate would be replaced).
 *
 * @param {unknown} value
 * @param {string} name the argument's name, for the message
 * @returns {string}
 */
function requireString(value, name) {
  if (typeof value !== 'string') {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be of type string. Received ${describe(value)}`);
  }
  if (value.includes('\0') || !value.isWellFormed()) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The "${name}" argument must not contain NUL characters or lone surrogates`);
  }
  return value;
}

/**
 * An integer within `[min, max]`.
 *
 * @param {unknown} value
 * @param {string} name
 * @param {number} min
 * @param {number} max
 * @returns {number}
 */
function requireInteger(value, name, min, max) {
  if (typeof value !== 'number') {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be of type number. Received ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
      `The "${name}" argument must be an integer >= ${min} and <= ${max}`);
  }
  return value;
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {boolean}
 */
function requireBoolean(value, name) {
  if (typeof value !== 'boolean') {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be of type boolean. Received ${describe(value)}`);
  }
  return value;
}

/**
 * One of the strings in `choices`.
 *
 * @template {string} T
 * @param {unknown} value
 * @param {string} name
 * @param {readonly T[]} choices
 * @returns {T}
 */
function requireOneOf(value, name, choices) {
  if (!choices.includes(requireString(value, name))) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The "${name}" argument must be one of ${choices.map((c) => `'${c}'`).join(', ')}`);
  }
  return /** @type {T} */ (value);
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {string[]}
 */
function requireStringArray(value, name) {
  if (!Array.isArray(value)) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be an array of strings. Received ${describe(value)}`);
  }
  return value.map((item, index) => requireString(item, `${name}[${index}]`));
}

/**
 * An options object (`undefined` means `{}`) with only the known keys: a misspelt option is
 * an error, not silently ignored.
 *
 * @param {unknown} value
 * @param {string} name
 * @param {readonly string[]} keys the accepted keys
 * @returns {Record<string, unknown>}
 */
function requireOptions(value, name, keys) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be of type object. Received ${describe(value)}`);
  }
  const unknown = Object.keys(value).find((key) => !keys.includes(key));
  if (unknown !== undefined) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The "${name}" argument has an unknown option "${unknown}" (known: ${keys.join(', ')})`);
  }
  return value;
}

/**
 * `value` when it is an instance of `Type`, else a TypeError.
 *
 * @template T
 * @param {unknown} value
 * @param {new (...args: any[]) => T} Type
 * @param {string} name
 * @returns {T}
 */
function requireInstance(value, Type, name) {
  if (!(value instanceof Type)) {
    throw codedError(TypeError, 'ERR_INVALID_ARG_TYPE',
      `The "${name}" argument must be an instance of ${Type.name}. Received ${describe(value)}`);
  }
  return value;
}

module.exports = {
  DocSpaceError,
  fromNative,
  check,
  checkCall,
  codedError,
  requireString,
  requireInteger,
  requireBoolean,
  requireOneOf,
  requireStringArray,
  requireOptions,
  requireInstance,
};
