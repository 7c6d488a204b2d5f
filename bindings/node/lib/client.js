'use strict';

/**
 * {@link Client}: the DocSpace sign-in and 2FA flows of one portal.
 *
 * Every flow is a network call. It runs on a worker thread (koffi's `.async`) and returns a
 * Promise, so the event loop stays free. Such methods report every failure through the
 * Promise, argument errors (`TypeError`, `RangeError`) included: they never throw.
 *
 * @module docspace-auth/lib/client
 */

const util = require('node:util');
const native = require('./native');
const {
  check, fromNative, requireBoolean, requireInstance, requireInteger, requireOneOf, requireOptions, requireString,
  requireStringArray,
} = require('./errors');
const { NativeObject, adopt, callAsync, pointerOf } = require('./handle');
const model = require('./model');

const { Session, Challenge } = model;

/** Largest value of a `uint64_t` / `size_t` option that a JS number holds exactly. */
const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * The client options, each with the C setter it maps to and how its value is checked.
 * Timeouts are in milliseconds.
 */
const OPTIONS = {
  timeoutMs: [native.docspace_options_set_timeout_ms, (v, name) => requireInteger(v, name, 0, MAX_INTEGER)],
  connectTimeoutMs: [native.docspace_options_set_connect_timeout_ms, (v, name) => requireInteger(v, name, 0, MAX_INTEGER)],
  caFile: [native.docspace_options_set_ca_file, requireString],
  caPem: [native.docspace_options_set_ca_pem, requireString],
  allowInsecureHttp: [native.docspace_options_set_allow_insecure_http, requireBoolean],
  userAgent: [native.docspace_options_set_user_agent, requireString],
  maxResponseBytes: [native.docspace_options_set_max_response_bytes, (v, name) => requireInteger(v, name, 0, MAX_INTEGER)],
  noProxy: [native.docspace_options_set_no_proxy, requireBoolean],
};

/** `docspace_tfa_method` values by name. */
const METHODS = Object.fromEntries(Object.entries(model.METHOD_NAMES).map(([value, name]) => [name, Number(value)]));

const POLICY_KEYS = ['method', 'trustedIps', 'mandatoryUsers', 'mandatoryGroups'];

/**
 * A `docspace_options *` with `options` applied; the caller frees it.
 *
 * @param {Record<string, unknown>} options already checked for unknown keys
 */
function nativeOptions(options) {
  const out = [null];
  check(native.docspace_options_new(out));
  const handle = out[0];
  try {
    for (const [key, [setter, validate]] of Object.entries(OPTIONS)) {
      const name = `options.${key}`;
      if (options[key] !== undefined) check(setter(handle, validate(options[key], name)), name);
    }
    return handle;
  } catch (error) {
    native.docspace_options_free(handle);
    throw error;
  }
}

/**
 * A client of one DocSpace portal. Cheap to share: calls may run concurrently. Free it with
 * {@link Client#close} (or `using`); a forgotten client is freed when garbage-collected.
 */
class Client extends NativeObject {
  /**
   * @param {string} url the portal's base URL, e.g. `https://portal.example.com`
   * @param {object} [options]
   * @param {number} [options.timeoutMs] total time of one request, connect included (default 30000)
   * @param {number} [options.connectTimeoutMs] time to connect, TLS included (default 10000)
   * @param {string} [options.caFile] PEM file of extra CA certificates to trust
   * @param {string} [options.caPem] PEM text of extra CA certificates to trust
   * @param {boolean} [options.allowInsecureHttp] allow plain `http://` to non-loopback hosts
   * @param {string} [options.userAgent] product token put before `docspace-auth/<version>`
   * @param {number} [options.maxResponseBytes] largest answer accepted (default 1 MiB)
   * @param {boolean} [options.noProxy] ignore the `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` variables
   * @throws {TypeError|RangeError} for arguments of the wrong type or range
   * @throws {DocSpaceError} `invalid_argument` for an unusable URL or CA, a zero timeout or
   *   size limit, or a User-Agent that is not printable ASCII (the message says which)
   */
  constructor(url, options) {
    super();
    requireString(url, 'url');
    const optionsHandle = nativeOptions(requireOptions(options, 'options', Object.keys(OPTIONS)));
    try {
      const client = [null];
      const error = [null];
      const result = native.docspace_client_new_with_options(url, optionsHandle, client, error);
      if (result !== native.OK) throw fromNative(result, error[0]);
      adopt(this, client[0], native.docspace_client_free);
    } finally {
      native.docspace_options_free(optionsHandle);
    }
  }

