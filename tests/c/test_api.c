/*
 * test_api: the C ABI without a portal. Argument checking (NULL, invalid UTF-8, empty and
 * 1 MiB strings, out-of-range enum values), base URL rules, result names, kind names and
 * retryability, version macros, options checked at client creation, the error_out details of
 * sessions and TOTP, TOTP vectors, buffers and parameters, otpauth URIs, ownership (every
 * _free(NULL) is a no-op), and the bounded per-thread last-error store.
 *
 * Needs no network: calls that would reach the portal use a client on a loopback port that
 * nothing listens on, and only check that the failure is NETWORK.
 *
 * usage: test_api        (prints one line per check; exit status 0 = all passed)
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static const char *const BAD_UTF8 = "\xff\xfe\xfd";

/* A loopback port nothing listens on (bound, read, released). */
static unsigned unused_port(void) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    unsigned port = 9;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return port;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
        port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

/* Whether an error's message contains `needle` (and free the error). */
static int error_mentions(docspace_error *error, const char *needle) {
    const char *message = docspace_error_message(error);
    int found = message != NULL && strstr(message, needle) != NULL;
    if (!found) printf("     message: %s\n", message ? message : "(no error)");
    docspace_error_free(error);
    return found;
}

static void test_version(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", DOCSPACE_VERSION_MAJOR, DOCSPACE_VERSION_MINOR,
             DOCSPACE_VERSION_PATCH);
    CHECK(str_eq(docspace_version(), DOCSPACE_VERSION_STRING), "docspace_version() == DOCSPACE_VERSION_STRING (%s)",
          docspace_version());
    CHECK(starts_with(DOCSPACE_VERSION_STRING, expected), "DOCSPACE_VERSION_STRING starts with MAJOR.MINOR.PATCH");
    CHECK(DOCSPACE_VERSION_NUMBER ==
              ((DOCSPACE_VERSION_MAJOR << 16) | (DOCSPACE_VERSION_MINOR << 8) | DOCSPACE_VERSION_PATCH),
          "DOCSPACE_VERSION_NUMBER is 0xXXYYZZ of the parts");
    CHECK(DOCSPACE_AT_LEAST_VERSION(0, 0, 0), "DOCSPACE_AT_LEAST_VERSION(0,0,0)");
    CHECK(DOCSPACE_AT_LEAST_VERSION(DOCSPACE_VERSION_MAJOR, DOCSPACE_VERSION_MINOR, DOCSPACE_VERSION_PATCH),
          "DOCSPACE_AT_LEAST_VERSION(own version)");
    CHECK(!DOCSPACE_AT_LEAST_VERSION(DOCSPACE_VERSION_MAJOR + 1, 0, 0), "!DOCSPACE_AT_LEAST_VERSION(next major)");
    CHECK(!DOCSPACE_AT_LEAST_VERSION(DOCSPACE_VERSION_MAJOR, DOCSPACE_VERSION_MINOR, DOCSPACE_VERSION_PATCH + 1),
          "!DOCSPACE_AT_LEAST_VERSION(next patch)");
}

static void test_results(void) {
    static const struct {
        docspace_result code;
        unsigned value;
        const char *name;
    } all[] = {
        {DOCSPACE_RESULT_OK, 0, "DOCSPACE_RESULT_OK"},
        {DOCSPACE_RESULT_INVALID_ARGUMENT, 1, "DOCSPACE_RESULT_INVALID_ARGUMENT"},
        {DOCSPACE_RESULT_NULL_PARAMETER, 2, "DOCSPACE_RESULT_NULL_PARAMETER"},
        {DOCSPACE_RESULT_BUFFER_TOO_SMALL, 3, "DOCSPACE_RESULT_BUFFER_TOO_SMALL"},
        {DOCSPACE_RESULT_PANIC, 4, "DOCSPACE_RESULT_PANIC"},
        {DOCSPACE_RESULT_NETWORK, 10, "DOCSPACE_RESULT_NETWORK"},
        {DOCSPACE_RESULT_TIMEOUT, 11, "DOCSPACE_RESULT_TIMEOUT"},
        {DOCSPACE_RESULT_TLS, 12, "DOCSPACE_RESULT_TLS"},
        {DOCSPACE_RESULT_INVALID_CREDENTIALS, 20, "DOCSPACE_RESULT_INVALID_CREDENTIALS"},
        {DOCSPACE_RESULT_INVALID_CODE, 21, "DOCSPACE_RESULT_INVALID_CODE"},
        {DOCSPACE_RESULT_LOCKED_OUT, 22, "DOCSPACE_RESULT_LOCKED_OUT"},
        {DOCSPACE_RESULT_RATE_LIMITED, 23, "DOCSPACE_RESULT_RATE_LIMITED"},
        {DOCSPACE_RESULT_TFA_NOT_AVAILABLE, 24, "DOCSPACE_RESULT_TFA_NOT_AVAILABLE"},
        {DOCSPACE_RESULT_CONFIRM_CONTEXT, 25, "DOCSPACE_RESULT_CONFIRM_CONTEXT"},
        {DOCSPACE_RESULT_ACCESS_DENIED, 26, "DOCSPACE_RESULT_ACCESS_DENIED"},
        {DOCSPACE_RESULT_SESSION_INVALID, 27, "DOCSPACE_RESULT_SESSION_INVALID"},
        {DOCSPACE_RESULT_SERVER_ERROR, 30, "DOCSPACE_RESULT_SERVER_ERROR"},
        {DOCSPACE_RESULT_UNEXPECTED_RESPONSE, 31, "DOCSPACE_RESULT_UNEXPECTED_RESPONSE"},
    };
    /* The core's kind names and retryability (NULL / false for the C-only results). */
    static const struct {
        docspace_result code;
        const char *kind;
        bool retryable;
    } kinds[] = {
        {DOCSPACE_RESULT_OK, NULL, false},
        {DOCSPACE_RESULT_INVALID_ARGUMENT, "invalid_argument", false},
        {DOCSPACE_RESULT_NULL_PARAMETER, NULL, false},
        {DOCSPACE_RESULT_BUFFER_TOO_SMALL, NULL, false},
        {DOCSPACE_RESULT_PANIC, NULL, false},
        {DOCSPACE_RESULT_NETWORK, "network", true},
        {DOCSPACE_RESULT_TIMEOUT, "timeout", true},
        {DOCSPACE_RESULT_TLS, "tls", false},
        {DOCSPACE_RESULT_INVALID_CREDENTIALS, "invalid_credentials", false},
        {DOCSPACE_RESULT_INVALID_CODE, "invalid_code", false},
        {DOCSPACE_RESULT_LOCKED_OUT, "locked_out", true},
        {DOCSPACE_RESULT_RATE_LIMITED, "rate_limited", true},
        {DOCSPACE_RESULT_TFA_NOT_AVAILABLE, "tfa_not_available", false},
        {DOCSPACE_RESULT_CONFIRM_CONTEXT, "confirm_context", false},
        {DOCSPACE_RESULT_ACCESS_DENIED, "access_denied", false},
        {DOCSPACE_RESULT_SESSION_INVALID, "session_invalid", false},
        {DOCSPACE_RESULT_SERVER_ERROR, "server_error", true},
        {DOCSPACE_RESULT_UNEXPECTED_RESPONSE, "unexpected_response", false},
    };
    size_t i;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const char *kind = docspace_result_kind_name((uint32_t)kinds[i].code);
        CHECK(kinds[i].kind ? str_eq(kind, kinds[i].kind) : kind == NULL, "docspace_result_kind_name(%s) == %s",
              result_name(kinds[i].code), kinds[i].kind ? kinds[i].kind : "NULL");
        CHECK(docspace_result_is_retryable((uint32_t)kinds[i].code) == kinds[i].retryable,
              "docspace_result_is_retryable(%s) == %s", result_name(kinds[i].code), kinds[i].retryable ? "true" : "false");
    }
    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        const char *description = docspace_result_str((uint32_t)all[i].code);
        CHECK((unsigned)all[i].code == all[i].value, "%s == %u", all[i].name, all[i].value);
        CHECK(str_eq(docspace_result_name((uint32_t)all[i].code), all[i].name), "docspace_result_name(%u) == %s",
              all[i].value, all[i].name);
        CHECK(description != NULL && description[0] != '\0' && strcmp(description, "unknown result") != 0,
              "docspace_result_str(%u) describes it: \"%s\"", all[i].value, description ? description : "(null)");
    }
    {
        const uint32_t unknown[] = {5, 9, 13, 28, 32, 999, UINT32_MAX};
        for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
            CHECK(docspace_result_name(unknown[i]) == NULL, "docspace_result_name(%lu) is NULL",
                  (unsigned long)unknown[i]);
            CHECK(str_eq(docspace_result_str(unknown[i]), "unknown result"), "docspace_result_str(%lu) falls back",
                  (unsigned long)unknown[i]);
            CHECK(docspace_result_kind_name(unknown[i]) == NULL && !docspace_result_is_retryable(unknown[i]),
                  "docspace_result_kind_name(%lu) is NULL, not retryable", (unsigned long)unknown[i]);
        }
    }
}

