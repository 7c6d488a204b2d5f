/*
 * test_stress: many threads running sign-in flows through the C ABI at once, against the
 * emulator, first all sharing one docspace_client, then with one client per thread.
 *
 * A flow is login (AUTHENTICATED) + is_authenticated + logout with a no-2FA user; every 10th
 * flow is a full 2FA flow instead: login (CODE_REQUIRED), a TOTP code from
 * docspace_totp_code_now, then login_with_code or (alternately) validate_app with the login's
 * challenge, is_authenticated, logout. Each thread has its own no_tfa and linked users, added
 * through the emulator's controls, so lockout bookkeeping is never shared.
 *
 * Checks: every call succeeds (zero errors), every session is accepted before logout, and
 * afterwards the emulator reports no live token for any of the users (every logout really
 * revoked its tokens). Prints flows/s and requests/s for each mode.
 *
 * usage: tests/c/with-emulator.sh test_stress [THREADS [FLOWS_PER_THREAD]]
 *        (defaults 8 and 2000; argv[1] is the emulator URL)
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "check.h"
#include "emulator.h"

enum { MAX_THREADS = 64, TFA_EVERY = 10 };

static const char *portal_url;
static int n_threads = 8;
static long flows_per_thread = 2000;

typedef struct {
    int index;
    docspace_client *client; /* shared, or NULL: the thread makes its own */
    emu_user plain, linked;
    pthread_barrier_t *barrier;
    long flows, tfa_flows, requests, errors;
    char first_error[384];
} worker;

static void fail(worker *w, const char *what, docspace_result r, docspace_error *error) {
    if (w->errors++ == 0)
        snprintf(w->first_error, sizeof w->first_error, "%s: %s (%s)", what, result_name(r),
                 error ? docspace_error_message(error) : "no error_out");
    docspace_error_free(error);
}

/* is_authenticated (must be true), then logout. */
static void check_and_logout(worker *w, docspace_client *client, docspace_session *session) {
    docspace_error *error = NULL;
    bool authenticated = false;
    docspace_result r = docspace_client_is_authenticated(client, session, &authenticated, &error);
    w->requests++;
    if (r != DOCSPACE_RESULT_OK) fail(w, "is_authenticated", r, error);
    else if (!authenticated) fail(w, "is_authenticated: the session is not accepted", r, NULL);
    error = NULL;
    r = docspace_client_logout(client, session, &error);
    w->requests++;
    if (r != DOCSPACE_RESULT_OK) fail(w, "logout", r, error);
}

static void plain_flow(worker *w, docspace_client *client) {
    docspace_login *login = NULL;
    docspace_session *session = NULL;
    docspace_error *error = NULL;
    docspace_result r = docspace_client_login(client, w->plain.email, w->plain.password, &login, &error);
    w->requests++;
    if (r != DOCSPACE_RESULT_OK) {
        fail(w, "login", r, error);
        return;
    }
    if (docspace_login_get_kind(login) != DOCSPACE_LOGIN_KIND_AUTHENTICATED ||
        (r = docspace_login_session(login, &session)) != DOCSPACE_RESULT_OK) {
        fail(w, "login: not AUTHENTICATED", r, NULL);
    } else {
        check_and_logout(w, client, session);
    }
    docspace_session_free(session);
    docspace_login_free(login);
}

static void tfa_flow(worker *w, docspace_client *client, bool by_validate) {
    docspace_login *login = NULL;
    docspace_challenge *challenge = NULL;
    docspace_session *session = NULL;
    docspace_error *error = NULL;
    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    bool linked_now = true;
    docspace_result r = docspace_client_login(client, w->linked.email, w->linked.password, &login, &error);
    w->requests++;
    if (r != DOCSPACE_RESULT_OK) {
        fail(w, "login (2FA)", r, error);
        return;
    }
    error = NULL;
    if (docspace_login_get_kind(login) != DOCSPACE_LOGIN_KIND_CODE_REQUIRED) {
        fail(w, "login (2FA): not CODE_REQUIRED", r, NULL);
        goto out;
    }
    r = docspace_totp_code_now(w->linked.totp_secret, code, sizeof code, &error);
    if (r != DOCSPACE_RESULT_OK) {
        fail(w, "totp_code_now", r, error);
        goto out;
    }
    if (by_validate) {
        r = docspace_login_challenge(login, &challenge);
        if (r == DOCSPACE_RESULT_OK) r = docspace_client_validate_app(client, challenge, code, &linked_now, &session, &error);
        if (r == DOCSPACE_RESULT_OK && linked_now) fail(w, "validate_app: linked_now for a linked app", r, NULL);
    } else {
        r = docspace_client_login_with_code(client, w->linked.email, w->linked.password, code, &session, &error);
    }
    w->requests++;
    if (r != DOCSPACE_RESULT_OK) {
        fail(w, by_validate ? "validate_app" : "login_with_code", r, error);
        goto out;
    }
    check_and_logout(w, client, session);
    w->tfa_flows++;
out:
    docspace_session_free(session);
    docspace_challenge_free(challenge);
    docspace_login_free(login);
}