  /** The portal's base URL, normalised (ends with `/`). @type {string} */
  get baseUrl() {
    return native.docspace_client_base_url(pointerOf(this));
  }

  /**
   * Signs in with a password. Resolves to what the portal wants next:
   * `{kind: 'authenticated', session}`, `{kind: 'code_required', challenge}` (an app is linked:
   * finish with {@link Client#loginWithCode}), `{kind: 'setup_required', challenge, secret,
   * otpauthUri}` (2FA applies but no app is linked yet) or `{kind: 'sms_required', phoneNoise,
   * expires}`.
   *
   * @param {string} user the user name (e-mail)
   * @param {string} password
   * @returns {Promise<import('../index').LoginResult>}
   */
  async login(user, password) {
    const login = [null];
    await callAsync(native.docspace_client_login, [this],
      [requireString(user, 'user'), requireString(password, 'password'), login]);
    return model.loginResult(login[0]);
  }

  /**
   * Finishes a 2FA sign-in with a TOTP code, an unused backup code or an SMS code. The first
   * accepted code of an account without a linked app links the app. Never retried: a backup
   * code is spent on success.
   *
   * @param {string} user
   * @param {string} password
   * @param {string} code
   * @returns {Promise<Session>}
   */
  async loginWithCode(user, password, code) {
    const session = [null];
    await callAsync(native.docspace_client_login_with_code, [this],
      [requireString(user, 'user'), requireString(password, 'password'), requireString(code, 'code'), session]);
    return model.wrapSession(session[0]);
  }

  /**
   * The authenticator-app setup payload for an activation challenge (`'TfaActivation'`).
   *
   * @param {Challenge} challenge
   * @returns {Promise<import('../index').AppSetup>}
   */
  async setupApp(challenge) {
    const setup = [null];
    await callAsync(native.docspace_client_setup_app, [this, requireInstance(challenge, Challenge, 'challenge')], [setup]);
    return model.appSetup(setup[0]);
  }

  /**
   * Checks a code with the challenge's confirm context: links the app for an activation
   * challenge (`linkedNow: true`), signs in for an already linked one (`linkedNow: false`).
   *
   * @param {Challenge} challenge
   * @param {string} code
   * @returns {Promise<{linkedNow: boolean, session: Session}>}
   */
  async validateApp(challenge, code) {
    const linkedNow = [false];
    const session = [null];
    await callAsync(native.docspace_client_validate_app, [this, requireInstance(challenge, Challenge, 'challenge')],
      [requireString(code, 'code'), linkedNow, session]);
    return { linkedNow: linkedNow[0], session: model.wrapSession(session[0]) };
  }

  /**
   * The user's backup codes, spent ones included.
   *
   * @param {Session} session
   * @returns {Promise<import('../index').BackupCode[]>}
   */
  async backupCodes(session) {
    const codes = [null];
    await callAsync(native.docspace_client_backup_codes, [this, requireInstance(session, Session, 'session')], [codes]);
    return model.backupCodes(codes[0]);
  }

  /**
   * Replaces the backup codes with a new set. The old codes stop working at once, and every
   * call issues another set: store the returned codes before doing anything else.
   *
   * @param {Session} session
   * @returns {Promise<import('../index').BackupCode[]>}
   */
  async regenerateBackupCodes(session) {
    const codes = [null];
    await callAsync(native.docspace_client_regenerate_backup_codes,
      [this, requireInstance(session, Session, 'session')], [codes]);
    return model.backupCodes(codes[0]);
  }

