/*
 * test_bad_input: table-driven bad input through the C ABI.
 *
 * One table row per case: an exported function, the argument the case is about, what is put
 * there (NULL, invalid UTF-8, "", a 1 MiB string, a given string or number) and the exact
 * result expected. Every other argument is valid. Covered:
 *   - NULL for every pointer argument of every exported function (NULL_PARAMETER and an
 *     error message naming the argument; neutral values for the accessors; no-ops for the
 *     _free functions; OK where NULL is documented as allowed);
 *   - invalid UTF-8, empty and 1 MiB strings in every string argument;
 *   - codes and user ids with `/`, `?`, `#`, `%`, `..`, spaces and control characters:
 *     INVALID_ARGUMENT before any request (see "sentinel" below), also against the emulator;
 *   - base URLs that are not URLs, other schemes, user info, query, fragment, 1 MiB;
 *   - out-of-range enum values, indices, times, digits, periods, buffer sizes;
 *   - handles used after the client (and the login) they came from were freed: every
 *     fixture handle the table uses was made by a client that is freed before the table
 *     runs, and test_after_free() finishes flows with them on another client.
 *
 * Every case also checks: `*error_out` (when passed) carries the same result, the client's
 * last error agrees, outputs are left untouched on failure and written on success, and no
 * connection reached the "sentinel" -- the cases run on a client whose base URL is a local
 * listener that only counts connections (a request that should never have been sent fails
 * the case). Cases that must reach the network run on a client for a closed port (NETWORK).
 *
 * `test_bad_input --list` prints the functions (with their parameter names) and the cases;
 * tests/c/check-bad-input-coverage.py compares that with include/docspace_auth.h so that no
 * exported function or pointer / string / integer argument can be left out.
 *
 * usage: tests/c/with-emulator.sh test_bad_input     (argv[1]: the emulator URL)
 *        test_bad_input --list
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <time.h>

#include "check.h"
#include "emulator.h"

enum { BIG_LEN = 1 << 20 };
static const char BAD_UTF8[] = "\xff\xfe\xc3\x28";
static char *big;          /* 1 MiB of 'a' */
static char *big_url;      /* https://portal.example.com/aaaa... (1 MiB) */
static char sentinel_byte; /* outputs start out pointing here */
#define SENT ((void *)&sentinel_byte)

/* ---- the state a case runs with ------------------------------------------------------------ */

static struct {
    /* clients */
    docspace_client *client;   /* the one the current case uses */
    docspace_client *sentinel; /* base URL = a listener that counts connections */
    docspace_client *offline;  /* base URL = a closed port: requests give NETWORK */
    docspace_client *live;     /* the emulator */
    int sentinel_fd;
    /* fixture handles, made by a client that is freed before the table runs */
    docspace_login *login_code;  /* CODE_REQUIRED (linked@) */
    docspace_login *login_setup; /* SETUP_REQUIRED (setup@) */
    docspace_login *login_auth;  /* AUTHENTICATED (plain@) */
    docspace_login *login_sms;   /* SMS_REQUIRED (sms@) */
    docspace_challenge *challenge_auth, *challenge_act;
    docspace_session *session;     /* a bogus login token */
    docspace_session *session_api; /* a bogus API key */
    docspace_setup *setup;
    docspace_codes *codes;
    docspace_policy *policy;
    docspace_error *error; /* a 401 from the portal: status and server message */
    docspace_totp *totp;
    /* the current case */
    int target;               /* index of the argument the case replaces, -1 for none */
    const char *str;          /* its replacement when it is a string */
    const char *const *array; /* ... when it is a string array */
    size_t array_len;
    uint64_t num; /* ... when it is a number */
    int out_problem;
} C;

/* Argument i: NULL (or the case's string / array / number) when the case is about it. */
#define P(i, v) (C.target == (i) ? NULL : (v))
#define S(i, v) (C.target == (i) ? C.str : (v))
#define E(i) (C.target == (i) ? NULL : err)
#define N(i, type, v) (C.target == (i) ? (type)C.num : (v))

/* An output handle/string: unchanged on failure, written on success (then freed). */
#define OUT(r, i, var, freefn)                                                                 \
    do {                                                                                       \
        if (C.target == (i)) break;                                                            \
        if ((r) != DOCSPACE_RESULT_OK) {                                                       \
            if ((void *)(var) != SENT) C.out_problem |= 1;                                     \
        } else if ((void *)(var) == SENT) {                                                    \
            C.out_problem |= 2;                                                                \
        } else {                                                                               \
            freefn(var);                                                                       \
        }                                                                                      \
    } while (0)
#define NOFREE(x) ((void)(x))

/* Whether a string the library returned is valid UTF-8 (the ABI promises UTF-8 strings). */
static int utf8_valid(const char *text) {
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        int n = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;
        if (n < 0 || (n == 1 && *p < 0xc2)) return 0;
        for (p++; n > 0; n--, p++)
            if ((*p & 0xc0) != 0x80) return 0;
    }
    return 1;
}
static void string_done(char *s) {
    if (s != NULL && !utf8_valid(s)) C.out_problem |= 4;
    docspace_string_free(s);
}
/* A string output: as OUT, and valid UTF-8 on success. */
#define OUTS(r, i, var) OUT(r, i, var, string_done)

/* A code buffer: filled with 'X', unchanged on failure. */
#define BUF_INIT(buf) memset((buf), 'X', sizeof(buf))
static void buf_check(docspace_result r, int i, const char *buf, size_t len) {
    size_t k;
    if (C.target == i || r == DOCSPACE_RESULT_OK) return;
    for (k = 0; k < len; k++)
        if (buf[k] != 'X') C.out_problem |= 1;
}

typedef int64_t (*call_fn)(docspace_error **err);

enum { RET_RESULT, RET_VALUE, RET_PTR, RET_VOID };

/* An exported function: its wrapper, what it returns, its parameters in header order. */
typedef struct {
    const char *name;
    call_fn call;
    int ret;
    const char *params[12];
} api_fn;

static const char *const VALID_GUID = "975224eb-3934-4293-9186-ded6a493e29f";
static const char *const SECRET = "LJVTCTSWGJYEOYSV";

/* ---- wrappers: one per exported function, in header order ---------------------------------- */

static int64_t w_challenge_confirm_type(docspace_error **err) {
    (void)err;
    return docspace_challenge_confirm_type(P(0, C.challenge_auth));
}
#define CHALLENGE_STRING(fn)                                                                   \
    static int64_t w_##fn(docspace_error **err) {                                              \
        char *s = SENT;                                                                        \
        docspace_result r = docspace_##fn(P(0, C.challenge_act), P(1, &s));                    \
        (void)err;                                                                             \
        OUT(r, 1, s, string_done);                                                    \
        return r;                                                                              \
    }
CHALLENGE_STRING(challenge_user_id)
CHALLENGE_STRING(challenge_user_name)
CHALLENGE_STRING(challenge_confirm_url)
CHALLENGE_STRING(challenge_secret)
CHALLENGE_STRING(challenge_otpauth_uri)
static int64_t w_challenge_free(docspace_error **err) {
    (void)err;
    docspace_challenge_free(P(0, NULL));
    return 0;
}

static int64_t w_client_new(docspace_error **err) {
    docspace_client *client = SENT;
    docspace_result r = docspace_client_new(S(0, "https://portal.example.com"), P(1, &client), E(2));
    OUT(r, 1, client, docspace_client_free);
    return r;
}
static int64_t w_client_new_with_options(docspace_error **err) {
    docspace_client *client = SENT;
    docspace_options *options = NULL;
    docspace_result r;
    docspace_options_new(&options);
    r = docspace_client_new_with_options(S(0, "https://portal.example.com"), P(1, options), P(2, &client), E(3));
    OUT(r, 2, client, docspace_client_free);
    docspace_options_free(options);
    return r;
}
static int64_t w_client_free(docspace_error **err) {
    (void)err;
    docspace_client_free(P(0, NULL));
    return 0;
}
static int64_t w_client_base_url(docspace_error **err) {
    (void)err;
    return docspace_client_base_url(P(0, C.client)) != NULL;
}
static int64_t w_client_last_error(docspace_error **err) {
    (void)err;
    return docspace_client_last_error(P(0, C.client)) != NULL;
}
static int64_t w_client_last_result(docspace_error **err) {
    (void)err;
    return docspace_client_last_result(P(0, C.client));
}
static int64_t w_client_last_status(docspace_error **err) {
    (void)err;
    return docspace_client_last_status(P(0, C.client));
}
static int64_t w_client_last_retry_after(docspace_error **err) {
    (void)err;
    return docspace_client_last_retry_after(P(0, C.client));
}
static int64_t w_client_last_server_message(docspace_error **err) {
    (void)err;
    return docspace_client_last_server_message(P(0, C.client)) != NULL;
}
static int64_t w_client_login(docspace_error **err) {
    docspace_login *login = SENT;
    docspace_result r =
        docspace_client_login(P(0, C.client), S(1, "user@example.com"), S(2, "Pw-123"), P(3, &login), E(4));
    OUT(r, 3, login, docspace_login_free);
    return r;
}
static int64_t w_client_login_with_code(docspace_error **err) {
    docspace_session *session = SENT;
    docspace_result r = docspace_client_login_with_code(P(0, C.client), S(1, "user@example.com"), S(2, "Pw-123"),
                                                        S(3, "123456"), P(4, &session), E(5));
    OUT(r, 4, session, docspace_session_free);
    return r;
}
static int64_t w_client_setup_app(docspace_error **err) {
    docspace_setup *setup = SENT;
    docspace_result r = docspace_client_setup_app(P(0, C.client), P(1, C.challenge_act), P(2, &setup), E(3));
    OUT(r, 2, setup, docspace_setup_free);
    return r;
}
static int64_t w_client_validate_app(docspace_error **err) {
    docspace_session *session = SENT;
    bool linked_now = false;
    docspace_result r = docspace_client_validate_app(P(0, C.client), P(1, C.challenge_auth), S(2, "123456"),
                                                     P(3, &linked_now), P(4, &session), E(5));
    OUT(r, 4, session, docspace_session_free);
    return r;
}
#define SESSION_CODES(fn)                                                                      \
    static int64_t w_##fn(docspace_error **err) {                                              \
        docspace_codes *codes = SENT;                                                          \
        docspace_result r = docspace_##fn(P(0, C.client), P(1, C.session), P(2, &codes), E(3)); \
        OUT(r, 2, codes, docspace_codes_free);                                                 \
        return r;                                                                              \
    }
SESSION_CODES(client_backup_codes)
SESSION_CODES(client_regenerate_backup_codes)
static int64_t w_client_logout(docspace_error **err) {
    return docspace_client_logout(P(0, C.client), P(1, C.session), E(2));
}
static int64_t w_client_is_authenticated(docspace_error **err) {
    bool authenticated = true;
    return docspace_client_is_authenticated(P(0, C.client), P(1, C.session), P(2, &authenticated), E(3));
}
static int64_t w_client_tfa_policy(docspace_error **err) {
    docspace_policy *policy = SENT;
    docspace_result r = docspace_client_tfa_policy(P(0, C.client), P(1, C.session), P(2, &policy), E(3));
    OUT(r, 2, policy, docspace_policy_free);
    return r;
}
static int64_t w_client_set_tfa_policy(docspace_error **err) {
    static const char *const ips[] = {"10.0.0.1", "192.168.0.0/24"};
    static const char *const users[] = {"975224eb-3934-4293-9186-ded6a493e29f"};
    /* 0 client, 1 session, 2 method, 3 trusted_ips, 4 _len, 5 mandatory_users, 6 _len,
     * 7 mandatory_groups, 8 _len, 9 enabled_out, 10 error_out */
    const char *const *lists[3] = {ips, users, NULL};
    size_t lens[3] = {2, 1, 0};
    bool enabled = false;
    int i;
    for (i = 0; i < 3; i++) {
        if (C.target == 3 + 2 * i) {
            lists[i] = C.array;
            lens[i] = C.array_len;
        } else if (C.target == 4 + 2 * i) {
            lens[i] = (size_t)C.num;
        }
    }
    return docspace_client_set_tfa_policy(P(0, C.client), P(1, C.session), N(2, uint32_t, DOCSPACE_TFA_METHOD_APP),
                                          lists[0], lens[0], lists[1], lens[1], lists[2], lens[2], P(9, &enabled),
                                          E(10));
}
static int64_t w_client_confirm_context(docspace_error **err) {
    docspace_challenge *challenge = SENT;
    docspace_result r = docspace_client_confirm_context(P(0, C.client), P(1, C.session), P(2, &challenge), E(3));
    OUT(r, 2, challenge, docspace_challenge_free);
    return r;
}
static int64_t w_client_reset_app(docspace_error **err) {
    docspace_session *session = SENT;
    docspace_challenge *challenge = SENT;
    docspace_result r = docspace_client_reset_app(P(0, C.client), P(1, C.session), S(2, VALID_GUID), P(3, &session),
                                                  P(4, &challenge), E(5));
    OUT(r, 3, session, docspace_session_free);
    OUT(r, 4, challenge, docspace_challenge_free);
    return r;
}

