/*
 * The three DocSpace seed flows through the docspace-auth C ABI:
 *   1. sign in with a password and a TOTP code,
 *   2. link an authenticator app without a browser (setup + validate),
 *   3. read (and optionally regenerate) the backup codes,
 * then sign out. Secrets are printed masked.
 *
 * usage: seed_flows [--link] [--regenerate-backup-codes] [--show-secrets]
 *                   [URL USER PASSWORD [TOTP_SECRET]]
 * Missing arguments come from DOCSPACE_URL, DOCSPACE_USER, DOCSPACE_PASSWORD and
 * DOCSPACE_TOTP_SECRET. --link is needed to link an app (it changes the account: keep the
 * secret, use --show-secrets to see it); --regenerate-backup-codes replaces the codes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "docspace_auth.h"

static bool show_secrets = false;

/* Print a secret as its first two characters and stars, unless --show-secrets. */
static void print_secret(const char *label, const char *value) {
    if (value == NULL) {
        printf("  %s: (none)\n", label);
    } else if (show_secrets) {
        printf("  %s: %s\n", label, value);
    } else {
        size_t len = strlen(value);
        printf("  %s: %.2s", label, value);
        for (size_t i = 2; i < len && i < 24; i++) putchar('*');
        printf(" (%zu chars)\n", len);
    }
}

/* Report a failed call with its result name and kind, message, HTTP status and the portal's
 * words, and whether trying again later may help. */
static int fail(const char *step, docspace_result result, docspace_error *error) {
    const char *kind = docspace_result_kind_name(result);
    fprintf(stderr, "%s failed: %s (%s): %s\n", step, docspace_result_name(result), kind ? kind : "C API",
            error ? docspace_error_message(error) : docspace_result_str(result));
    if (docspace_result_is_retryable(result)) fprintf(stderr, "  this may succeed if tried again later\n");
    if (error && docspace_error_status(error))
        fprintf(stderr, "  HTTP %u, portal said: %s\n", (unsigned)docspace_error_status(error),
                docspace_error_server_message(error) ? docspace_error_server_message(error) : "(nothing)");
    if (error && docspace_error_retry_after(error) >= 0)
        fprintf(stderr, "  retry after %lld s\n", (long long)docspace_error_retry_after(error));
    docspace_error_free(error);
    return 1;
}

static const char *arg_or_env(int argc, char **argv, int index, const char *env) {
    return index < argc ? argv[index] : getenv(env);
}

/* A code for the challenge: from the TOTP secret if we have one, else typed by the user. */
static bool current_code(const char *secret, char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE]) {
    if (secret && *secret) {
        docspace_error *error = NULL;
        uint32_t left = 0;
        docspace_result r = docspace_totp_code_now(secret, code, DOCSPACE_TOTP_CODE_BUFFER_SIZE, &error);
        if (r != DOCSPACE_RESULT_OK) {
            fprintf(stderr, "cannot compute a code from the TOTP secret: %s\n", docspace_error_message(error));
            docspace_error_free(error);
            return false;
        }
        if (docspace_totp_seconds_remaining_at((int64_t)time(NULL), 30, &left, NULL) == DOCSPACE_RESULT_OK)
            printf("  computed a TOTP code, current for %u more second%s\n", (unsigned)left, left == 1 ? "" : "s");
        return true;
    }
    if (!isatty(STDIN_FILENO)) {
        fprintf(stderr, "a code is needed: pass the TOTP secret (DOCSPACE_TOTP_SECRET) or run interactively\n");
        return false;
    }
    printf("Code from your authenticator app (or a backup code): ");
    fflush(stdout);
    if (!fgets(code, DOCSPACE_TOTP_CODE_BUFFER_SIZE, stdin)) return false;
    code[strcspn(code, "\r\n")] = '\0';
    return true;
}

/* Flow 2: link an authenticator app with the activation challenge. */
static int link_app(docspace_client *client, const docspace_challenge *challenge, docspace_session **session_out) {
    docspace_error *error = NULL;
    docspace_setup *setup = NULL;
    docspace_result r = docspace_client_setup_app(client, challenge, &setup, &error);
    if (r != DOCSPACE_RESULT_OK) return fail("setup_app", r, error);

    char *account = NULL, *key = NULL, *uri = NULL;
    const uint8_t *png = NULL;
    size_t png_len = 0;
    docspace_setup_account(setup, &account);
    docspace_setup_manual_entry_key(setup, &key);
    docspace_setup_otpauth_uri(setup, &uri);
    docspace_setup_qr_png(setup, &png, &png_len);
    printf("[2] Setup payload for %s\n", account);
    print_secret("manual entry key", key);
    print_secret("otpauth URI", uri);
    printf("  QR code: %zu bytes of PNG\n", png_len);

    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    bool have_code = current_code(key, code);
    docspace_string_free(account);
    docspace_string_free(key);
    docspace_string_free(uri);
    docspace_setup_free(setup);
    if (!have_code) return 1;

    bool linked_now = false;
    r = docspace_client_validate_app(client, challenge, code, &linked_now, session_out, &error);
    if (r != DOCSPACE_RESULT_OK) return fail("validate_app", r, error);
    printf("[2] Code accepted: %s\n", linked_now ? "the app is now linked" : "the app was already linked");
    return 0;
}

