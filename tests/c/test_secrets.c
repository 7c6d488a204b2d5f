/*
 * test_secrets: no secret reaches what a user of the C ABI can see.
 *
 * Users with distinctive secrets are added through the emulator's controls (passwords
 * `Pw-LEAKCHECK-<random>`); then
 *   1. every flow and error path runs through the library, which is the only source of the
 *      secrets' values (session tokens, TOTP secrets, otpauth URIs, backup codes, TOTP codes
 *      sent, API keys, rejected passwords and codes), and every string the library hands out
 *      for display is collected: docspace_error_message / _server_message, the client's last
 *      error and server message, confirm URLs, user names, accounts, policy titles...;
 *   2. the C demo (examples/c/seed_flows.c, without --show-secrets) runs every flow and
 *      several error paths with these users; its stdout and stderr are collected.
 * The test fails if any secret appears in anything collected: long secrets as substrings,
 * 6-character codes as whole words. It also fails on anything shaped like an emulator login
 * token (they all start with `+/+/`) or a confirm key (`<ms>.<UPPER-CASE BASE64>`), whose
 * exact values the C API does not expose. A positive control runs the demo with
 * --show-secrets and expects the scan to find the codes it prints.
 *
 * usage: tests/c/with-emulator.sh test_secrets DEMO_PROGRAM   (argv[1]: the emulator URL)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#include "check.h"
#include "emulator.h"

enum { MAX_SECRETS = 2048, MAX_SEEN = 4096 };

static const char *url;
static unsigned tag;

/* ---- what must stay hidden, and what was shown ----------------------------------------------- */

static struct {
    char *value;
    int whole_word; /* codes: only as a whole word (not inside a longer run of letters/digits) */
    char what[48];
} secrets[MAX_SECRETS];
static int n_secrets;

static struct {
    char *text;
    char label[96];
} seen[MAX_SEEN];
static int n_seen;

static void secret(const char *what, const char *value, int whole_word) {
    int i;
    if (value == NULL || value[0] == '\0' || n_secrets == MAX_SECRETS) return;
    for (i = 0; i < n_secrets; i++)
        if (strcmp(secrets[i].value, value) == 0) return;
    secrets[n_secrets].value = strdup(value);
    secrets[n_secrets].whole_word = whole_word;
    snprintf(secrets[n_secrets].what, sizeof secrets[n_secrets].what, "%s", what);
    n_secrets++;
}

static void see(const char *label, const char *text) {
    if (text == NULL || n_seen == MAX_SEEN) return;
    seen[n_seen].text = strdup(text);
    snprintf(seen[n_seen].label, sizeof seen[n_seen].label, "%s", label);
    n_seen++;
}

static int is_word_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int contains(const char *text, const char *needle, int whole_word) {
    size_t n = strlen(needle);
    const char *p = text;
    while ((p = strstr(p, needle)) != NULL) {
        if (!whole_word || ((p == text || !is_word_char(p[-1])) && !is_word_char(p[n]))) return 1;
        p++;
    }
    return 0;
}