  /**
   * Signs out and revokes the login token (API keys are revoked in the portal's settings).
   *
   * @param {Session} session
   * @returns {Promise<void>}
   */
  async logout(session) {
    await callAsync(native.docspace_client_logout, [this, requireInstance(session, Session, 'session')], []);
  }

  /**
   * Whether the portal accepts the session (an invalid or revoked token gives false).
   *
   * @param {Session} session
   * @returns {Promise<boolean>}
   */
  async isAuthenticated(session) {
    const authenticated = [false];
    await callAsync(native.docspace_client_is_authenticated,
      [this, requireInstance(session, Session, 'session')], [authenticated]);
    return authenticated[0];
  }

  /**
   * The portal's 2FA policy: the method that is on, and per method whether it is available
   * and its lists.
   *
   * @param {Session} session
   * @returns {Promise<import('../index').TfaPolicy>}
   */
  async tfaPolicy(session) {
    const policy = [null];
    await callAsync(native.docspace_client_tfa_policy, [this, requireInstance(session, Session, 'session')], [policy]);
    return model.tfaPolicy(policy[0]);
  }

  /**
   * Sets the portal's 2FA policy (owner or admin). Switching a method on signs every user of
   * the portal out, the caller included. Resolves to true when a method is now on.
   *
   * @param {Session} session
   * @param {object} policy
   * @param {'none'|'sms'|'app'} policy.method
   * @param {string[]} [policy.trustedIps] addresses, ranges or CIDRs that skip 2FA
   * @param {string[]} [policy.mandatoryUsers] user ids for whom 2FA is always required
   * @param {string[]} [policy.mandatoryGroups] group ids for whom 2FA is always required
   * @returns {Promise<boolean>}
   */
  async setTfaPolicy(session, policy) {
    requireInstance(session, Session, 'session');
    const { method, trustedIps = [], mandatoryUsers = [], mandatoryGroups = [] } =
      requireOptions(policy, 'policy', POLICY_KEYS);
    const lists = [
      requireStringArray(trustedIps, 'policy.trustedIps'),
      requireStringArray(mandatoryUsers, 'policy.mandatoryUsers'),
      requireStringArray(mandatoryGroups, 'policy.mandatoryGroups'),
    ].flatMap((list) => [list, list.length]);
    const enabled = [false];
    await callAsync(native.docspace_client_set_tfa_policy, [this, session],
      [METHODS[requireOneOf(method, 'policy.method', Object.keys(METHODS))], ...lists, enabled]);
    return enabled[0];
  }

  /**
   * A fresh confirm context for the signed-in user: an activation challenge (link an app
   * with {@link Client#setupApp} + {@link Client#validateApp}) or an auth challenge; null
   * when app 2FA does not apply to the user.
   *
   * @param {Session} session
   * @returns {Promise<Challenge|null>}
   */
  async confirmContext(session) {
    const challenge = [null];
    await callAsync(native.docspace_client_confirm_context,
      [this, requireInstance(session, Session, 'session')], [challenge]);
    return model.wrapChallenge(challenge[0]);
  }

  /**
   * Unlinks the authenticator app of `userId`. For your own id the portal signs all your
   * sessions out and returns a fresh session plus an activation challenge to link a new app;
   * resetting another user (portal owner only) gives nulls.
   *
   * @param {Session} session
   * @param {string} userId
   * @returns {Promise<{session: Session|null, challenge: Challenge|null}>}
   */
  async resetApp(session, userId) {
    const newSession = [null];
    const challenge = [null];
    await callAsync(native.docspace_client_reset_app, [this, requireInstance(session, Session, 'session')],
      [requireString(userId, 'userId'), newSession, challenge]);
    return { session: model.wrapSession(newSession[0]), challenge: model.wrapChallenge(challenge[0]) };
  }

  /** Frees the client (after the calls still running). Same as {@link NativeObject#dispose}. */
  close() {
    this.dispose();
  }

  [util.inspect.custom](depth, options, inspect) {
    return `Client ${inspect(this.disposed ? { disposed: true } : { baseUrl: this.baseUrl }, options)}`;
  }
}

module.exports = { Client };