/* Flow 3: list, and with --regenerate-backup-codes replace, the backup codes. */
static int backup_codes(docspace_client *client, const docspace_session *session, bool regenerate) {
    docspace_error *error = NULL;
    docspace_codes *codes = NULL;
    docspace_result r = docspace_client_backup_codes(client, session, &codes, &error);
    if (r == DOCSPACE_RESULT_TFA_NOT_AVAILABLE) {
        printf("[3] No backup codes: %s\n", docspace_error_message(error));
        docspace_error_free(error);
        return 0;
    }
    if (r != DOCSPACE_RESULT_OK) return fail("backup_codes", r, error);
    for (int round = 0; round < (regenerate ? 2 : 1); round++) {
        printf("[3] %s backup codes: %zu, %zu unused\n", round ? "New" : "Current", docspace_codes_count(codes),
               docspace_codes_unused_count(codes));
        for (size_t i = 0; i < docspace_codes_count(codes); i++) {
            char *code = NULL;
            bool used = false;
            docspace_codes_get(codes, i, &code, &used);
            print_secret(used ? "used  " : "unused", code);
            docspace_string_free(code);
        }
        docspace_codes_free(codes);
        codes = NULL;
        if (regenerate && round == 0) {
            r = docspace_client_regenerate_backup_codes(client, session, &codes, &error);
            if (r != DOCSPACE_RESULT_OK) return fail("regenerate_backup_codes", r, error);
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    bool link = false, regenerate = false;
    int first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        if (strcmp(argv[first], "--link") == 0) link = true;
        else if (strcmp(argv[first], "--regenerate-backup-codes") == 0) regenerate = true;
        else if (strcmp(argv[first], "--show-secrets") == 0) show_secrets = true;
        else {
            fprintf(stderr, "unknown option %s\n", argv[first]);
            return 2;
        }
    }
    const char *url = arg_or_env(argc, argv, first, "DOCSPACE_URL");
    const char *user = arg_or_env(argc, argv, first + 1, "DOCSPACE_USER");
    const char *password = arg_or_env(argc, argv, first + 2, "DOCSPACE_PASSWORD");
    const char *totp_secret = arg_or_env(argc, argv, first + 3, "DOCSPACE_TOTP_SECRET");
    if (!url || !user || !password) {
        fprintf(stderr, "usage: %s [--link] [--regenerate-backup-codes] [--show-secrets] URL USER PASSWORD [TOTP_SECRET]\n"
                        "       (or DOCSPACE_URL, DOCSPACE_USER, DOCSPACE_PASSWORD, DOCSPACE_TOTP_SECRET)\n", argv[0]);
        return 2;
    }
    printf("docspace-auth %s\n", docspace_version());

    docspace_error *error = NULL;
    docspace_client *client = NULL;
    docspace_result r = docspace_client_new_with_options(url, NULL, &client, &error);
    if (r != DOCSPACE_RESULT_OK) return fail("client", r, error);

    int status = 1;
    docspace_login *login = NULL;
    docspace_challenge *challenge = NULL;
    docspace_session *session = NULL;
    printf("[1] Signing in to %s as %s\n", docspace_client_base_url(client), user);
    r = docspace_client_login(client, user, password, &login, &error);
    if (r != DOCSPACE_RESULT_OK) {
        status = fail("login", r, error);
        goto done;
    }
    switch (docspace_login_get_kind(login)) {
    case DOCSPACE_LOGIN_KIND_AUTHENTICATED:
        printf("[1] Signed in: no second factor applies to this account\n");
        docspace_login_session(login, &session);
        break;
    case DOCSPACE_LOGIN_KIND_CODE_REQUIRED: {
        printf("[1] The portal asks for a code (an authenticator app is linked)\n");
        char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
        if (!current_code(totp_secret, code)) goto done;
        r = docspace_client_login_with_code(client, user, password, code, &session, &error);
        if (r != DOCSPACE_RESULT_OK) {
            status = fail("login_with_code", r, error);
            goto done;
        }
        printf("[1] Signed in with the code\n");
        break;
    }
    case DOCSPACE_LOGIN_KIND_SETUP_REQUIRED: {
        docspace_login_challenge(login, &challenge);
        char *secret = NULL;
        docspace_challenge_secret(challenge, &secret);
        printf("[1] 2FA applies but no app is linked; the portal sent the TOTP secret\n");
        print_secret("secret", secret);
        docspace_string_free(secret);
        if (!link) {
            printf("    Run again with --link (and --show-secrets to see the secret) to link an app.\n");
            status = 0;
            goto done;
        }
        if (link_app(client, challenge, &session) != 0) goto done;
        break;
    }
    case DOCSPACE_LOGIN_KIND_SMS_REQUIRED: {
        char *noise = NULL;
        docspace_login_sms_phone_noise(login, &noise);
        printf("[1] The portal texted a code to %s; this demo does not do SMS\n", noise ? noise : "(no phone yet)");
        docspace_string_free(noise);
        status = 0;
        goto done;
    }
    default:
        fprintf(stderr, "unknown login outcome\n");
        goto done;
    }

    char *token = NULL;
    docspace_session_token(session, &token);
    print_secret(docspace_session_is_api_key(session) ? "API key" : "session token", token);
    docspace_string_free(token);

    if (backup_codes(client, session, regenerate) != 0) goto done;

    r = docspace_client_logout(client, session, &error);
    if (r != DOCSPACE_RESULT_OK) {
        status = fail("logout", r, error);
        goto done;
    }
    bool still_valid = true;
    r = docspace_client_is_authenticated(client, session, &still_valid, &error);
    if (r != DOCSPACE_RESULT_OK) {
        status = fail("is_authenticated", r, error);
        goto done;
    }
    printf("[4] Signed out; the token is %s\n", still_valid ? "STILL VALID (unexpected)" : "revoked");
    status = still_valid ? 1 : 0;

done:
    docspace_session_free(session);
    docspace_challenge_free(challenge);
    docspace_login_free(login);
    docspace_client_free(client);
    return status;
}
