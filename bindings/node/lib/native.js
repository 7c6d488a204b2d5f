'use strict';

/**
 * The native layer: finds `libdocspace_auth`, loads it with koffi and declares the C ABI of
 * `include/docspace_auth.h`. This is the only file that knows C names and types; the rest of
 * the package calls the functions exported here.
 *
 * @module docspace-auth/lib/native
 * @private
 */

const fs = require('node:fs');
const path = require('node:path');
const koffi = require('koffi');

/** File name of the shared library on this platform. */
const LIBRARY_FILE = {
  win32: 'docspace_auth.dll',
  darwin: 'libdocspace_auth.dylib',
}[process.platform] ?? 'libdocspace_auth.so';

/**
 * Where the library is looked for, in order: `DOCSPACE_AUTH_LIB` (the file),
 * `DOCSPACE_AUTH_LIB_DIR` (its directory), then the repository's `target/release` and
 * `target/debug`. A path named by an environment variable must exist: a typo there fails
 * loudly instead of silently loading another build.
 *
 * @returns {string} absolute path of the library file
 */
function findLibrary() {
  const { DOCSPACE_AUTH_LIB: file, DOCSPACE_AUTH_LIB_DIR: dir } = process.env;
  const explicit = file || (dir && path.join(dir, LIBRARY_FILE));
  if (explicit) {
    if (!fs.existsSync(explicit)) {
      const variable = file ? 'DOCSPACE_AUTH_LIB' : 'DOCSPACE_AUTH_LIB_DIR';
      throw new Error(`docspace-auth: ${explicit} (from ${variable}) does not exist`);
    }
    return path.resolve(explicit);
  }
  const candidates = ['release', 'debug'].map((profile) =>
    path.join(__dirname, '..', '..', '..', 'target', profile, LIBRARY_FILE));
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(
      `docspace-auth: ${LIBRARY_FILE} not found. Run \`cargo build\` at the repository root, ` +
      `or set DOCSPACE_AUTH_LIB (the file) or DOCSPACE_AUTH_LIB_DIR (its directory). Looked in: ${candidates.join(', ')}`);
  }
  return found;
}

/**
 * Network calls run on koffi's worker threads, on a stack block koffi allocates: 128 KiB by
 * default, with no guard page, so an overflow would corrupt memory silently. A debug build of
 * the library was measured to need under 32 KiB for a sign-in; give the calls what a Rust
 * thread gets by default anyway. koffi takes configuration only before its first library
 * load: when another module loaded one first, its setting stays.
 */
const ASYNC_STACK_BYTES = 2 * 1024 * 1024;

function configureKoffi() {
  const config = koffi.config();
  if (config.async_stack_size >= ASYNC_STACK_BYTES) return;
  try {
    koffi.config({ ...config, async_stack_size: ASYNC_STACK_BYTES });
  } catch {
    // Configuration is locked by an earlier load; the default still fits the measured need.
  }
}

/**
 * A named koffi type, reused when it already exists: koffi's type names are process-wide,
 * and a second copy of this module (for example after a test runner reset its module
 * registry) must not fail on "Duplicate type name".
 *
 * @param {string} name
 * @param {() => unknown} create
 */
function namedType(name, create) {
  try {
    return koffi.type(name);
  } catch {
    return create();
  }
}

configureKoffi();
const libraryPath = findLibrary();
const lib = koffi.load(libraryPath);

for (const handle of ['docspace_client', 'docspace_options', 'docspace_login', 'docspace_challenge',
  'docspace_session', 'docspace_setup', 'docspace_codes', 'docspace_policy', 'docspace_error', 'docspace_totp']) {
  namedType(handle, () => koffi.opaque(handle));
}
// C enums are int-sized; parameters that take an enum are declared uint32_t by the ABI.
for (const enumeration of ['docspace_result', 'docspace_login_kind', 'docspace_confirm_type', 'docspace_tfa_method',
  'docspace_totp_algorithm']) {
  namedType(enumeration, () => koffi.alias(enumeration, 'uint32_t'));
}

