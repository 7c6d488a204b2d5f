/*
 * Minimal test helpers for the C tests: one output line per check, a failure count, and
 * the exit status. Header-only; include once per program.
 */
#ifndef DOCSPACE_TEST_CHECK_H
#define DOCSPACE_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docspace_auth.h"

static int checks_run = 0;
static int checks_failed = 0;

/* Record one check: prints "ok   <what>" or "FAIL <what> (file:line)". */
static inline void check_at(int ok, const char *file, int line, const char *fmt, ...) {
    va_list args;
    checks_run++;
    if (!ok) checks_failed++;
    printf("%s ", ok ? "ok  " : "FAIL");
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    if (!ok) printf("  (%s:%d)", file, line);
    printf("\n");
    fflush(stdout);
}

#define CHECK(cond, ...) check_at((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

/* Check a result code, printing its name on mismatch. */
#define CHECK_RESULT(got, want, what)                                                        \
    do {                                                                                     \
        docspace_result got_ = (got);                                                        \
        docspace_result want_ = (want);                                                      \
        CHECK(got_ == want_, "%s -> %s%s%s", (what), result_name(want_),                      \
              got_ == want_ ? "" : ", got ", got_ == want_ ? "" : result_name(got_));        \
    } while (0)

static inline const char *result_name(docspace_result r) {
    const char *name = docspace_result_name((uint32_t)r);
    return name ? name : "(unknown)";
}

static inline int str_eq(const char *a, const char *b) {
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static inline int starts_with(const char *s, const char *prefix) {
    return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Print the summary and return the exit status. */
static inline int check_summary(const char *program) {
    printf("%s: %d checks, %d failed\n", program, checks_run, checks_failed);
    return checks_failed == 0 ? 0 : 1;
}

#endif
