/* \summary: buffered text output and a compact JSON writer (strings escaped, invalid UTF-8 -> U+FFFD) */
#include "json_write.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
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

/* "00".."99": two digits per division. */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

/* From the bit length: 1233 / 4096 is just above log10(2), so t is floor(log10(v)) or one more. */
static unsigned decimal_digits(uint64_t v)
{
    static const uint64_t powers[20] = {
        1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
        1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
        100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
        1000000000000000000ull, 10000000000000000000ull,
    };
    v |= 1; /* 0 has one digit, as 1; no power of 10 above 1 is odd, so no count changes */
    unsigned t = (unsigned)(64 - __builtin_clzll(v)) * 1233 >> 12;
    return t + (v >= powers[t]);
}

char *fc_text_u64(char *p, uint64_t v)
{
    if (v < 10) { /* most counters, ports aside, are small */
        *p = (char)('0' + v);
        return p + 1;
    }
    char *end = p + decimal_digits(v), *q = end;
    while (v >= 100) {
        q -= 2;
        memcpy(q, digit_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10)
        memcpy(q - 2, digit_pairs + 2 * v, 2);
    else
        q[-1] = (char)('0' + v);
    return end;
}

char *fc_text_i64(char *p, int64_t v)
{
    if (v >= 0)
        return fc_text_u64(p, (uint64_t)v);
    *p++ = '-';
    return fc_text_u64(p, 0 - (uint64_t)v);
}

/*
 * d * 10^4 rounded to the nearest integer, ties to even, from d's exact binary value
 * m * 2^e: what glibc's "%.4f" prints. 10^4 = 625 * 2^4 and m < 2^53, so m * 625
 * fits 64 bits. False outside [0, 10^14) (and for -0, which prints its sign).
 */
static bool times_10000_rounded(double d, uint64_t *out)
{
    if (!(d >= 0 && d < 1e14) || signbit(d))
        return false;
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    int biased = (int)(bits >> 52);                   /* the sign bit is clear */
    uint64_t m = bits & ((1ull << 52) - 1);
    if (biased)
        m |= 1ull << 52;
    int e = (biased ? biased : 1) - 1075;             /* d = m * 2^e */
    uint64_t n = m * 625;
    int shift = -(e + 4);                             /* d * 10^4 = n / 2^shift */
    if (shift <= 0) {
        *out = n << -shift;                           /* < 10^18: no bits lost */
        return true;
    }
    if (shift >= 64) {
        *out = 0;                                     /* n < 2^63 <= half of 2^shift */
        return true;
    }
    uint64_t q = n >> shift, rest = n & ((1ull << shift) - 1), half = 1ull << (shift - 1);
    *out = q + (rest > half || (rest == half && (q & 1)));
    return true;
}

/* Divergences are printed for every flow, and printf's float path was a visible share. */
size_t fc_text_4_decimals(double d, char out[FC_DECIMALS_TEXT_MAX])
{
    uint64_t scaled;
    if (!times_10000_rounded(d, &scaled)) {
        snprintf(out, FC_DECIMALS_TEXT_MAX, "%.4f", d);
        return strlen(out);
    }
    char *p = fc_text_u64(out, scaled / 10000);
    unsigned frac = (unsigned)(scaled % 10000);
    for (int i = 4; i > 0; i--, frac /= 10)
        p[i] = (char)('0' + frac % 10);
    p[0] = '.';
    p[5] = 0;
    return (size_t)(p + 5 - out);
}

void fc_out_u64(struct fc_out *o, uint64_t v) { fc_out_done(o, fc_text_u64(fc_out_room(o, FC_INT_TEXT_MAX), v)); }

void fc_out_i64(struct fc_out *o, int64_t v) { fc_out_done(o, fc_text_i64(fc_out_room(o, FC_INT_TEXT_MAX), v)); }

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

/* The end of the ASCII run starting at p[i], eight bytes at a time. */
static size_t ascii_run(const uint8_t *p, size_t i, size_t n)
{
    while (n - i >= 8) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        if (x & 0x8080808080808080ull)
            break;
        i += 8;
    }
    while (i < n && p[i] < 0x80)
        i++;
    return i;
}

void fc_out_utf8(struct fc_out *o, const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        size_t len;
        while ((run = ascii_run(p, run, n)) < n && (len = fc_utf8_seq_len(p + run, n - run)) > 0)
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
    size_t i = plain_ascii_run(p, 0, n);
    if (i == n) { /* nearly always: copied between its quotes at once */
        char *at = fc_out_room(o, n + 2);
        *at++ = '"';
        if (n) /* an empty string may come as NULL */
            memcpy(at, s, n);
        at[n] = '"';
        fc_out_done(o, at + n + 1);
        return;
    }
    fc_out_char(o, '"');
    fc_out_write(o, p, i);
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

void fc_json_too_deep(void)
{
    fc_die(FC_EXIT_SYSTEM, "internal error: JSON nesting deeper than %d", FC_JSON_MAX_DEPTH);
}