static int64_t w_codes_count(docspace_error **err) {
    (void)err;
    return (int64_t)docspace_codes_count(P(0, C.codes));
}
static int64_t w_codes_unused_count(docspace_error **err) {
    (void)err;
    return (int64_t)docspace_codes_unused_count(P(0, C.codes));
}
static int64_t w_codes_get(docspace_error **err) {
    char *code = SENT;
    bool used = true;
    docspace_result r = docspace_codes_get(P(0, C.codes), N(1, size_t, 0), P(2, &code), P(3, &used));
    (void)err;
    OUT(r, 2, code, string_done);
    return r;
}
static int64_t w_codes_free(docspace_error **err) {
    (void)err;
    docspace_codes_free(P(0, NULL));
    return 0;
}

static int64_t w_error_result(docspace_error **err) {
    (void)err;
    return docspace_error_result(P(0, C.error));
}
static int64_t w_error_message(docspace_error **err) {
    (void)err;
    return docspace_error_message(P(0, C.error)) != NULL;
}
static int64_t w_error_status(docspace_error **err) {
    (void)err;
    return docspace_error_status(P(0, C.error));
}
static int64_t w_error_server_message(docspace_error **err) {
    (void)err;
    return docspace_error_server_message(P(0, C.error)) != NULL;
}
static int64_t w_error_retry_after(docspace_error **err) {
    (void)err;
    return docspace_error_retry_after(P(0, C.error));
}
static int64_t w_error_free(docspace_error **err) {
    (void)err;
    docspace_error_free(P(0, NULL));
    return 0;
}

static int64_t w_login_get_kind(docspace_error **err) {
    (void)err;
    return docspace_login_get_kind(P(0, C.login_code));
}
static int64_t w_login_session(docspace_error **err) {
    docspace_session *session = SENT;
    docspace_result r = docspace_login_session(P(0, C.login_auth), P(1, &session));
    (void)err;
    OUT(r, 1, session, docspace_session_free);
    return r;
}
static int64_t w_login_challenge(docspace_error **err) {
    docspace_challenge *challenge = SENT;
    docspace_result r = docspace_login_challenge(P(0, C.login_code), P(1, &challenge));
    (void)err;
    OUT(r, 1, challenge, docspace_challenge_free);
    return r;
}
#define LOGIN_SMS_STRING(fn)                                                                   \
    static int64_t w_##fn(docspace_error **err) {                                              \
        char *s = SENT;                                                                        \
        docspace_result r = docspace_##fn(P(0, C.login_sms), P(1, &s));                        \
        (void)err;                                                                             \
        OUT(r, 1, s, string_done);                                                    \
        return r;                                                                              \
    }
LOGIN_SMS_STRING(login_sms_phone_noise)
LOGIN_SMS_STRING(login_sms_expires)
LOGIN_SMS_STRING(login_sms_confirm_url)
static int64_t w_login_free(docspace_error **err) {
    (void)err;
    docspace_login_free(P(0, NULL));
    return 0;
}

static int64_t w_options_new(docspace_error **err) {
    docspace_options *options = SENT;
    docspace_result r = docspace_options_new(P(0, &options));
    (void)err;
    OUT(r, 0, options, docspace_options_free);
    return r;
}
/* Setters: a fresh options object per call (the setters only store). */
#define OPTIONS_SETTER(fn, arg)                                                                \
    static int64_t w_##fn(docspace_error **err) {                                              \
        docspace_options *options = NULL;                                                      \
        docspace_result r;                                                                     \
        (void)err;                                                                             \
        docspace_options_new(&options);                                                        \
        r = docspace_##fn(P(0, options), arg);                                                 \
        docspace_options_free(options);                                                        \
        return r;                                                                              \
    }
OPTIONS_SETTER(options_set_timeout_ms, N(1, uint64_t, 1000))
OPTIONS_SETTER(options_set_connect_timeout_ms, N(1, uint64_t, 1000))
OPTIONS_SETTER(options_set_ca_file, S(1, "/etc/ssl/certs/ca-certificates.crt"))
OPTIONS_SETTER(options_set_ca_pem, S(1, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
OPTIONS_SETTER(options_set_allow_insecure_http, true)
OPTIONS_SETTER(options_set_user_agent, S(1, "bad-input-test/1.0"))
OPTIONS_SETTER(options_set_max_response_bytes, N(1, size_t, 65536))
OPTIONS_SETTER(options_set_no_proxy, true)
static int64_t w_options_free(docspace_error **err) {
    (void)err;
    docspace_options_free(P(0, NULL));
    return 0;
}

static int64_t w_policy_enabled_method(docspace_error **err) {
    (void)err;
    return docspace_policy_enabled_method(P(0, C.policy));
}
static int64_t w_policy_available(docspace_error **err) {
    bool flag = false;
    (void)err;
    return docspace_policy_available(P(0, C.policy), N(1, uint32_t, DOCSPACE_TFA_METHOD_APP), P(2, &flag));
}
static int64_t w_policy_enabled(docspace_error **err) {
    bool flag = false;
    (void)err;
    return docspace_policy_enabled(P(0, C.policy), N(1, uint32_t, DOCSPACE_TFA_METHOD_APP), P(2, &flag));
}
static int64_t w_policy_title(docspace_error **err) {
    char *title = SENT;
    docspace_result r = docspace_policy_title(P(0, C.policy), N(1, uint32_t, DOCSPACE_TFA_METHOD_APP), P(2, &title));
    (void)err;
    OUT(r, 2, title, string_done);
    return r;
}
static int64_t w_policy_list_len(docspace_error **err) {
    (void)err;
    return (int64_t)docspace_policy_list_len(P(0, C.policy), N(1, uint32_t, DOCSPACE_TFA_METHOD_APP),
                                             N(2, uint32_t, DOCSPACE_POLICY_LIST_TRUSTED_IPS));
}
static int64_t w_policy_list_get(docspace_error **err) {
    char *value = SENT;
    docspace_result r = docspace_policy_list_get(P(0, C.policy), N(1, uint32_t, DOCSPACE_TFA_METHOD_APP),
                                                 N(2, uint32_t, DOCSPACE_POLICY_LIST_TRUSTED_IPS), N(3, size_t, 0),
                                                 P(4, &value));
    (void)err;
    OUT(r, 4, value, string_done);
    return r;
}
static int64_t w_policy_free(docspace_error **err) {
    (void)err;
    docspace_policy_free(P(0, NULL));
    return 0;
}

static int64_t w_result_name(docspace_error **err) {
    (void)err;
    return docspace_result_name(N(0, uint32_t, DOCSPACE_RESULT_OK)) != NULL;
}
static int64_t w_result_str(docspace_error **err) {
    const char *s = docspace_result_str(N(0, uint32_t, DOCSPACE_RESULT_OK));
    (void)err;
    if (s == NULL) return -1;
    return strcmp(s, "unknown result") == 0 ? 0 : 1; /* 0: the fallback text */
}
static int64_t w_result_kind_name(docspace_error **err) {
    (void)err;
    return docspace_result_kind_name(N(0, uint32_t, DOCSPACE_RESULT_NETWORK)) != NULL;
}
static int64_t w_result_is_retryable(docspace_error **err) {
    (void)err;
    return docspace_result_is_retryable(N(0, uint32_t, DOCSPACE_RESULT_NETWORK));
}

static int64_t w_session_new(docspace_error **err) {
    docspace_session *session = SENT;
    docspace_result r = docspace_session_new(S(0, "stored-token"), P(1, &session), E(2));
    OUT(r, 1, session, docspace_session_free);
    return r;
}
static int64_t w_session_new_api_key(docspace_error **err) {
    docspace_session *session = SENT;
    docspace_result r = docspace_session_new_api_key(S(0, "sk-0123456789"), P(1, &session), E(2));
    OUT(r, 1, session, docspace_session_free);
    return r;
}
static int64_t w_session_is_api_key(docspace_error **err) {
    (void)err;
    return docspace_session_is_api_key(P(0, C.session_api));
}
#define SESSION_STRING(fn)                                                                     \
    static int64_t w_##fn(docspace_error **err) {                                              \
        char *s = SENT;                                                                        \
        docspace_result r = docspace_##fn(P(0, C.session), P(1, &s));                          \
        (void)err;                                                                             \
        OUT(r, 1, s, string_done);                                                    \
        return r;                                                                              \
    }
SESSION_STRING(session_token)
SESSION_STRING(session_expires)
SESSION_STRING(session_user_id)
static int64_t w_session_free(docspace_error **err) {
    (void)err;
    docspace_session_free(P(0, NULL));
    return 0;
}

#define SETUP_STRING(fn)                                                                       \
    static int64_t w_##fn(docspace_error **err) {                                              \
        char *s = SENT;                                                                        \
        docspace_result r = docspace_##fn(P(0, C.setup), P(1, &s));                            \
        (void)err;                                                                             \
        OUT(r, 1, s, string_done);                                                    \
        return r;                                                                              \
    }
SETUP_STRING(setup_account)
SETUP_STRING(setup_manual_entry_key)
SETUP_STRING(setup_otpauth_uri)
static int64_t w_setup_qr_png(docspace_error **err) {
    const uint8_t *data = SENT;
    size_t len = 12345;
    docspace_result r = docspace_setup_qr_png(P(0, C.setup), P(1, &data), P(2, &len));
    (void)err;
    OUT(r, 1, data, NOFREE);
    if (r != DOCSPACE_RESULT_OK && len != 12345) C.out_problem |= 1;
    return r;
}
static int64_t w_setup_free(docspace_error **err) {
    (void)err;
    docspace_setup_free(P(0, NULL));
    return 0;
}
static int64_t w_string_free(docspace_error **err) {
    (void)err;
    docspace_string_free(P(0, NULL));
    return 0;
}
static int64_t w_version(docspace_error **err) {
    (void)err;
    return str_eq(docspace_version(), DOCSPACE_VERSION_STRING);
}

static int64_t w_totp_code_at(docspace_error **err) {
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    docspace_result r;
    BUF_INIT(code);
    r = docspace_totp_code_at(S(0, SECRET), N(1, int64_t, 1767225600), P(2, code),
                              N(3, size_t, sizeof code), E(4));
    buf_check(r, 2, code, sizeof code);
    return r;
}
static int64_t w_totp_code_now(docspace_error **err) {
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    docspace_result r;
    BUF_INIT(code);
    r = docspace_totp_code_now(S(0, SECRET), P(1, code), N(2, size_t, sizeof code), E(3));
    buf_check(r, 1, code, sizeof code);
    return r;
}
static int64_t w_totp_verify_at(docspace_error **err) {
    bool matched = false;
    int32_t offset = 0;
    return docspace_totp_verify_at(S(0, SECRET), S(1, "123456"), N(2, int64_t, 1767225600), N(3, uint32_t, 1),
                                   P(4, &matched), P(5, &offset), E(6));
}
static int64_t w_totp_seconds_remaining_at(docspace_error **err) {
    uint32_t seconds = 0;
    return docspace_totp_seconds_remaining_at(N(0, int64_t, 1767225600), N(1, uint32_t, 30), P(2, &seconds), E(3));
}
static int64_t w_totp_new(docspace_error **err) {
    docspace_totp *totp = SENT;
    docspace_result r = docspace_totp_new(S(0, SECRET), N(1, uint32_t, DOCSPACE_TOTP_ALGORITHM_SHA1),
                                          N(2, uint32_t, 6), N(3, uint32_t, 30), P(4, &totp), E(5));
    OUT(r, 4, totp, docspace_totp_free);
    return r;
}
static int64_t w_totp_from_uri(docspace_error **err) {
    docspace_totp *totp = SENT;
    char *issuer = SENT, *account = SENT;
    docspace_result r = docspace_totp_from_uri(S(0, "otpauth://totp/ACME:ann@acme.test?secret=LJVTCTSWGJYEOYSV"),
                                               P(1, &totp), P(2, &issuer), P(3, &account), E(4));
    OUT(r, 1, totp, docspace_totp_free);
    OUT(r, 2, issuer, string_done);
    OUT(r, 3, account, string_done);
    return r;
}
static int64_t w_totp_generate(docspace_error **err) {
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    docspace_result r;
    BUF_INIT(code);
    r = docspace_totp_generate(P(0, C.totp), N(1, int64_t, 1767225600), P(2, code), N(3, size_t, sizeof code), E(4));
    buf_check(r, 2, code, sizeof code);
    return r;
}
static int64_t w_totp_check(docspace_error **err) {
    bool matched = false;
    int32_t offset = 0;
    return docspace_totp_check(P(0, C.totp), S(1, "123456"), N(2, int64_t, 1767225600), N(3, uint32_t, 1),
                               P(4, &matched), P(5, &offset), E(6));
}
static int64_t w_totp_seconds_remaining(docspace_error **err) {
    uint32_t seconds = 0;
    return docspace_totp_seconds_remaining(P(0, C.totp), N(1, int64_t, 1767225600), P(2, &seconds), E(3));
}
static int64_t w_totp_to_uri(docspace_error **err) {
    char *uri = SENT;
    docspace_result r = docspace_totp_to_uri(P(0, C.totp), S(1, "ACME"), S(2, "ann@acme.test"), P(3, &uri), E(4));
    OUT(r, 3, uri, string_done);
    return r;
}
static int64_t w_totp_get_algorithm(docspace_error **err) {
    (void)err;
    return docspace_totp_get_algorithm(P(0, C.totp));
}
static int64_t w_totp_digits(docspace_error **err) {
    (void)err;
    return docspace_totp_digits(P(0, C.totp));
}
static int64_t w_totp_period(docspace_error **err) {
    (void)err;
    return docspace_totp_period(P(0, C.totp));
}
static int64_t w_totp_free(docspace_error **err) {
    (void)err;
    docspace_totp_free(P(0, NULL));
    return 0;
}