const docspace_string_free = lib.func('void docspace_string_free(void *s)');
// A `char *` the library allocated: koffi copies it into a JS string, then hands the pointer
// to docspace_string_free (which wipes it, and accepts NULL).
namedType('docspace_string', () => koffi.disposable('docspace_string', 'str', docspace_string_free));

/**
 * The C functions, as include/docspace_auth.h declares them, with koffi's `_Out_` on output
 * parameters and `char **` outputs spelled `docspace_string *` (test/api.test.js checks them
 * against the header). The header's functions left out are not needed here:
 * `docspace_client_new` (options version used), the `docspace_client_last_*` accessors
 * (per thread: useless after a call on a worker thread; `error_out` is used instead),
 * `docspace_codes_unused_count`, `docspace_totp_code_now` (the JS clock is used),
 * `docspace_session_is_api_key`, `docspace_policy_enabled`, `docspace_policy_title` and
 * `docspace_login_sms_confirm_url` (not part of this package's API yet).
 */
const PROTOTYPES = [
  'const char *docspace_version(void)',
  'const char *docspace_result_name(uint32_t result)',
  'const char *docspace_result_str(uint32_t result)',
  'const char *docspace_result_kind_name(uint32_t result)',
  'bool docspace_result_is_retryable(uint32_t result)',

  'docspace_result docspace_error_result(const docspace_error *error)',
  'const char *docspace_error_message(const docspace_error *error)',
  'uint16_t docspace_error_status(const docspace_error *error)',
  'const char *docspace_error_server_message(const docspace_error *error)',
  'int64_t docspace_error_retry_after(const docspace_error *error)',
  'void docspace_error_free(docspace_error *error)',

  'docspace_result docspace_options_new(_Out_ docspace_options **options_out)',
  'docspace_result docspace_options_set_timeout_ms(docspace_options *options, uint64_t timeout_ms)',
  'docspace_result docspace_options_set_connect_timeout_ms(docspace_options *options, uint64_t timeout_ms)',
  'docspace_result docspace_options_set_ca_file(docspace_options *options, const char *path)',
  'docspace_result docspace_options_set_ca_pem(docspace_options *options, const char *pem)',
  'docspace_result docspace_options_set_allow_insecure_http(docspace_options *options, bool allow)',
  'docspace_result docspace_options_set_user_agent(docspace_options *options, const char *user_agent)',
  'docspace_result docspace_options_set_max_response_bytes(docspace_options *options, size_t max_bytes)',
  'docspace_result docspace_options_set_no_proxy(docspace_options *options, bool no_proxy)',
  'void docspace_options_free(docspace_options *options)',

  'docspace_result docspace_client_new_with_options(const char *base_url, const docspace_options *options, ' +
    '_Out_ docspace_client **client_out, _Out_ docspace_error **error_out)',
  'void docspace_client_free(docspace_client *client)',
  'const char *docspace_client_base_url(const docspace_client *client)',

  'docspace_result docspace_client_login(docspace_client *client, const char *user, const char *password, ' +
    '_Out_ docspace_login **login_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_client_login_with_code(docspace_client *client, const char *user, ' +
    'const char *password, const char *code, _Out_ docspace_session **session_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_client_setup_app(docspace_client *client, const docspace_challenge *challenge, ' +
    '_Out_ docspace_setup **setup_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_client_validate_app(docspace_client *client, const docspace_challenge *challenge, ' +
    'const char *code, _Out_ bool *linked_now_out, _Out_ docspace_session **session_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_client_backup_codes(docspace_client *client, const docspace_session *session, ' +
    '_Out_ docspace_codes **codes_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_client_regenerate_backup_codes(docspace_client *client, const docspace_session *session, ' +
    '_Out_ docspace_codes **codes_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_client_logout(docspace_client *client, const docspace_session *session, ' +
    '_Out_ docspace_error **error_out)',
  'docspace_result docspace_client_is_authenticated(docspace_client *client, const docspace_session *session, ' +
    '_Out_ bool *authenticated_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_client_tfa_policy(docspace_client *client, const docspace_session *session, ' +
    '_Out_ docspace_policy **policy_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_client_set_tfa_policy(docspace_client *client, const docspace_session *session, ' +
    'uint32_t method, const char *const *trusted_ips, size_t trusted_ips_len, ' +
    'const char *const *mandatory_users, size_t mandatory_users_len, ' +
    'const char *const *mandatory_groups, size_t mandatory_groups_len, ' +
    '_Out_ bool *enabled_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_client_confirm_context(docspace_client *client, const docspace_session *session, ' +
    '_Out_ docspace_challenge **challenge_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_client_reset_app(docspace_client *client, const docspace_session *session, ' +
    'const char *user_id, _Out_ docspace_session **session_out, _Out_ docspace_challenge **challenge_out, ' +
    '_Out_ docspace_error **error_out)',

  'docspace_login_kind docspace_login_get_kind(const docspace_login *login)',
  'docspace_result docspace_login_session(const docspace_login *login, _Out_ docspace_session **session_out)',
  'docspace_result docspace_login_challenge(const docspace_login *login, _Out_ docspace_challenge **challenge_out)',
  'docspace_result docspace_login_sms_phone_noise(const docspace_login *login, _Out_ docspace_string *phone_noise_out)',
  'docspace_result docspace_login_sms_expires(const docspace_login *login, _Out_ docspace_string *expires_out)',
  'void docspace_login_free(docspace_login *login)',

  'docspace_confirm_type docspace_challenge_confirm_type(const docspace_challenge *challenge)',
  'docspace_result docspace_challenge_user_id(const docspace_challenge *challenge, _Out_ docspace_string *out)',
  'docspace_result docspace_challenge_user_name(const docspace_challenge *challenge, _Out_ docspace_string *out)',
  'docspace_result docspace_challenge_confirm_url(const docspace_challenge *challenge, _Out_ docspace_string *out)',
  'docspace_result docspace_challenge_secret(const docspace_challenge *challenge, _Out_ docspace_string *out)',
  'docspace_result docspace_challenge_otpauth_uri(const docspace_challenge *challenge, _Out_ docspace_string *out)',
  'void docspace_challenge_free(docspace_challenge *challenge)',

  'docspace_result docspace_session_new(const char *token, _Out_ docspace_session **session_out, ' +
    '_Out_ docspace_error **error_out)',
  'docspace_result docspace_session_new_api_key(const char *key, _Out_ docspace_session **session_out, ' +
    '_Out_ docspace_error **error_out)',
  'docspace_result docspace_session_token(const docspace_session *session, _Out_ docspace_string *token_out)',
  'docspace_result docspace_session_expires(const docspace_session *session, _Out_ docspace_string *out)',
  'docspace_result docspace_session_user_id(const docspace_session *session, _Out_ docspace_string *out)',
  'void docspace_session_free(docspace_session *session)',

  'docspace_result docspace_setup_account(const docspace_setup *setup, _Out_ docspace_string *out)',
  'docspace_result docspace_setup_manual_entry_key(const docspace_setup *setup, _Out_ docspace_string *out)',
  'docspace_result docspace_setup_otpauth_uri(const docspace_setup *setup, _Out_ docspace_string *out)',
  'docspace_result docspace_setup_qr_png(const docspace_setup *setup, _Out_ const uint8_t **data_out, _Out_ size_t *len_out)',
  'void docspace_setup_free(docspace_setup *setup)',

  'size_t docspace_codes_count(const docspace_codes *codes)',
  'docspace_result docspace_codes_get(const docspace_codes *codes, size_t index, _Out_ docspace_string *code_out, ' +
    '_Out_ bool *used_out)',
  'void docspace_codes_free(docspace_codes *codes)',

  'docspace_tfa_method docspace_policy_enabled_method(const docspace_policy *policy)',
  'docspace_result docspace_policy_available(const docspace_policy *policy, uint32_t method, _Out_ bool *available_out)',
  'size_t docspace_policy_list_len(const docspace_policy *policy, uint32_t method, uint32_t list)',
  'docspace_result docspace_policy_list_get(const docspace_policy *policy, uint32_t method, uint32_t list, ' +
    'size_t index, _Out_ docspace_string *value_out)',
  'void docspace_policy_free(docspace_policy *policy)',

  'docspace_result docspace_totp_code_at(const char *secret_base32, int64_t unix_time, char *code_out, ' +
    'size_t code_out_len, _Out_ docspace_error **error_out)',
  'docspace_result docspace_totp_verify_at(const char *secret_base32, const char *code, int64_t unix_time, ' +
    'uint32_t window, _Out_ bool *matched_out, _Out_ int32_t *offset_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_totp_seconds_remaining_at(int64_t unix_time, uint32_t period_seconds, ' +
    '_Out_ uint32_t *seconds_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_totp_new(const char *secret_base32, uint32_t algorithm, uint32_t digits, ' +
    'uint32_t period_seconds, _Out_ docspace_totp **totp_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_totp_from_uri(const char *uri, _Out_ docspace_totp **totp_out, ' +
    '_Out_ docspace_string *issuer_out, _Out_ docspace_string *account_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_totp_generate(const docspace_totp *totp, int64_t unix_time, char *code_out, ' +
    'size_t code_out_len, _Out_ docspace_error **error_out)',
  'docspace_result docspace_totp_check(const docspace_totp *totp, const char *code, int64_t unix_time, ' +
    'uint32_t window, _Out_ bool *matched_out, _Out_ int32_t *offset_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_totp_seconds_remaining(const docspace_totp *totp, int64_t unix_time, ' +
    '_Out_ uint32_t *seconds_out, _Out_ docspace_error **error_out)',
  'docspace_result docspace_totp_to_uri(const docspace_totp *totp, const char *issuer, const char *account, ' +
    '_Out_ docspace_string *uri_out, _Out_ docspace_error **error_out)',
  'docspace_totp_algorithm docspace_totp_get_algorithm(const docspace_totp *totp)',
  'uint32_t docspace_totp_digits(const docspace_totp *totp)',
  'uint32_t docspace_totp_period(const docspace_totp *totp)',
  'void docspace_totp_free(docspace_totp *totp)',
];

