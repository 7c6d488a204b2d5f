/*
 * test_flows: the three seed flows end to end against the DocSpace emulator, through the C
 * ABI, plus sign-out, error reporting and the per-thread last error.
 *
 *   1. sign in with a password and a TOTP code (linked@: CODE_REQUIRED, then a code computed
 *      with docspace_totp_code_now from the user's secret);
 *   2. link an authenticator app without a browser (setup@: SETUP_REQUIRED with the secret,
 *      setup_app, validate_app with a computed code, backup codes, next login CODE_REQUIRED);
 *   3. backup codes: read, regenerate, an old code fails, a new one signs in and is then
 *      listed as used.
 *
 * usage: tests/c/with-emulator.sh test_flows
 *   argv[1] is the emulator URL; the seeded users come from the environment variables
 *   with-emulator.sh exports from the emulator's startup lines (DOCSPACE_USER_LINKED_EMAIL,
 *   _PASSWORD, _ID, _TOTP_SECRET, _API_KEY, likewise PLAIN, SETUP and SMS). Each run needs a fresh
 *   emulator: flow 2 links setup@'s app.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "check.h"

typedef struct {
    const char *email;
    const char *password;
    const char *id;
    const char *totp_secret; /* NULL unless created with an app linked */
    const char *api_key;
} seed_user;

static const char *portal_url;
static seed_user plain, setup, linked, sms;

static const char *env(const char *prefix, const char *field) {
    char name[128];
    snprintf(name, sizeof name, "DOCSPACE_USER_%s_%s", prefix, field);
    return getenv(name);
}

static int load_user(seed_user *user, const char *prefix) {
    user->email = env(prefix, "EMAIL");
    user->password = env(prefix, "PASSWORD");
    user->id = env(prefix, "ID");
    user->totp_secret = env(prefix, "TOTP_SECRET");
    user->api_key = env(prefix, "API_KEY");
    if (!user->email || !user->password || !user->id) {
        fprintf(stderr, "test_flows: DOCSPACE_USER_%s_* not set; run through tests/c/with-emulator.sh\n", prefix);
        return 0;
    }
    return 1;
}

/* Read one string property through a `docspace_..._x(handle, char **out)` accessor. */
#define GET_STRING(fn, handle, out) CHECK_RESULT(fn((handle), &(out)), DOCSPACE_RESULT_OK, #fn)

/* The current TOTP code for a base32 secret. */
static void current_code(const char *secret, char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE]) {
    docspace_error *error = NULL;
    CHECK_RESULT(docspace_totp_code_now(secret, code, DOCSPACE_TOTP_CODE_BUFFER_SIZE, &error), DOCSPACE_RESULT_OK,
                 "docspace_totp_code_now");
    if (error) {
        printf("     error: %s\n", docspace_error_message(error));
        docspace_error_free(error);
    }
}

/* A 6-digit code that matches none of the 21 codes the portal accepts right now. */
static void wrong_code(const char *secret, char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE]) {
    bool matched = true;
    int i;
    current_code(secret, code);
    for (i = 0; i < 100 && matched; i++) {
        code[i % 6] = (char)('0' + (code[i % 6] - '0' + 1) % 10);
        if (docspace_totp_verify_at(secret, code, (int64_t)time(NULL), 10, &matched, NULL, NULL) != DOCSPACE_RESULT_OK)
            break;
    }
}

/* Sign a linked user in with password + TOTP; NULL on failure. */
static docspace_session *sign_in_with_totp(docspace_client *client, const seed_user *user) {
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    docspace_session *session = NULL;
    docspace_error *error = NULL;
    docspace_result r;
    current_code(user->totp_secret, code);
    r = docspace_client_login_with_code(client, user->email, user->password, code, &session, &error);
    CHECK_RESULT(r, DOCSPACE_RESULT_OK, "login_with_code (password + TOTP)");
    if (error) {
        printf("     error: %s\n", docspace_error_message(error));
        docspace_error_free(error);
    }
    return session;
}

static bool is_authenticated(docspace_client *client, const docspace_session *session) {
    bool authenticated = false;
    CHECK_RESULT(docspace_client_is_authenticated(client, session, &authenticated, NULL), DOCSPACE_RESULT_OK,
                 "is_authenticated");
    return authenticated;
}

/* ---- flow 1: password + TOTP code ------------------------------------------------------ */