/* ---- the functions ----------------------------------------------------------------------------- */

#define FN(id, ret, ...) static const api_fn F_##id = {"docspace_" #id, w_##id, ret, {__VA_ARGS__, NULL}}
#define FN0(id, ret) static const api_fn F_##id = {"docspace_" #id, w_##id, ret, {NULL}}

FN(challenge_confirm_type, RET_VALUE, "challenge");
FN(challenge_user_id, RET_RESULT, "challenge", "out");
FN(challenge_user_name, RET_RESULT, "challenge", "out");
FN(challenge_confirm_url, RET_RESULT, "challenge", "out");
FN(challenge_secret, RET_RESULT, "challenge", "out");
FN(challenge_otpauth_uri, RET_RESULT, "challenge", "out");
FN(challenge_free, RET_VOID, "challenge");
FN(client_new, RET_RESULT, "base_url", "client_out", "error_out");
FN(client_new_with_options, RET_RESULT, "base_url", "options", "client_out", "error_out");
FN(client_free, RET_VOID, "client");
FN(client_base_url, RET_PTR, "client");
FN(client_last_error, RET_PTR, "client");
FN(client_last_result, RET_RESULT, "client");
FN(client_last_status, RET_VALUE, "client");
FN(client_last_retry_after, RET_VALUE, "client");
FN(client_last_server_message, RET_PTR, "client");
FN(client_login, RET_RESULT, "client", "user", "password", "login_out", "error_out");
FN(client_login_with_code, RET_RESULT, "client", "user", "password", "code", "session_out", "error_out");
FN(client_setup_app, RET_RESULT, "client", "challenge", "setup_out", "error_out");
FN(client_validate_app, RET_RESULT, "client", "challenge", "code", "linked_now_out", "session_out", "error_out");
FN(client_backup_codes, RET_RESULT, "client", "session", "codes_out", "error_out");
FN(client_regenerate_backup_codes, RET_RESULT, "client", "session", "codes_out", "error_out");
FN(client_logout, RET_RESULT, "client", "session", "error_out");
FN(client_is_authenticated, RET_RESULT, "client", "session", "authenticated_out", "error_out");
FN(client_tfa_policy, RET_RESULT, "client", "session", "policy_out", "error_out");
FN(client_set_tfa_policy, RET_RESULT, "client", "session", "method", "trusted_ips", "trusted_ips_len",
   "mandatory_users", "mandatory_users_len", "mandatory_groups", "mandatory_groups_len", "enabled_out",
   "error_out");
FN(client_confirm_context, RET_RESULT, "client", "session", "challenge_out", "error_out");
FN(client_reset_app, RET_RESULT, "client", "session", "user_id", "session_out", "challenge_out", "error_out");
FN(codes_count, RET_VALUE, "codes");
FN(codes_unused_count, RET_VALUE, "codes");
FN(codes_get, RET_RESULT, "codes", "index", "code_out", "used_out");
FN(codes_free, RET_VOID, "codes");
FN(error_result, RET_RESULT, "error");
FN(error_message, RET_PTR, "error");
FN(error_status, RET_VALUE, "error");
FN(error_server_message, RET_PTR, "error");
FN(error_retry_after, RET_VALUE, "error");
FN(error_free, RET_VOID, "error");
FN(login_get_kind, RET_VALUE, "login");
FN(login_session, RET_RESULT, "login", "session_out");
FN(login_challenge, RET_RESULT, "login", "challenge_out");
FN(login_sms_phone_noise, RET_RESULT, "login", "phone_noise_out");
FN(login_sms_expires, RET_RESULT, "login", "expires_out");
FN(login_sms_confirm_url, RET_RESULT, "login", "confirm_url_out");
FN(login_free, RET_VOID, "login");
FN(options_new, RET_RESULT, "options_out");
FN(options_set_timeout_ms, RET_RESULT, "options", "timeout_ms");
FN(options_set_connect_timeout_ms, RET_RESULT, "options", "timeout_ms");
FN(options_set_ca_file, RET_RESULT, "options", "path");
FN(options_set_ca_pem, RET_RESULT, "options", "pem");
FN(options_set_allow_insecure_http, RET_RESULT, "options", "allow");
FN(options_set_user_agent, RET_RESULT, "options", "user_agent");
FN(options_set_max_response_bytes, RET_RESULT, "options", "max_bytes");
FN(options_set_no_proxy, RET_RESULT, "options", "no_proxy");
FN(options_free, RET_VOID, "options");
FN(policy_enabled_method, RET_VALUE, "policy");
FN(policy_available, RET_RESULT, "policy", "method", "available_out");
FN(policy_enabled, RET_RESULT, "policy", "method", "enabled_out");
FN(policy_title, RET_RESULT, "policy", "method", "title_out");
FN(policy_list_len, RET_VALUE, "policy", "method", "list");
FN(policy_list_get, RET_RESULT, "policy", "method", "list", "index", "value_out");
FN(policy_free, RET_VOID, "policy");
FN(result_name, RET_PTR, "result");
FN(result_str, RET_VALUE, "result");
FN(result_kind_name, RET_PTR, "result");
FN(result_is_retryable, RET_VALUE, "result");
FN(session_new, RET_RESULT, "token", "session_out", "error_out");
FN(session_new_api_key, RET_RESULT, "key", "session_out", "error_out");
FN(session_is_api_key, RET_VALUE, "session");
FN(session_token, RET_RESULT, "session", "token_out");
FN(session_expires, RET_RESULT, "session", "out");
FN(session_user_id, RET_RESULT, "session", "out");
FN(session_free, RET_VOID, "session");
FN(setup_account, RET_RESULT, "setup", "out");
FN(setup_manual_entry_key, RET_RESULT, "setup", "out");
FN(setup_otpauth_uri, RET_RESULT, "setup", "out");
FN(setup_qr_png, RET_RESULT, "setup", "data_out", "len_out");
FN(setup_free, RET_VOID, "setup");
FN(string_free, RET_VOID, "s");
FN0(version, RET_VALUE);
FN(totp_code_at, RET_RESULT, "secret_base32", "unix_time", "code_out", "code_out_len", "error_out");
FN(totp_code_now, RET_RESULT, "secret_base32", "code_out", "code_out_len", "error_out");
FN(totp_verify_at, RET_RESULT, "secret_base32", "code", "unix_time", "window", "matched_out", "offset_out",
   "error_out");
FN(totp_seconds_remaining_at, RET_RESULT, "unix_time", "period_seconds", "seconds_out", "error_out");
FN(totp_new, RET_RESULT, "secret_base32", "algorithm", "digits", "period_seconds", "totp_out", "error_out");
FN(totp_from_uri, RET_RESULT, "uri", "totp_out", "issuer_out", "account_out", "error_out");
FN(totp_generate, RET_RESULT, "totp", "unix_time", "code_out", "code_out_len", "error_out");
FN(totp_check, RET_RESULT, "totp", "code", "unix_time", "window", "matched_out", "offset_out", "error_out");
FN(totp_seconds_remaining, RET_RESULT, "totp", "unix_time", "seconds_out", "error_out");
FN(totp_to_uri, RET_RESULT, "totp", "issuer", "account", "uri_out", "error_out");
FN(totp_get_algorithm, RET_VALUE, "totp");
FN(totp_digits, RET_VALUE, "totp");
FN(totp_period, RET_VALUE, "totp");
FN(totp_free, RET_VOID, "totp");

/* ---- the cases ----------------------------------------------------------------------------------- */

enum {
    K_NONE,     /* no argument replaced */
    K_NULL,     /* NULL */
    K_UTF8,     /* not UTF-8 */
    K_EMPTY,    /* "" */
    K_HUGE,     /* 1 MiB */
    K_STR,      /* the given string */
    K_NUM,      /* the given number */
    K_NULLITEM, /* a string array whose only element is NULL */
};
static const char *const KIND_NAMES[] = {"none", "null", "utf8", "empty", "huge", "string", "number", "null_item"};

enum {
    F_NET = 1,  /* run on the closed-port client: a request is expected (NETWORK) */
    F_LIVE = 2, /* run on the emulator's client */
    F_URL = 4,  /* accepted base URL: the normalised URL must hold no space or control character */
};

typedef struct {
    const api_fn *fn;
    const char *param; /* "-" for none */
    int kind;
    const char *str;
    uint64_t num;
    int64_t expect;
    unsigned flags;
    const char *needle; /* must be in the error message (K_NULL: "`param`") */
} bad_case;

#define R(x) ((int64_t)DOCSPACE_RESULT_##x)
#define NUL(f, p, want) {&F_##f, p, K_NULL, NULL, 0, (want), 0, NULL}
#define NULNET(f, p) {&F_##f, p, K_NULL, NULL, 0, R(NETWORK), F_NET, "could not reach"}
#define UTF(f, p) {&F_##f, p, K_UTF8, NULL, 0, R(INVALID_ARGUMENT), 0, "argument is not valid UTF-8"}
#define UTF_AS(f, p, want) {&F_##f, p, K_UTF8, NULL, 0, (want), 0, NULL}
#define EMP(f, p, want, needle) {&F_##f, p, K_EMPTY, NULL, 0, (want), 0, needle}
#define BIG(f, p, want, needle) {&F_##f, p, K_HUGE, NULL, 0, (want), 0, needle}
#define STRC(f, p, s, want, flags, needle) {&F_##f, p, K_STR, s, 0, (want), flags, needle}
#define NUM(f, p, n, want, needle) {&F_##f, p, K_NUM, NULL, (uint64_t)(n), (want), 0, needle}
#define NUMNET(f, p, n) {&F_##f, p, K_NUM, NULL, (uint64_t)(n), R(NETWORK), F_NET, NULL}
#define NONE(f, want) {&F_##f, "-", K_NONE, NULL, 0, (want), 0, NULL}
#define NONENET(f) {&F_##f, "-", K_NONE, NULL, 0, R(NETWORK), F_NET, NULL}
#define ITEM(f, p) {&F_##f, p, K_NULLITEM, NULL, 0, R(NULL_PARAMETER), 0, NULL}

static const char *const GUID_MSG = "must be a GUID";
static const char *const CODE_MSG = "the code may contain only";

