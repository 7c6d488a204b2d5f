'use strict';

/**
 * The values the client's flows return: {@link Session} and {@link Challenge} (objects that
 * own a native handle), and the plain results converted from the library's result handles.
 *
 * @module docspace-auth/lib/model
 */

const util = require('node:util');
const native = require('./native');
const { check, checkCall, codedError, requireString } = require('./errors');
const { NativeObject, adopt, pointerOf, consume } = require('./handle');
const { MASK, mask, redacted } = require('./redact');

/** Passed by the binding to constructors that users must not call directly. */
const INTERNAL = Symbol('docspace-auth internal');

/**
 * Reads a string the library hands out through a `char **` output (NULL → null).
 *
 * @param {import('koffi').KoffiFunction} getter e.g. `docspace_session_token`
 * @param {...unknown} args the parameters before the output
 * @returns {string|null}
 */
function readString(getter, ...args) {
  const out = [null];
  check(getter(...args, out));
  return out[0];
}

/**
 * Throws unless `key` is {@link INTERNAL}.
 *
 * @param {symbol} key
 * @param {string} hint how users get an instance instead
 */
function requireInternal(key, hint) {
  if (key !== INTERNAL) throw codedError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', `Illegal constructor: ${hint}`);
}

/**
 * `util.inspect` output for a handle owner: its class name and masked view, or
 * `{ disposed: true }` once disposed.
 *
 * @param {NativeObject & { toJSON(): object }} owner
 */
function inspectOwner(owner, options, inspect) {
  const view = owner.disposed ? { disposed: true } : owner.toJSON();
  return `${owner.constructor.name} ${inspect(view, options)}`;
}

/**
 * A signed-in session: the portal's login token, or a personal API key.
 *
 * Get one from a flow (`client.login()`, `client.loginWithCode()` …) or from a stored
 * credential with {@link Session.fromToken} / {@link Session.fromApiKey}. Printing or
 * serialising it shows the token as `'***'`.
 */
class Session extends NativeObject {
  /** @private use {@link Session.fromToken} or {@link Session.fromApiKey} */
  constructor(key, pointer) {
    requireInternal(key, 'use Session.fromToken() or Session.fromApiKey()');
    super();
    adopt(this, pointer, native.docspace_session_free);
  }

  /**
   * A session from a login token obtained earlier (e.g. stored between runs).
   *
   * @param {string} token
   * @returns {Session}
   */
  static fromToken(token) {
    const out = [null];
    requireString(token, 'token');
    checkCall((errorOut) => native.docspace_session_new(token, out, errorOut));
    return new Session(INTERNAL, out[0]);
  }

  /**
   * A session from a personal access token / API key (`sk-…`). API keys cannot set up or
   * validate an authenticator app (the portal requires a confirm context there).
   *
   * @param {string} key
   * @returns {Session}
   */
  static fromApiKey(key) {
    const out = [null];
    requireString(key, 'key');
    checkCall((errorOut) => native.docspace_session_new_api_key(key, out, errorOut));
    return new Session(INTERNAL, out[0]);
  }

  /** The token or API key. A secret: store it safely, never log it. @type {string} */
  get token() {
    return readString(native.docspace_session_token, pointerOf(this));
  }

  /** Expiry the portal reported (ISO 8601), or null when unknown. @type {string|null} */
  get expires() {
    return readString(native.docspace_session_expires, pointerOf(this));
  }

  /** The user's id, when the flow that produced the session learnt it. @type {string|null} */
  get userId() {
    return readString(native.docspace_session_user_id, pointerOf(this));
  }

  /** The session with its token masked. */
  toJSON() {
    return { token: MASK, expires: this.expires, userId: this.userId };
  }

  [util.inspect.custom](depth, options, inspect) {
    return inspectOwner(this, options, inspect);
  }
}

/** `docspace_confirm_type` values by name. */
const CONFIRM_TYPES = {
  [native.ConfirmType.TFA_ACTIVATION]: 'TfaActivation',
  [native.ConfirmType.TFA_AUTH]: 'TfaAuth',
};

/**
 * A pending app-2FA sign-in: the portal's confirm context (needed by `client.setupApp()` and
 * `client.validateApp()`) and, while no app is linked, the TOTP secret. Printing or
 * serialising it masks the secret and the otpauth URI.
 */
class Challenge extends NativeObject {
  /** @private challenges come from `client.login()` and `client.confirmContext()` */
  constructor(key, pointer) {
    requireInternal(key, 'challenges come from client.login() and client.confirmContext()');
    super();
    adopt(this, pointer, native.docspace_challenge_free);
  }

  /** `'TfaActivation'` (link an app) or `'TfaAuth'` (enter a code). @type {'TfaActivation'|'TfaAuth'} */
  get confirmType() {
    return CONFIRM_TYPES[native.docspace_challenge_confirm_type(pointerOf(this))];
  }

  /** The user's id. @type {string} */
  get userId() {
    return readString(native.docspace_challenge_user_id, pointerOf(this));
  }

  /** The user name the sign-in was made with (empty for `client.confirmContext()`). @type {string} */
  get userName() {
    return readString(native.docspace_challenge_user_name, pointerOf(this));
  }

  /** The confirm link the portal issued (a browser would open it; contains no key). @type {string} */
  get confirmUrl() {
    return readString(native.docspace_challenge_confirm_url, pointerOf(this));
  }

  /** The TOTP secret (base32) while no app is linked, else null. A secret. @type {string|null} */
  get secret() {
    return readString(native.docspace_challenge_secret, pointerOf(this));
  }