static void flow_password_and_totp(docspace_client *client) {
    docspace_login *login = NULL;
    docspace_challenge *challenge = NULL;
    docspace_session *session = NULL;
    docspace_error *error = NULL;
    char *s = NULL, *token = NULL;
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    bool linked_now = true;

    printf("# flow 1: sign in with password and TOTP code (%s)\n", linked.email);
    CHECK(linked.totp_secret != NULL, "the linked user's TOTP secret is known");
    if (!linked.totp_secret) return;

    CHECK_RESULT(docspace_client_login(client, linked.email, linked.password, &login, &error), DOCSPACE_RESULT_OK,
                 "login (linked user)");
    CHECK(error == NULL, "error_out untouched on success");
    CHECK(docspace_login_get_kind(login) == DOCSPACE_LOGIN_KIND_CODE_REQUIRED, "kind CODE_REQUIRED (got %d)",
          (int)docspace_login_get_kind(login));
    CHECK_RESULT(docspace_login_session(login, &session), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "no session while a code is required");
    CHECK_RESULT(docspace_login_sms_phone_noise(login, &s), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "not an SMS challenge");
    CHECK_RESULT(docspace_login_challenge(login, &challenge), DOCSPACE_RESULT_OK, "docspace_login_challenge");
    CHECK(docspace_challenge_confirm_type(challenge) == DOCSPACE_CONFIRM_TYPE_TFA_AUTH, "confirm type TFA_AUTH");
    GET_STRING(docspace_challenge_user_id, challenge, s);
    CHECK(str_eq(s, linked.id), "challenge user id == %s (got %s)", linked.id, s ? s : "(null)");
    docspace_string_free(s);
    GET_STRING(docspace_challenge_user_name, challenge, s);
    CHECK(str_eq(s, linked.email), "challenge user name == %s", linked.email);
    docspace_string_free(s);
    GET_STRING(docspace_challenge_confirm_url, challenge, s);
    CHECK(s != NULL && strstr(s, "TfaAuth") != NULL && strstr(s, linked.id) != NULL,
          "confirm URL is a TfaAuth link for the user");
    docspace_string_free(s);
    s = (char *)"x";
    GET_STRING(docspace_challenge_secret, challenge, s);
    CHECK(s == NULL, "no secret for a linked app");
    s = (char *)"x";
    GET_STRING(docspace_challenge_otpauth_uri, challenge, s);
    CHECK(s == NULL, "no otpauth URI for a linked app");

    current_code(linked.totp_secret, code);
    CHECK(strlen(code) == 6, "computed a 6-digit code");
    CHECK_RESULT(docspace_client_login_with_code(client, linked.email, linked.password, code, &session, &error),
                 DOCSPACE_RESULT_OK, "login_with_code with the computed code");
    CHECK(session != NULL && error == NULL, "a session, no error");
    GET_STRING(docspace_session_token, session, token);
    CHECK(token != NULL && strlen(token) > 10, "the session has a token (%zu chars)", token ? strlen(token) : 0);
    docspace_string_free(token);
    CHECK(is_authenticated(client, session), "the portal accepts the session");
    CHECK(docspace_client_last_result(client) == DOCSPACE_RESULT_OK && str_eq(docspace_client_last_error(client), ""),
          "last error is OK/\"\" after a success");
    CHECK_RESULT(docspace_client_logout(client, session, NULL), DOCSPACE_RESULT_OK, "logout");
    CHECK(!is_authenticated(client, session), "logout revoked the token");
    docspace_session_free(session);
    session = NULL;

    /* The same challenge also signs in through validate_app (TfaAuth: linked_now false). */
    current_code(linked.totp_secret, code);
    CHECK_RESULT(docspace_client_validate_app(client, challenge, code, &linked_now, &session, NULL),
                 DOCSPACE_RESULT_OK, "validate_app with the TfaAuth challenge");
    CHECK(!linked_now, "linked_now false for an app that was already linked");
    CHECK(session != NULL && is_authenticated(client, session), "validate_app gave a working session");
    GET_STRING(docspace_session_user_id, session, s);
    CHECK(str_eq(s, linked.id), "the session knows the user id");
    docspace_string_free(s);
    CHECK_RESULT(docspace_client_logout(client, session, NULL), DOCSPACE_RESULT_OK, "logout");
    docspace_session_free(session);
    docspace_challenge_free(challenge);
    docspace_login_free(login);
}

/* ---- flow 2: link an authenticator app -------------------------------------------------- */

