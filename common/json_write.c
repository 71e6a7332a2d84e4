/* \summary: buffered text output and a compact JSON writer (strings escaped, invalid UTF-8 -> U+FFFD) */
#include "json_write.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

void fc_out_open(struct fc_out *o, int fd, const char *name)
{
    memset(o, 0, sizeof *o);
    o->fd = fd;
    o->name = name;
    o->cap = fd >= 0 ? 2 * FC_OUT_FLUSH_AT : 256;
    o->buf = fc_xmalloc(o->cap);
}

void fc_out_grow(struct fc_out *o, size_t n)
{
    if (o->cap - o->len >= n)
        return;
    while (o->cap - o->len < n)
        o->cap *= 2;
    o->buf = fc_xrealloc(o->buf, o->cap);
}

void fc_out_flush(struct fc_out *o)
{
    if (o->fd < 0)
        return;
    size_t done = 0;
    while (done < o->len) {
        ssize_t n = write(o->fd, o->buf + done, o->len - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fc_die(FC_EXIT_SYSTEM, "%s: write error: %s", o->name, strerror(errno));
        }
        done += (size_t)n;
    }
    o->len = 0;
}

void fc_out_str(struct fc_out *o, const char *s) { fc_out_write(o, s, strlen(s)); }

void fc_out_u64(struct fc_out *o, uint64_t v)
{
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof digits - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    fc_out_write(o, digits + sizeof digits - n, n);
}

void fc_out_i64(struct fc_out *o, int64_t v)
{
    if (v < 0) {
        fc_out_char(o, '-');
        fc_out_u64(o, 0 - (uint64_t)v);
    } else {
        fc_out_u64(o, (uint64_t)v);
    }
}

void fc_out_printf(struct fc_out *o, const char *fmt, ...)
{
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        fc_out_write(o, small, (size_t)n);
        return;
    }
    char *big = fc_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    fc_out_write(o, big, (size_t)n);
    free(big);
}

void fc_out_close(struct fc_out *o)
{
    fc_out_flush(o);
    free(o->buf);
    o->buf = NULL;
}

/* ---- UTF-8 ---- */

/* RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF. */
size_t fc_utf8_seq_len(const uint8_t *p, size_t n)
{
    uint8_t b = p[0];
    if (b < 0x80)
        return 1;
    size_t len;
    uint8_t lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (b >= 0xc2 && b <= 0xdf)
        len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
        len = 3;
        if (b == 0xe0)
            lo = 0xa0;
        else if (b == 0xed)
            hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        len = 4;
        if (b == 0xf0)
            lo = 0x90;
        else if (b == 0xf4)
            hi = 0x8f;
    } else
        return 0;
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

void fc_out_utf8(struct fc_out *o, const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        size_t len;
        while (run < n && (len = fc_utf8_seq_len(p + run, n - run)) > 0)
            run += len;
        fc_out_write(o, p + i, run - i);
        if (run < n) {
            fc_out_write(o, "\xef\xbf\xbd", 3);
            run++;
        }
        i = run;
    }
}

/* The escape for a byte that JSON does not allow raw inside a string, or NULL. */
static const char *json_escape(uint8_t c, char tmp[8])
{
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: break;
    }
    if (c < 0x20) {
        snprintf(tmp, 8, "\\u%04x", c);
        return tmp;
    }
    return NULL;
}

/* The bytes that go into a JSON string as they are and start no UTF-8 sequence:
 * printable ASCII (and DEL) but the quote and the backslash. */
static inline bool json_plain_ascii(uint8_t c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

/*
 * The end of the plain ASCII run starting at p[i]: eight bytes at a time while none of
 * them is below 0x20, above 0x7f, a quote or a backslash (each test sets a byte's top bit
 * where it hits; a borrow can only add hits above a true one, which the byte loop sorts out).
 */
static size_t plain_ascii_run(const uint8_t *p, size_t i, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, tops = 0x8080808080808080ull;
    while (n - i >= 8) {
        uint64_t x, quote, backslash;
        memcpy(&x, p + i, 8);
        quote = x ^ (ones * '"');
        backslash = x ^ (ones * '\\');
        uint64_t hits = ((x - ones * 0x20) & ~x) | x | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
        if (hits & tops)
            break;
        i += 8;
    }
    while (i < n && json_plain_ascii(p[i]))
        i++;
    return i;
}

void fc_out_json_str(struct fc_out *o, const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    fc_out_char(o, '"');
    size_t i = 0;
    while (i < n) {
        /* Copy the longest run that needs no change in one go; plain ASCII, nearly every
         * byte fc-emit writes, needs no UTF-8 decoding. */
        size_t run = i, len;
        char tmp[8];
        for (;;) {
            run = plain_ascii_run(p, run, n);
            if (run == n || json_escape(p[run], tmp) || (len = fc_utf8_seq_len(p + run, n - run)) == 0)
                break;
            run += len;
        }
        fc_out_write(o, p + i, run - i);
        if (run == n)
            break;
        const char *esc = json_escape(p[run], tmp);
        fc_out_str(o, esc ? esc : "\\ufffd");
        i = run + 1;
    }
    fc_out_char(o, '"');
}

/* ---- JSON structure ---- */

void fc_json_init(struct fc_json *j, struct fc_out *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

/* Before any value: the comma that separates it from the previous item at this level. */
static void json_next(struct fc_json *j)
{
    if (j->depth > 0) {
        if (j->has_items[j->depth - 1])
            fc_out_char(j->out, ',');
        j->has_items[j->depth - 1] = true;
    }
}

static void json_open(struct fc_json *j, char c)
{
    fc_out_char(j->out, c);
    if (j->depth >= FC_JSON_MAX_DEPTH)
        fc_die(FC_EXIT_SYSTEM, "internal error: JSON nesting deeper than %d", FC_JSON_MAX_DEPTH);
    j->has_items[j->depth++] = false;
}

static void json_close(struct fc_json *j, char c)
{
    fc_out_char(j->out, c);
    j->depth--;
}

void fc_json_obj_begin(struct fc_json *j) { json_open(j, '{'); }
void fc_json_obj_end(struct fc_json *j) { json_close(j, '}'); }
void fc_json_arr_begin(struct fc_json *j) { json_open(j, '['); }
void fc_json_arr_end(struct fc_json *j) { json_close(j, ']'); }
void fc_json_item(struct fc_json *j) { json_next(j); }

void fc_json_key(struct fc_json *j, const char *key)
{
    json_next(j);
    fc_out_json_str(j->out, key, strlen(key));
    fc_out_char(j->out, ':');
}

void fc_json_kv_str(struct fc_json *j, const char *key, const char *val)
{
    fc_json_kv_strn(j, key, val, strlen(val));
}

void fc_json_kv_strn(struct fc_json *j, const char *key, const char *val, size_t n)
{
    fc_json_key(j, key);
    fc_out_json_str(j->out, val, n);
}

void fc_json_kv_u64(struct fc_json *j, const char *key, uint64_t val)
{
    fc_json_key(j, key);
    fc_out_u64(j->out, val);
}

void fc_json_kv_i64(struct fc_json *j, const char *key, int64_t val)
{
    fc_json_key(j, key);
    fc_out_i64(j->out, val);
}

void fc_json_kv_bool(struct fc_json *j, const char *key, bool val)
{
    fc_json_key(j, key);
    fc_out_str(j->out, val ? "true" : "false");
}

void fc_json_kv_raw(struct fc_json *j, const char *key, const char *json_text)
{
    fc_json_key(j, key);
    fc_out_str(j->out, json_text);
}
