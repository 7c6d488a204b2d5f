/* The C anchor: what a C program would do without docspace-auth. libcurl easy (one handle per
 * thread, reused: kept-alive connection), cJSON to build the bodies and parse the answers, the
 * confirm cookie picked out of the headers, liboath for the TOTP code.
 * `c_curl MODE URL N WARMUP THREADS`; modes w1, w3, cold, mem, totp (liboath alone). */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <strings.h>

#include "bench_common.h"

typedef struct {
    char *data;
    size_t len, cap;
} buffer;

typedef struct {
    CURL *easy;
    struct curl_slist *headers;
    buffer body;
    char confirm_key[256];
    char login_url[512];
} http_client;

static char *g_secret;          /* the decoded TOTP secret */
static size_t g_secret_len;

static void die(const char *what) {
    fprintf(stderr, "c_curl: %s\n", what);
    exit(1);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *p) {
    buffer *b = p;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = 0;
    return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *p) {
    http_client *c = p;
    size_t n = size * nmemb;
    static const char prefix[] = "set-cookie: asc_confirm_key_TfaAuth=";
    if (n > sizeof prefix - 1 && strncasecmp(data, prefix, sizeof prefix - 1) == 0) {
        const char *v = data + sizeof prefix - 1;
        size_t len = 0;
        while (v + len < data + n && v[len] != ';' && v[len] != '\r' && len < sizeof c->confirm_key - 1) len++;
        memcpy(c->confirm_key, v, len);
        c->confirm_key[len] = 0;
    }
    return n;
}

static void client_init(http_client *c, const char *url) {
    memset(c, 0, sizeof *c);
    c->easy = curl_easy_init();
    if (!c->easy) die("curl_easy_init");
    c->headers = curl_slist_append(NULL, "Content-Type: application/json");
    c->headers = curl_slist_append(c->headers, "Accept: application/json");
    snprintf(c->login_url, sizeof c->login_url, "%s/api/2.0/authentication", url);
    curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, &c->body);
    curl_easy_setopt(c->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c->easy, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, 30000L);
}

static void client_free(http_client *c) {
    curl_easy_cleanup(c->easy);
    curl_slist_free_all(c->headers);
    free(c->body.data);
}

/* POST a JSON body; returns the parsed answer's `response` object owner (the root). */
static cJSON *post(http_client *c, const char *url, cJSON *body) {
    char *text = cJSON_PrintUnformatted(body);
    c->body.len = 0;
    curl_easy_setopt(c->easy, CURLOPT_URL, url);
    curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, text);
    curl_easy_setopt(c->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(text));
    CURLcode rc = curl_easy_perform(c->easy);
    cJSON_free(text);
    if (rc != CURLE_OK) die(curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) die("HTTP status is not 200");
    cJSON *root = cJSON_ParseWithLength(c->body.data, c->body.len);
    if (!root) die("the answer is not JSON");
    return root;
}

static cJSON *credentials(const char *code) {
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "userName", BENCH_USER);
    cJSON_AddStringToObject(body, "password", BENCH_PASSWORD);
    if (code) cJSON_AddStringToObject(body, "code", code);
    cJSON_AddBoolToObject(body, "session", 0);
    return body;
}

static size_t flow(http_client *c) {
    c->confirm_key[0] = 0;
    cJSON *body = credentials(NULL);
    cJSON *root = post(c, c->login_url, body);
    cJSON_Delete(body);
    cJSON *resp = cJSON_GetObjectItemCaseSensitive(root, "response");
    cJSON *tfa = cJSON_GetObjectItemCaseSensitive(resp, "tfa");
    cJSON *confirm = cJSON_GetObjectItemCaseSensitive(resp, "confirmUrl");
    cJSON *token = cJSON_GetObjectItemCaseSensitive(resp, "token");
    if (!cJSON_IsTrue(tfa) || !cJSON_IsString(confirm) || !strstr(confirm->valuestring, "type=TfaAuth") ||
        (token && !cJSON_IsNull(token)) || !c->confirm_key[0])
        die("expected a TfaAuth challenge");
    cJSON_Delete(root);

    char code[16];
    if (oath_totp_generate(g_secret, g_secret_len, time(NULL), 30, 0, 6, code) != OATH_OK) die("oath_totp_generate");
    char url[600];
    snprintf(url, sizeof url, "%s/%s", c->login_url, code);
    body = credentials(code);
    root = post(c, url, body);
    cJSON_Delete(body);
    resp = cJSON_GetObjectItemCaseSensitive(root, "response");
    token = cJSON_GetObjectItemCaseSensitive(resp, "token");
    if (!cJSON_IsString(token)) die("no token");
    size_t len = strlen(token->valuestring);
    cJSON_Delete(root);
    return len;
}