static const bad_case CASES[] = {
    /* challenge */
    NUL(challenge_confirm_type, "challenge", DOCSPACE_CONFIRM_TYPE_INVALID),
    NONE(challenge_confirm_type, DOCSPACE_CONFIRM_TYPE_TFA_AUTH),
    NUL(challenge_user_id, "challenge", R(NULL_PARAMETER)),
    NUL(challenge_user_id, "out", R(NULL_PARAMETER)),
    NUL(challenge_user_name, "challenge", R(NULL_PARAMETER)),
    NUL(challenge_user_name, "out", R(NULL_PARAMETER)),
    NUL(challenge_confirm_url, "challenge", R(NULL_PARAMETER)),
    NUL(challenge_confirm_url, "out", R(NULL_PARAMETER)),
    NUL(challenge_secret, "challenge", R(NULL_PARAMETER)),
    NUL(challenge_secret, "out", R(NULL_PARAMETER)),
    NONE(challenge_secret, R(OK)),
    NUL(challenge_otpauth_uri, "challenge", R(NULL_PARAMETER)),
    NUL(challenge_otpauth_uri, "out", R(NULL_PARAMETER)),
    NUL(challenge_free, "challenge", 0),

    /* client creation: NULLs, strings, base URLs */
    NUL(client_new, "base_url", R(NULL_PARAMETER)),
    NUL(client_new, "client_out", R(NULL_PARAMETER)),
    NUL(client_new, "error_out", R(OK)),
    UTF(client_new, "base_url"),
    EMP(client_new, "base_url", R(INVALID_ARGUMENT), "empty"),
    BIG(client_new, "base_url", R(INVALID_ARGUMENT), "longer than"),
    STRC(client_new, "base_url", "not a url", R(INVALID_ARGUMENT), 0, "not a URL"),
    STRC(client_new, "base_url", "portal.example.com", R(INVALID_ARGUMENT), 0, "not a URL"),
    STRC(client_new, "base_url", "//portal.example.com", R(INVALID_ARGUMENT), 0, "not a URL"),
    STRC(client_new, "base_url", "https://", R(INVALID_ARGUMENT), 0, "not a URL"),
    STRC(client_new, "base_url", "https://portal example.com", R(INVALID_ARGUMENT), 0, "not a URL"),
    STRC(client_new, "base_url", "https://portal.example.com:99999", R(INVALID_ARGUMENT), 0, "not a URL"),
    STRC(client_new, "base_url", "ftp://portal.example.com", R(INVALID_ARGUMENT), 0, "http(s)"),
    STRC(client_new, "base_url", "ws://portal.example.com", R(INVALID_ARGUMENT), 0, "http(s)"),
    STRC(client_new, "base_url", "file:///etc/passwd", R(INVALID_ARGUMENT), 0, NULL),
    STRC(client_new, "base_url", "file://localhost/etc/passwd", R(INVALID_ARGUMENT), 0, NULL),
    STRC(client_new, "base_url", "javascript:alert(1)", R(INVALID_ARGUMENT), 0, NULL),
    STRC(client_new, "base_url", "data:text/plain,hello", R(INVALID_ARGUMENT), 0, NULL),
    STRC(client_new, "base_url", "mailto:admin@example.com", R(INVALID_ARGUMENT), 0, NULL),
    STRC(client_new, "base_url", "https://user:password@portal.example.com", R(INVALID_ARGUMENT), 0, "user name"),
    STRC(client_new, "base_url", "https://user@portal.example.com", R(INVALID_ARGUMENT), 0, "user name"),
    STRC(client_new, "base_url", "https://:password@portal.example.com", R(INVALID_ARGUMENT), 0, "password"),
    STRC(client_new, "base_url", "https://portal.example.com/?x=1", R(INVALID_ARGUMENT), 0, "query"),
    STRC(client_new, "base_url", "https://portal.example.com?", R(INVALID_ARGUMENT), 0, "query"),
    STRC(client_new, "base_url", "https://portal.example.com/#top", R(INVALID_ARGUMENT), 0, "fragment"),
    STRC(client_new, "base_url", "http://portal.example.com", R(INVALID_ARGUMENT), 0, "plain http"),
    STRC(client_new, "base_url", "http://0.0.0.0", R(INVALID_ARGUMENT), 0, "plain http"),
    STRC(client_new, "base_url", "http://localhost.example.com", R(INVALID_ARGUMENT), 0, "plain http"),
    /* a control character inside is refused (WHATWG parsing would drop it silently and
     * reach another address); surrounding whitespace is trimmed */
    STRC(client_new, "base_url", "https://portal.exa\r\nmple.com/docspace", R(INVALID_ARGUMENT), 0, "control character"),
    STRC(client_new, "base_url", " https://portal.example.com/\x01", R(INVALID_ARGUMENT), 0, "control character"),
    /* accepted, and the normalised URL holds no control character or space: nothing odd
     * reaches the request line */
    STRC(client_new, "base_url", "https://portal.example.com/", R(OK), F_URL, NULL),
    STRC(client_new, "base_url", "https://portal.example.com/\n", R(OK), F_URL, NULL),
    STRC(client_new, "base_url", "\thttps://portal.example.com", R(OK), F_URL, NULL),
    STRC(client_new, "base_url", "https://portal.example.com/a b/%0d%0aX:1", R(OK), F_URL, NULL),
    STRC(client_new, "base_url", "http://127.0.0.1:1/", R(OK), F_URL, NULL),
    STRC(client_new, "base_url", "http://[::1]:1/", R(OK), F_URL, NULL),
    NUL(client_new_with_options, "base_url", R(NULL_PARAMETER)),
    NUL(client_new_with_options, "options", R(OK)),
    NUL(client_new_with_options, "client_out", R(NULL_PARAMETER)),
    NUL(client_new_with_options, "error_out", R(OK)),
    UTF(client_new_with_options, "base_url"),
    EMP(client_new_with_options, "base_url", R(INVALID_ARGUMENT), "empty"),
    BIG(client_new_with_options, "base_url", R(INVALID_ARGUMENT), "longer than"),
    STRC(client_new_with_options, "base_url", "ftp://portal.example.com", R(INVALID_ARGUMENT), 0, "http(s)"),
    STRC(client_new_with_options, "base_url", "file:///etc/passwd", R(INVALID_ARGUMENT), 0, NULL),
    STRC(client_new_with_options, "base_url", "javascript:alert(1)", R(INVALID_ARGUMENT), 0, NULL),
    STRC(client_new_with_options, "base_url", "https://user:password@portal.example.com", R(INVALID_ARGUMENT), 0,
         "user name"),
    STRC(client_new_with_options, "base_url", "https://portal.example.com/?q", R(INVALID_ARGUMENT), 0, "query"),
    STRC(client_new_with_options, "base_url", "https://portal.example.com#f", R(INVALID_ARGUMENT), 0, "fragment"),
    STRC(client_new_with_options, "base_url", "http://portal.example.com", R(INVALID_ARGUMENT), 0, "plain http"),

    /* client accessors */
    NUL(client_free, "client", 0),
    NUL(client_base_url, "client", 0),
    NONE(client_base_url, 1),
    NUL(client_last_error, "client", 0),
    NUL(client_last_result, "client", R(NULL_PARAMETER)),
    NUL(client_last_status, "client", 0),
    NUL(client_last_retry_after, "client", -1),
    NUL(client_last_server_message, "client", 0),

    /* login */
    NUL(client_login, "client", R(NULL_PARAMETER)),
    NUL(client_login, "user", R(NULL_PARAMETER)),
    NUL(client_login, "password", R(NULL_PARAMETER)),
    NUL(client_login, "login_out", R(NULL_PARAMETER)),
    NULNET(client_login, "error_out"),
    NONENET(client_login),
    UTF(client_login, "user"),
    UTF(client_login, "password"),
    EMP(client_login, "user", R(INVALID_ARGUMENT), "user name is empty"),
    EMP(client_login, "password", R(INVALID_ARGUMENT), "password is empty"),
    BIG(client_login, "user", R(INVALID_ARGUMENT), "longer than"),
    BIG(client_login, "password", R(INVALID_ARGUMENT), "longer than"),
    STRC(client_login, "user", "   ", R(INVALID_ARGUMENT), 0, "user name is empty"),
    STRC(client_login, "user", "u\r\nX-Injected: 1@example.com", R(INVALID_ARGUMENT), 0, "control characters"),
    STRC(client_login, "user", "u\x01@example.com", R(INVALID_ARGUMENT), 0, "control characters"),
    STRC(client_login, "user", "u@example.com\x7f", R(INVALID_ARGUMENT), 0, "control characters"),
    STRC(client_login, "user", "u\xc2\x85@example.com", R(INVALID_ARGUMENT), 0, "control characters"),
    /* passwords are the user's business: anything but NUL is sent (in a JSON body) */
    STRC(client_login, "password", "p\r\nw\x01", R(NETWORK), F_NET, NULL),

    /* login with a code: the code's characters (sentinel: nothing may be sent) */
    NUL(client_login_with_code, "client", R(NULL_PARAMETER)),
    NUL(client_login_with_code, "user", R(NULL_PARAMETER)),
    NUL(client_login_with_code, "password", R(NULL_PARAMETER)),
    NUL(client_login_with_code, "code", R(NULL_PARAMETER)),
    NUL(client_login_with_code, "session_out", R(NULL_PARAMETER)),
    NULNET(client_login_with_code, "error_out"),
    UTF(client_login_with_code, "user"),
    UTF(client_login_with_code, "password"),
    UTF(client_login_with_code, "code"),
    EMP(client_login_with_code, "user", R(INVALID_ARGUMENT), "user name is empty"),
    EMP(client_login_with_code, "password", R(INVALID_ARGUMENT), "password is empty"),
    EMP(client_login_with_code, "code", R(INVALID_ARGUMENT), "the code is empty"),
    BIG(client_login_with_code, "user", R(INVALID_ARGUMENT), "longer than"),
    BIG(client_login_with_code, "password", R(INVALID_ARGUMENT), "longer than"),
    BIG(client_login_with_code, "code", R(INVALID_ARGUMENT), "longer than"),
    STRC(client_login_with_code, "user", "u\tv@example.com", R(INVALID_ARGUMENT), 0, "control characters"),
    STRC(client_login_with_code, "code", " 123456\n", R(NETWORK), F_NET, NULL), /* trimmed */
    STRC(client_login_with_code, "code", "q7R-x_", R(NETWORK), F_NET, NULL),

    /* app setup and validation */
    NUL(client_setup_app, "client", R(NULL_PARAMETER)),
    NUL(client_setup_app, "challenge", R(NULL_PARAMETER)),
    NUL(client_setup_app, "setup_out", R(NULL_PARAMETER)),
    NULNET(client_setup_app, "error_out"),
    NUL(client_validate_app, "client", R(NULL_PARAMETER)),
    NUL(client_validate_app, "challenge", R(NULL_PARAMETER)),
    NUL(client_validate_app, "code", R(NULL_PARAMETER)),
    NUL(client_validate_app, "linked_now_out", R(NULL_PARAMETER)),
    NUL(client_validate_app, "session_out", R(NULL_PARAMETER)),
    NULNET(client_validate_app, "error_out"),
    UTF(client_validate_app, "code"),
    EMP(client_validate_app, "code", R(INVALID_ARGUMENT), "the code is empty"),
    BIG(client_validate_app, "code", R(INVALID_ARGUMENT), "longer than"),

    /* session calls */
    NUL(client_backup_codes, "client", R(NULL_PARAMETER)),
    NUL(client_backup_codes, "session", R(NULL_PARAMETER)),
    NUL(client_backup_codes, "codes_out", R(NULL_PARAMETER)),
    NULNET(client_backup_codes, "error_out"),
    NUL(client_regenerate_backup_codes, "client", R(NULL_PARAMETER)),
    NUL(client_regenerate_backup_codes, "session", R(NULL_PARAMETER)),
    NUL(client_regenerate_backup_codes, "codes_out", R(NULL_PARAMETER)),
    NULNET(client_regenerate_backup_codes, "error_out"),
    NUL(client_logout, "client", R(NULL_PARAMETER)),
    NUL(client_logout, "session", R(NULL_PARAMETER)),
    NULNET(client_logout, "error_out"),
    NUL(client_is_authenticated, "client", R(NULL_PARAMETER)),
    NUL(client_is_authenticated, "session", R(NULL_PARAMETER)),
    NUL(client_is_authenticated, "authenticated_out", R(NULL_PARAMETER)),
    NULNET(client_is_authenticated, "error_out"),
    NUL(client_tfa_policy, "client", R(NULL_PARAMETER)),
    NUL(client_tfa_policy, "session", R(NULL_PARAMETER)),
    NUL(client_tfa_policy, "policy_out", R(NULL_PARAMETER)),
    NULNET(client_tfa_policy, "error_out"),

    /* set_tfa_policy: NULLs, the method, the three lists and their lengths */
    NUL(client_set_tfa_policy, "client", R(NULL_PARAMETER)),
    NUL(client_set_tfa_policy, "session", R(NULL_PARAMETER)),
    NUL(client_set_tfa_policy, "trusted_ips", R(NULL_PARAMETER)),
    NUL(client_set_tfa_policy, "mandatory_users", R(NULL_PARAMETER)),
    NUL(client_set_tfa_policy, "mandatory_groups", R(NULL_PARAMETER)),
    NUL(client_set_tfa_policy, "enabled_out", R(NULL_PARAMETER)),
    NULNET(client_set_tfa_policy, "error_out"),
    ITEM(client_set_tfa_policy, "trusted_ips"),
    ITEM(client_set_tfa_policy, "mandatory_users"),
    ITEM(client_set_tfa_policy, "mandatory_groups"),
    UTF(client_set_tfa_policy, "trusted_ips"),
    UTF(client_set_tfa_policy, "mandatory_users"),
    UTF(client_set_tfa_policy, "mandatory_groups"),
    EMP(client_set_tfa_policy, "trusted_ips", R(INVALID_ARGUMENT), NULL),
    EMP(client_set_tfa_policy, "mandatory_users", R(INVALID_ARGUMENT), GUID_MSG),
    EMP(client_set_tfa_policy, "mandatory_groups", R(INVALID_ARGUMENT), GUID_MSG),
    BIG(client_set_tfa_policy, "trusted_ips", R(INVALID_ARGUMENT), NULL),
    BIG(client_set_tfa_policy, "mandatory_users", R(INVALID_ARGUMENT), GUID_MSG),
    BIG(client_set_tfa_policy, "mandatory_groups", R(INVALID_ARGUMENT), GUID_MSG),
    STRC(client_set_tfa_policy, "trusted_ips", "10.0.0.1; DROP", R(INVALID_ARGUMENT), 0, NULL),
    STRC(client_set_tfa_policy, "trusted_ips", "10.0.0.1\r\nX: 1", R(INVALID_ARGUMENT), 0, NULL),
    STRC(client_set_tfa_policy, "trusted_ips", "300.1.1.1", R(INVALID_ARGUMENT), 0, NULL),
    STRC(client_set_tfa_policy, "mandatory_users", "../x", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_set_tfa_policy, "mandatory_users", "a/b?c#d", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_set_tfa_policy, "mandatory_groups", "%2e%2e", R(INVALID_ARGUMENT), 0, GUID_MSG),
    NUM(client_set_tfa_policy, "method", 3, R(INVALID_ARGUMENT), NULL),
    NUM(client_set_tfa_policy, "method", 255, R(INVALID_ARGUMENT), NULL),
    NUM(client_set_tfa_policy, "method", UINT32_MAX, R(INVALID_ARGUMENT), NULL),
    NUMNET(client_set_tfa_policy, "method", DOCSPACE_TFA_METHOD_NONE),
    NUMNET(client_set_tfa_policy, "trusted_ips_len", 0),
    NUMNET(client_set_tfa_policy, "mandatory_users_len", 0),
    NUMNET(client_set_tfa_policy, "mandatory_groups_len", 0),
    NONENET(client_set_tfa_policy),

    NUL(client_confirm_context, "client", R(NULL_PARAMETER)),
    NUL(client_confirm_context, "session", R(NULL_PARAMETER)),
    NUL(client_confirm_context, "challenge_out", R(NULL_PARAMETER)),
    NULNET(client_confirm_context, "error_out"),

    /* reset_app: the user id (sentinel: nothing may be sent) */
    NUL(client_reset_app, "client", R(NULL_PARAMETER)),
    NUL(client_reset_app, "session", R(NULL_PARAMETER)),
    NUL(client_reset_app, "user_id", R(NULL_PARAMETER)),
    NUL(client_reset_app, "session_out", R(NULL_PARAMETER)),
    NUL(client_reset_app, "challenge_out", R(NULL_PARAMETER)),
    NULNET(client_reset_app, "error_out"),
    UTF(client_reset_app, "user_id"),
    EMP(client_reset_app, "user_id", R(INVALID_ARGUMENT), GUID_MSG),
    BIG(client_reset_app, "user_id", R(INVALID_ARGUMENT), GUID_MSG),
    STRC(client_reset_app, "user_id", "../x", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_reset_app, "user_id", "a/b", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_reset_app, "user_id", "a?b", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_reset_app, "user_id", "a#b", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_reset_app, "user_id", "%2e%2e", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_reset_app, "user_id", "..", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_reset_app, "user_id", "a b", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_reset_app, "user_id", "a\r\nb", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_reset_app, "user_id", "a\x01z", R(INVALID_ARGUMENT), 0, GUID_MSG),
    STRC(client_reset_app, "user_id", "975224eb_3934", R(INVALID_ARGUMENT), 0, GUID_MSG),

    /* backup codes */
    NUL(codes_count, "codes", 0),
    NONE(codes_count, 5),
    NUL(codes_unused_count, "codes", 0),
    NUL(codes_get, "codes", R(NULL_PARAMETER)),
    NUL(codes_get, "code_out", R(NULL_PARAMETER)),
    NUL(codes_get, "used_out", R(NULL_PARAMETER)),
    NUM(codes_get, "index", 4, R(OK), NULL),
    NUM(codes_get, "index", 5, R(INVALID_ARGUMENT), NULL),
    NUM(codes_get, "index", SIZE_MAX, R(INVALID_ARGUMENT), NULL),
    NUL(codes_free, "codes", 0),

    /* errors */
    NUL(error_result, "error", R(NULL_PARAMETER)),
    NONE(error_result, R(INVALID_CREDENTIALS)),
    NUL(error_message, "error", 0),
    NUL(error_status, "error", 0),
    NONE(error_status, 401),
    NUL(error_server_message, "error", 0),
    NONE(error_server_message, 1),
    NUL(error_retry_after, "error", -1),
    NONE(error_retry_after, -1),
    NUL(error_free, "error", 0),

    /* logins: NULLs and calls that do not fit the kind */
    NUL(login_get_kind, "login", DOCSPACE_LOGIN_KIND_INVALID),
    NONE(login_get_kind, DOCSPACE_LOGIN_KIND_CODE_REQUIRED),
    NUL(login_session, "login", R(NULL_PARAMETER)),
    NUL(login_session, "session_out", R(NULL_PARAMETER)),
    NONE(login_session, R(OK)),
    NUL(login_challenge, "login", R(NULL_PARAMETER)),
    NUL(login_challenge, "challenge_out", R(NULL_PARAMETER)),
    NUL(login_sms_phone_noise, "login", R(NULL_PARAMETER)),
    NUL(login_sms_phone_noise, "phone_noise_out", R(NULL_PARAMETER)),
    NUL(login_sms_expires, "login", R(NULL_PARAMETER)),
    NUL(login_sms_expires, "expires_out", R(NULL_PARAMETER)),
    NUL(login_sms_confirm_url, "login", R(NULL_PARAMETER)),
    NUL(login_sms_confirm_url, "confirm_url_out", R(NULL_PARAMETER)),
    NONE(login_sms_confirm_url, R(OK)),
    NUL(login_free, "login", 0),

    /* options: NULLs, strings (the setters only store), extreme numbers */
    NUL(options_new, "options_out", R(NULL_PARAMETER)),
    NUL(options_set_timeout_ms, "options", R(NULL_PARAMETER)),
    NUM(options_set_timeout_ms, "timeout_ms", 0, R(OK), NULL),
    NUM(options_set_timeout_ms, "timeout_ms", UINT64_MAX, R(OK), NULL),
    NUL(options_set_connect_timeout_ms, "options", R(NULL_PARAMETER)),
    NUM(options_set_connect_timeout_ms, "timeout_ms", 0, R(OK), NULL),
    NUM(options_set_connect_timeout_ms, "timeout_ms", UINT64_MAX, R(OK), NULL),
    NUL(options_set_ca_file, "options", R(NULL_PARAMETER)),
    NUL(options_set_ca_file, "path", R(NULL_PARAMETER)),
    UTF(options_set_ca_file, "path"),
    EMP(options_set_ca_file, "path", R(OK), NULL),
    BIG(options_set_ca_file, "path", R(OK), NULL),
    NUL(options_set_ca_pem, "options", R(NULL_PARAMETER)),
    NUL(options_set_ca_pem, "pem", R(NULL_PARAMETER)),
    UTF(options_set_ca_pem, "pem"),
    EMP(options_set_ca_pem, "pem", R(OK), NULL),
    BIG(options_set_ca_pem, "pem", R(OK), NULL),
    NUL(options_set_allow_insecure_http, "options", R(NULL_PARAMETER)),
    NUL(options_set_user_agent, "options", R(NULL_PARAMETER)),
    NUL(options_set_user_agent, "user_agent", R(NULL_PARAMETER)),
    UTF(options_set_user_agent, "user_agent"),
    EMP(options_set_user_agent, "user_agent", R(OK), NULL),
    BIG(options_set_user_agent, "user_agent", R(OK), NULL),
    NUL(options_set_max_response_bytes, "options", R(NULL_PARAMETER)),
    NUM(options_set_max_response_bytes, "max_bytes", 0, R(OK), NULL),
    NUM(options_set_max_response_bytes, "max_bytes", SIZE_MAX, R(OK), NULL),
    NUL(options_set_no_proxy, "options", R(NULL_PARAMETER)),
    NUL(options_free, "options", 0),

    /* policy: NULLs, methods and lists out of range */
    NUL(policy_enabled_method, "policy", DOCSPACE_TFA_METHOD_NONE),
    NONE(policy_enabled_method, DOCSPACE_TFA_METHOD_APP),
    NUL(policy_available, "policy", R(NULL_PARAMETER)),
    NUL(policy_available, "available_out", R(NULL_PARAMETER)),
    NUM(policy_available, "method", DOCSPACE_TFA_METHOD_NONE, R(INVALID_ARGUMENT), NULL),
    NUM(policy_available, "method", 3, R(INVALID_ARGUMENT), NULL),
    NUM(policy_available, "method", UINT32_MAX, R(INVALID_ARGUMENT), NULL),
    NUL(policy_enabled, "policy", R(NULL_PARAMETER)),
    NUL(policy_enabled, "enabled_out", R(NULL_PARAMETER)),
    NUM(policy_enabled, "method", DOCSPACE_TFA_METHOD_NONE, R(INVALID_ARGUMENT), NULL),
    NUM(policy_enabled, "method", 3, R(INVALID_ARGUMENT), NULL),
    NUM(policy_enabled, "method", UINT32_MAX, R(INVALID_ARGUMENT), NULL),
    NUL(policy_title, "policy", R(NULL_PARAMETER)),
    NUL(policy_title, "title_out", R(NULL_PARAMETER)),
    NUM(policy_title, "method", DOCSPACE_TFA_METHOD_NONE, R(INVALID_ARGUMENT), NULL),
    NUM(policy_title, "method", 0x80000000u, R(INVALID_ARGUMENT), NULL),
    NUL(policy_list_len, "policy", 0),
    NUM(policy_list_len, "method", 7, 0, NULL),
    NUM(policy_list_len, "method", UINT32_MAX, 0, NULL),
    NUM(policy_list_len, "list", 3, 0, NULL),
    NUM(policy_list_len, "list", UINT32_MAX, 0, NULL),
    NUL(policy_list_get, "policy", R(NULL_PARAMETER)),
    NUL(policy_list_get, "value_out", R(NULL_PARAMETER)),
    NUM(policy_list_get, "method", 9, R(INVALID_ARGUMENT), NULL),
    NUM(policy_list_get, "list", 3, R(INVALID_ARGUMENT), NULL),
    NUM(policy_list_get, "list", UINT32_MAX, R(INVALID_ARGUMENT), NULL),
    NUM(policy_list_get, "index", 0, R(INVALID_ARGUMENT), NULL), /* the emulator's list is empty */
    NUM(policy_list_get, "index", SIZE_MAX, R(INVALID_ARGUMENT), NULL),
    NUL(policy_free, "policy", 0),

    /* result descriptions: any uint32_t is safe */
    NUM(result_name, "result", DOCSPACE_RESULT_UNEXPECTED_RESPONSE, 1, NULL),
    NUM(result_name, "result", 5, 0, NULL),
    NUM(result_name, "result", 32, 0, NULL),
    NUM(result_name, "result", UINT32_MAX, 0, NULL),
    NUM(result_str, "result", DOCSPACE_RESULT_PANIC, 1, NULL),
    NUM(result_str, "result", 9, 0, NULL),
    NUM(result_str, "result", UINT32_MAX, 0, NULL),
    NUM(result_kind_name, "result", DOCSPACE_RESULT_OK, 0, NULL),
    NUM(result_kind_name, "result", DOCSPACE_RESULT_NULL_PARAMETER, 0, NULL),
    NUM(result_kind_name, "result", 13, 0, NULL),
    NUM(result_kind_name, "result", UINT32_MAX, 0, NULL),
    NUM(result_is_retryable, "result", DOCSPACE_RESULT_SERVER_ERROR, 1, NULL),
    NUM(result_is_retryable, "result", 0x7fffffffu, 0, NULL),
    NUM(result_is_retryable, "result", UINT32_MAX, 0, NULL),

    /* sessions from stored tokens and keys */
    NUL(session_new, "token", R(NULL_PARAMETER)),
    NUL(session_new, "session_out", R(NULL_PARAMETER)),
    NUL(session_new, "error_out", R(OK)),
    UTF(session_new, "token"),
    EMP(session_new, "token", R(INVALID_ARGUMENT), "empty"),
    BIG(session_new, "token", R(OK), NULL),
    STRC(session_new, "token", " \t\r\n", R(INVALID_ARGUMENT), 0, "empty"),
    NUL(session_new_api_key, "key", R(NULL_PARAMETER)),
    NUL(session_new_api_key, "session_out", R(NULL_PARAMETER)),
    NUL(session_new_api_key, "error_out", R(OK)),
    UTF(session_new_api_key, "key"),
    EMP(session_new_api_key, "key", R(INVALID_ARGUMENT), "empty"),
    BIG(session_new_api_key, "key", R(OK), NULL),
    NUL(session_is_api_key, "session", 0),
    NONE(session_is_api_key, 1),
    NUL(session_token, "session", R(NULL_PARAMETER)),
    NUL(session_token, "token_out", R(NULL_PARAMETER)),
    NUL(session_expires, "session", R(NULL_PARAMETER)),
    NUL(session_expires, "out", R(NULL_PARAMETER)),
    NUL(session_user_id, "session", R(NULL_PARAMETER)),
    NUL(session_user_id, "out", R(NULL_PARAMETER)),
    NUL(session_free, "session", 0),

    /* setup payload */
    NUL(setup_account, "setup", R(NULL_PARAMETER)),
    NUL(setup_account, "out", R(NULL_PARAMETER)),
    NUL(setup_manual_entry_key, "setup", R(NULL_PARAMETER)),
    NUL(setup_manual_entry_key, "out", R(NULL_PARAMETER)),
    NUL(setup_otpauth_uri, "setup", R(NULL_PARAMETER)),
    NUL(setup_otpauth_uri, "out", R(NULL_PARAMETER)),
    NUL(setup_qr_png, "setup", R(NULL_PARAMETER)),
    NUL(setup_qr_png, "data_out", R(NULL_PARAMETER)),
    NUL(setup_qr_png, "len_out", R(NULL_PARAMETER)),
    NONE(setup_qr_png, R(OK)),
    NUL(setup_free, "setup", 0),
    NUL(string_free, "s", 0),
    NONE(version, 1),

    /* TOTP without a handle */
    NUL(totp_code_at, "secret_base32", R(NULL_PARAMETER)),
    NUL(totp_code_at, "code_out", R(NULL_PARAMETER)),
    NUL(totp_code_at, "error_out", R(OK)),
    UTF(totp_code_at, "secret_base32"),
    EMP(totp_code_at, "secret_base32", R(INVALID_ARGUMENT), "empty"),
    BIG(totp_code_at, "secret_base32", R(INVALID_ARGUMENT), NULL),
    STRC(totp_code_at, "secret_base32", "LJVT/CTSWGJYEOYSV", R(INVALID_ARGUMENT), 0, "base32"),
    STRC(totp_code_at, "secret_base32", "LJVT\x01""CTSWGJYEOYSV", R(INVALID_ARGUMENT), 0, "base32"),
    NUM(totp_code_at, "unix_time", -1, R(INVALID_ARGUMENT), "negative"),
    NUM(totp_code_at, "unix_time", INT64_MIN, R(INVALID_ARGUMENT), "negative"),
    NUM(totp_code_at, "unix_time", INT64_MAX, R(OK), NULL),
    NUM(totp_code_at, "code_out_len", 0, R(BUFFER_TOO_SMALL), "`code_out`"),
    NUM(totp_code_at, "code_out_len", 6, R(BUFFER_TOO_SMALL), "`code_out`"),
    NUM(totp_code_at, "code_out_len", 7, R(OK), NULL),
    NUL(totp_code_now, "secret_base32", R(NULL_PARAMETER)),
    NUL(totp_code_now, "code_out", R(NULL_PARAMETER)),
    NUL(totp_code_now, "error_out", R(OK)),
    UTF(totp_code_now, "secret_base32"),
    EMP(totp_code_now, "secret_base32", R(INVALID_ARGUMENT), "empty"),
    BIG(totp_code_now, "secret_base32", R(INVALID_ARGUMENT), NULL),
    NUM(totp_code_now, "code_out_len", 1, R(BUFFER_TOO_SMALL), "`code_out`"),
    NUL(totp_verify_at, "secret_base32", R(NULL_PARAMETER)),
    NUL(totp_verify_at, "code", R(NULL_PARAMETER)),
    NUL(totp_verify_at, "matched_out", R(NULL_PARAMETER)),
    NUL(totp_verify_at, "offset_out", R(OK)),
    NUL(totp_verify_at, "error_out", R(OK)),
    UTF(totp_verify_at, "secret_base32"),
    UTF(totp_verify_at, "code"),
    EMP(totp_verify_at, "secret_base32", R(INVALID_ARGUMENT), "empty"),
    EMP(totp_verify_at, "code", R(OK), NULL), /* a malformed code is simply not matched */
    BIG(totp_verify_at, "secret_base32", R(INVALID_ARGUMENT), NULL),
    BIG(totp_verify_at, "code", R(OK), NULL),
    STRC(totp_verify_at, "code", "../123", R(OK), 0, NULL),
    NUM(totp_verify_at, "unix_time", -30, R(INVALID_ARGUMENT), "negative"),
    NUM(totp_verify_at, "unix_time", INT64_MAX, R(OK), NULL),
    NUM(totp_verify_at, "window", UINT32_MAX, R(OK), NULL), /* clamped to 10 */
    NUL(totp_seconds_remaining_at, "seconds_out", R(NULL_PARAMETER)),
    NUL(totp_seconds_remaining_at, "error_out", R(OK)),
    NUM(totp_seconds_remaining_at, "unix_time", INT64_MIN, R(INVALID_ARGUMENT), "negative"),
    NUM(totp_seconds_remaining_at, "unix_time", INT64_MAX, R(OK), NULL),
    NUM(totp_seconds_remaining_at, "period_seconds", 0, R(INVALID_ARGUMENT), "period"),
    NUM(totp_seconds_remaining_at, "period_seconds", 3601, R(INVALID_ARGUMENT), "period"),
    NUM(totp_seconds_remaining_at, "period_seconds", UINT32_MAX, R(INVALID_ARGUMENT), "period"),

    /* TOTP generators */
    NUL(totp_new, "secret_base32", R(NULL_PARAMETER)),
    NUL(totp_new, "totp_out", R(NULL_PARAMETER)),
    NUL(totp_new, "error_out", R(OK)),
    UTF(totp_new, "secret_base32"),
    EMP(totp_new, "secret_base32", R(INVALID_ARGUMENT), "empty"),
    BIG(totp_new, "secret_base32", R(INVALID_ARGUMENT), NULL),
    NUM(totp_new, "algorithm", 3, R(INVALID_ARGUMENT), "docspace_totp_algorithm"),
    NUM(totp_new, "algorithm", DOCSPACE_TOTP_ALGORITHM_INVALID, R(INVALID_ARGUMENT), "docspace_totp_algorithm"),
    NUM(totp_new, "algorithm", UINT32_MAX, R(INVALID_ARGUMENT), "docspace_totp_algorithm"),
    NUM(totp_new, "digits", 0, R(INVALID_ARGUMENT), "digits"),
    NUM(totp_new, "digits", 5, R(INVALID_ARGUMENT), "digits"),
    NUM(totp_new, "digits", 9, R(INVALID_ARGUMENT), "digits"),
    NUM(totp_new, "digits", UINT32_MAX, R(INVALID_ARGUMENT), "digits"),
    NUM(totp_new, "period_seconds", 0, R(INVALID_ARGUMENT), "between 1 and 3600"),
    NUM(totp_new, "period_seconds", 3601, R(INVALID_ARGUMENT), "between 1 and 3600"),
    NUM(totp_new, "period_seconds", UINT32_MAX, R(INVALID_ARGUMENT), "between 1 and 3600"),
    NUL(totp_from_uri, "uri", R(NULL_PARAMETER)),
    NUL(totp_from_uri, "totp_out", R(NULL_PARAMETER)),
    NUL(totp_from_uri, "issuer_out", R(OK)),
    NUL(totp_from_uri, "account_out", R(OK)),
    NUL(totp_from_uri, "error_out", R(OK)),
    UTF(totp_from_uri, "uri"),
    EMP(totp_from_uri, "uri", R(INVALID_ARGUMENT), NULL),
    BIG(totp_from_uri, "uri", R(INVALID_ARGUMENT), "4096"),
    STRC(totp_from_uri, "uri", "otpauth://hotp/x?secret=LJVTCTSWGJYEOYSV&counter=1", R(INVALID_ARGUMENT), 0, "HOTP"),
    STRC(totp_from_uri, "uri", "otpauth://totp/x?secret=LJVTCTSWGJYEOYSV&digits=99", R(INVALID_ARGUMENT), 0, NULL),
    STRC(totp_from_uri, "uri", "otpauth://totp/x?secret=LJVTCTSWGJYEOYSV&period=0", R(INVALID_ARGUMENT), 0, NULL),
    STRC(totp_from_uri, "uri", "otpauth://totp/x?secret=LJVTCTSWGJYEOYSV&algorithm=MD5", R(INVALID_ARGUMENT), 0,
         NULL),
    STRC(totp_from_uri, "uri", "otpauth://totp/a%00b?secret=LJVTCTSWGJYEOYSV", R(INVALID_ARGUMENT), 0, "NUL"),
    STRC(totp_from_uri, "uri", "otpauth://totp/x?secret=LJVTCTSWGJYEOYSV&issuer=%00", R(INVALID_ARGUMENT), 0, "NUL"),
    /* a label that decodes to bytes that are not UTF-8 is read lossily (U+FFFD) */
    STRC(totp_from_uri, "uri", "otpauth://totp/%ff%fe?secret=LJVTCTSWGJYEOYSV", R(OK), 0, NULL),
    STRC(totp_from_uri, "uri", "javascript:alert(1)", R(INVALID_ARGUMENT), 0, NULL),
    NUL(totp_generate, "totp", R(NULL_PARAMETER)),
    NUL(totp_generate, "code_out", R(NULL_PARAMETER)),
    NUL(totp_generate, "error_out", R(OK)),
    NUM(totp_generate, "unix_time", -1, R(INVALID_ARGUMENT), "negative"),
    NUM(totp_generate, "unix_time", INT64_MAX, R(OK), NULL),
    NUM(totp_generate, "code_out_len", 0, R(BUFFER_TOO_SMALL), "`code_out`"),
    NUM(totp_generate, "code_out_len", 6, R(BUFFER_TOO_SMALL), "`code_out`"),
    NUL(totp_check, "totp", R(NULL_PARAMETER)),
    NUL(totp_check, "code", R(NULL_PARAMETER)),
    NUL(totp_check, "matched_out", R(NULL_PARAMETER)),
    NUL(totp_check, "offset_out", R(OK)),
    NUL(totp_check, "error_out", R(OK)),
    UTF(totp_check, "code"),
    EMP(totp_check, "code", R(OK), NULL),
    BIG(totp_check, "code", R(OK), NULL),
    NUM(totp_check, "unix_time", INT64_MIN, R(INVALID_ARGUMENT), "negative"),
    NUM(totp_check, "window", UINT32_MAX, R(OK), NULL),
    NUL(totp_seconds_remaining, "totp", R(NULL_PARAMETER)),
    NUL(totp_seconds_remaining, "seconds_out", R(NULL_PARAMETER)),
    NUL(totp_seconds_remaining, "error_out", R(OK)),
    NUM(totp_seconds_remaining, "unix_time", -1, R(INVALID_ARGUMENT), "negative"),
    NUM(totp_seconds_remaining, "unix_time", INT64_MAX, R(OK), NULL),
    NUL(totp_to_uri, "totp", R(NULL_PARAMETER)),
    NUL(totp_to_uri, "issuer", R(OK)),
    NUL(totp_to_uri, "account", R(NULL_PARAMETER)),
    NUL(totp_to_uri, "uri_out", R(NULL_PARAMETER)),
    NUL(totp_to_uri, "error_out", R(OK)),
    UTF(totp_to_uri, "issuer"),
    UTF(totp_to_uri, "account"),
    EMP(totp_to_uri, "issuer", R(OK), NULL),
    EMP(totp_to_uri, "account", R(OK), NULL),
    BIG(totp_to_uri, "issuer", R(OK), NULL),
    BIG(totp_to_uri, "account", R(OK), NULL),
    NUL(totp_get_algorithm, "totp", DOCSPACE_TOTP_ALGORITHM_INVALID),
    NONE(totp_get_algorithm, DOCSPACE_TOTP_ALGORITHM_SHA1),
    NUL(totp_digits, "totp", 0),
    NUL(totp_period, "totp", 0),
    NONE(totp_period, 30),
    NUL(totp_free, "totp", 0),
};