static void test_free_null(void) {
    docspace_string_free(NULL);
    docspace_error_free(NULL);
    docspace_options_free(NULL);
    docspace_client_free(NULL);
    docspace_login_free(NULL);
    docspace_challenge_free(NULL);
    docspace_session_free(NULL);
    docspace_setup_free(NULL);
    docspace_codes_free(NULL);
    docspace_policy_free(NULL);
    docspace_totp_free(NULL);
    CHECK(1, "every _free(NULL) is a no-op");
}

static void test_null_accessors(void) {
    char *s = (char *)"untouched";
    const uint8_t *data = NULL;
    size_t len = 0;
    bool flag = false;
    docspace_session *session = NULL;
    docspace_challenge *challenge = NULL;

    CHECK(docspace_login_get_kind(NULL) == DOCSPACE_LOGIN_KIND_INVALID, "docspace_login_get_kind(NULL) == 0");
    CHECK_RESULT(docspace_login_session(NULL, &session), DOCSPACE_RESULT_NULL_PARAMETER, "docspace_login_session(NULL)");
    CHECK_RESULT(docspace_login_challenge(NULL, &challenge), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_login_challenge(NULL)");
    CHECK_RESULT(docspace_login_sms_phone_noise(NULL, &s), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_login_sms_phone_noise(NULL)");
    CHECK_RESULT(docspace_login_sms_confirm_url(NULL, &s), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_login_sms_confirm_url(NULL)");
    CHECK(!docspace_session_is_api_key(NULL), "docspace_session_is_api_key(NULL) is false");
    CHECK(docspace_totp_get_algorithm(NULL) == DOCSPACE_TOTP_ALGORITHM_INVALID,
          "docspace_totp_get_algorithm(NULL) == DOCSPACE_TOTP_ALGORITHM_INVALID");
    CHECK(docspace_totp_digits(NULL) == 0, "docspace_totp_digits(NULL) == 0");
    CHECK(docspace_totp_period(NULL) == 0, "docspace_totp_period(NULL) == 0");
    CHECK(docspace_challenge_confirm_type(NULL) == DOCSPACE_CONFIRM_TYPE_INVALID,
          "docspace_challenge_confirm_type(NULL) == 0");
    CHECK_RESULT(docspace_challenge_user_id(NULL, &s), DOCSPACE_RESULT_NULL_PARAMETER, "docspace_challenge_user_id(NULL)");
    CHECK_RESULT(docspace_challenge_secret(NULL, &s), DOCSPACE_RESULT_NULL_PARAMETER, "docspace_challenge_secret(NULL)");
    CHECK_RESULT(docspace_session_token(NULL, &s), DOCSPACE_RESULT_NULL_PARAMETER, "docspace_session_token(NULL)");
    CHECK_RESULT(docspace_setup_account(NULL, &s), DOCSPACE_RESULT_NULL_PARAMETER, "docspace_setup_account(NULL)");
    CHECK_RESULT(docspace_setup_qr_png(NULL, &data, &len), DOCSPACE_RESULT_NULL_PARAMETER, "docspace_setup_qr_png(NULL)");
    CHECK(docspace_codes_count(NULL) == 0, "docspace_codes_count(NULL) == 0");
    CHECK(docspace_codes_unused_count(NULL) == 0, "docspace_codes_unused_count(NULL) == 0");
    CHECK_RESULT(docspace_codes_get(NULL, 0, &s, &flag), DOCSPACE_RESULT_NULL_PARAMETER, "docspace_codes_get(NULL)");
    CHECK(docspace_policy_enabled_method(NULL) == DOCSPACE_TFA_METHOD_NONE, "docspace_policy_enabled_method(NULL) == NONE");
    CHECK_RESULT(docspace_policy_available(NULL, DOCSPACE_TFA_METHOD_APP, &flag), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_policy_available(NULL)");
    CHECK_RESULT(docspace_policy_enabled(NULL, DOCSPACE_TFA_METHOD_APP, &flag), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_policy_enabled(NULL)");
    CHECK_RESULT(docspace_policy_title(NULL, DOCSPACE_TFA_METHOD_APP, &s), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_policy_title(NULL)");
    CHECK(docspace_policy_list_len(NULL, DOCSPACE_TFA_METHOD_APP, DOCSPACE_POLICY_LIST_TRUSTED_IPS) == 0,
          "docspace_policy_list_len(NULL) == 0");
    CHECK_RESULT(docspace_policy_list_get(NULL, DOCSPACE_TFA_METHOD_APP, DOCSPACE_POLICY_LIST_TRUSTED_IPS, 0, &s),
                 DOCSPACE_RESULT_NULL_PARAMETER, "docspace_policy_list_get(NULL)");
    CHECK(docspace_error_result(NULL) == DOCSPACE_RESULT_NULL_PARAMETER, "docspace_error_result(NULL)");
    CHECK(docspace_error_message(NULL) == NULL, "docspace_error_message(NULL) is NULL");
    CHECK(docspace_error_status(NULL) == 0, "docspace_error_status(NULL) == 0");
    CHECK(docspace_error_server_message(NULL) == NULL, "docspace_error_server_message(NULL) is NULL");
    CHECK(docspace_error_retry_after(NULL) == -1, "docspace_error_retry_after(NULL) == -1");
    CHECK(docspace_client_base_url(NULL) == NULL, "docspace_client_base_url(NULL) is NULL");
    CHECK(docspace_client_last_error(NULL) == NULL, "docspace_client_last_error(NULL) is NULL");
    CHECK(docspace_client_last_result(NULL) == DOCSPACE_RESULT_NULL_PARAMETER, "docspace_client_last_result(NULL)");
    CHECK(docspace_client_last_status(NULL) == 0, "docspace_client_last_status(NULL) == 0");
    CHECK(docspace_client_last_retry_after(NULL) == -1, "docspace_client_last_retry_after(NULL) == -1");
    CHECK(docspace_client_last_server_message(NULL) == NULL, "docspace_client_last_server_message(NULL) is NULL");
    CHECK(str_eq(s, "untouched") && session == NULL && challenge == NULL && data == NULL && len == 0,
          "no output written by failed calls");
}

/* Build a client from `options` and return its result; `*message_needle` must be in the error. */
static docspace_result build_with(const docspace_options *options, const char *needle) {
    docspace_client *client = NULL;
    docspace_error *error = NULL;
    docspace_result r = docspace_client_new_with_options("https://portal.example.com", options, &client, &error);
    if (r == DOCSPACE_RESULT_OK) {
        CHECK(error == NULL && client != NULL, "a client, error_out untouched");
    } else {
        CHECK(client == NULL, "no client on failure");
        CHECK(docspace_error_result(error) == r, "error_out has the same result");
        CHECK(error_mentions(error, needle), "the error says what is wrong (\"%s\")", needle);
    }
    docspace_client_free(client);
    return r;
}

static void test_options(void) {
    docspace_options *options = NULL;

    CHECK_RESULT(docspace_options_new(NULL), DOCSPACE_RESULT_NULL_PARAMETER, "docspace_options_new(NULL)");
    CHECK_RESULT(docspace_options_set_timeout_ms(NULL, 1000), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_options_set_timeout_ms(NULL options)");
    CHECK_RESULT(docspace_options_set_no_proxy(NULL, true), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_options_set_no_proxy(NULL options)");
    CHECK_RESULT(docspace_options_new(&options), DOCSPACE_RESULT_OK, "docspace_options_new");
    CHECK_RESULT(docspace_options_set_timeout_ms(options, 5000), DOCSPACE_RESULT_OK, "timeout 5000 ms");
    CHECK_RESULT(docspace_options_set_connect_timeout_ms(options, 2000), DOCSPACE_RESULT_OK, "connect timeout 2000 ms");
    CHECK_RESULT(docspace_options_set_max_response_bytes(options, 65536), DOCSPACE_RESULT_OK, "max response bytes 64 KiB");
    CHECK_RESULT(docspace_options_set_user_agent(options, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "user agent NULL");
    CHECK_RESULT(docspace_options_set_user_agent(options, BAD_UTF8), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "user agent not UTF-8");
    CHECK_RESULT(docspace_options_set_user_agent(options, "c-tests/1.0"), DOCSPACE_RESULT_OK, "user agent");
    CHECK_RESULT(docspace_options_set_ca_file(options, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "CA file NULL");
    CHECK_RESULT(docspace_options_set_ca_pem(options, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "CA PEM NULL");
    CHECK_RESULT(docspace_options_set_no_proxy(options, true), DOCSPACE_RESULT_OK, "no proxy");
    CHECK_RESULT(build_with(options, ""), DOCSPACE_RESULT_OK, "client with options");
    docspace_options_free(options);

    /* The setters only store; the client says which value is wrong, with the core's words. */
    {
        static const struct {
            int which;
            const char *what;
            const char *needle;
        } bad[] = {
            {0, "timeout 0 ms", "timeouts must be greater than zero"},
            {1, "connect timeout 0 ms", "timeouts must be greater than zero"},
            {2, "max response bytes 0", "size limit"},
            {3, "empty CA file path", "CA file"},
            {4, "unreadable CA file", "/nonexistent/docspace-ca.pem"},
            {5, "empty CA PEM", "CA PEM"},
            {6, "CA PEM that is not a certificate", "CA PEM"},
            {7, "user agent that is not printable ASCII", "user agent must be printable ASCII"},
        };
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            docspace_result set = DOCSPACE_RESULT_PANIC;
            CHECK_RESULT(docspace_options_new(&options), DOCSPACE_RESULT_OK, "docspace_options_new");
            switch (bad[i].which) {
            case 0: set = docspace_options_set_timeout_ms(options, 0); break;
            case 1: set = docspace_options_set_connect_timeout_ms(options, 0); break;
            case 2: set = docspace_options_set_max_response_bytes(options, 0); break;
            case 3: set = docspace_options_set_ca_file(options, ""); break;
            case 4: set = docspace_options_set_ca_file(options, "/nonexistent/docspace-ca.pem"); break;
            case 5: set = docspace_options_set_ca_pem(options, ""); break;
            case 6: set = docspace_options_set_ca_pem(options, "not a certificate"); break;
            default: set = docspace_options_set_user_agent(options, "bad\nagent"); break;
            }
            CHECK_RESULT(set, DOCSPACE_RESULT_OK, bad[i].what);
            CHECK_RESULT(build_with(options, bad[i].needle), DOCSPACE_RESULT_INVALID_ARGUMENT, bad[i].what);
            docspace_options_free(options);
        }
    }
}

static void test_base_urls(const char *big) {
    docspace_client *client = NULL;
    docspace_error *error = NULL;
    docspace_options *options = NULL;
    const char *bad[] = {"not a url", "ftp://portal.example.com", "http://portal.example.com",
                         "https://user:pw@portal.example.com", "https://portal.example.com/?q=1", "", "   "};
    size_t i;

    CHECK_RESULT(docspace_client_new(NULL, &client, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "docspace_client_new(NULL url)");
    CHECK_RESULT(docspace_client_new("https://portal.example.com", NULL, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_client_new(NULL client_out)");
    CHECK_RESULT(docspace_client_new_with_options(NULL, NULL, &client, &error), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_client_new_with_options(NULL url)");
    CHECK(error_mentions(error, "base_url"), "the error names base_url");
    error = NULL;
    CHECK_RESULT(docspace_client_new(BAD_UTF8, &client, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT, "base URL not UTF-8");
    CHECK_RESULT(docspace_client_new("ftp://portal.example.com", &client, &error), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "docspace_client_new with error_out");
    CHECK(error_mentions(error, "http(s)"), "its error_out says the scheme must be http(s)");
    error = NULL;
    CHECK_RESULT(docspace_client_new(big, &client, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT, "base URL of 1 MiB");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_RESULT(docspace_client_new(bad[i], &client, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT, bad[i]);
    CHECK(client == NULL, "no client written on failure");

    CHECK_RESULT(docspace_client_new_with_options("http://portal.example.com", NULL, &client, &error),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "http to a non-loopback host (with error_out)");
    CHECK(error_mentions(error, "http"), "the error explains the plain-http refusal");
    error = NULL;

    CHECK_RESULT(docspace_options_new(&options), DOCSPACE_RESULT_OK, "options for insecure http");
    CHECK_RESULT(docspace_options_set_allow_insecure_http(options, true), DOCSPACE_RESULT_OK, "allow insecure http");
    CHECK_RESULT(docspace_client_new_with_options("http://portal.example.com", options, &client, &error),
                 DOCSPACE_RESULT_OK, "http to a non-loopback host with allow_insecure_http");
    CHECK(str_eq(docspace_client_base_url(client), "http://portal.example.com/"), "base URL normalised: %s",
          docspace_client_base_url(client));
    docspace_client_free(client);
    client = NULL;
    docspace_options_free(options);

    CHECK_RESULT(docspace_client_new("http://127.0.0.1:8080", &client, NULL), DOCSPACE_RESULT_OK, "http to loopback");
    docspace_client_free(client);
    client = NULL;
    CHECK_RESULT(docspace_client_new("https://portal.example.com/docspace", &client, NULL), DOCSPACE_RESULT_OK,
                 "https with a path");
    CHECK(str_eq(docspace_client_base_url(client), "https://portal.example.com/docspace/"), "path keeps a trailing /");
    docspace_client_free(client);
}

static void test_client_arguments(docspace_client *client, const char *big) {
    docspace_login *login = NULL;
    docspace_session *session = NULL;
    docspace_session *api_session = NULL;
    docspace_error *error = NULL;
    docspace_codes *codes = NULL;
    docspace_policy *policy = NULL;
    docspace_challenge *challenge = NULL;
    docspace_setup *setup = NULL;
    bool flag = false;
    const char *bad_codes[] = {"12/34", "12?456", "1#3456", "%2e%2e", "..", "../x", "12 34", "1234 56", "12\t34"};
    const char *one_ip[] = {"10.0.0.1"};
    const char *bogus_ip[] = {"10.0.0.1; DROP"};
    size_t i;

    /* NULLs, each named in the error. */
    CHECK_RESULT(docspace_client_login(NULL, "u@example.com", "pw", &login, &error), DOCSPACE_RESULT_NULL_PARAMETER,
                 "login with a NULL client");
    CHECK(error_mentions(error, "client"), "the error names `client`");
    error = NULL;
    CHECK_RESULT(docspace_client_login(client, NULL, "pw", &login, &error), DOCSPACE_RESULT_NULL_PARAMETER,
                 "login with a NULL user");
    CHECK(str_eq(docspace_client_last_error(client), docspace_error_message(error)),
          "last_error == error_out message (%s)", docspace_client_last_error(client));
    CHECK(docspace_client_last_result(client) == DOCSPACE_RESULT_NULL_PARAMETER, "last_result NULL_PARAMETER");
    CHECK(docspace_client_last_status(client) == 0, "last_status 0");
    CHECK(error_mentions(error, "`user`"), "the error names `user`");
    error = NULL;
    CHECK_RESULT(docspace_client_login(client, "u@example.com", NULL, &login, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "login with a NULL password (error_out NULL)");
    CHECK(strstr(docspace_client_last_error(client), "password") != NULL, "last_error names `password`");
    CHECK_RESULT(docspace_client_login(client, "u@example.com", "pw", NULL, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "login with a NULL login_out");
    CHECK(strstr(docspace_client_last_error(client), "login_out") != NULL, "last_error names `login_out`");
    CHECK_RESULT(docspace_client_login_with_code(client, "u@example.com", "pw", NULL, &session, NULL),
                 DOCSPACE_RESULT_NULL_PARAMETER, "login_with_code with a NULL code");
    CHECK_RESULT(docspace_client_login_with_code(client, "u@example.com", "pw", "123456", NULL, NULL),
                 DOCSPACE_RESULT_NULL_PARAMETER, "login_with_code with a NULL session_out");
    CHECK_RESULT(docspace_client_setup_app(client, NULL, &setup, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "setup_app with a NULL challenge");
    CHECK_RESULT(docspace_client_validate_app(client, NULL, "123456", &flag, &session, NULL),
                 DOCSPACE_RESULT_NULL_PARAMETER, "validate_app with a NULL challenge");
    CHECK_RESULT(docspace_client_backup_codes(client, NULL, &codes, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "backup_codes with a NULL session");
    CHECK_RESULT(docspace_client_regenerate_backup_codes(client, NULL, &codes, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "regenerate_backup_codes with a NULL session");
    CHECK_RESULT(docspace_client_logout(client, NULL, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "logout with a NULL session");
    CHECK_RESULT(docspace_client_tfa_policy(client, NULL, &policy, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "tfa_policy with a NULL session");
    CHECK_RESULT(docspace_client_confirm_context(client, NULL, &challenge, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "confirm_context with a NULL session");

    CHECK_RESULT(docspace_session_new(NULL, &session, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "docspace_session_new(NULL)");
    CHECK_RESULT(docspace_session_new("token", NULL, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_session_new(NULL session_out)");
    CHECK_RESULT(docspace_session_new("", &session, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT, "docspace_session_new(\"\")");
    CHECK_RESULT(docspace_session_new(BAD_UTF8, &session, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "docspace_session_new(not UTF-8)");
    CHECK_RESULT(docspace_session_new("  ", &session, &error), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "docspace_session_new(whitespace) with error_out");
    CHECK(docspace_error_result(error) == DOCSPACE_RESULT_INVALID_ARGUMENT, "error_out result INVALID_ARGUMENT");
    CHECK(error_mentions(error, "`token` argument is empty"), "the error names the empty token");
    error = NULL;
    CHECK_RESULT(docspace_session_new_api_key(NULL, &api_session, &error), DOCSPACE_RESULT_NULL_PARAMETER,
                 "docspace_session_new_api_key(NULL) with error_out");
    CHECK(error_mentions(error, "`key`"), "the error names `key`");
    error = NULL;
    CHECK(session == NULL && api_session == NULL, "no session written on failure");
    CHECK_RESULT(docspace_session_new("stored-token", &session, &error), DOCSPACE_RESULT_OK, "docspace_session_new");
    CHECK(error == NULL, "error_out untouched on success");
    CHECK(!docspace_session_is_api_key(session), "a login token is not an API key");
    {
        char *token = NULL, *expires = (char *)"x", *user_id = (char *)"x";
        CHECK_RESULT(docspace_session_token(session, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                     "docspace_session_token(NULL out)");
        CHECK_RESULT(docspace_session_token(session, &token), DOCSPACE_RESULT_OK, "docspace_session_token");
        CHECK(str_eq(token, "stored-token"), "the token comes back");
        docspace_string_free(token);
        CHECK_RESULT(docspace_session_expires(session, &expires), DOCSPACE_RESULT_OK, "docspace_session_expires");
        CHECK(expires == NULL, "expires unknown -> NULL");
        CHECK_RESULT(docspace_session_user_id(session, &user_id), DOCSPACE_RESULT_OK, "docspace_session_user_id");
        CHECK(user_id == NULL, "user id unknown -> NULL");
    }
    CHECK_RESULT(docspace_client_is_authenticated(client, session, NULL, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "is_authenticated with a NULL authenticated_out");
    CHECK_RESULT(docspace_client_reset_app(client, session, NULL, &session, &challenge, NULL),
                 DOCSPACE_RESULT_NULL_PARAMETER, "reset_app with a NULL user_id");
    CHECK_RESULT(docspace_client_reset_app(client, session, "../x", &api_session, &challenge, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "reset_app with a malformed user id");
    CHECK_RESULT(docspace_client_reset_app(client, session, "", &api_session, &challenge, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "reset_app with an empty user id");
    CHECK_RESULT(docspace_client_set_tfa_policy(client, NULL, DOCSPACE_TFA_METHOD_APP, NULL, 0, NULL, 0, NULL, 0, &flag,
                                                NULL),
                 DOCSPACE_RESULT_NULL_PARAMETER, "set_tfa_policy with a NULL session");
    CHECK_RESULT(docspace_client_set_tfa_policy(client, session, 7, NULL, 0, NULL, 0, NULL, 0, &flag, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "set_tfa_policy with method 7 (out of range)");
    CHECK_RESULT(docspace_client_set_tfa_policy(client, session, DOCSPACE_TFA_METHOD_APP, NULL, 1, NULL, 0, NULL, 0,
                                                &flag, NULL),
                 DOCSPACE_RESULT_NULL_PARAMETER, "set_tfa_policy with a NULL array of length 1");
    CHECK_RESULT(docspace_client_set_tfa_policy(client, session, DOCSPACE_TFA_METHOD_APP, bogus_ip, 1, NULL, 0, NULL, 0,
                                                &flag, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "set_tfa_policy with a malformed trusted IP");
    CHECK_RESULT(docspace_client_set_tfa_policy(client, session, DOCSPACE_TFA_METHOD_APP, one_ip, 1, NULL, 0, NULL, 0,
                                                NULL, NULL),
                 DOCSPACE_RESULT_NULL_PARAMETER, "set_tfa_policy with a NULL enabled_out");
    /* NULL arrays of length 0 are accepted: the call gets as far as the (absent) portal. */
    CHECK_RESULT(docspace_client_set_tfa_policy(client, session, DOCSPACE_TFA_METHOD_NONE, NULL, 0, NULL, 0, NULL, 0,
                                                &flag, NULL),
                 DOCSPACE_RESULT_NETWORK, "set_tfa_policy with empty NULL lists reaches the network");

    CHECK_RESULT(docspace_session_new_api_key("sk-test", &api_session, NULL), DOCSPACE_RESULT_OK, "API-key session");
    CHECK(docspace_session_is_api_key(api_session), "docspace_session_is_api_key");
    CHECK_RESULT(docspace_client_logout(client, api_session, &error), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "logout of an API-key session is refused");
    CHECK(error_mentions(error, "API key"), "the error explains API keys");
    error = NULL;
    docspace_session_free(api_session);

    /* Invalid UTF-8, empty and huge strings. */
    CHECK_RESULT(docspace_client_login(client, BAD_UTF8, "pw", &login, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "login with a user that is not UTF-8");
    CHECK(strstr(docspace_client_last_error(client), "UTF-8") != NULL, "last_error says UTF-8");
    CHECK_RESULT(docspace_client_login(client, "u@example.com", BAD_UTF8, &login, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "login with a password that is not UTF-8");
    CHECK_RESULT(docspace_client_login(client, "", "pw", &login, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "login with an empty user");
    CHECK_RESULT(docspace_client_login(client, "u@example.com", "", &login, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "login with an empty password");
    CHECK_RESULT(docspace_client_login(client, big, "pw", &login, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "login with a 1 MiB user");
    CHECK_RESULT(docspace_client_login(client, "u@example.com", big, &login, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "login with a 1 MiB password");
    CHECK_RESULT(docspace_client_login_with_code(client, "u@example.com", "pw", big, &session, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "login_with_code with a 1 MiB code");
    CHECK_RESULT(docspace_client_login_with_code(client, "u@example.com", "pw", "", &session, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "login_with_code with an empty code");
    CHECK(login == NULL, "no login written on failure");

    /* Codes that could escape the request path never leave the process. */
    for (i = 0; i < sizeof bad_codes / sizeof bad_codes[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "login_with_code with code \"%s\"", bad_codes[i]);
        CHECK_RESULT(docspace_client_login_with_code(client, "u@example.com", "pw", bad_codes[i], &session, NULL),
                     DOCSPACE_RESULT_INVALID_ARGUMENT, what);
    }

    /* A well-formed call fails at the transport: nothing listens on the port. */
    CHECK_RESULT(docspace_client_login(client, "u@example.com", "pw", &login, &error), DOCSPACE_RESULT_NETWORK,
                 "login against a closed port");
    CHECK(docspace_error_result(error) == DOCSPACE_RESULT_NETWORK, "error_out result NETWORK");
    CHECK(docspace_error_status(error) == 0, "no HTTP status");
    CHECK(docspace_error_server_message(error) == NULL, "no server message");
    CHECK(docspace_error_retry_after(error) == -1, "no retry-after");
    CHECK(docspace_error_message(error) != NULL && strlen(docspace_error_message(error)) > 0, "a message: %s",
          docspace_error_message(error));
    CHECK(docspace_client_last_result(client) == DOCSPACE_RESULT_NETWORK, "last_result NETWORK");
    docspace_error_free(error);
    docspace_session_free(session);
}

static void test_totp(const char *big) {
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    char small[7];
    docspace_totp *totp = NULL, *again_unused = NULL;
    bool matched = true;
    int32_t offset = 99;
    uint32_t seconds = 0;
    static const struct {
        const char *secret;
        uint32_t algorithm;
        const char *code;
    } rfc[] = {
        {"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DOCSPACE_TOTP_ALGORITHM_SHA1, "94287082"},
        {"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA", DOCSPACE_TOTP_ALGORITHM_SHA256, "46119246"},
        {"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
         "GEZDGNA",
         DOCSPACE_TOTP_ALGORITHM_SHA512, "90693936"},
    };
    size_t i;

    /* CONTRACT.md section 4 worked example: DocSpace's 80-bit secret. */
    CHECK_RESULT(docspace_totp_code_at("LJVTCTSWGJYEOYSV", 1767225600, code, sizeof code, NULL), DOCSPACE_RESULT_OK,
                 "docspace_totp_code_at (CONTRACT 4 example)");
    CHECK(str_eq(code, "157287"), "LJVTCTSWGJYEOYSV at 1767225600 -> 157287 (got %s)", code);
    CHECK_RESULT(docspace_totp_code_at("ljvt ctsw gjye oysv", 1767225600, code, sizeof code, NULL), DOCSPACE_RESULT_OK,
                 "lower case with spaces");
    CHECK(str_eq(code, "157287"), "lenient base32 gives the same code");

    /* RFC 6238 appendix B, T = 59, 8 digits. */
    for (i = 0; i < sizeof rfc / sizeof rfc[0]; i++) {
        CHECK_RESULT(docspace_totp_new(rfc[i].secret, rfc[i].algorithm, 8, 30, &totp, NULL), DOCSPACE_RESULT_OK,
                     "docspace_totp_new (RFC 6238 seed)");
        CHECK_RESULT(docspace_totp_generate(totp, 59, code, sizeof code, NULL), DOCSPACE_RESULT_OK, "docspace_totp_generate");
        CHECK(str_eq(code, rfc[i].code), "RFC 6238 algorithm %u at 59 -> %s (got %s)", (unsigned)rfc[i].algorithm,
              rfc[i].code, code);
        docspace_totp_free(totp);
        totp = NULL;
    }

    /* Buffers. */
    memset(small, 'x', sizeof small);
    CHECK_RESULT(docspace_totp_code_at("LJVTCTSWGJYEOYSV", 1767225600, small, 6, NULL), DOCSPACE_RESULT_BUFFER_TOO_SMALL,
                 "6-byte buffer for a 6-digit code");
    CHECK(small[0] == 'x' && small[5] == 'x', "nothing written to a too-small buffer");
    CHECK_RESULT(docspace_totp_code_at("LJVTCTSWGJYEOYSV", 1767225600, small, 7, NULL), DOCSPACE_RESULT_OK,
                 "7-byte buffer for a 6-digit code");
    CHECK(str_eq(small, "157287"), "exactly fitting buffer holds the code");
    CHECK_RESULT(docspace_totp_code_at("LJVTCTSWGJYEOYSV", 1767225600, NULL, 16, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "NULL code_out");
    CHECK_RESULT(docspace_totp_code_at(NULL, 1767225600, code, sizeof code, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "NULL secret");
    CHECK_RESULT(docspace_totp_code_at("LJVTCTSWGJYEOYSV", -1, code, sizeof code, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "negative time");
    CHECK_RESULT(docspace_totp_code_at("", 0, code, sizeof code, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT, "empty secret");
    CHECK_RESULT(docspace_totp_code_at("not base32!", 0, code, sizeof code, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "secret that is not base32");
    CHECK_RESULT(docspace_totp_code_at(BAD_UTF8, 0, code, sizeof code, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "secret that is not UTF-8");
    CHECK_RESULT(docspace_totp_code_at(big, 0, code, sizeof code, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT, "1 MiB secret");

    /* Now: 6 digits, verifies at now with window 1. */
    CHECK_RESULT(docspace_totp_code_now("LJVTCTSWGJYEOYSV", code, sizeof code, NULL), DOCSPACE_RESULT_OK,
                 "docspace_totp_code_now");
    CHECK(strlen(code) == 6 && strspn(code, "0123456789") == 6, "six digits");
    CHECK_RESULT(docspace_totp_verify_at("LJVTCTSWGJYEOYSV", code, (int64_t)time(NULL), 1, &matched, NULL, NULL),
                 DOCSPACE_RESULT_OK, "verify the current code (offset_out NULL)");
    CHECK(matched, "the current code matches");

    /* Verification window and offsets. */
    CHECK_RESULT(docspace_totp_verify_at("LJVTCTSWGJYEOYSV", "157287", 1767225630, 1, &matched, &offset, NULL),
                 DOCSPACE_RESULT_OK, "verify one step later, window 1");
    CHECK(matched && offset == -1, "matched at offset -1 (got %d, %d)", (int)matched, (int)offset);
    offset = 99;
    CHECK_RESULT(docspace_totp_verify_at("LJVTCTSWGJYEOYSV", "157287", 1767225630, 0, &matched, &offset, NULL),
                 DOCSPACE_RESULT_OK, "verify one step later, window 0");
    CHECK(!matched && offset == 99, "not matched; offset untouched");
    CHECK_RESULT(docspace_totp_verify_at("LJVTCTSWGJYEOYSV", " 157287\n", 1767225600, 0, &matched, &offset, NULL),
                 DOCSPACE_RESULT_OK, "verify with surrounding whitespace");
    CHECK(matched && offset == 0, "whitespace is trimmed; offset 0");
    CHECK_RESULT(docspace_totp_verify_at("LJVTCTSWGJYEOYSV", "abc", 1767225600, 1, &matched, &offset, NULL),
                 DOCSPACE_RESULT_OK, "verify a malformed code");
    CHECK(!matched, "a malformed code does not match");
    CHECK_RESULT(docspace_totp_verify_at("LJVTCTSWGJYEOYSV", NULL, 0, 1, &matched, &offset, NULL),
                 DOCSPACE_RESULT_NULL_PARAMETER, "verify a NULL code");
    CHECK_RESULT(docspace_totp_verify_at("LJVTCTSWGJYEOYSV", "157287", 0, 1, NULL, &offset, NULL),
                 DOCSPACE_RESULT_NULL_PARAMETER, "verify with a NULL matched_out");

    /* The handle: parameters, seconds remaining, NULLs. */
    CHECK_RESULT(docspace_totp_new("LJVTCTSWGJYEOYSV", 3, 6, 30, &totp, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "algorithm 3 (out of range)");
    CHECK_RESULT(docspace_totp_new("LJVTCTSWGJYEOYSV", DOCSPACE_TOTP_ALGORITHM_SHA1, 5, 30, &totp, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "5 digits");
    CHECK_RESULT(docspace_totp_new("LJVTCTSWGJYEOYSV", DOCSPACE_TOTP_ALGORITHM_SHA1, 6, 0, &totp, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "period 0");
    CHECK_RESULT(docspace_totp_new("LJVTCTSWGJYEOYSV", DOCSPACE_TOTP_ALGORITHM_SHA1, 6, 30, NULL, NULL),
                 DOCSPACE_RESULT_NULL_PARAMETER, "NULL totp_out");
    CHECK(totp == NULL, "no handle written on failure");
    CHECK_RESULT(docspace_totp_new("LJVTCTSWGJYEOYSV", DOCSPACE_TOTP_ALGORITHM_SHA1, 6, 30, &totp, NULL), DOCSPACE_RESULT_OK,
                 "docspace_totp_new (DocSpace parameters)");
    CHECK_RESULT(docspace_totp_generate(totp, 1767225600, code, sizeof code, NULL), DOCSPACE_RESULT_OK, "generate");
    CHECK(str_eq(code, "157287"), "the handle gives the same code");
    CHECK_RESULT(docspace_totp_generate(totp, 1767225600, code, 3, NULL), DOCSPACE_RESULT_BUFFER_TOO_SMALL,
                 "generate into 3 bytes");
    CHECK_RESULT(docspace_totp_generate(totp, -30, code, sizeof code, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "generate at a negative time");
    CHECK_RESULT(docspace_totp_generate(NULL, 0, code, sizeof code, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "generate NULL");
    CHECK_RESULT(docspace_totp_check(totp, "157287", 1767225660, 2, &matched, &offset, NULL), DOCSPACE_RESULT_OK,
                 "check two steps later, window 2");
    CHECK(matched && offset == -2, "matched at offset -2");
    CHECK_RESULT(docspace_totp_seconds_remaining(totp, 1767225600, &seconds, NULL), DOCSPACE_RESULT_OK, "seconds remaining");
    CHECK(seconds == 30, "30 s left at the start of a step (got %u)", (unsigned)seconds);
    CHECK_RESULT(docspace_totp_seconds_remaining(totp, 1767225629, &seconds, NULL), DOCSPACE_RESULT_OK,
                 "seconds remaining (last second)");
    CHECK(seconds == 1, "1 s left in the last second");
    CHECK_RESULT(docspace_totp_seconds_remaining(totp, 0, NULL, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "seconds remaining into NULL");
    CHECK(docspace_totp_get_algorithm(totp) == DOCSPACE_TOTP_ALGORITHM_SHA1, "docspace_totp_get_algorithm: SHA1");
    CHECK(docspace_totp_digits(totp) == 6, "docspace_totp_digits: 6");
    CHECK(docspace_totp_period(totp) == 30, "docspace_totp_period: 30");
    docspace_totp_free(totp);
    totp = NULL;
    CHECK_RESULT(docspace_totp_new(rfc[2].secret, DOCSPACE_TOTP_ALGORITHM_SHA512, 8, 90, &totp, NULL),
                 DOCSPACE_RESULT_OK, "docspace_totp_new (SHA512, 8 digits, 90 s)");
    CHECK(docspace_totp_get_algorithm(totp) == DOCSPACE_TOTP_ALGORITHM_SHA512 && docspace_totp_digits(totp) == 8 &&
              docspace_totp_period(totp) == 90,
          "the getters give the generator's parameters");
    CHECK_RESULT(docspace_totp_new("LJVTCTSWGJYEOYSV", DOCSPACE_TOTP_ALGORITHM_INVALID, 6, 30, &again_unused, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "DOCSPACE_TOTP_ALGORITHM_INVALID is not an input");
    docspace_totp_free(totp);
}

/* The details a failing TOTP call gives through error_out (never the secret itself). */
static void test_totp_errors(void) {
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    docspace_error *error = NULL;
    docspace_totp *totp = NULL;
    bool matched = false;
    uint32_t seconds = 0;

    CHECK_RESULT(docspace_totp_code_at("LJVT1CTSWGJYEOYSV", 0, code, sizeof code, &error),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "code_at with a 1 in the secret");
    CHECK(docspace_error_result(error) == DOCSPACE_RESULT_INVALID_ARGUMENT, "error_out result INVALID_ARGUMENT");
    CHECK(docspace_error_status(error) == 0 && docspace_error_server_message(error) == NULL &&
              docspace_error_retry_after(error) == -1,
          "no HTTP details for a local error");
    CHECK(docspace_error_message(error) != NULL && strstr(docspace_error_message(error), "LJVT1") == NULL,
          "the message does not repeat the secret");
    CHECK(error_mentions(error, "base32"), "a bad base32 secret's message mentions base32");
    error = NULL;
    CHECK_RESULT(docspace_totp_code_at("LJVT1CTSWGJYEOYSV", 0, code, sizeof code, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "the same with error_out NULL");
    CHECK_RESULT(docspace_totp_code_at("", 0, code, sizeof code, &error), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "code_at with an empty secret");
    CHECK(error_mentions(error, "empty"), "the error says the secret is empty");
    error = NULL;
    CHECK_RESULT(docspace_totp_code_now(NULL, code, sizeof code, &error), DOCSPACE_RESULT_NULL_PARAMETER,
                 "code_now with a NULL secret");
    CHECK(error_mentions(error, "secret_base32"), "the error names `secret_base32`");
    error = NULL;
    CHECK_RESULT(docspace_totp_code_at("LJVTCTSWGJYEOYSV", -5, code, sizeof code, &error),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "code_at a negative time");
    CHECK(error_mentions(error, "negative"), "the error says the time is negative");
    error = NULL;
    CHECK_RESULT(docspace_totp_code_at("LJVTCTSWGJYEOYSV", 0, code, 4, &error), DOCSPACE_RESULT_BUFFER_TOO_SMALL,
                 "code_at into 4 bytes");
    CHECK(error_mentions(error, "code_out"), "the error names `code_out`");
    error = NULL;
    CHECK_RESULT(docspace_totp_verify_at("not*base32", "123456", 0, 1, &matched, NULL, &error),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "verify_at with a bad secret");
    CHECK(error_mentions(error, "base32"), "verify_at's error mentions base32");
    error = NULL;

    CHECK_RESULT(docspace_totp_new("LJVTCTSWGJYEOYSV", DOCSPACE_TOTP_ALGORITHM_SHA1, 9, 30, &totp, &error),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "totp_new with 9 digits");
    CHECK(error_mentions(error, "6, 7 or 8 digits"), "the error gives the allowed digits");
    error = NULL;
    CHECK_RESULT(docspace_totp_new("LJVTCTSWGJYEOYSV", DOCSPACE_TOTP_ALGORITHM_SHA1, 6, 7200, &totp, &error),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "totp_new with a 7200 s period");
    CHECK(error_mentions(error, "between 1 and 3600"), "the error gives the allowed periods");
    error = NULL;
    CHECK_RESULT(docspace_totp_new("LJVTCTSWGJYEOYSV", 7, 6, 30, &totp, &error), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "totp_new with algorithm 7");
    CHECK(error_mentions(error, "docspace_totp_algorithm"), "the error names the enum");
    error = NULL;
    CHECK_RESULT(docspace_totp_from_uri("otpauth://hotp/x?secret=LJVTCTSWGJYEOYSV&counter=1", &totp, NULL, NULL, &error),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "from_uri of an HOTP URI");
    CHECK(error_mentions(error, "HOTP"), "the error says HOTP is not supported");
    error = NULL;
    CHECK_RESULT(docspace_totp_from_uri("otpauth://totp/x?secret=0000", &totp, NULL, NULL, &error),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "from_uri with a secret that is not base32");
    CHECK(error_mentions(error, "base32"), "from_uri's error mentions base32");
    error = NULL;
    CHECK(totp == NULL, "no handle written on failure");

    CHECK_RESULT(docspace_totp_generate(NULL, 0, code, sizeof code, &error), DOCSPACE_RESULT_NULL_PARAMETER,
                 "generate with a NULL handle");
    CHECK(error_mentions(error, "`totp`"), "the error names `totp`");
    error = NULL;
    CHECK_RESULT(docspace_totp_new("LJVTCTSWGJYEOYSV", DOCSPACE_TOTP_ALGORITHM_SHA1, 6, 30, &totp, &error),
                 DOCSPACE_RESULT_OK, "totp_new");
    CHECK(error == NULL, "error_out untouched on success");
    CHECK_RESULT(docspace_totp_check(totp, NULL, 0, 1, &matched, NULL, &error), DOCSPACE_RESULT_NULL_PARAMETER,
                 "check with a NULL code");
    CHECK(error_mentions(error, "`code`"), "the error names `code`");
    error = NULL;
    CHECK_RESULT(docspace_totp_seconds_remaining(totp, -1, &seconds, &error), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "seconds_remaining at a negative time");
    CHECK(error_mentions(error, "negative"), "the error says the time is negative");
    error = NULL;
    CHECK_RESULT(docspace_totp_to_uri(totp, NULL, NULL, NULL, &error), DOCSPACE_RESULT_NULL_PARAMETER,
                 "to_uri with a NULL account");
    CHECK(error_mentions(error, "`account`"), "the error names `account`");
    error = NULL;
    docspace_totp_free(totp);
}

/* docspace_totp_seconds_remaining_at: no secret needed. */
static void test_seconds_remaining_at(void) {
    static const struct {
        int64_t t;
        uint32_t period, want;
    } cases[] = {{1767225600, 30, 30}, {1767225629, 30, 1}, {1767225615, 30, 15}, {61, 60, 59}, {0, 1, 1},
                 {0, 3600, 3600}, {3599, 3600, 1}};
    docspace_error *error = NULL;
    uint32_t seconds = 0;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        seconds = 0;
        CHECK_RESULT(docspace_totp_seconds_remaining_at(cases[i].t, cases[i].period, &seconds, NULL), DOCSPACE_RESULT_OK,
                     "docspace_totp_seconds_remaining_at");
        CHECK(seconds == cases[i].want, "at %lld with a %u s period: %u s left (got %u)", (long long)cases[i].t,
              (unsigned)cases[i].period, (unsigned)cases[i].want, (unsigned)seconds);
    }
    seconds = 0;
    CHECK_RESULT(docspace_totp_seconds_remaining_at((int64_t)time(NULL), 30, &seconds, NULL), DOCSPACE_RESULT_OK,
                 "seconds_remaining_at now");
    CHECK(seconds >= 1 && seconds <= 30, "1 to 30 s left now (%u)", (unsigned)seconds);
    seconds = 77;
    CHECK_RESULT(docspace_totp_seconds_remaining_at(0, 0, &seconds, &error), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "period 0");
    CHECK(error_mentions(error, "period"), "the error names the period");
    error = NULL;
    CHECK_RESULT(docspace_totp_seconds_remaining_at(0, 3601, &seconds, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "period 3601");
    CHECK_RESULT(docspace_totp_seconds_remaining_at(-1, 30, &seconds, &error), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "negative time");
    CHECK(error_mentions(error, "negative"), "the error says the time is negative");
    error = NULL;
    CHECK_RESULT(docspace_totp_seconds_remaining_at(0, 30, NULL, &error), DOCSPACE_RESULT_NULL_PARAMETER,
                 "NULL seconds_out");
    CHECK(error_mentions(error, "seconds_out"), "the error names `seconds_out`");
    CHECK(seconds == 77, "nothing written on failure");
}

/* ---- the bounded last-error store ----------------------------------------------------------- */

enum { FLOOD_THREADS = 1100 };

/* One short-lived thread: a failing call (no network), then it exits. */
static void *fail_once(void *arg) {
    docspace_login *login = NULL;
    docspace_client_login((docspace_client *)arg, NULL, "pw", &login, NULL);
    return NULL;
}

static void test_last_error_store(docspace_client *client) {
    docspace_login *login = NULL;
    const char *lent;
    int i, started = 0;

    CHECK_RESULT(docspace_client_login(client, "u@example.com", NULL, &login, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "a failing call on the main thread");
    lent = docspace_client_last_error(client);
    CHECK(strstr(lent, "`password`") != NULL, "its last error: %s", lent);
    /* More failing threads than the store keeps (1024): the main thread's record, the oldest,
     * is evicted, but the string it borrowed stays valid until its next call. */
    for (i = 0; i < FLOOD_THREADS; i++) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, fail_once, client) != 0) break;
        pthread_join(thread, NULL);
        started++;
    }
    CHECK(started == FLOOD_THREADS, "%d short-lived threads each failed a call", started);
    CHECK(docspace_client_last_result(client) == DOCSPACE_RESULT_OK && str_eq(docspace_client_last_error(client), ""),
          "the main thread's record was evicted: OK / \"\"");
    CHECK(strstr(lent, "`password`") != NULL, "the string borrowed before the eviction is still readable");
    CHECK_RESULT(docspace_client_login(client, "u@example.com", "pw", NULL, NULL), DOCSPACE_RESULT_NULL_PARAMETER,
                 "a new failing call records again");
    CHECK(strstr(docspace_client_last_error(client), "login_out") != NULL, "the new record is the main thread's");
}

static void test_otpauth(const char *big) {
    const char *uri =
        "otpauth://totp/ACME%20Co:ann@acme.test?secret=ljvt%20ctsw%20gjye%20oysv&issuer=ACME%20Co&algorithm=SHA-256"
        "&digits=8&period=60";
    docspace_totp *totp = NULL, *again = NULL;
    char *issuer = NULL, *account = NULL, *text = NULL, *issuer2 = NULL, *account2 = NULL;
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE], code2[DOCSPACE_TOTP_CODE_BUFFER_SIZE];

    CHECK_RESULT(docspace_totp_from_uri(uri, &totp, &issuer, &account, NULL), DOCSPACE_RESULT_OK, "docspace_totp_from_uri");
    CHECK(str_eq(issuer, "ACME Co"), "issuer \"ACME Co\" (got %s)", issuer ? issuer : "(null)");
    CHECK(str_eq(account, "ann@acme.test"), "account ann@acme.test");
    CHECK_RESULT(docspace_totp_generate(totp, 1767225600, code, sizeof code, NULL), DOCSPACE_RESULT_OK, "generate (SHA256/8/60)");
    CHECK(str_eq(code, "28102303"), "SHA256, 8 digits, 60 s at 1767225600 -> 28102303 (got %s)", code);
    CHECK_RESULT(docspace_totp_to_uri(totp, issuer, account, &text, NULL), DOCSPACE_RESULT_OK, "docspace_totp_to_uri");
    CHECK(str_eq(text,
                 "otpauth://totp/ACME%20Co:ann@acme.test?secret=LJVTCTSWGJYEOYSV&issuer=ACME%20Co&algorithm=SHA256"
                 "&digits=8&period=60"),
          "canonical URI: %s", text ? text : "(null)");
    CHECK_RESULT(docspace_totp_from_uri(text, &again, &issuer2, &account2, NULL), DOCSPACE_RESULT_OK, "parse it again");
    CHECK(str_eq(issuer, issuer2) && str_eq(account, account2), "round trip keeps issuer and account");
    CHECK_RESULT(docspace_totp_generate(again, 1767225600, code2, sizeof code2, NULL), DOCSPACE_RESULT_OK, "generate again");
    CHECK(str_eq(code, code2), "round trip keeps the generator");
    docspace_string_free(text);
    docspace_string_free(issuer);
    docspace_string_free(account);
    docspace_string_free(issuer2);
    docspace_string_free(account2);
    docspace_totp_free(again);
    again = NULL;

    CHECK_RESULT(docspace_totp_to_uri(totp, NULL, "ann@acme.test", &text, NULL), DOCSPACE_RESULT_OK, "to_uri without issuer");
    CHECK(starts_with(text, "otpauth://totp/ann@acme.test?secret="), "no issuer in the label: %s", text);
    issuer = (char *)"x";
    CHECK_RESULT(docspace_totp_from_uri(text, &again, &issuer, NULL, NULL), DOCSPACE_RESULT_OK,
                 "from_uri with account_out NULL");
    CHECK(issuer == NULL, "no issuer -> *issuer_out NULL");
    docspace_string_free(text);
    docspace_totp_free(again);
    again = NULL;
    CHECK_RESULT(docspace_totp_to_uri(totp, NULL, NULL, &text, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "to_uri NULL account");
    CHECK_RESULT(docspace_totp_to_uri(totp, NULL, "a", NULL, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "to_uri NULL uri_out");
    docspace_totp_free(totp);
    totp = NULL;

    CHECK_RESULT(docspace_totp_from_uri(NULL, &totp, NULL, NULL, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "from_uri NULL uri");
    CHECK_RESULT(docspace_totp_from_uri(uri, NULL, NULL, NULL, NULL), DOCSPACE_RESULT_NULL_PARAMETER, "from_uri NULL totp_out");
    CHECK_RESULT(docspace_totp_from_uri("https://example.com/", &totp, NULL, NULL, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT,
                 "from_uri of an https URL");
    CHECK_RESULT(docspace_totp_from_uri("otpauth://hotp/x?secret=LJVTCTSWGJYEOYSV&counter=1", &totp, NULL, NULL, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "from_uri of an HOTP URI");
    CHECK_RESULT(docspace_totp_from_uri("otpauth://totp/x?issuer=y", &totp, NULL, NULL, NULL),
                 DOCSPACE_RESULT_INVALID_ARGUMENT, "from_uri without a secret");
    CHECK_RESULT(docspace_totp_from_uri(big, &totp, NULL, NULL, NULL), DOCSPACE_RESULT_INVALID_ARGUMENT, "from_uri of 1 MiB");
    CHECK(totp == NULL, "no handle written on failure");
}

int main(void) {
    enum { BIG = 1 << 20 };
    char *big = malloc(BIG + 1);
    char url[64];
    docspace_client *client = NULL;

    if (big == NULL) return 2;
    memset(big, 'a', BIG);
    big[BIG] = '\0';

    test_version();
    test_results();
    test_free_null();
    test_null_accessors();
    test_options();
    test_base_urls(big);

    snprintf(url, sizeof url, "http://127.0.0.1:%u", unused_port());
    CHECK_RESULT(docspace_client_new(url, &client, NULL), DOCSPACE_RESULT_OK, "client on an unused loopback port");
    CHECK(str_eq(docspace_client_last_error(client), ""), "a new client has no last error");
    CHECK(docspace_client_last_result(client) == DOCSPACE_RESULT_OK, "a new client's last result is OK");
    test_client_arguments(client, big);
    test_last_error_store(client);
    docspace_client_free(client);

    test_totp(big);
    test_totp_errors();
    test_seconds_remaining_at();
    test_otpauth(big);

    free(big);
    return check_summary("test_api");
}