/** @type {Record<string, import('koffi').KoffiFunction>} every C function, by its C name */
const functions = { docspace_string_free };
for (const prototype of PROTOTYPES) {
  const fn = lib.func(prototype);
  functions[fn.info.name] = fn;
}

module.exports = {
  libraryPath,
  PROTOTYPES,
  ...functions,
  /** `docspace_result` value of success. */
  OK: 0,
  /** `DOCSPACE_TOTP_CODE_BUFFER_SIZE`: bytes that hold any TOTP code and its NUL. */
  TOTP_CODE_BUFFER_SIZE: 16,
  /** `docspace_login_kind` values. */
  LoginKind: Object.freeze({ AUTHENTICATED: 1, CODE_REQUIRED: 2, SETUP_REQUIRED: 3, SMS_REQUIRED: 4 }),
  /** `docspace_confirm_type` values. */
  ConfirmType: Object.freeze({ TFA_ACTIVATION: 1, TFA_AUTH: 2 }),
  /** `docspace_tfa_method` values. */
  TfaMethod: Object.freeze({ NONE: 0, SMS: 1, APP: 2 }),
  /** `docspace_policy_list` values. */
  PolicyList: Object.freeze({ TRUSTED_IPS: 0, MANDATORY_USERS: 1, MANDATORY_GROUPS: 2 }),
  /** `docspace_totp_algorithm` values. */
  TotpAlgorithm: Object.freeze({ SHA1: 0, SHA256: 1, SHA512: 2 }),
  /** Copies `len` bytes at a C pointer into a new Buffer. */
  copyBytes: (pointer, len) => Buffer.from(koffi.decode(pointer, 'uint8_t', len)),
};