/* Codes and characters a code can never have: refused before any request by
 * login_with_code and validate_app, on the sentinel client and on the emulator. */
static const char *const BAD_CODES[] = {
    "12/34",   "12?456", "1#3456",  "12%3456", "%2e%2e", "..",     "../123", "./1234",  "12 34",
    "1234 56", "12\t34", "12\r\n34", "12\x01""34", "\x7f""12345", "12\x1b[0m", "123;45", "12&34",
    "12=34",   "12+34",  "12.34",   "\xc3\xa9""12345", "12\\34", "12\"34", "12'34", "<1234>",
};
enum { N_BAD_CODES = sizeof BAD_CODES / sizeof BAD_CODES[0] };

/* ---- running a case -------------------------------------------------------------------------- */

static int param_index(const api_fn *fn, const char *param) {
    int i;
    for (i = 0; fn->params[i]; i++)
        if (strcmp(fn->params[i], param) == 0) return i;
    return -1;
}

static int is_array_param(const char *param) {
    return strcmp(param, "trusted_ips") == 0 || strcmp(param, "mandatory_users") == 0 ||
           strcmp(param, "mandatory_groups") == 0;
}

/* A printable version of a string argument for the report. */
static const char *shown(int kind, const char *s, char *buf, size_t len) {
    size_t n = 0;
    switch (kind) {
    case K_NULL: return "NULL";
    case K_UTF8: return "<not UTF-8>";
    case K_EMPTY: return "\"\"";
    case K_HUGE: return "<1 MiB>";
    case K_NULLITEM: return "{NULL}";
    default: break;
    }
    if (s == NULL) return "NULL";
    buf[n++] = '"';
    for (; *s && n + 6 < len; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch >= 0x7f) n += (size_t)snprintf(buf + n, len - n, "\\x%02x", ch);
        else buf[n++] = (char)ch;
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return buf;
}