static void flow_link_app(docspace_client *client) {
    static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    docspace_login *login = NULL;
    docspace_challenge *challenge = NULL;
    docspace_setup *setup_payload = NULL;
    docspace_session *session = NULL;
    docspace_codes *codes = NULL;
    docspace_error *error = NULL;
    char *secret = NULL, *uri = NULL, *s = NULL;
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    const uint8_t *png = NULL;
    size_t png_len = 0, i;
    bool linked_now = false;

    printf("# flow 2: link an authenticator app without a browser (%s)\n", setup.email);
    CHECK_RESULT(docspace_client_login(client, setup.email, setup.password, &login, NULL), DOCSPACE_RESULT_OK,
                 "login (user without an app)");
    CHECK(docspace_login_get_kind(login) == DOCSPACE_LOGIN_KIND_SETUP_REQUIRED, "kind SETUP_REQUIRED (got %d)",
          (int)docspace_login_get_kind(login));
    CHECK_RESULT(docspace_login_challenge(login, &challenge), DOCSPACE_RESULT_OK, "docspace_login_challenge");
    CHECK(docspace_challenge_confirm_type(challenge) == DOCSPACE_CONFIRM_TYPE_TFA_ACTIVATION,
          "confirm type TFA_ACTIVATION");
    GET_STRING(docspace_challenge_secret, challenge, secret);
    CHECK(secret != NULL && strlen(secret) == 16 && strspn(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == 16,
          "the challenge carries a 16-character base32 secret");
    GET_STRING(docspace_challenge_otpauth_uri, challenge, uri);
    CHECK(starts_with(uri, "otpauth://totp/"), "otpauth URI: otpauth://totp/...");
    if (uri && secret) {
        char expected[64];
        snprintf(expected, sizeof expected, "secret=%s", secret);
        CHECK(strstr(uri, expected) != NULL && strstr(uri, setup.email) != NULL,
              "the URI names the secret and the account");
    }
    docspace_string_free(uri);
    if (!secret) goto out;

    CHECK_RESULT(docspace_client_setup_app(client, challenge, &setup_payload, &error), DOCSPACE_RESULT_OK, "setup_app");
    if (error) {
        printf("     error: %s\n", docspace_error_message(error));
        docspace_error_free(error);
        error = NULL;
    }
    GET_STRING(docspace_setup_account, setup_payload, s);
    CHECK(str_eq(s, setup.email), "setup account == %s (got %s)", setup.email, s ? s : "(null)");
    docspace_string_free(s);
    GET_STRING(docspace_setup_manual_entry_key, setup_payload, s);
    CHECK(str_eq(s, secret), "manual entry key == the challenge's secret");
    docspace_string_free(s);
    GET_STRING(docspace_setup_otpauth_uri, setup_payload, s);
    CHECK(starts_with(s, "otpauth://totp/"), "setup otpauth URI");
    docspace_string_free(s);
    CHECK_RESULT(docspace_setup_qr_png(setup_payload, &png, &png_len), DOCSPACE_RESULT_OK, "docspace_setup_qr_png");
    CHECK(png != NULL && png_len > 100 && memcmp(png, png_signature, sizeof png_signature) == 0,
          "QR code: %zu bytes starting with the PNG signature", png_len);

    current_code(secret, code);
    CHECK_RESULT(docspace_client_validate_app(client, challenge, code, &linked_now, &session, &error),
                 DOCSPACE_RESULT_OK, "validate_app with a computed code");
    if (error) {
        printf("     error: %s\n", docspace_error_message(error));
        docspace_error_free(error);
        error = NULL;
    }
    CHECK(linked_now, "linked_now: this call linked the app");
    CHECK(session != NULL && is_authenticated(client, session), "validate_app gave a working session");
    GET_STRING(docspace_session_user_id, session, s);
    CHECK(str_eq(s, setup.id), "the session's user id == %s", setup.id);
    docspace_string_free(s);

    CHECK_RESULT(docspace_client_backup_codes(client, session, &codes, NULL), DOCSPACE_RESULT_OK, "backup_codes");
    CHECK(docspace_codes_count(codes) == 5, "5 backup codes (got %zu)", docspace_codes_count(codes));
    CHECK(docspace_codes_unused_count(codes) == 5, "all 5 unused");
    for (i = 0; i < docspace_codes_count(codes); i++) {
        bool used = true;
        CHECK_RESULT(docspace_codes_get(codes, i, &s, &used), DOCSPACE_RESULT_OK, "docspace_codes_get");
        CHECK(s != NULL && strlen(s) == 6 && !used, "code %zu: 6 characters, unused", i);
        docspace_string_free(s);
    }
    docspace_codes_free(codes);

    CHECK_RESULT(docspace_client_setup_app(client, challenge, &setup_payload, NULL), DOCSPACE_RESULT_TFA_NOT_AVAILABLE,
                 "setup_app again once linked");

    docspace_login_free(login);
    login = NULL;
    CHECK_RESULT(docspace_client_login(client, setup.email, setup.password, &login, NULL), DOCSPACE_RESULT_OK,
                 "login again");
    CHECK(docspace_login_get_kind(login) == DOCSPACE_LOGIN_KIND_CODE_REQUIRED, "the next login is CODE_REQUIRED");
    current_code(secret, code);
    docspace_session_free(session);
    session = NULL;
    CHECK_RESULT(docspace_client_login_with_code(client, setup.email, setup.password, code, &session, NULL),
                 DOCSPACE_RESULT_OK, "login_with_code with the newly linked secret");
    CHECK_RESULT(docspace_client_logout(client, session, NULL), DOCSPACE_RESULT_OK, "logout");

out:
    docspace_string_free(secret);
    docspace_session_free(session);
    docspace_setup_free(setup_payload);
    docspace_challenge_free(challenge);
    docspace_login_free(login);
}

/* ---- flow 3: backup codes --------------------------------------------------------------- */

static void flow_backup_codes(docspace_client *client) {
    docspace_session *session = NULL, *session2 = NULL;
    docspace_codes *codes = NULL;
    docspace_error *error = NULL;
    char *old_codes[5] = {NULL}, *new_codes[5] = {NULL};
    char *s = NULL;
    bool used = false, all_differ = true, found_used = false;
    size_t i, j, count;

    printf("# flow 3: read and regenerate backup codes (%s)\n", linked.email);
    if (!linked.totp_secret) return;
    session = sign_in_with_totp(client, &linked);
    if (!session) return;

    CHECK_RESULT(docspace_client_backup_codes(client, session, &codes, NULL), DOCSPACE_RESULT_OK, "backup_codes");
    count = docspace_codes_count(codes);
    CHECK(count == 5, "5 backup codes (got %zu)", count);
    for (i = 0; i < count && i < 5; i++)
        CHECK_RESULT(docspace_codes_get(codes, i, &old_codes[i], &used), DOCSPACE_RESULT_OK, "read an old code");
    s = (char *)"untouched";
    CHECK_RESULT(docspace_codes_get(codes, count, &s, &used), DOCSPACE_RESULT_INVALID_ARGUMENT, "index out of range");
    CHECK(str_eq(s, "untouched"), "nothing written out of range");
    docspace_codes_free(codes);

    CHECK_RESULT(docspace_client_regenerate_backup_codes(client, session, &codes, NULL), DOCSPACE_RESULT_OK,
                 "regenerate_backup_codes");
    count = docspace_codes_count(codes);
    CHECK(count == 5 && docspace_codes_unused_count(codes) == 5, "5 new unused codes");
    for (i = 0; i < count && i < 5; i++) {
        CHECK_RESULT(docspace_codes_get(codes, i, &new_codes[i], &used), DOCSPACE_RESULT_OK, "read a new code");
        for (j = 0; j < 5; j++)
            if (str_eq(new_codes[i], old_codes[j])) all_differ = false;
    }
    CHECK(all_differ, "every new code differs from every old code");
    docspace_codes_free(codes);

    if (old_codes[0] && new_codes[0]) {
        CHECK_RESULT(docspace_client_login_with_code(client, linked.email, linked.password, old_codes[0], &session2,
                                                     &error),
                     DOCSPACE_RESULT_INVALID_CODE, "an old backup code is refused");
        CHECK(docspace_error_result(error) == DOCSPACE_RESULT_INVALID_CODE && docspace_error_status(error) == 401,
              "error_out: INVALID_CODE, HTTP %u", (unsigned)docspace_error_status(error));
        docspace_error_free(error);
        error = NULL;
        CHECK_RESULT(docspace_client_login_with_code(client, linked.email, linked.password, new_codes[0], &session2,
                                                     &error),
                     DOCSPACE_RESULT_OK, "a new backup code signs in");
        CHECK(session2 != NULL && is_authenticated(client, session2), "the backup-code session works");
        CHECK_RESULT(docspace_client_backup_codes(client, session, &codes, NULL), DOCSPACE_RESULT_OK,
                     "backup_codes after use");
        for (i = 0; i < docspace_codes_count(codes); i++) {
            CHECK_RESULT(docspace_codes_get(codes, i, &s, &used), DOCSPACE_RESULT_OK, "read a code");
            if (str_eq(s, new_codes[0])) found_used = used;
            docspace_string_free(s);
        }
        CHECK(found_used, "the spent code is listed as used");
        CHECK(docspace_codes_unused_count(codes) == 4, "4 unused codes left");
        docspace_codes_free(codes);
        CHECK_RESULT(docspace_client_login_with_code(client, linked.email, linked.password, new_codes[0], &session2,
                                                     NULL),
                     DOCSPACE_RESULT_INVALID_CODE, "a spent backup code is refused");
    }

    CHECK_RESULT(docspace_client_logout(client, session2, NULL), DOCSPACE_RESULT_OK, "logout (backup-code session)");
    CHECK_RESULT(docspace_client_logout(client, session, NULL), DOCSPACE_RESULT_OK, "logout");
    CHECK(!is_authenticated(client, session), "logged-out session is no longer accepted");
    for (i = 0; i < 5; i++) {
        docspace_string_free(old_codes[i]);
        docspace_string_free(new_codes[i]);
    }
    docspace_session_free(session2);
    docspace_session_free(session);
}

/* ---- errors ----------------------------------------------------------------------------- */

static void test_errors(docspace_client *client) {
    docspace_login *login = NULL;
    docspace_session *session = NULL, *bogus = NULL, *api = NULL;
    docspace_codes *codes = NULL;
    docspace_policy *policy = NULL;
    docspace_challenge *challenge = NULL;
    docspace_error *error = NULL;
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    char *s = NULL;
    bool flag = false;

    printf("# errors, plain sign-in, sessions, policy\n");
    CHECK_RESULT(docspace_client_login(client, plain.email, "wrong password", &login, &error),
                 DOCSPACE_RESULT_INVALID_CREDENTIALS, "wrong password");
    CHECK(login == NULL, "no login written");
    CHECK(docspace_error_result(error) == DOCSPACE_RESULT_INVALID_CREDENTIALS, "error_out result INVALID_CREDENTIALS");
    CHECK(docspace_error_status(error) == 401, "error_out status 401 (got %u)", (unsigned)docspace_error_status(error));
    CHECK(docspace_error_server_message(error) != NULL && strlen(docspace_error_server_message(error)) > 0,
          "error_out server message: %s", docspace_error_server_message(error));
    CHECK(docspace_error_retry_after(error) == -1, "no retry-after");
    CHECK(docspace_error_message(error) != NULL && strstr(docspace_error_message(error), "wrong password") == NULL,
          "message (without the password): %s", docspace_error_message(error));
    CHECK(str_eq(docspace_client_last_error(client), docspace_error_message(error)), "last_error == error message");
    CHECK(docspace_client_last_result(client) == DOCSPACE_RESULT_INVALID_CREDENTIALS, "last_result");
    CHECK(docspace_client_last_status(client) == 401, "last_status 401");
    CHECK(str_eq(docspace_client_last_server_message(client), docspace_error_server_message(error)),
          "last_server_message == error server message");
    CHECK(docspace_client_last_retry_after(client) == -1, "last_retry_after -1");
    docspace_error_free(error);
    error = NULL;

    CHECK_RESULT(docspace_client_login(client, plain.email, plain.password, &login, &error), DOCSPACE_RESULT_OK,
                 "login (user without 2FA)");
    CHECK(docspace_client_last_result(client) == DOCSPACE_RESULT_OK && str_eq(docspace_client_last_error(client), "") &&
              docspace_client_last_status(client) == 0 && docspace_client_last_server_message(client) == NULL,
          "a success resets the last error");
    CHECK(docspace_login_get_kind(login) == DOCSPACE_LOGIN_KIND_AUTHENTICATED, "kind AUTHENTICATED");
    CHECK_RESULT(docspace_login_challenge(login, &challenge), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "no challenge when authenticated");
    CHECK_RESULT(docspace_login_session(login, &session), DOCSPACE_RESULT_OK, "docspace_login_session");
    CHECK(is_authenticated(client, session), "the session works");
    CHECK_RESULT(docspace_client_backup_codes(client, session, &codes, NULL), DOCSPACE_RESULT_TFA_NOT_AVAILABLE,
                 "no backup codes without an app");
    CHECK_RESULT(docspace_client_tfa_policy(client, session, &policy, NULL), DOCSPACE_RESULT_OK, "tfa_policy");
    CHECK(docspace_policy_enabled_method(policy) == DOCSPACE_TFA_METHOD_APP, "2FA by app is on");
    CHECK_RESULT(docspace_policy_available(policy, DOCSPACE_TFA_METHOD_APP, &flag), DOCSPACE_RESULT_OK,
                 "policy_available(APP)");
    CHECK(flag, "app 2FA available");
    CHECK_RESULT(docspace_policy_available(policy, DOCSPACE_TFA_METHOD_NONE, &flag), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "policy_available(NONE)");
    flag = false;
    CHECK_RESULT(docspace_policy_enabled(policy, DOCSPACE_TFA_METHOD_APP, &flag), DOCSPACE_RESULT_OK,
                 "policy_enabled(APP)");
    CHECK(flag, "the app method is switched on");
    flag = true;
    CHECK_RESULT(docspace_policy_enabled(policy, DOCSPACE_TFA_METHOD_SMS, &flag), DOCSPACE_RESULT_OK,
                 "policy_enabled(SMS)");
    CHECK(!flag, "the SMS method (not listed by the portal) is off");
    CHECK_RESULT(docspace_policy_enabled(policy, DOCSPACE_TFA_METHOD_NONE, &flag), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "policy_enabled(NONE)");
    CHECK_RESULT(docspace_policy_title(policy, DOCSPACE_TFA_METHOD_APP, &s), DOCSPACE_RESULT_OK, "policy_title(APP)");
    CHECK(str_eq(s, "By authenticator app"), "the portal's title of the app method (got %s)", s ? s : "(null)");
    docspace_string_free(s);
    s = (char *)"untouched";
    CHECK_RESULT(docspace_policy_title(policy, DOCSPACE_TFA_METHOD_SMS, &s), DOCSPACE_RESULT_OK, "policy_title(SMS)");
    CHECK(s == NULL, "no title for a method the portal does not list");
    CHECK_RESULT(docspace_policy_title(policy, 42, &s), DOCSPACE_RESULT_INVALID_ARGUMENT, "policy_title(42)");
    CHECK_RESULT(docspace_policy_title(policy, DOCSPACE_TFA_METHOD_APP, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "policy_title into NULL");
    CHECK_RESULT(docspace_policy_list_get(policy, DOCSPACE_TFA_METHOD_APP, 9, 0, &s), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "policy list 9 (out of range)");
    CHECK_RESULT(docspace_policy_list_get(policy, DOCSPACE_TFA_METHOD_APP, DOCSPACE_POLICY_LIST_TRUSTED_IPS,
                                          docspace_policy_list_len(policy, DOCSPACE_TFA_METHOD_APP,
                                                                   DOCSPACE_POLICY_LIST_TRUSTED_IPS),
                                          &s),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "policy list index out of range");
    docspace_policy_free(policy);
    CHECK_RESULT(docspace_client_logout(client, session, NULL), DOCSPACE_RESULT_OK, "logout");
    CHECK(!is_authenticated(client, session), "logout revoked the token");
    docspace_session_free(session);
    session = NULL;
    docspace_login_free(login);
    login = NULL;

    if (linked.totp_secret) {
        wrong_code(linked.totp_secret, code);
        CHECK_RESULT(docspace_client_login_with_code(client, linked.email, linked.password, code, &session, &error),
                     DOCSPACE_RESULT_INVALID_CODE, "wrong TOTP code");
        CHECK(docspace_error_status(error) == 401, "error_out status 401");
        CHECK(docspace_error_message(error) != NULL && strstr(docspace_error_message(error), code) == NULL,
              "message (without the code): %s", docspace_error_message(error));
        docspace_error_free(error);
        error = NULL;
        CHECK(session == NULL, "no session written");
    }

    /* SMS 2FA: the outcome and its masked phone number. */
    CHECK_RESULT(docspace_client_login(client, sms.email, sms.password, &login, NULL), DOCSPACE_RESULT_OK,
                 "login (SMS user)");
    CHECK(docspace_login_get_kind(login) == DOCSPACE_LOGIN_KIND_SMS_REQUIRED, "kind SMS_REQUIRED");
    CHECK_RESULT(docspace_login_sms_phone_noise(login, &s), DOCSPACE_RESULT_OK, "docspace_login_sms_phone_noise");
    CHECK(str_eq(s, "+1***0123"), "masked phone +1***0123 (got %s)", s ? s : "(null)");
    docspace_string_free(s);
    s = NULL;
    CHECK_RESULT(docspace_login_sms_expires(login, &s), DOCSPACE_RESULT_OK, "docspace_login_sms_expires");
    docspace_string_free(s);
    s = NULL;
    CHECK_RESULT(docspace_login_sms_confirm_url(login, &s), DOCSPACE_RESULT_OK, "docspace_login_sms_confirm_url");
    CHECK(s != NULL && strstr(s, "PhoneAuth") != NULL && strstr(s, sms.id) != NULL,
          "a PhoneAuth confirm link for the user (got %s)", s ? s : "(null)");
    docspace_string_free(s);
    s = NULL;
    CHECK_RESULT(docspace_login_challenge(login, &challenge), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "no app challenge for SMS");
    docspace_login_free(login);
    login = NULL;
    challenge = NULL;
    if (linked.totp_secret) {
        CHECK_RESULT(docspace_client_login(client, linked.email, linked.password, &login, NULL), DOCSPACE_RESULT_OK,
                     "login (linked user)");
        s = (char *)"untouched";
        CHECK_RESULT(docspace_login_sms_confirm_url(login, &s), DOCSPACE_RESULT_INVALID_ARGUMENT,
                     "sms_confirm_url of a CODE_REQUIRED login");
        CHECK(str_eq(s, "untouched"), "nothing written");
        docspace_login_free(login);
        login = NULL;
    }

    CHECK_RESULT(docspace_session_new("not-a-real-token", &bogus, NULL), DOCSPACE_RESULT_OK, "session from a bogus token");
    CHECK(!docspace_session_is_api_key(bogus), "a login token is not an API key");
    CHECK(!is_authenticated(client, bogus), "a bogus token is not authenticated (OK, false)");
    CHECK_RESULT(docspace_client_backup_codes(client, bogus, &codes, &error), DOCSPACE_RESULT_SESSION_INVALID,
                 "backup_codes with a bogus token");
    CHECK(docspace_error_status(error) == 401, "HTTP 401");
    docspace_error_free(error);
    error = NULL;
    docspace_session_free(bogus);

    if (plain.api_key) {
        CHECK_RESULT(docspace_session_new_api_key(plain.api_key, &api, NULL), DOCSPACE_RESULT_OK, "API-key session");
        CHECK(docspace_session_is_api_key(api), "docspace_session_is_api_key");
        CHECK(is_authenticated(client, api), "the API key is accepted");
        docspace_session_free(api);
    }

    /* The confirm context of a user whom app 2FA applies to. */
    if (linked.totp_secret) {
        session = sign_in_with_totp(client, &linked);
        CHECK_RESULT(docspace_client_confirm_context(client, session, &challenge, NULL), DOCSPACE_RESULT_OK,
                     "confirm_context");
        CHECK(challenge != NULL && docspace_challenge_confirm_type(challenge) != DOCSPACE_CONFIRM_TYPE_INVALID,
              "a confirm context for the signed-in user");
        if (challenge) {
            GET_STRING(docspace_challenge_user_id, challenge, s);
            CHECK(str_eq(s, linked.id), "for the right user");
            docspace_string_free(s);
        }
        docspace_challenge_free(challenge);
        CHECK_RESULT(docspace_client_logout(client, session, NULL), DOCSPACE_RESULT_OK, "logout");
        docspace_session_free(session);
    }
}

/* ---- per-thread last error -------------------------------------------------------------- */

enum { THREADS = 4, ROUNDS = 8 };

typedef struct {
    int index;
    docspace_client *client;
    const docspace_session *bogus;
    pthread_barrier_t *barrier;
    int mismatches;
    char first_problem[256];
} thread_job;

static void note(thread_job *job, const char *what, const char *detail) {
    if (job->mismatches++ == 0)
        snprintf(job->first_problem, sizeof job->first_problem, "%s: %s", what, detail ? detail : "(null)");
}

/* Each thread fails differently (or succeeds), then checks that the client's last error is
 * its own, while the other threads keep overwriting theirs. */
static void *thread_main(void *arg) {
    thread_job *job = arg;
    int round;
    pthread_barrier_wait(job->barrier);
    for (round = 0; round < ROUNDS; round++) {
        docspace_error *error = NULL;
        docspace_result expected = DOCSPACE_RESULT_OK, got;
        uint16_t status = 0;
        const char *needle = "";
        switch (job->index) {
        case 0: { /* wrong password (a different login each time: no lockout) */
            char user[64];
            docspace_login *login = NULL;
            snprintf(user, sizeof user, "nobody-%d@example.com", round);
            got = docspace_client_login(job->client, user, "wrong", &login, &error);
            expected = DOCSPACE_RESULT_INVALID_CREDENTIALS;
            status = 401;
            needle = "password";
            break;
        }
        case 1: { /* malformed code: refused before any request */
            docspace_session *session = NULL;
            got = docspace_client_login_with_code(job->client, "u@example.com", "pw", "12/34", &session, &error);
            expected = DOCSPACE_RESULT_INVALID_ARGUMENT;
            needle = "code";
            break;
        }
        case 2: { /* bogus session: 401 from the portal */
            docspace_codes *codes = NULL;
            got = docspace_client_backup_codes(job->client, job->bogus, &codes, &error);
            expected = DOCSPACE_RESULT_SESSION_INVALID;
            status = 401;
            needle = "session";
            break;
        }
        default: { /* alternately a NULL argument and a success */
            bool authenticated = true;
            if (round % 2 == 0) {
                docspace_login *login = NULL;
                got = docspace_client_login(job->client, NULL, "pw", &login, &error);
                expected = DOCSPACE_RESULT_NULL_PARAMETER;
                needle = "user";
            } else {
                got = docspace_client_is_authenticated(job->client, job->bogus, &authenticated, &error);
                expected = DOCSPACE_RESULT_OK;
            }
            break;
        }
        }
        if (got != expected) note(job, "result", result_name(got));
        if (docspace_client_last_result(job->client) != expected)
            note(job, "last_result", result_name(docspace_client_last_result(job->client)));
        if (docspace_client_last_status(job->client) != status) note(job, "last_status", "differs");
        if (strstr(docspace_client_last_error(job->client), needle) == NULL)
            note(job, "last_error", docspace_client_last_error(job->client));
        if (expected == DOCSPACE_RESULT_OK) {
            if (error != NULL || docspace_client_last_error(job->client)[0] != '\0')
                note(job, "success", "left an error");
        } else if (!str_eq(docspace_client_last_error(job->client), docspace_error_message(error))) {
            note(job, "last_error != error_out", docspace_client_last_error(job->client));
        }
        docspace_error_free(error);
    }
    return NULL;
}

static void test_threads(docspace_client *client) {
    pthread_t threads[THREADS];
    thread_job jobs[THREADS];
    pthread_barrier_t barrier;
    docspace_session *bogus = NULL;
    int i;

    printf("# %d threads sharing one client, each checking its own last error\n", THREADS);
    CHECK_RESULT(docspace_session_new("bogus-token-for-threads", &bogus, NULL), DOCSPACE_RESULT_OK, "bogus session");
    pthread_barrier_init(&barrier, NULL, THREADS);
    for (i = 0; i < THREADS; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].index = i;
        jobs[i].client = client;
        jobs[i].bogus = bogus;
        jobs[i].barrier = &barrier;
        CHECK(pthread_create(&threads[i], NULL, thread_main, &jobs[i]) == 0, "start thread %d", i);
    }
    for (i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        CHECK(jobs[i].mismatches == 0, "thread %d: %d calls, its own last error every time%s%s", i, ROUNDS,
              jobs[i].mismatches ? "; first problem: " : "", jobs[i].first_problem);
    }
    pthread_barrier_destroy(&barrier);
    /* The main thread made no call since its last success: its own record is untouched. */
    CHECK(docspace_client_last_result(client) == DOCSPACE_RESULT_OK, "the main thread's last result is still its own");
    docspace_session_free(bogus);
}

int main(int argc, char **argv) {
    docspace_client *client = NULL;
    docspace_error *error = NULL;
    bool ok;

    if (argc < 2) {
        fprintf(stderr, "usage: %s EMULATOR_URL (run through tests/c/with-emulator.sh)\n", argv[0]);
        return 2;
    }
    portal_url = argv[1];
    ok = load_user(&plain, "PLAIN");
    ok = load_user(&setup, "SETUP") && ok;
    ok = load_user(&linked, "LINKED") && ok;
    ok = load_user(&sms, "SMS") && ok;
    if (!ok) return 2;

    printf("# emulator at %s\n", portal_url);
    CHECK_RESULT(docspace_client_new_with_options(portal_url, NULL, &client, &error), DOCSPACE_RESULT_OK,
                 "client for the emulator");
    if (!client) {
        printf("     error: %s\n", docspace_error_message(error));
        docspace_error_free(error);
        return check_summary("test_flows");
    }

    flow_password_and_totp(client);
    flow_link_app(client);
    flow_backup_codes(client);
    test_errors(client);
    test_threads(client);

    docspace_client_free(client);
    return check_summary("test_flows");
}