typedef struct {
    const char *url;
    long warmup, flows;
    pthread_barrier_t *barrier;
} worker_args;

static void *worker(void *p) {
    worker_args *a = p;
    http_client c; /* an easy handle must not be shared between threads */
    client_init(&c, a->url);
    for (long i = 0; i < a->warmup; i++) flow(&c);
    pthread_barrier_wait(a->barrier);
    for (long i = 0; i < a->flows; i++)
        if (flow(&c) == 0) exit(1);
    client_free(&c);
    return NULL;
}

int main(int argc, char **argv) {
    bench_args a = bench_parse_args(argc, argv);
    if (oath_init() != OATH_OK) die("oath_init");
    if (oath_base32_decode(BENCH_SECRET, strlen(BENCH_SECRET), &g_secret, &g_secret_len) != OATH_OK)
        die("oath_base32_decode");

    if (strcmp(a.mode, "totp") == 0) {
        /* liboath: from the decoded secret (cf. docspace_totp_generate), and decoding the
         * base32 text each time (cf. docspace_totp_code_at). */
        char code[16];
        unsigned sum = 0;
        const time_t t0 = 1767225600;
        double start = bench_now_us();
        for (long i = 0; i < a.n; i++) {
            oath_totp_generate(g_secret, g_secret_len, t0 + i * 30, 30, 0, 6, code);
            sum += (unsigned)code[5];
        }
        double raw_us = bench_now_us() - start;
        start = bench_now_us();
        for (long i = 0; i < a.n; i++) {
            char *secret;
            size_t len;
            oath_base32_decode(BENCH_SECRET, strlen(BENCH_SECRET), &secret, &len);
            oath_totp_generate(secret, len, t0 + i * 30, 30, 0, 6, code);
            free(secret);
            sum += (unsigned)code[5];
        }
        double base32_us = bench_now_us() - start;
        printf("{\"n\":%ld,\"handle_codes_per_s\":%.1f,\"base32_codes_per_s\":%.1f,\"check\":%u}\n", a.n,
               (double)a.n / (raw_us / 1e6), (double)a.n / (base32_us / 1e6), sum);
        return 0;
    }

    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (strcmp(a.mode, "w3") == 0) {
        pthread_barrier_t barrier;
        pthread_barrier_init(&barrier, NULL, (unsigned)a.threads + 1);
        pthread_t *tids = malloc(sizeof(pthread_t) * (size_t)a.threads);
        worker_args w = {a.url, a.warmup, a.n / a.threads, &barrier};
        for (long i = 0; i < a.threads; i++) pthread_create(&tids[i], NULL, worker, &w);
        pthread_barrier_wait(&barrier);
        double start = bench_now_us();
        for (long i = 0; i < a.threads; i++) pthread_join(tids[i], NULL);
        double total = bench_now_us() - start;
        long done = w.flows * a.threads;
        printf("{\"threads\":%ld,\"n\":%ld,\"flows_per_s\":%.1f}\n", a.threads, done, (double)done / (total / 1e6));
        free(tids);
        return 0;
    }

    http_client c;
    client_init(&c, a.url);
    if (strcmp(a.mode, "cold") == 0) {
        if (flow(&c) == 0) return 1;
        printf("{\"ok\":true}\n");
    } else if (strcmp(a.mode, "w1") == 0) {
        for (long i = 0; i < a.warmup; i++) flow(&c);
        double *times = malloc(sizeof(double) * (size_t)a.n);
        double start = bench_now_us();
        for (long i = 0; i < a.n; i++) {
            double t = bench_now_us();
            if (flow(&c) == 0) return 1;
            times[i] = bench_now_us() - t;
        }
        bench_print_w1(times, a.n, bench_now_us() - start);
        free(times);
    } else if (strcmp(a.mode, "mem") == 0) {
        flow(&c);
        long base = bench_status_kib("VmRSS:");
        http_client *extra = malloc(sizeof(*extra) * (size_t)a.n);
        for (long i = 0; i < a.n; i++) client_init(&extra[i], a.url);
        long idle = bench_status_kib("VmRSS:");
        for (long i = 0; i < a.n; i++) flow(&extra[i]);
        long used = bench_status_kib("VmRSS:");
        bench_print_mem(a.n, base, idle, used);
        for (long i = 0; i < a.n; i++) client_free(&extra[i]);
        free(extra);
    } else {
        fprintf(stderr, "c_curl: unknown mode %s\n", a.mode);
        return 2;
    }
    client_free(&c);
    curl_global_cleanup();
    return 0;
}