static int cases_run = 0, cases_failed = 0;

static void run_case(const bad_case *k, docspace_client *client) {
    static const char *const one_bad_utf8[] = {BAD_UTF8};
    static const char *const one_empty[] = {""};
    static const char *const one_null[] = {NULL};
    const char *item[1];
    const api_fn *fn = k->fn;
    docspace_error *error = NULL;
    int target = k->kind == K_NONE ? -1 : param_index(fn, k->param);
    int error_index = param_index(fn, "error_out");
    int is_client_call = strncmp(fn->name, "docspace_client_", 16) == 0 && fn->params[0] &&
                         strcmp(fn->params[0], "client") == 0 && fn->ret == RET_RESULT &&
                         strcmp(fn->name, "docspace_client_last_result") != 0;
    int64_t got;
    int connections, ok = 1;
    const char *needle = k->needle;
    char problem[512] = "";
    char value[160], shown_buf[96];

    if (k->kind != K_NONE && target < 0) {
        CHECK(0, "%s: no parameter `%s`", fn->name, k->param);
        return;
    }
    C.target = target;
    C.str = NULL;
    C.num = k->num;
    C.array = NULL;
    C.array_len = 0;
    C.out_problem = 0;
    switch (k->kind) {
    case K_UTF8: C.str = BAD_UTF8; break;
    case K_EMPTY: C.str = ""; break;
    case K_HUGE: C.str = (strcmp(k->param, "base_url") == 0) ? big_url : big; break;
    case K_STR: C.str = k->str; break;
    default: break;
    }
    if (target >= 0 && is_array_param(k->param)) {
        C.array_len = 1;
        switch (k->kind) {
        case K_NULL: C.array = NULL; break;
        case K_UTF8: C.array = one_bad_utf8; break;
        case K_EMPTY: C.array = one_empty; break;
        case K_NULLITEM: C.array = one_null; break;
        default:
            item[0] = C.str;
            C.array = item;
            break;
        }
    }
    C.client = client;

    got = fn->call(&error);
    connections = sentinel_drain(C.sentinel_fd);

    if (got != k->expect) {
        ok = 0;
        if (fn->ret == RET_RESULT)
            snprintf(problem, sizeof problem, "got %s", result_name((docspace_result)got));
        else
            snprintf(problem, sizeof problem, "got %lld", (long long)got);
    }
    if (connections != 0) {
        ok = 0;
        snprintf(problem + strlen(problem), sizeof problem - strlen(problem), "; %d connection(s) reached the sentinel",
                 connections);
    }
    if (C.out_problem) {
        ok = 0;
        snprintf(problem + strlen(problem), sizeof problem - strlen(problem), "; %s",
                 (C.out_problem & 1)   ? "an output was written on failure"
                 : (C.out_problem & 2) ? "an output was not written on success"
                                       : "a returned string is not UTF-8");
    }
    /* error_out: the same result on failure, untouched on success. */
    if (error_index >= 0 && target != error_index && fn->ret == RET_RESULT) {
        if (got == R(OK) && error != NULL) {
            ok = 0;
            strcat(problem, "; error_out written on success");
        } else if (got != R(OK) && (error == NULL || docspace_error_result(error) != (docspace_result)got)) {
            ok = 0;
            strcat(problem, "; error_out missing or with another result");
        }
    }
    /* The client's last error agrees (when the client is not the NULL argument). */
    if (is_client_call && target != 0) {
        if (docspace_client_last_result(client) != (docspace_result)got) {
            ok = 0;
            strcat(problem, "; last_result differs");
        }
        if (got == R(OK) && !str_eq(docspace_client_last_error(client), "")) {
            ok = 0;
            strcat(problem, "; last_error not cleared");
        }
        if (got != R(OK) && error && !str_eq(docspace_client_last_error(client), docspace_error_message(error))) {
            ok = 0;
            strcat(problem, "; last_error != error_out message");
        }
    }
    /* The message names the NULL argument (or says what the case expects). */
    if (k->kind == K_NULL && k->expect == R(NULL_PARAMETER) && needle == NULL) {
        snprintf(value, sizeof value, "`%s`", k->param);
        needle = value;
    }
    if (k->kind == K_NULLITEM && needle == NULL) {
        snprintf(value, sizeof value, "`%s`", k->param);
        needle = value;
    }
    if (needle && got != R(OK)) {
        const char *message = error ? docspace_error_message(error)
                              : (is_client_call && target != 0) ? docspace_client_last_error(client)
                                                                 : NULL;
        if (message != NULL && strstr(message, needle) == NULL) {
            ok = 0;
            snprintf(problem + strlen(problem), sizeof problem - strlen(problem), "; message \"%s\" lacks \"%s\"",
                     message, needle);
        } else if (message == NULL && error_index >= 0 && target != error_index) {
            ok = 0;
            strcat(problem, "; no message");
        }
    }
    /* An accepted base URL: normalised, without spaces or control characters. */
    if ((k->flags & F_URL) && got == R(OK)) {
        docspace_client *made = NULL;
        const char *url;
        size_t i;
        if (docspace_client_new(k->str, &made, NULL) == DOCSPACE_RESULT_OK && (url = docspace_client_base_url(made))) {
            for (i = 0; url[i]; i++)
                if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] == 0x7f) ok = 0;
            if (!ok) snprintf(problem + strlen(problem), sizeof problem - strlen(problem), "; base URL \"%s\"", url);
        }
        docspace_client_free(made);
    }
    docspace_error_free(error);

    cases_run++;
    if (!ok) cases_failed++;
    if (k->kind == K_NUM)
        snprintf(value, sizeof value, "%s=%lld", k->param, (long long)(int64_t)k->num);
    else if (k->kind == K_NONE)
        snprintf(value, sizeof value, "valid arguments");
    else
        snprintf(value, sizeof value, "%s=%s", k->param, shown(k->kind, k->str, shown_buf, sizeof shown_buf));
    if (fn->ret == RET_RESULT)
        snprintf(shown_buf, sizeof shown_buf, "%s", result_name((docspace_result)k->expect));
    else
        snprintf(shown_buf, sizeof shown_buf, "%lld", (long long)k->expect);
    CHECK(ok, "%s(%s)%s -> %s%s%s", fn->name, value,
          client == C.live ? " [emulator]" : client == C.offline ? " [closed port]" : "", shown_buf,
          problem[0] ? "  " : "", problem);
}

