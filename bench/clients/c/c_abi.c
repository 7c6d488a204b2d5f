/* The docspace-auth C ABI as a C program would use it.
 * `c_abi MODE URL N WARMUP THREADS`; modes w1, w3, cold, mem, totp (bench/README.md). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "bench_common.h"
#include "docspace_auth.h"

static void die(const char *what, docspace_result r, docspace_error *err) {
    fprintf(stderr, "c_abi: %s failed: %s (%s)\n", what, docspace_result_name(r),
            err ? docspace_error_message(err) : "");
    exit(1);
}

/* One login-by-code flow: login -> CODE_REQUIRED -> TOTP code -> login_with_code -> token.
 * Returns the token's length. */
static size_t flow(docspace_client *client, const docspace_totp *totp) {
    docspace_error *err = NULL;
    docspace_login *login = NULL;
    docspace_result r = docspace_client_login(client, BENCH_USER, BENCH_PASSWORD, &login, &err);
    if (r != DOCSPACE_RESULT_OK) die("docspace_client_login", r, err);
    if (docspace_login_get_kind(login) != DOCSPACE_LOGIN_KIND_CODE_REQUIRED) die("login kind", r, NULL);
    docspace_login_free(login);

    char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
    r = docspace_totp_generate(totp, (int64_t)time(NULL), code, sizeof code, NULL);
    if (r != DOCSPACE_RESULT_OK) die("docspace_totp_generate", r, NULL);

    docspace_session *session = NULL;
    r = docspace_client_login_with_code(client, BENCH_USER, BENCH_PASSWORD, code, &session, &err);
    if (r != DOCSPACE_RESULT_OK) die("docspace_client_login_with_code", r, err);
    char *token = NULL;
    r = docspace_session_token(session, &token);
    if (r != DOCSPACE_RESULT_OK) die("docspace_session_token", r, NULL);
    size_t len = strlen(token);
    docspace_string_free(token);
    docspace_session_free(session);
    return len;
}

static docspace_client *new_client(const char *url) {
    docspace_client *client = NULL;
    docspace_result r = docspace_client_new(url, &client, NULL);
    if (r != DOCSPACE_RESULT_OK) die("docspace_client_new", r, NULL);
    return client;
}

static docspace_totp *new_totp(void) {
    docspace_totp *totp = NULL;
    docspace_result r = docspace_totp_new(BENCH_SECRET, DOCSPACE_TOTP_ALGORITHM_SHA1, 6, 30, &totp, NULL);
    if (r != DOCSPACE_RESULT_OK) die("docspace_totp_new", r, NULL);
    return totp;
}

typedef struct {
    docspace_client *client;
    const docspace_totp *totp;
    long warmup, flows;
    pthread_barrier_t *barrier;
} worker_args;

static void *worker(void *p) {
    worker_args *a = p;
    for (long i = 0; i < a->warmup; i++) flow(a->client, a->totp);
    pthread_barrier_wait(a->barrier);
    for (long i = 0; i < a->flows; i++)
        if (flow(a->client, a->totp) == 0) exit(1);
    return NULL;
}

int main(int argc, char **argv) {
    bench_args a = bench_parse_args(argc, argv);
    docspace_totp *totp = new_totp();

    if (strcmp(a.mode, "totp") == 0) {
        /* Codes per second: from a parsed handle, and from the base32 text each time. */
        char code[DOCSPACE_TOTP_CODE_BUFFER_SIZE];
        unsigned sum = 0;
        const int64_t t0 = 1767225600;
        double start = bench_now_us();
        for (long i = 0; i < a.n; i++) {
            docspace_totp_generate(totp, t0 + i * 30, code, sizeof code, NULL);
            sum += (unsigned)code[5];
        }
        double handle_us = bench_now_us() - start;
        start = bench_now_us();
        for (long i = 0; i < a.n; i++) {
            docspace_totp_code_at(BENCH_SECRET, t0 + i * 30, code, sizeof code, NULL);
            sum += (unsigned)code[5];
        }
        double base32_us = bench_now_us() - start;
        printf("{\"n\":%ld,\"handle_codes_per_s\":%.1f,\"base32_codes_per_s\":%.1f,\"check\":%u}\n", a.n,
               (double)a.n / (handle_us / 1e6), (double)a.n / (base32_us / 1e6), sum);
        docspace_totp_free(totp);
        return 0;
    }

    docspace_client *client = new_client(a.url);
    if (strcmp(a.mode, "cold") == 0) {
        if (flow(client, totp) == 0) return 1;
        printf("{\"ok\":true}\n");
    } else if (strcmp(a.mode, "w1") == 0) {
        for (long i = 0; i < a.warmup; i++) flow(client, totp);
        double *times = malloc(sizeof(double) * (size_t)a.n);
        double start = bench_now_us();
        for (long i = 0; i < a.n; i++) {
            double t = bench_now_us();
            if (flow(client, totp) == 0) return 1;
            times[i] = bench_now_us() - t;
        }
        bench_print_w1(times, a.n, bench_now_us() - start);
        free(times);
    } else if (strcmp(a.mode, "w3") == 0) {
        /* One client shared by every thread (documented thread-safe). */
        pthread_barrier_t barrier;
        pthread_barrier_init(&barrier, NULL, (unsigned)a.threads + 1);
        pthread_t *tids = malloc(sizeof(pthread_t) * (size_t)a.threads);
        worker_args w = {client, totp, a.warmup, a.n / a.threads, &barrier};
        for (long i = 0; i < a.threads; i++) pthread_create(&tids[i], NULL, worker, &w);
        pthread_barrier_wait(&barrier);
        double start = bench_now_us();
        for (long i = 0; i < a.threads; i++) pthread_join(tids[i], NULL);
        double total = bench_now_us() - start;
        long done = w.flows * a.threads;
        printf("{\"threads\":%ld,\"n\":%ld,\"flows_per_s\":%.1f}\n", a.threads, done, (double)done / (total / 1e6));
        free(tids);
    } else if (strcmp(a.mode, "mem") == 0) {
        flow(client, totp);
        long base = bench_status_kib("VmRSS:");
        docspace_client **extra = malloc(sizeof(*extra) * (size_t)a.n);
        for (long i = 0; i < a.n; i++) extra[i] = new_client(a.url);
        long idle = bench_status_kib("VmRSS:");
        for (long i = 0; i < a.n; i++) flow(extra[i], totp);
        long used = bench_status_kib("VmRSS:");
        bench_print_mem(a.n, base, idle, used);
        for (long i = 0; i < a.n; i++) docspace_client_free(extra[i]);
        free(extra);
    } else {
        fprintf(stderr, "c_abi: unknown mode %s\n", a.mode);
        return 2;
    }
    docspace_client_free(client);
    docspace_totp_free(totp);
    return 0;
}