/* Something shaped like a confirm key: 10+ digits, '.', 20+ of [A-Z0-9]. */
static int looks_like_confirm_key(const char *text) {
    const char *p;
    for (p = text; *p; p++) {
        size_t digits = 0, tail = 0;
        const char *q = p;
        while (*q >= '0' && *q <= '9') q++, digits++;
        if (digits < 10 || *q != '.') continue;
        for (q++; (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9'); q++) tail++;
        if (tail >= 20) return 1;
    }
    return 0;
}

/* Scan texts [from, n_seen) for every secret; returns the number of leaks (and prints them). */
static int scan(int from, int quiet) {
    int leaks = 0, i, s;
    for (i = from; i < n_seen; i++) {
        for (s = 0; s < n_secrets; s++) {
            if (contains(seen[i].text, secrets[s].value, secrets[s].whole_word)) {
                leaks++;
                if (!quiet) printf("     LEAK: %s shows a %s\n", seen[i].label, secrets[s].what);
            }
        }
        if (strstr(seen[i].text, "+/+/") != NULL) {
            leaks++;
            if (!quiet) printf("     LEAK: %s shows something shaped like a login token (+/+/...)\n", seen[i].label);
        }
        if (looks_like_confirm_key(seen[i].text)) {
            leaks++;
            if (!quiet) printf("     LEAK: %s shows something shaped like a confirm key\n", seen[i].label);
        }
        if (strstr(seen[i].text, "asc_confirm_key") || strstr(seen[i].text, "asc_auth_key")) {
            leaks++;
            if (!quiet) printf("     LEAK: %s names a credential cookie\n", seen[i].label);
        }
    }
    return leaks;
}

/* ---- reading values through the library's getters -------------------------------------------- */

/* A string from a `char **` getter, recorded as a secret or as something shown. */
#define GET(fn, handle, kind, what)                                                            \
    do {                                                                                       \
        char *s_ = NULL;                                                                       \
        if (fn((handle), &s_) == DOCSPACE_RESULT_OK && s_) {                                   \
            if (kind) secret(what, s_, 0);                                                     \
            else see(what, s_);                                                                \
        }                                                                                      \
        docspace_string_free(s_);                                                              \
    } while (0)
enum { SHOWN = 0, SECRET = 1 };

/* A failed call's error: its message and server message are shown; also the client's. */
static void saw_error(const char *label, docspace_client *client, docspace_error *error) {
    char l[96];
    snprintf(l, sizeof l, "%s: docspace_error_message", label);
    see(l, docspace_error_message(error));
    snprintf(l, sizeof l, "%s: docspace_error_server_message", label);
    see(l, docspace_error_server_message(error));
    if (client) {
        snprintf(l, sizeof l, "%s: docspace_client_last_error", label);
        see(l, docspace_client_last_error(client));
        snprintf(l, sizeof l, "%s: docspace_client_last_server_message", label);
        see(l, docspace_client_last_server_message(client));
    }
    docspace_error_free(error);
}

/* Expect `r` to be `want`; on failure record the error as shown. */
static void expect(const char *label, docspace_client *client, docspace_result r, docspace_result want,
                   docspace_error *error) {
    CHECK_RESULT(r, want, label);
    if (r != DOCSPACE_RESULT_OK) saw_error(label, client, error);
    else docspace_error_free(error);
}

static void session_secrets(const char *label, const docspace_session *session) {
    char l[96];
    snprintf(l, sizeof l, "%s token", label);
    GET(docspace_session_token, session, SECRET, l);
    snprintf(l, sizeof l, "%s: docspace_session_expires", label);
    GET(docspace_session_expires, session, SHOWN, l);
    snprintf(l, sizeof l, "%s: docspace_session_user_id", label);
    GET(docspace_session_user_id, session, SHOWN, l);
}

static void codes_secrets(const char *label, const docspace_codes *codes, char first[32]) {
    size_t i;
    for (i = 0; i < docspace_codes_count(codes); i++) {
        char *code = NULL;
        bool used = false;
        if (docspace_codes_get(codes, i, &code, &used) == DOCSPACE_RESULT_OK && code) {
            secret(label, code, 1);
            if (i == 0 && first) snprintf(first, 32, "%s", code);
        }
        docspace_string_free(code);
    }
}

static void challenge_strings(const char *label, const docspace_challenge *challenge) {
    char l[96];
    snprintf(l, sizeof l, "%s TOTP secret", label);
    GET(docspace_challenge_secret, challenge, SECRET, l);
    snprintf(l, sizeof l, "%s otpauth URI", label);
    GET(docspace_challenge_otpauth_uri, challenge, SECRET, l);
    snprintf(l, sizeof l, "%s: docspace_challenge_confirm_url", label);
    GET(docspace_challenge_confirm_url, challenge, SHOWN, l);
    snprintf(l, sizeof l, "%s: docspace_challenge_user_name", label);
    GET(docspace_challenge_user_name, challenge, SHOWN, l);
    snprintf(l, sizeof l, "%s: docspace_challenge_user_id", label);
    GET(docspace_challenge_user_id, challenge, SHOWN, l);
}

/* The code now for a secret (recorded as a secret: it was or will be sent). */
static void code_for(const char *totp_secret, char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE]) {
    CHECK_RESULT(docspace_totp_code_now(totp_secret, code, DOCSPACE_TOTP_CODE_BUFFER_SIZE, NULL), DOCSPACE_RESULT_OK,
                 "docspace_totp_code_now");
    secret("TOTP code", code, 1);
}

/* A 6-digit code that is not accepted now (and recorded: a rejected code is still a code). */
static void wrong_code_for(const char *totp_secret, char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE]) {
    bool matched = true;
    int i;
    code_for(totp_secret, code);
    for (i = 0; i < 100 && matched; i++) {
        code[i % 6] = (char)('0' + (code[i % 6] - '0' + 3) % 10);
        docspace_totp_verify_at(totp_secret, code, (int64_t)time(NULL), 10, &matched, NULL, NULL);
    }
    secret("rejected TOTP code", code, 1);
}

static int fault(const char *json) {
    char answer[256];
    return emu_request(url, "POST", "/__emulator/faults", json, answer, sizeof answer) == 200;
}

static emu_user linked, setup_u, plain, linked2;