  /** `otpauth://totp/…` URI of {@link Challenge#secret}, else null. Contains the secret. @type {string|null} */
  get otpauthUri() {
    return readString(native.docspace_challenge_otpauth_uri, pointerOf(this));
  }

  /** The challenge with its secret and otpauth URI masked. */
  toJSON() {
    return {
      confirmType: this.confirmType,
      userId: this.userId,
      userName: this.userName,
      confirmUrl: this.confirmUrl,
      secret: mask(this.secret),
      otpauthUri: mask(this.otpauthUri),
    };
  }

  [util.inspect.custom](depth, options, inspect) {
    return inspectOwner(this, options, inspect);
  }
}

/**
 * Wraps a `docspace_session *` from an output parameter (NULL → null).
 *
 * @param {unknown} pointer
 * @returns {Session|null}
 */
function wrapSession(pointer) {
  return pointer ? new Session(INTERNAL, pointer) : null;
}

/**
 * Wraps a `docspace_challenge *` from an output parameter (NULL → null).
 *
 * @param {unknown} pointer
 * @returns {Challenge|null}
 */
function wrapChallenge(pointer) {
  return pointer ? new Challenge(INTERNAL, pointer) : null;
}

/**
 * The challenge of a login result.
 *
 * @param {unknown} login `docspace_login *`
 */
function loginChallenge(login) {
  const out = [null];
  check(native.docspace_login_challenge(login, out));
  return wrapChallenge(out[0]);
}

/**
 * Converts (and frees) a `docspace_login *`.
 *
 * @param {unknown} pointer
 * @returns {import('../index').LoginResult}
 */
function loginResult(pointer) {
  return consume(pointer, native.docspace_login_free, (login) => {
    switch (native.docspace_login_get_kind(login)) {
      case native.LoginKind.AUTHENTICATED: {
        const out = [null];
        check(native.docspace_login_session(login, out));
        return { kind: 'authenticated', session: wrapSession(out[0]) };
      }
      case native.LoginKind.CODE_REQUIRED:
        return { kind: 'code_required', challenge: loginChallenge(login) };
      case native.LoginKind.SETUP_REQUIRED: {
        const challenge = loginChallenge(login);
        return redacted({ kind: 'setup_required', challenge, secret: challenge.secret, otpauthUri: challenge.otpauthUri },
          ['secret', 'otpauthUri']);
      }
      case native.LoginKind.SMS_REQUIRED:
        return {
          kind: 'sms_required',
          phoneNoise: readString(native.docspace_login_sms_phone_noise, login),
          expires: readString(native.docspace_login_sms_expires, login),
        };
      default:
        throw new Error('docspace-auth: the library returned an unknown login kind');
    }
  });
}

/**
 * Converts (and frees) a `docspace_setup *`.
 *
 * @param {unknown} pointer
 * @returns {import('../index').AppSetup}
 */
function appSetup(pointer) {
  return consume(pointer, native.docspace_setup_free, (setup) => {
    const data = [null];
    const len = [0];
    check(native.docspace_setup_qr_png(setup, data, len));
    return redacted({
      account: readString(native.docspace_setup_account, setup),
      manualEntryKey: readString(native.docspace_setup_manual_entry_key, setup),
      qrCodePng: len[0] > 0 ? native.copyBytes(data[0], len[0]) : Buffer.alloc(0),
      otpauthUri: readString(native.docspace_setup_otpauth_uri, setup),
    }, ['manualEntryKey', 'otpauthUri']);
  });
}

/**
 * Converts (and frees) a `docspace_codes *`.
 *
 * @param {unknown} pointer
 * @returns {import('../index').BackupCode[]}
 */
function backupCodes(pointer) {
  return consume(pointer, native.docspace_codes_free, (codes) =>
    Array.from({ length: native.docspace_codes_count(codes) }, (_, index) => {
      const code = [null];
      const used = [false];
      check(native.docspace_codes_get(codes, index, code, used));
      return redacted({ code: code[0], used: used[0] }, ['code']);
    }));
}

/** Method names by `docspace_tfa_method` value. */
const METHOD_NAMES = { [native.TfaMethod.NONE]: 'none', [native.TfaMethod.SMS]: 'sms', [native.TfaMethod.APP]: 'app' };

/**
 * Converts (and frees) a `docspace_policy *`.
 *
 * @param {unknown} pointer
 * @returns {import('../index').TfaPolicy}
 */
function tfaPolicy(pointer) {
  return consume(pointer, native.docspace_policy_free, (policy) => {
    const list = (method, which) => Array.from(
      { length: native.docspace_policy_list_len(policy, method, which) },
      (_, index) => readString(native.docspace_policy_list_get, policy, method, which, index));
    const settings = (method) => {
      const available = [false];
      check(native.docspace_policy_available(policy, method, available));
      return {
        available: available[0],
        trustedIps: list(method, native.PolicyList.TRUSTED_IPS),
        mandatoryUsers: list(method, native.PolicyList.MANDATORY_USERS),
        mandatoryGroups: list(method, native.PolicyList.MANDATORY_GROUPS),
      };
    };
    return {
      method: METHOD_NAMES[native.docspace_policy_enabled_method(policy)],
      sms: settings(native.TfaMethod.SMS),
      app: settings(native.TfaMethod.APP),
    };
  });
}

module.exports = {
  Session,
  Challenge,
  METHOD_NAMES,
  wrapSession,
  wrapChallenge,
  loginResult,
  appSetup,
  backupCodes,
  tfaPolicy,
};
