/*
 * Test helpers that talk to the DocSpace emulator's controls (`/__emulator/...`) over plain
 * HTTP/1.1 with POSIX sockets, without going through the library under test: add users, read
 * a user's state, queue faults. Also a "sentinel" listener that counts the connections a
 * client makes to it, to prove that a call was refused before any request.
 *
 * Header-only (static functions); include after check.h. Needs _POSIX_C_SOURCE 200809L.
 */
#ifndef DOCSPACE_TEST_EMULATOR_H
#define DOCSPACE_TEST_EMULATOR_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Host and port of an `http://HOST:PORT[/...]` URL (the emulator's); 0 on failure. */
static inline int emu_parse_url(const char *url, char host[64], unsigned *port) {
    const char *p, *colon;
    size_t len;
    if (url == NULL || strncmp(url, "http://", 7) != 0) return 0;
    p = url + 7;
    colon = strchr(p, ':');
    if (colon == NULL) return 0;
    len = (size_t)(colon - p);
    if (len == 0 || len >= 64) return 0;
    memcpy(host, p, len);
    host[len] = '\0';
    *port = (unsigned)strtoul(colon + 1, NULL, 10);
    return *port != 0;
}

/*
 * One request to the emulator: `METHOD PATH` with an optional JSON body. Writes the answer's
 * body (NUL-terminated, truncated to `out_len`) and returns the HTTP status, or -1 when the
 * emulator could not be reached.
 */
static inline int emu_request(const char *url, const char *method, const char *path, const char *body, char *out,
                       size_t out_len) {
    char host[64], head[512];
    unsigned port = 0;
    struct sockaddr_in addr;
    int fd, status = -1;
    size_t body_len = body ? strlen(body) : 0, used = 0;
    char *answer = NULL, *text;
    size_t cap = 0;

    if (out && out_len) out[0] = '\0';
    if (!emu_parse_url(url, host, &port)) return -1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) return -1;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    snprintf(head, sizeof head,
             "%s %s HTTP/1.1\r\nHost: %s:%u\r\nConnection: close\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\n\r\n",
             method, path, host, port, body_len);
    if (write(fd, head, strlen(head)) < 0 || (body_len && write(fd, body, body_len) < 0)) {
        close(fd);
        return -1;
    }
    for (;;) {
        ssize_t n;
        if (cap - used < 4096) {
            char *bigger = realloc(answer, cap + 65536);
            if (bigger == NULL) break;
            answer = bigger;
            cap += 65536;
        }
        n = read(fd, answer + used, cap - used - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        used += (size_t)n;
    }
    close(fd);
    if (answer == NULL) return -1;
    answer[used] = '\0';
    if (sscanf(answer, "HTTP/1.%*d %d", &status) != 1) status = -1;
    text = strstr(answer, "\r\n\r\n");
    if (text && out && out_len) {
        snprintf(out, out_len, "%s", text + 4);
    }
    free(answer);
    return status;
}

/*
 * The string value of `"key":"..."` in a flat JSON text (the emulator's answers), unescaped
 * for the simple escapes; 0 when absent or null.
 */
static inline int json_string(const char *json, const char *key, char *out, size_t out_len) {
    char pattern[96];
    const char *p;
    size_t n = 0;
    if (out_len) out[0] = '\0';
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    p = json ? strstr(json, pattern) : NULL;
    if (p == NULL) return 0;
    for (p += strlen(pattern); *p && *p != '"' && n + 1 < out_len; p++) {
        if (*p == '\\' && p[1]) p++;
        out[n++] = *p;
    }
    out[n] = '\0';
    return 1;
}

/* Every `"code":"..."` value of a JSON text (backup codes); returns how many were stored. */
static inline size_t json_codes(const char *json, char codes[][32], size_t max) {
    size_t found = 0;
    const char *p = json;
    while (p && found < max && (p = strstr(p, "\"code\":\"")) != NULL) {
        if (json_string(p, "code", codes[found], sizeof codes[found])) found++;
        p += 8;
    }
    return found;
}

/* A user added through the controls (all strings NUL-terminated; totp_secret "" if none). */
typedef struct {
    char email[128];
    char password[128];
    char id[64];
    char totp_secret[64];
    char api_key[96];
} emu_user;

/* `POST /__emulator/users`: a new user of `kind`; 1 on success. */
static inline int emu_add_user(const char *url, const char *email, const char *password, const char *kind, emu_user *user) {
    char body[512], answer[2048];
    int status;
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\",\"kind\":\"%s\"}", email, password, kind);
    status = emu_request(url, "POST", "/__emulator/users", body, answer, sizeof answer);
    if (status != 200) {
        fprintf(stderr, "emulator: adding %s (%s) gave HTTP %d: %s\n", email, kind, status, answer);
        return 0;
    }
    memset(user, 0, sizeof *user);
    json_string(answer, "email", user->email, sizeof user->email);
    json_string(answer, "password", user->password, sizeof user->password);
    json_string(answer, "id", user->id, sizeof user->id);
    json_string(answer, "totp_secret", user->totp_secret, sizeof user->totp_secret);
    json_string(answer, "api_key", user->api_key, sizeof user->api_key);
    return user->email[0] != '\0';
}

/* `GET /__emulator/users/{email}` into `out`; the HTTP status. */
static inline int emu_user_state(const char *url, const char *email, char *out, size_t out_len) {
    char path[256];
    snprintf(path, sizeof path, "/__emulator/users/%s", email);
    return emu_request(url, "GET", path, NULL, out, out_len);
}

/* ---- sentinel: a listener that only counts connections -------------------------------------- */

/* A non-blocking loopback listener; its port in `*port`. -1 on failure. */
static inline int sentinel_open(unsigned *port) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0 || fcntl(fd, F_SETFL, O_NONBLOCK) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

/* How many connections arrived since the last call (each is accepted and closed). */
static inline int sentinel_drain(int fd) {
    int count = 0;
    for (;;) {
        int conn = accept(fd, NULL, NULL);
        if (conn < 0) break;
        close(conn);
        count++;
    }
    return count;
}

/* A loopback port nothing listens on (bound, read, released). */
static inline unsigned closed_port(void) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    unsigned port = 9;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return port;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
        port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

#endif