/* ---- 1. every flow and error path through the library ----------------------------------------- */

static void library_flows(void) {
    docspace_client *client = NULL;
    docspace_login *login = NULL;
    docspace_challenge *challenge = NULL;
    docspace_setup *setup = NULL;
    docspace_session *session = NULL, *session2 = NULL, *api = NULL, *stale = NULL;
    docspace_codes *codes = NULL;
    docspace_policy *policy = NULL;
    docspace_totp *totp = NULL;
    docspace_error *error = NULL;
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE], old_code[32] = "", new_code[32] = "", wrong_pw[96], bad[512];
    char *setup_secret = NULL, *s = NULL;
    bool flag = false;
    docspace_result r;

    printf("# 1. every flow and error path through the C ABI\n");
    r = docspace_client_new(url, &client, &error);
    expect("client", NULL, r, DOCSPACE_RESULT_OK, error);
    if (!client) return;
    see("docspace_client_base_url", docspace_client_base_url(client));

    /* sign-in: wrong password, then the right one and a TOTP code */
    snprintf(wrong_pw, sizeof wrong_pw, "Pw-LEAKCHECK-wrong-%u", tag);
    secret("rejected password", wrong_pw, 0);
    error = NULL;
    r = docspace_client_login(client, linked.email, wrong_pw, &login, &error);
    expect("login with a wrong password", client, r, DOCSPACE_RESULT_INVALID_CREDENTIALS, error);
    error = NULL;
    r = docspace_client_login(client, linked.email, linked.password, &login, &error);
    expect("login (linked)", client, r, DOCSPACE_RESULT_OK, error);
    r = docspace_login_challenge(login, &challenge);
    expect("login_challenge", NULL, r, DOCSPACE_RESULT_OK, NULL);
    challenge_strings("TfaAuth challenge", challenge);
    wrong_code_for(linked.totp_secret, code);
    error = NULL;
    r = docspace_client_login_with_code(client, linked.email, linked.password, code, &session, &error);
    expect("login_with_code with a wrong code", client, r, DOCSPACE_RESULT_INVALID_CODE, error);
    error = NULL;
    r = docspace_client_validate_app(client, challenge, code, &flag, &session, &error);
    expect("validate_app with a wrong code", client, r, DOCSPACE_RESULT_INVALID_CODE, error);
    code_for(linked.totp_secret, code);
    error = NULL;
    r = docspace_client_login_with_code(client, linked.email, linked.password, code, &session, &error);
    expect("login_with_code", client, r, DOCSPACE_RESULT_OK, error);
    session_secrets("linked session", session);
    code_for(linked.totp_secret, code);
    error = NULL;
    r = docspace_client_validate_app(client, challenge, code, &flag, &session2, &error);
    expect("validate_app (TfaAuth)", client, r, DOCSPACE_RESULT_OK, error);
    session_secrets("validate_app session", session2);
    docspace_challenge_free(challenge);
    challenge = NULL;
    docspace_login_free(login);
    login = NULL;

    /* backup codes: read, regenerate, an old one refused, a new one used, then refused */
    error = NULL;
    r = docspace_client_backup_codes(client, session, &codes, &error);
    expect("backup_codes", client, r, DOCSPACE_RESULT_OK, error);
    codes_secrets("backup code", codes, old_code);
    docspace_codes_free(codes);
    codes = NULL;
    error = NULL;
    r = docspace_client_regenerate_backup_codes(client, session, &codes, &error);
    expect("regenerate_backup_codes", client, r, DOCSPACE_RESULT_OK, error);
    codes_secrets("new backup code", codes, new_code);
    docspace_codes_free(codes);
    codes = NULL;
    error = NULL;
    r = docspace_client_login_with_code(client, linked.email, linked.password, old_code, &stale, &error);
    expect("login_with_code with an old backup code", client, r, DOCSPACE_RESULT_INVALID_CODE, error);
    error = NULL;
    r = docspace_client_login_with_code(client, linked.email, linked.password, new_code, &stale, &error);
    expect("login_with_code with a new backup code", client, r, DOCSPACE_RESULT_OK, error);
    session_secrets("backup-code session", stale);
    error = NULL;
    r = docspace_client_login_with_code(client, linked.email, linked.password, new_code, &session2, &error);
    expect("login_with_code with a spent backup code", client, r, DOCSPACE_RESULT_INVALID_CODE, error);

    /* policy, confirm context */
    error = NULL;
    r = docspace_client_tfa_policy(client, session, &policy, &error);
    expect("tfa_policy", client, r, DOCSPACE_RESULT_OK, error);
    if (docspace_policy_title(policy, DOCSPACE_TFA_METHOD_APP, &s) == DOCSPACE_RESULT_OK) see("policy title", s);
    docspace_string_free(s);
    s = NULL;
    error = NULL;
    r = docspace_client_confirm_context(client, session, &challenge, &error);
    expect("confirm_context", client, r, DOCSPACE_RESULT_OK, error);
    challenge_strings("confirm context", challenge);
    error = NULL;
    r = docspace_client_setup_app(client, challenge, &setup, &error);
    expect("setup_app with a TfaAuth context", client, r, DOCSPACE_RESULT_INVALID_ARGUMENT, error);
    docspace_challenge_free(challenge);
    challenge = NULL;
    error = NULL;
    r = docspace_client_set_tfa_policy(client, session, DOCSPACE_TFA_METHOD_APP, NULL, 0, NULL, 0, NULL, 0, &flag, &error);
    expect("set_tfa_policy as a non-admin", client, r, DOCSPACE_RESULT_ACCESS_DENIED, error);

    /* sign-out, then the revoked session */
    error = NULL;
    r = docspace_client_logout(client, stale, &error);
    expect("logout (backup-code session)", client, r, DOCSPACE_RESULT_OK, error);
    error = NULL;
    r = docspace_client_backup_codes(client, stale, &codes, &error);
    expect("backup_codes with a revoked session", client, r, DOCSPACE_RESULT_SESSION_INVALID, error);

    /* linking an app: the not-linked user */
    error = NULL;
    r = docspace_client_login(client, setup_u.email, setup_u.password, &login, &error);
    expect("login (not linked)", client, r, DOCSPACE_RESULT_OK, error);
    r = docspace_login_challenge(login, &challenge);
    expect("login_challenge (activation)", NULL, r, DOCSPACE_RESULT_OK, NULL);
    challenge_strings("TfaActivation challenge", challenge);
    docspace_challenge_secret(challenge, &setup_secret);
    error = NULL;
    r = docspace_client_setup_app(client, challenge, &setup, &error);
    expect("setup_app", client, r, DOCSPACE_RESULT_OK, error);
    GET(docspace_setup_manual_entry_key, setup, SECRET, "manual entry key");
    GET(docspace_setup_otpauth_uri, setup, SECRET, "setup otpauth URI");
    GET(docspace_setup_account, setup, SHOWN, "docspace_setup_account");
    docspace_setup_free(setup);
    setup = NULL;
    if (setup_secret) {
        docspace_session *linked_session = NULL;
        wrong_code_for(setup_secret, code);
        error = NULL;
        r = docspace_client_validate_app(client, challenge, code, &flag, &linked_session, &error);
        expect("validate_app (activation) with a wrong code", client, r, DOCSPACE_RESULT_INVALID_CODE, error);
        code_for(setup_secret, code);
        error = NULL;
        r = docspace_client_validate_app(client, challenge, code, &flag, &linked_session, &error);
        expect("validate_app (activation)", client, r, DOCSPACE_RESULT_OK, error);
        session_secrets("activation session", linked_session);
        error = NULL;
        r = docspace_client_backup_codes(client, linked_session, &codes, &error);
        expect("backup_codes after linking", client, r, DOCSPACE_RESULT_OK, error);
        codes_secrets("backup code (newly linked)", codes, NULL);
        docspace_codes_free(codes);
        codes = NULL;
        error = NULL;
        r = docspace_client_setup_app(client, challenge, &setup, &error);
        expect("setup_app once linked", client, r, DOCSPACE_RESULT_TFA_NOT_AVAILABLE, error);
        error = NULL;
        r = docspace_client_logout(client, linked_session, &error);
        expect("logout (newly linked)", client, r, DOCSPACE_RESULT_OK, error);
        docspace_session_free(linked_session);
    }
    docspace_string_free(setup_secret);
    docspace_challenge_free(challenge);
    challenge = NULL;
    docspace_login_free(login);
    login = NULL;

    /* no 2FA: sign-in, the API key, what API keys cannot do */
    error = NULL;
    r = docspace_client_login(client, plain.email, plain.password, &login, &error);
    expect("login (no 2FA)", client, r, DOCSPACE_RESULT_OK, error);
    docspace_session_free(session2);
    session2 = NULL;
    r = docspace_login_session(login, &session2);
    session_secrets("plain session", session2);
    error = NULL;
    r = docspace_client_backup_codes(client, session2, &codes, &error);
    expect("backup_codes without an app", client, r, DOCSPACE_RESULT_TFA_NOT_AVAILABLE, error);
    error = NULL;
    r = docspace_client_logout(client, session2, &error);
    expect("logout (plain)", client, r, DOCSPACE_RESULT_OK, error);
    secret("API key", plain.api_key, 0);
    error = NULL;
    r = docspace_session_new_api_key(plain.api_key, &api, &error);
    expect("session from the API key", NULL, r, DOCSPACE_RESULT_OK, error);
    error = NULL;
    r = docspace_client_is_authenticated(client, api, &flag, &error);
    expect("is_authenticated (API key)", client, r, DOCSPACE_RESULT_OK, error);
    error = NULL;
    r = docspace_client_logout(client, api, &error);
    expect("logout of an API key", client, r, DOCSPACE_RESULT_INVALID_ARGUMENT, error);
    error = NULL;
    r = docspace_client_confirm_context(client, api, &challenge, &error);
    see("confirm_context with an API key", docspace_error_message(error));
    docspace_challenge_free(challenge);
    challenge = NULL;
    docspace_error_free(error);
    snprintf(bad, sizeof bad, "sk-LEAKCHECK-%u-not-a-key", tag);
    secret("bogus API key", bad, 0);
    docspace_session_free(api);
    api = NULL;
    docspace_session_new_api_key(bad, &api, NULL);
    error = NULL;
    r = docspace_client_backup_codes(client, api, &codes, &error);
    expect("backup_codes with a bogus API key", client, r, DOCSPACE_RESULT_SESSION_INVALID, error);
    docspace_login_free(login);
    login = NULL;

    /* a stored token that is not (or no longer) valid */
    snprintf(bad, sizeof bad, "LEAKCHECK-token-%u-abcdefghijklmnop", tag);
    secret("bogus token", bad, 0);
    docspace_session_free(stale);
    stale = NULL;
    docspace_session_new(bad, &stale, NULL);
    error = NULL;
    r = docspace_client_tfa_policy(client, stale, &policy, &error);
    expect("tfa_policy with a bogus token", client, r, DOCSPACE_RESULT_SESSION_INVALID, error);
    error = NULL;
    r = docspace_client_reset_app(client, stale, linked.id, &session2, &challenge, &error);
    expect("reset_app with a bogus token", client, r, DOCSPACE_RESULT_SESSION_INVALID, error);

    /* portal failures while the password is in flight (faults) */
    {
        static const struct {
            const char *fault, *label;
            docspace_result want;
        } faults[] = {
            {"{\"path\":\"/api/2.0/authentication\",\"status\":503,\"body\":\"html\"}", "login: 503 HTML page",
             DOCSPACE_RESULT_SERVER_ERROR},
            {"{\"path\":\"/api/2.0/authentication\",\"status\":429,\"retry_after\":\"30\"}", "login: 429",
             DOCSPACE_RESULT_RATE_LIMITED},
            {"{\"path\":\"/api/2.0/authentication\",\"body\":\"truncated-json\"}", "login: truncated answer",
             DOCSPACE_RESULT_UNEXPECTED_RESPONSE},
            {"{\"path\":\"/api/2.0/authentication\",\"body\":\"error-envelope-200\"}", "login: error envelope in a 200",
             DOCSPACE_RESULT_INVALID_CREDENTIALS},
            {"{\"path\":\"/api/2.0/authentication\",\"body\":\"oversized\"}", "login: 16 MiB answer",
             DOCSPACE_RESULT_UNEXPECTED_RESPONSE},
            {"{\"path\":\"/api/2.0/authentication\",\"drop_connection\":true}", "login: dropped connection",
             DOCSPACE_RESULT_NETWORK},
            {"{\"path\":\"/api/2.0/authentication\",\"status\":500}", "login: 500 error envelope",
             DOCSPACE_RESULT_SERVER_ERROR},
        };
        size_t i;
        for (i = 0; i < sizeof faults / sizeof faults[0]; i++) {
            CHECK(fault(faults[i].fault), "fault queued: %s", faults[i].label);
            error = NULL;
            r = docspace_client_login(client, linked.email, linked.password, &login, &error);
            expect(faults[i].label, client, r, faults[i].want, error);
            docspace_login_free(login);
            login = NULL;
        }
        CHECK(fault("{\"path\":\"/api/2.0/authentication/\",\"status\":502,\"body\":\"text\"}"), "fault queued");
        code_for(linked.totp_secret, code);
        error = NULL;
        r = docspace_client_login_with_code(client, linked.email, linked.password, code, &session2, &error);
        expect("login_with_code: 502 text", client, r, DOCSPACE_RESULT_SERVER_ERROR, error);
    }

    /* unlinking: the user resets their own app and gets a new secret */
    code_for(linked2.totp_secret, code);
    error = NULL;
    docspace_session_free(session2);
    session2 = NULL;
    r = docspace_client_login_with_code(client, linked2.email, linked2.password, code, &session2, &error);
    expect("login_with_code (second linked user)", client, r, DOCSPACE_RESULT_OK, error);
    session_secrets("second linked session", session2);
    docspace_session_free(stale);
    stale = NULL;
    error = NULL;
    r = docspace_client_reset_app(client, session2, linked2.id, &stale, &challenge, &error);
    CHECK(stale != NULL && challenge != NULL, "reset_app (self) gives a session and an activation challenge");
    expect("reset_app (self)", client, r, DOCSPACE_RESULT_OK, error);
    session_secrets("session after reset_app", stale);
    challenge_strings("activation challenge after reset_app", challenge);
    docspace_challenge_free(challenge);
    challenge = NULL;
    error = NULL;
    r = docspace_client_reset_app(client, session2, linked2.id, &stale, &challenge, &error);
    expect("reset_app with the revoked session", client, r, DOCSPACE_RESULT_SESSION_INVALID, error);

    /* TOTP helpers with secrets that are wrong in various ways */
    snprintf(bad, sizeof bad, "LEAKCHECK%uSECRET1", tag);
    secret("malformed TOTP secret", bad, 0);
    error = NULL;
    r = docspace_totp_code_at(bad, 0, code, sizeof code, &error);
    expect("totp_code_at with a malformed secret", NULL, r, DOCSPACE_RESULT_INVALID_ARGUMENT, error);
    error = NULL;
    r = docspace_totp_new(bad, DOCSPACE_TOTP_ALGORITHM_SHA1, 6, 30, &totp, &error);
    expect("totp_new with a malformed secret", NULL, r, DOCSPACE_RESULT_INVALID_ARGUMENT, error);
    snprintf(bad, sizeof bad, "otpauth://totp/x?secret=%s&digits=12", linked.totp_secret);
    error = NULL;
    r = docspace_totp_from_uri(bad, &totp, NULL, NULL, &error);
    expect("totp_from_uri with bad digits", NULL, r, DOCSPACE_RESULT_INVALID_ARGUMENT, error);
    snprintf(bad, sizeof bad, "otpauth://hotp/x?secret=%s", linked.totp_secret);
    error = NULL;
    r = docspace_totp_from_uri(bad, &totp, NULL, NULL, &error);
    expect("totp_from_uri of an HOTP URI", NULL, r, DOCSPACE_RESULT_INVALID_ARGUMENT, error);
    error = NULL;
    r = docspace_totp_verify_at(linked.totp_secret, "LEAKCHECK", -1, 1, &flag, NULL, &error);
    expect("totp_verify_at at a negative time", NULL, r, DOCSPACE_RESULT_INVALID_ARGUMENT, error);
    error = NULL;
    r = docspace_totp_new(linked.totp_secret, DOCSPACE_TOTP_ALGORITHM_SHA1, 6, 30, &totp, &error);
    expect("totp_new", NULL, r, DOCSPACE_RESULT_OK, error);
    error = NULL;
    r = docspace_totp_generate(totp, 0, code, 3, &error);
    expect("totp_generate into 3 bytes", NULL, r, DOCSPACE_RESULT_BUFFER_TOO_SMALL, error);
    error = NULL;
    r = docspace_totp_to_uri(totp, "ACME", linked.email, &s, &error);
    expect("totp_to_uri", NULL, r, DOCSPACE_RESULT_OK, error);
    secret("otpauth URI", s, 0);
    docspace_string_free(s);
    docspace_totp_free(totp);

    /* a client that cannot reach the portal */
    {
        docspace_client *offline = NULL;
        char offline_url[64];
        snprintf(offline_url, sizeof offline_url, "http://127.0.0.1:%u", closed_port());
        docspace_client_new(offline_url, &offline, NULL);
        error = NULL;
        r = docspace_client_login(offline, linked.email, linked.password, &login, &error);
        expect("login: connection refused", offline, r, DOCSPACE_RESULT_NETWORK, error);
        docspace_client_free(offline);
    }
    /* client creation failures quoting nothing of the URL's credentials */
    snprintf(bad, sizeof bad, "https://%s:%s@portal.example.com", plain.email, plain.password);
    {
        docspace_client *never = NULL;
        error = NULL;
        r = docspace_client_new(bad, &never, &error);
        expect("client_new with credentials in the URL", NULL, r, DOCSPACE_RESULT_INVALID_ARGUMENT, error);
        docspace_client_free(never);
    }

    docspace_session_free(session);
    docspace_session_free(session2);
    docspace_session_free(stale);
    docspace_session_free(api);
    docspace_challenge_free(challenge);
    docspace_policy_free(policy);
    docspace_client_free(client);
}