static docspace_client *client_for(const bad_case *k) {
    if (k->flags & F_NET) return C.offline;
    if (k->flags & F_LIVE) return C.live;
    return C.sentinel;
}

/* ---- fixtures ------------------------------------------------------------------------------------ */

typedef struct {
    const char *email, *password, *totp_secret;
} seed_user;

static seed_user user_from_env(const char *prefix) {
    char name[96];
    seed_user u;
    snprintf(name, sizeof name, "DOCSPACE_USER_%s_EMAIL", prefix);
    u.email = getenv(name);
    snprintf(name, sizeof name, "DOCSPACE_USER_%s_PASSWORD", prefix);
    u.password = getenv(name);
    snprintf(name, sizeof name, "DOCSPACE_USER_%s_TOTP_SECRET", prefix);
    u.totp_secret = getenv(name);
    return u;
}

static seed_user linked, setup_user, plain, sms;

static void code_now(const char *secret, char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE]) {
    CHECK_RESULT(docspace_totp_code_now(secret, code, DOCSPACE_TOTP_CODE_BUFFER_SIZE, NULL), DOCSPACE_RESULT_OK,
                 "docspace_totp_code_now");
}

static docspace_login *login_as(docspace_client *client, const seed_user *u, docspace_login_kind want) {
    docspace_login *login = NULL;
    CHECK_RESULT(docspace_client_login(client, u->email, u->password, &login, NULL), DOCSPACE_RESULT_OK, u->email);
    CHECK(docspace_login_get_kind(login) == want, "%s: login kind %d (got %d)", u->email, (int)want,
          (int)docspace_login_get_kind(login));
    return login;
}

/* Every handle the table uses, made by a client that is freed right after. */
static int make_fixtures(const char *url) {
    docspace_client *origin = NULL;
    docspace_session *linked_session = NULL, *plain_session = NULL;
    docspace_login *wrong = NULL;
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];

    CHECK_RESULT(docspace_client_new(url, &origin, NULL), DOCSPACE_RESULT_OK, "fixture client");
    if (!origin) return 0;
    C.login_code = login_as(origin, &linked, DOCSPACE_LOGIN_KIND_CODE_REQUIRED);
    C.login_setup = login_as(origin, &setup_user, DOCSPACE_LOGIN_KIND_SETUP_REQUIRED);
    C.login_auth = login_as(origin, &plain, DOCSPACE_LOGIN_KIND_AUTHENTICATED);
    C.login_sms = login_as(origin, &sms, DOCSPACE_LOGIN_KIND_SMS_REQUIRED);
    CHECK_RESULT(docspace_login_challenge(C.login_code, &C.challenge_auth), DOCSPACE_RESULT_OK, "TfaAuth challenge");
    CHECK_RESULT(docspace_login_challenge(C.login_setup, &C.challenge_act), DOCSPACE_RESULT_OK,
                 "TfaActivation challenge");
    CHECK_RESULT(docspace_client_setup_app(origin, C.challenge_act, &C.setup, NULL), DOCSPACE_RESULT_OK,
                 "setup payload");
    code_now(linked.totp_secret, code);
    CHECK_RESULT(docspace_client_login_with_code(origin, linked.email, linked.password, code, &linked_session, NULL),
                 DOCSPACE_RESULT_OK, "linked session");
    CHECK_RESULT(docspace_client_backup_codes(origin, linked_session, &C.codes, NULL), DOCSPACE_RESULT_OK,
                 "backup codes");
    CHECK_RESULT(docspace_login_session(C.login_auth, &plain_session), DOCSPACE_RESULT_OK, "plain session");
    CHECK_RESULT(docspace_client_tfa_policy(origin, plain_session, &C.policy, NULL), DOCSPACE_RESULT_OK, "policy");
    CHECK_RESULT(docspace_client_login(origin, plain.email, "Wrong#Password-1", &wrong, &C.error),
                 DOCSPACE_RESULT_INVALID_CREDENTIALS, "a failed login for the error fixture");
    docspace_login_free(wrong);
    CHECK_RESULT(docspace_client_logout(origin, linked_session, NULL), DOCSPACE_RESULT_OK, "logout (linked)");
    docspace_session_free(linked_session);
    docspace_session_free(plain_session); /* the login still holds its own copy */
    docspace_client_free(origin);         /* every fixture outlives its client */

    CHECK_RESULT(docspace_session_new("bogus-token-for-bad-input", &C.session, NULL), DOCSPACE_RESULT_OK,
                 "bogus session");
    CHECK_RESULT(docspace_session_new_api_key("sk-bogus", &C.session_api, NULL), DOCSPACE_RESULT_OK, "bogus API key");
    CHECK_RESULT(docspace_totp_new(SECRET, DOCSPACE_TOTP_ALGORITHM_SHA1, 6, 30, &C.totp, NULL), DOCSPACE_RESULT_OK,
                 "TOTP generator");
    return C.challenge_auth && C.challenge_act && C.setup && C.codes && C.policy && C.error && C.session &&
           C.session_api && C.totp && C.login_auth && C.login_sms;
}

static void free_fixtures(void) {
    docspace_login_free(C.login_code);
    docspace_login_free(C.login_setup);
    docspace_login_free(C.login_auth);
    docspace_login_free(C.login_sms);
    docspace_challenge_free(C.challenge_auth);
    docspace_challenge_free(C.challenge_act);
    docspace_session_free(C.session);
    docspace_session_free(C.session_api);
    docspace_setup_free(C.setup);
    docspace_codes_free(C.codes);
    docspace_policy_free(C.policy);
    docspace_error_free(C.error);
    docspace_totp_free(C.totp);
}

/* ---- codes that must never be sent -------------------------------------------------------------- */

