/* Shared by the C and C++ benchmark clients: the fixed account, timing, percentiles, RSS and
 * the argument convention `PROGRAM MODE URL N WARMUP THREADS` (bench/README.md). */
#ifndef DOCSPACE_BENCH_COMMON_H
#define DOCSPACE_BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_USER "bench@example.com"
#define BENCH_PASSWORD "bench-password-1"
#define BENCH_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static inline double bench_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static inline int bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* `sorted[round((n-1)*p)]`, the same rule in every client. */
static inline double bench_percentile(const double *sorted, size_t n, double p) {
    size_t idx = (size_t)((double)(n - 1) * p + 0.5);
    return sorted[idx < n ? idx : n - 1];
}

/* VmRSS / VmHWM of this process in KiB (0 if unavailable). */
static inline long bench_status_kib(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long value = 0;
    size_t len = strlen(field);
    if (!f) return 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, len) == 0) {
            value = strtol(line + len, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

typedef struct {
    const char *mode;
    const char *url;
    long n, warmup, threads;
} bench_args;

static inline bench_args bench_parse_args(int argc, char **argv) {
    bench_args a;
    if (argc < 3) {
        fprintf(stderr, "usage: %s MODE URL [N] [WARMUP] [THREADS]\n", argv[0]);
        exit(2);
    }
    a.mode = argv[1];
    a.url = argv[2];
    a.n = argc > 3 ? atol(argv[3]) : 1000;
    a.warmup = argc > 4 ? atol(argv[4]) : 100;
    a.threads = argc > 5 ? atol(argv[5]) : 1;
    return a;
}

/* Print the W1 line from per-flow times (sorted in place). */
static inline void bench_print_w1(double *times, long n, double total_us) {
    qsort(times, (size_t)n, sizeof(double), bench_cmp_double);
    printf("{\"n\":%ld,\"median_us\":%.2f,\"p99_us\":%.2f,\"flows_per_s\":%.1f,\"rss_kib\":%ld,\"hwm_kib\":%ld}\n", n,
           bench_percentile(times, (size_t)n, 0.5), bench_percentile(times, (size_t)n, 0.99), (double)n / (total_us / 1e6),
           bench_status_kib("VmRSS:"), bench_status_kib("VmHWM:"));
}

static inline void bench_print_mem(long extra, long base, long idle, long used) {
    printf("{\"extra\":%ld,\"rss_base_kib\":%ld,\"rss_idle_kib\":%ld,\"rss_used_kib\":%ld,"
           "\"per_handle_idle_kib\":%.1f,\"per_handle_used_kib\":%.1f}\n",
           extra, base, idle, used, (double)(idle - base) / (double)extra, (double)(used - base) / (double)extra);
}

#endif