/* ---- 2. the demo ------------------------------------------------------------------------------------ */

/* Run `argv`, return its exit status and its stdout + stderr in `*output` (malloc'd). */
static int run_capture(char *const argv[], char **output) {
    int pipefd[2], status = -1;
    size_t used = 0, cap = 65536;
    char *buf = malloc(cap);
    pid_t pid;
    if (buf == NULL || pipe(pipefd) != 0) return -1;
    pid = fork();
    if (pid == 0) {
        close(pipefd[0]);
        dup2(pipefd[1], STDOUT_FILENO);
        dup2(pipefd[1], STDERR_FILENO);
        close(pipefd[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pipefd[1]);
    for (;;) {
        ssize_t n;
        if (cap - used < 4096) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) break;
            buf = bigger;
            cap *= 2;
        }
        n = read(pipefd[0], buf + used, cap - used - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        used += (size_t)n;
    }
    close(pipefd[0]);
    buf[used] = '\0';
    waitpid(pid, &status, 0);
    *output = buf;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* The secrets the emulator knows about a user now: TOTP secret and backup codes. */
static void server_secrets(const char *email) {
    char state[4096], value[64], codes[16][32];
    size_t n, i;
    if (emu_user_state(url, email, state, sizeof state) != 200) return;
    if (json_string(state, "totp_secret", value, sizeof value)) secret("TOTP secret (emulator)", value, 0);
    n = json_codes(state, codes, 16);
    for (i = 0; i < n; i++) secret("backup code (emulator)", codes[i], 1);
}

/* Every TOTP code of `totp_secret` from `from` to `to` (+/- 2 steps). */
static void codes_between(const char *totp_secret, time_t from, time_t to) {
    time_t t;
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    if (!totp_secret || !*totp_secret) return;
    for (t = from - 60; t <= to + 60; t += 30)
        if (docspace_totp_code_at(totp_secret, (int64_t)t, code, sizeof code, NULL) == DOCSPACE_RESULT_OK)
            secret("TOTP code (demo)", code, 1);
}

static int demo(const char *program, const char *label, int want_status, const char *flag1, const char *flag2,
                const char *user, const char *password, const char *totp_secret, const char *target) {
    char *argv[10], *output = NULL, l[96];
    int argc = 0, status;
    argv[argc++] = (char *)program;
    if (flag1) argv[argc++] = (char *)flag1;
    if (flag2) argv[argc++] = (char *)flag2;
    argv[argc++] = (char *)(target ? target : url);
    argv[argc++] = (char *)user;
    argv[argc++] = (char *)password;
    if (totp_secret) argv[argc++] = (char *)totp_secret;
    argv[argc] = NULL;
    status = run_capture(argv, &output);
    CHECK(status == want_status, "demo %s: exit status %d (got %d)", label, want_status, status);
    if (status != want_status) printf("%s", output);
    snprintf(l, sizeof l, "demo %s (stdout+stderr)", label);
    see(l, output);
    free(output);
    return n_seen - 1;
}

static void demo_runs(const char *program) {
    emu_user d_linked, d_setup, d_plain;
    char email[128], password[96], wrong[96], offline_url[64], other_secret[] = "MFRGGZDFMZTWQ2LK";
    time_t started = time(NULL);
    int first = n_seen, control, leaks;

    printf("# 2. the C demo (%s) without --show-secrets\n", program);
    snprintf(password, sizeof password, "Pw-LEAKCHECK-demo-%u", tag);
    snprintf(email, sizeof email, "leakcheck-demo-linked-%u@example.com", tag);
    CHECK(emu_add_user(url, email, password, "linked", &d_linked), "add %s", email);
    snprintf(email, sizeof email, "leakcheck-demo-setup-%u@example.com", tag);
    CHECK(emu_add_user(url, email, password, "not_linked", &d_setup), "add %s", email);
    snprintf(email, sizeof email, "leakcheck-demo-plain-%u@example.com", tag);
    CHECK(emu_add_user(url, email, password, "no_tfa", &d_plain), "add %s", email);
    snprintf(wrong, sizeof wrong, "Pw-LEAKCHECK-demo-wrong-%u", tag);
    secret("password (demo)", password, 0);
    secret("rejected password (demo)", wrong, 0);
    secret("API key (demo)", d_linked.api_key, 0);
    secret("API key (demo)", d_plain.api_key, 0);
    server_secrets(d_linked.email); /* the backup codes before regeneration */

    demo(program, "flow 1+3: TOTP sign-in, backup codes regenerated", 0, "--regenerate-backup-codes", NULL,
         d_linked.email, password, d_linked.totp_secret, NULL);
    demo(program, "flow 2: not linked, without --link", 0, NULL, NULL, d_setup.email, password, NULL, NULL);
    demo(program, "flow 2: link an app", 0, "--link", NULL, d_setup.email, password, NULL, NULL);
    demo(program, "no 2FA", 0, NULL, NULL, d_plain.email, password, NULL, NULL);
    demo(program, "wrong password", 1, NULL, NULL, d_plain.email, wrong, NULL, NULL);
    demo(program, "wrong TOTP secret (code refused)", 1, NULL, NULL, d_linked.email, password, other_secret, NULL);
    demo(program, "malformed TOTP secret", 1, NULL, NULL, d_linked.email, password, "LEAKCHECK1SECRET", NULL);
    secret("malformed TOTP secret (demo)", "LEAKCHECK1SECRET", 0);
    snprintf(offline_url, sizeof offline_url, "http://127.0.0.1:%u", closed_port());
    demo(program, "portal unreachable", 1, NULL, NULL, d_plain.email, password, NULL, offline_url);
    CHECK(fault("{\"path\":\"/api/2.0/authentication\",\"status\":503,\"body\":\"html\",\"retry_after\":\"7\"}"),
          "fault queued");
    demo(program, "portal failing (503)", 1, NULL, NULL, d_plain.email, password, NULL, NULL);
    CHECK(fault("{\"path\":\"/api/2.0/settings/tfaappcodes\",\"status\":500}"), "fault queued");
    demo(program, "backup codes failing (500)", 1, NULL, NULL, d_linked.email, password, d_linked.totp_secret, NULL);

    /* What the emulator knows now: the setup user's secret, every user's current codes. */
    server_secrets(d_linked.email);
    server_secrets(d_setup.email);
    codes_between(d_linked.totp_secret, started, time(NULL));
    {
        char state[4096], value[64];
        if (emu_user_state(url, d_setup.email, state, sizeof state) == 200 &&
            json_string(state, "totp_secret", value, sizeof value))
            codes_between(value, started, time(NULL));
    }
    leaks = scan(first, 0);
    CHECK(leaks == 0, "the demo's output (%d runs) shows no secret: %d leak(s)", n_seen - first, leaks);

    /* Positive control: with --show-secrets the same scan finds the backup codes it prints. */
    control = demo(program, "--show-secrets (control)", 0, "--show-secrets", NULL, d_linked.email, password,
                   d_linked.totp_secret, NULL);
    server_secrets(d_linked.email);
    leaks = scan(control, 1);
    CHECK(leaks >= 5, "control: with --show-secrets the scan finds the secrets (%d found)", leaks);
    free(seen[control].text);
    n_seen = control; /* not part of the final scan */
}

int main(int argc, char **argv) {
    char email[128], password[96];
    int leaks, i;

    if (argc < 3) {
        fprintf(stderr, "usage: tests/c/with-emulator.sh %s DEMO_PROGRAM\n", argv[0]);
        return 2;
    }
    url = argv[1];
    tag = (unsigned)getpid() ^ ((unsigned)time(NULL) << 8);

    snprintf(password, sizeof password, "Pw-LEAKCHECK-%08x", tag);
    snprintf(email, sizeof email, "leakcheck-linked-%u@example.com", tag);
    CHECK(emu_add_user(url, email, password, "linked", &linked), "add %s", email);
    snprintf(email, sizeof email, "leakcheck-linked2-%u@example.com", tag);
    CHECK(emu_add_user(url, email, password, "linked", &linked2), "add %s", email);
    snprintf(email, sizeof email, "leakcheck-setup-%u@example.com", tag);
    CHECK(emu_add_user(url, email, password, "not_linked", &setup_u), "add %s", email);
    snprintf(email, sizeof email, "leakcheck-plain-%u@example.com", tag);
    CHECK(emu_add_user(url, email, password, "no_tfa", &plain), "add %s", email);
    if (checks_failed) return check_summary("test_secrets");
    secret("password", password, 0);
    secret("TOTP secret", linked.totp_secret, 0);
    secret("TOTP secret", linked2.totp_secret, 0);
    secret("API key", linked.api_key, 0);

    library_flows();
    leaks = scan(0, 0);
    CHECK(leaks == 0, "%d strings the C ABI showed hold none of %d secrets: %d leak(s)", n_seen, n_secrets, leaks);

    demo_runs(argv[2]);
    printf("test_secrets: %d secrets checked against %d shown strings/outputs\n", n_secrets, n_seen);
    for (i = 0; i < n_secrets; i++) free(secrets[i].value);
    for (i = 0; i < n_seen; i++) free(seen[i].text);
    return check_summary("test_secrets");
}