static void test_bad_codes(void) {
    static bad_case k_login = {&F_client_login_with_code, "code", K_STR, NULL, 0, R(INVALID_ARGUMENT), 0, NULL};
    static bad_case k_validate = {&F_client_validate_app, "code", K_STR, NULL, 0, R(INVALID_ARGUMENT), 0, NULL};
    docspace_session *session = NULL;
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    size_t i;
    int pass;

    printf("# %d malformed codes through login_with_code and validate_app, on the sentinel and the emulator\n",
           (int)N_BAD_CODES);
    k_login.needle = CODE_MSG;
    k_validate.needle = CODE_MSG;
    for (pass = 0; pass < 2; pass++) {
        docspace_client *client = pass == 0 ? C.sentinel : C.live;
        for (i = 0; i < N_BAD_CODES; i++) {
            k_login.str = BAD_CODES[i];
            k_validate.str = BAD_CODES[i];
            run_case(&k_login, client);
            run_case(&k_validate, client);
        }
    }
    /* The emulator refuses even a good code after 5 failed code attempts within a minute: had
     * the malformed codes above reached it, these would fail. */
    code_now(linked.totp_secret, code);
    CHECK_RESULT(docspace_client_login_with_code(C.live, linked.email, linked.password, code, &session, NULL),
                 DOCSPACE_RESULT_OK, "afterwards a good code still signs in (no failed attempt reached the portal)");
    CHECK_RESULT(docspace_client_logout(C.live, session, NULL), DOCSPACE_RESULT_OK, "logout");
    docspace_session_free(session);
}

/* ---- handles used after the client (and login) they came from were freed ----------------------- */

static void test_after_free(void) {
    docspace_client *other = NULL, *gone = NULL;
    docspace_session *session = NULL, *from_login = NULL;
    docspace_challenge *copy = NULL;
    docspace_login *login = NULL;
    docspace_codes *codes = NULL;
    docspace_error *error = NULL;
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    char *s = NULL, message[256];
    bool flag = true, authenticated = false;

    printf("# handles outlive the client and the login they came from (docs/c-api.md, Handles)\n");
    CHECK_RESULT(docspace_client_new(docspace_client_base_url(C.live), &other, NULL), DOCSPACE_RESULT_OK,
                 "another client for the emulator");
    /* The TfaAuth challenge of a login made by a freed client finishes the sign-in. */
    code_now(linked.totp_secret, code);
    CHECK_RESULT(docspace_client_validate_app(other, C.challenge_auth, code, &flag, &session, NULL), DOCSPACE_RESULT_OK,
                 "validate_app with a challenge whose client was freed");
    CHECK(!flag, "linked_now is false for a linked app");
    CHECK_RESULT(docspace_client_is_authenticated(other, session, &authenticated, NULL), DOCSPACE_RESULT_OK,
                 "is_authenticated");
    CHECK(authenticated, "that session is accepted");
    CHECK_RESULT(docspace_client_logout(other, session, NULL), DOCSPACE_RESULT_OK, "logout");
    docspace_session_free(session);
    session = NULL;

    /* A session taken from a login, used after both the login and its client were freed. */
    CHECK_RESULT(docspace_client_new(docspace_client_base_url(C.live), &gone, NULL), DOCSPACE_RESULT_OK, "a client");
    CHECK_RESULT(docspace_client_login(gone, plain.email, plain.password, &login, NULL), DOCSPACE_RESULT_OK, "login");
    CHECK_RESULT(docspace_login_session(login, &from_login), DOCSPACE_RESULT_OK, "docspace_login_session");
    CHECK_RESULT(docspace_login_challenge(C.login_code, &copy), DOCSPACE_RESULT_OK, "a second challenge copy");
    docspace_client_free(gone);
    docspace_login_free(login);
    authenticated = false;
    CHECK_RESULT(docspace_client_is_authenticated(other, from_login, &authenticated, NULL), DOCSPACE_RESULT_OK,
                 "is_authenticated with a session whose login and client were freed");
    CHECK(authenticated, "the session is accepted");
    CHECK_RESULT(docspace_session_token(from_login, &s), DOCSPACE_RESULT_OK, "its token is readable");
    CHECK(s != NULL && strlen(s) > 10, "a token of %zu characters", s ? strlen(s) : (size_t)0);
    docspace_string_free(s);
    s = NULL;
    CHECK_RESULT(docspace_client_logout(other, from_login, NULL), DOCSPACE_RESULT_OK, "logout with it");
    CHECK_RESULT(docspace_client_is_authenticated(other, from_login, &authenticated, NULL), DOCSPACE_RESULT_OK,
                 "is_authenticated after logout");
    CHECK(!authenticated, "revoked");
    docspace_session_free(from_login);

    /* Challenge copies are independent values. */
    CHECK(docspace_challenge_confirm_type(copy) == DOCSPACE_CONFIRM_TYPE_TFA_AUTH, "the copy is a TfaAuth challenge");
    docspace_challenge_free(copy);
    CHECK(docspace_challenge_confirm_type(C.challenge_auth) == DOCSPACE_CONFIRM_TYPE_TFA_AUTH,
          "the original stays valid after the copy is freed");

    /* Setup, codes, policy and error fixtures: made by a freed client, still readable. */
    CHECK_RESULT(docspace_setup_account(C.setup, &s), DOCSPACE_RESULT_OK, "setup account after its client was freed");
    CHECK(str_eq(s, setup_user.email), "the account is %s", setup_user.email);
    docspace_string_free(s);
    s = NULL;
    CHECK_RESULT(docspace_codes_get(C.codes, 0, &s, &flag), DOCSPACE_RESULT_OK, "a backup code after its client was freed");
    CHECK(s != NULL && strlen(s) == 6, "6 characters");
    docspace_string_free(s);
    s = NULL;
    CHECK_RESULT(docspace_policy_title(C.policy, DOCSPACE_TFA_METHOD_APP, &s), DOCSPACE_RESULT_OK,
                 "the policy title after its client was freed");
    docspace_string_free(s);
    s = NULL;
    CHECK(docspace_error_status(C.error) == 401 && docspace_error_message(C.error) != NULL,
          "an error from a freed client keeps its status and message: %s", docspace_error_message(C.error));

    /* An error outlives the client whose call failed. */
    CHECK_RESULT(docspace_client_new(docspace_client_base_url(C.live), &gone, NULL), DOCSPACE_RESULT_OK, "a client");
    CHECK_RESULT(docspace_client_backup_codes(gone, C.session, &codes, &error),
                 DOCSPACE_RESULT_SESSION_INVALID, "backup_codes with a bogus token");
    snprintf(message, sizeof message, "%s", docspace_error_message(error));
    docspace_client_free(gone);
    CHECK(str_eq(docspace_error_message(error), message) && docspace_error_status(error) == 401,
          "its error is intact after the client was freed");
    docspace_error_free(error);
    docspace_codes_free(codes);
    docspace_client_free(other);
}

/* ---- main ------------------------------------------------------------------------------------------ */

static const api_fn *const ALL_FNS[] = {
    &F_challenge_confirm_type, &F_challenge_user_id, &F_challenge_user_name, &F_challenge_confirm_url,
    &F_challenge_secret, &F_challenge_otpauth_uri, &F_challenge_free, &F_client_new, &F_client_new_with_options,
    &F_client_free, &F_client_base_url, &F_client_last_error, &F_client_last_result, &F_client_last_status,
    &F_client_last_retry_after, &F_client_last_server_message, &F_client_login, &F_client_login_with_code,
    &F_client_setup_app, &F_client_validate_app, &F_client_backup_codes, &F_client_regenerate_backup_codes,
    &F_client_logout, &F_client_is_authenticated, &F_client_tfa_policy, &F_client_set_tfa_policy,
    &F_client_confirm_context, &F_client_reset_app, &F_codes_count, &F_codes_unused_count, &F_codes_get,
    &F_codes_free, &F_error_result, &F_error_message, &F_error_status, &F_error_server_message,
    &F_error_retry_after, &F_error_free, &F_login_get_kind, &F_login_session, &F_login_challenge,
    &F_login_sms_phone_noise, &F_login_sms_expires, &F_login_sms_confirm_url, &F_login_free, &F_options_new,
    &F_options_set_timeout_ms, &F_options_set_connect_timeout_ms, &F_options_set_ca_file, &F_options_set_ca_pem,
    &F_options_set_allow_insecure_http, &F_options_set_user_agent, &F_options_set_max_response_bytes,
    &F_options_set_no_proxy, &F_options_free, &F_policy_enabled_method, &F_policy_available, &F_policy_enabled,
    &F_policy_title, &F_policy_list_len, &F_policy_list_get, &F_policy_free, &F_result_name, &F_result_str,
    &F_result_kind_name, &F_result_is_retryable, &F_session_new, &F_session_new_api_key, &F_session_is_api_key,
    &F_session_token, &F_session_expires, &F_session_user_id, &F_session_free, &F_setup_account,
    &F_setup_manual_entry_key, &F_setup_otpauth_uri, &F_setup_qr_png, &F_setup_free, &F_string_free, &F_version,
    &F_totp_code_at, &F_totp_code_now, &F_totp_verify_at, &F_totp_seconds_remaining_at, &F_totp_new,
    &F_totp_from_uri, &F_totp_generate, &F_totp_check, &F_totp_seconds_remaining, &F_totp_to_uri,
    &F_totp_get_algorithm, &F_totp_digits, &F_totp_period, &F_totp_free,
};
enum { N_CASES = sizeof CASES / sizeof CASES[0], N_FNS = sizeof ALL_FNS / sizeof ALL_FNS[0] };

/* `--list`: what check-bad-input-coverage.py compares with the header. */
static int list_table(void) {
    size_t i;
    int p;
    for (i = 0; i < N_FNS; i++) {
        printf("function %s", ALL_FNS[i]->name);
        for (p = 0; ALL_FNS[i]->params[p]; p++) printf(" %s", ALL_FNS[i]->params[p]);
        printf("\n");
    }
    for (i = 0; i < N_CASES; i++) printf("case %s %s %s\n", CASES[i].fn->name, CASES[i].param, KIND_NAMES[CASES[i].kind]);
    for (i = 0; i < N_BAD_CODES; i++) {
        printf("case docspace_client_login_with_code code string\n");
        printf("case docspace_client_validate_app code string\n");
    }
    return 0;
}

int main(int argc, char **argv) {
    char url[64];
    unsigned port = 0;
    docspace_options *options = NULL;
    size_t i;
    int table_failed;

    if (argc > 1 && strcmp(argv[1], "--list") == 0) return list_table();
    if (argc < 2) {
        fprintf(stderr, "usage: %s EMULATOR_URL (run through tests/c/with-emulator.sh) | --list\n", argv[0]);
        return 2;
    }
    linked = user_from_env("LINKED");
    setup_user = user_from_env("SETUP");
    plain = user_from_env("PLAIN");
    sms = user_from_env("SMS");
    if (!linked.email || !linked.totp_secret || !setup_user.email || !plain.email || !sms.email) {
        fprintf(stderr, "test_bad_input: DOCSPACE_USER_* not set; run through tests/c/with-emulator.sh\n");
        return 2;
    }

    big = malloc(BIG_LEN + 1);
    big_url = malloc(BIG_LEN + 1);
    if (!big || !big_url) return 2;
    memset(big, 'a', BIG_LEN);
    big[BIG_LEN] = '\0';
    memcpy(big_url, big, BIG_LEN + 1);
    memcpy(big_url, "https://portal.example.com/", 27);

    /* The sentinel: a local listener that only counts connections. A client timeout of 2 s
     * makes a request that should never have been sent fail as TIMEOUT (and be counted). */
    C.sentinel_fd = sentinel_open(&port);
    CHECK(C.sentinel_fd >= 0, "sentinel listener on port %u", port);
    if (C.sentinel_fd < 0) return 2;
    snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
    docspace_options_new(&options);
    docspace_options_set_timeout_ms(options, 2000);
    CHECK_RESULT(docspace_client_new_with_options(url, options, &C.sentinel, NULL), DOCSPACE_RESULT_OK,
                 "sentinel client");
    snprintf(url, sizeof url, "http://127.0.0.1:%u", closed_port());
    CHECK_RESULT(docspace_client_new_with_options(url, options, &C.offline, NULL), DOCSPACE_RESULT_OK,
                 "closed-port client");
    docspace_options_free(options);
    CHECK_RESULT(docspace_client_new(argv[1], &C.live, NULL), DOCSPACE_RESULT_OK, "emulator client");
    if (!C.sentinel || !C.offline || !C.live || !make_fixtures(argv[1])) {
        printf("fixtures missing\n");
        return check_summary("test_bad_input");
    }

    printf("# %d table cases over %d exported functions\n", (int)N_CASES, (int)N_FNS);
    for (i = 0; i < N_CASES; i++) run_case(&CASES[i], client_for(&CASES[i]));
    test_bad_codes();
    table_failed = cases_failed;
    test_after_free();

    CHECK(sentinel_drain(C.sentinel_fd) == 0, "no connection ever reached the sentinel");
    free_fixtures();
    docspace_client_free(C.sentinel);
    docspace_client_free(C.offline);
    docspace_client_free(C.live);
    close(C.sentinel_fd);
    free(big);
    free(big_url);
    printf("test_bad_input: %d bad-input cases (%d table rows + %d malformed-code calls), %d failed\n", cases_run,
           (int)N_CASES, (int)(4 * N_BAD_CODES), table_failed);
    return check_summary("test_bad_input");
}