static void *worker_main(void *arg) {
    worker *w = arg;
    docspace_client *client = w->client;
    docspace_error *error = NULL;
    long i;
    if (client == NULL) {
        docspace_result r = docspace_client_new(portal_url, &client, &error);
        if (r != DOCSPACE_RESULT_OK) {
            fail(w, "client_new", r, error);
            pthread_barrier_wait(w->barrier);
            return NULL;
        }
    }
    pthread_barrier_wait(w->barrier);
    for (i = 0; i < flows_per_thread; i++) {
        if (i % TFA_EVERY == TFA_EVERY - 1) tfa_flow(w, client, (i / TFA_EVERY) % 2 == 1);
        else plain_flow(w, client);
        w->flows++;
    }
    if (w->client == NULL) docspace_client_free(client);
    return NULL;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_mode(const char *mode, worker *workers, docspace_client *shared) {
    pthread_t threads[MAX_THREADS];
    pthread_barrier_t barrier;
    long flows = 0, tfa = 0, requests = 0, errors = 0;
    double started, elapsed;
    int i, created = 0;

    printf("# %s: %d threads x %ld flows (every %dth a 2FA flow)\n", mode, n_threads, flows_per_thread, TFA_EVERY);
    pthread_barrier_init(&barrier, NULL, (unsigned)n_threads + 1);
    for (i = 0; i < n_threads; i++) {
        workers[i].client = shared;
        workers[i].barrier = &barrier;
        workers[i].flows = workers[i].tfa_flows = workers[i].requests = workers[i].errors = 0;
        workers[i].first_error[0] = '\0';
        if (pthread_create(&threads[i], NULL, worker_main, &workers[i]) != 0) break;
        created++;
    }
    CHECK(created == n_threads, "%s: started %d threads", mode, created);
    if (created != n_threads) {
        fprintf(stderr, "cannot start threads\n");
        exit(1);
    }
    pthread_barrier_wait(&barrier);
    started = now_seconds();
    for (i = 0; i < n_threads; i++) pthread_join(threads[i], NULL);
    elapsed = now_seconds() - started;
    pthread_barrier_destroy(&barrier);
    for (i = 0; i < n_threads; i++) {
        flows += workers[i].flows;
        tfa += workers[i].tfa_flows;
        requests += workers[i].requests;
        errors += workers[i].errors;
        CHECK(workers[i].errors == 0, "%s: thread %d: %ld flows, %ld errors%s%s", mode, i, workers[i].flows,
              workers[i].errors, workers[i].errors ? "; first: " : "", workers[i].first_error);
    }
    CHECK(errors == 0 && flows == (long)n_threads * flows_per_thread, "%s: %ld flows (%ld with 2FA), %ld errors", mode,
          flows, tfa, errors);
    printf("stress %s: %ld flows, %ld requests in %.2f s: %.0f flows/s, %.0f requests/s, %ld errors\n", mode, flows,
           requests, elapsed, elapsed > 0 ? (double)flows / elapsed : 0.0, elapsed > 0 ? (double)requests / elapsed : 0.0,
           errors);
    fflush(stdout);
}

/* No user may keep a live token: every logout revoked what its sign-in issued. */
static void check_no_live_tokens(worker *workers) {
    char state[4096];
    int i, leftover = 0;
    for (i = 0; i < n_threads; i++) {
        const char *users[2] = {workers[i].plain.email, workers[i].linked.email};
        int u;
        for (u = 0; u < 2; u++) {
            const char *p;
            int status = emu_user_state(portal_url, users[u], state, sizeof state);
            p = strstr(state, "\"active_tokens\":");
            if (status != 200 || p == NULL || atoi(p + 16) != 0) {
                leftover++;
                printf("     %s: HTTP %d, %s\n", users[u], status, state);
            }
        }
    }
    CHECK(leftover == 0, "the emulator reports no live token for the %d stress users", 2 * n_threads);
}

int main(int argc, char **argv) {
    worker workers[MAX_THREADS];
    docspace_client *shared = NULL;
    docspace_error *error = NULL;
    char email[128], password[64];
    unsigned tag = (unsigned)getpid() ^ (unsigned)time(NULL);
    int i;

    if (argc < 2) {
        fprintf(stderr, "usage: %s EMULATOR_URL [THREADS [FLOWS_PER_THREAD]] (run through tests/c/with-emulator.sh)\n",
                argv[0]);
        return 2;
    }
    portal_url = argv[1];
    if (argc > 2) n_threads = atoi(argv[2]);
    if (argc > 3) flows_per_thread = atol(argv[3]);
    if (n_threads < 1 || n_threads > MAX_THREADS || flows_per_thread < 1) {
        fprintf(stderr, "THREADS must be 1 to %d and FLOWS_PER_THREAD at least 1\n", MAX_THREADS);
        return 2;
    }

    memset(workers, 0, sizeof workers);
    for (i = 0; i < n_threads; i++) {
        workers[i].index = i;
        snprintf(password, sizeof password, "Stress#Pass-%u-%d", tag, i);
        snprintf(email, sizeof email, "stress-plain-%u-%d@example.com", tag, i);
        CHECK(emu_add_user(portal_url, email, password, "no_tfa", &workers[i].plain), "add no_tfa user %s", email);
        snprintf(email, sizeof email, "stress-linked-%u-%d@example.com", tag, i);
        CHECK(emu_add_user(portal_url, email, password, "linked", &workers[i].linked) &&
                  workers[i].linked.totp_secret[0] != '\0',
              "add linked user %s (with its TOTP secret)", email);
    }
    if (checks_failed) return check_summary("test_stress");

    CHECK_RESULT(docspace_client_new(portal_url, &shared, &error), DOCSPACE_RESULT_OK, "the shared client");
    docspace_error_free(error);
    if (!shared) return check_summary("test_stress");
    run_mode("one shared client", workers, shared);
    docspace_client_free(shared);
    run_mode("one client per thread", workers, NULL);
    check_no_live_tokens(workers);
    return check_summary("test_stress");
}
