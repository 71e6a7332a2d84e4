/* \summary: buffered text output and a compact JSON writer (strings escaped, invalid UTF-8 -> U+FFFD) */
#ifndef FC_JSON_WRITE_H
#define FC_JSON_WRITE_H

/*
 * struct fc_out collects output in one large buffer and writes it in big chunks
 * (fd >= 0), or only collects it (fd < 0, a memory buffer for composing text).
 * A write error ends the program with FC_EXIT_SYSTEM; SIGPIPE keeps its default,
 * so `fc-emit | head` ends quietly.
 *
 * struct fc_json writes compact JSON (no spaces, no newlines) into an fc_out and
 * places the commas itself: callers say what comes next (a key, an array item),
 * in the order the format prescribes. Strings are escaped per RFC 8259, and bytes
 * that are not valid UTF-8 become \ufffd so every line stays valid JSON.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fc_out {
    int fd;                   /* < 0: memory only */
    const char *name;         /* for messages */
    char *buf;
    size_t len, cap;
};

#define FC_OUT_FLUSH_AT (256u << 10)

void fc_out_open(struct fc_out *o, int fd, const char *name);
/* Grows the buffer so n more bytes fit (the slow path of fc_out_write). */
void fc_out_grow(struct fc_out *o, size_t n);
/* Writes everything buffered (no-op for memory buffers); dies with FC_EXIT_SYSTEM on error. */
void fc_out_flush(struct fc_out *o);

/*
 * Inline: fc-emit calls these a few dozen times per line, mostly for a handful of bytes.
 * fc_out_room and fc_out_done are the bare form: room for at most n bytes at the end of
 * the buffer, then the end of what was written there.
 */
static inline char *fc_out_room(struct fc_out *o, size_t n)
{
    if (o->cap - o->len < n)
        fc_out_grow(o, n);
    return o->buf + o->len;
}

static inline void fc_out_done(struct fc_out *o, char *end)
{
    o->len = (size_t)(end - o->buf);
    if (o->len >= FC_OUT_FLUSH_AT && o->fd >= 0)
        fc_out_flush(o);
}

static inline void fc_out_write(struct fc_out *o, const void *p, size_t n)
{
    char *at = fc_out_room(o, n);
    memcpy(at, p, n);
    fc_out_done(o, at + n);
}

static inline void fc_out_char(struct fc_out *o, char c)
{
    char *at = fc_out_room(o, 1);
    *at = c;
    fc_out_done(o, at + 1);
}

/* The longest decimal text of a 64-bit integer, sign included. */
#define FC_INT_TEXT_MAX 20
/* Write v in decimal at p; return the end. */
char *fc_text_u64(char *p, uint64_t v);
char *fc_text_i64(char *p, int64_t v);
/* snprintf(out, FC_DECIMALS_TEXT_MAX, "%.4f", d), the same text, without printf for the
 * usual values; returns its length. Room for any double: the largest has 309 digits before
 * the point (a hostile record can carry it), then the point, 4 decimals and the NUL. */
#define FC_DECIMALS_TEXT_MAX 320
size_t fc_text_4_decimals(double d, char out[FC_DECIMALS_TEXT_MAX]);

void fc_out_str(struct fc_out *o, const char *s);
void fc_out_u64(struct fc_out *o, uint64_t v);
void fc_out_i64(struct fc_out *o, int64_t v);
void fc_out_printf(struct fc_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Flushes and frees the buffer. */
void fc_out_close(struct fc_out *o);

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when p[0] does not start one. */
size_t fc_utf8_seq_len(const uint8_t *p, size_t n);
/* Copies bytes, replacing each byte that is not part of valid UTF-8 by U+FFFD (EF BF BD). */
void fc_out_utf8(struct fc_out *o, const char *s, size_t n);
/* A quoted, escaped JSON string. */
void fc_out_json_str(struct fc_out *o, const char *s, size_t n);

#define FC_JSON_MAX_DEPTH 16

struct fc_json {
    struct fc_out *out;
    int depth;
    bool has_items[FC_JSON_MAX_DEPTH]; /* per open object/array: a comma is due before the next item */
};

void fc_json_init(struct fc_json *j, struct fc_out *out);
/* Dies: the formats never nest that deep. */
_Noreturn void fc_json_too_deep(void);

/*
 * The structure calls are inline, and so are the key-value calls: a line has some forty
 * keys, and a literal key's length is then a constant. Keys are the formats' own names,
 * plain ASCII with nothing to escape, and are copied as they are.
 */

/* Before any value: the comma that separates it from the previous item at this level. */
static inline char *fc_json_next_at(struct fc_json *j, char *p)
{
    if (j->depth > 0) {
        if (j->has_items[j->depth - 1])
            *p++ = ',';
        j->has_items[j->depth - 1] = true;
    }
    return p;
}

static inline void fc_json_open(struct fc_json *j, char c)
{
    fc_out_char(j->out, c);
    if (j->depth >= FC_JSON_MAX_DEPTH)
        fc_json_too_deep();
    j->has_items[j->depth++] = false;
}

static inline void fc_json_close(struct fc_json *j, char c)
{
    fc_out_char(j->out, c);
    j->depth--;
}

static inline void fc_json_obj_begin(struct fc_json *j) { fc_json_open(j, '{'); }
static inline void fc_json_obj_end(struct fc_json *j) { fc_json_close(j, '}'); }
static inline void fc_json_arr_begin(struct fc_json *j) { fc_json_open(j, '['); }
static inline void fc_json_arr_end(struct fc_json *j) { fc_json_close(j, ']'); }

/* The next array item: its comma. */
static inline void fc_json_item(struct fc_json *j)
{
    fc_out_done(j->out, fc_json_next_at(j, fc_out_room(j->out, 1)));
}

/* The comma when due and "key": (a key of n bytes), with room for `value_room` more bytes after it. */
static inline char *fc_json_key_n_at(struct fc_json *j, const char *key, size_t n, size_t value_room)
{
    char *p = fc_json_next_at(j, fc_out_room(j->out, n + 4 + value_room));
    *p++ = '"';
    memcpy(p, key, n);
    p += n;
    *p++ = '"';
    *p++ = ':';
    return p;
}

static inline char *fc_json_key_at(struct fc_json *j, const char *key, size_t value_room)
{
    return fc_json_key_n_at(j, key, strlen(key), value_room);
}

/* Starts the next member of the current object ("key":). */
static inline void fc_json_key(struct fc_json *j, const char *key) { fc_out_done(j->out, fc_json_key_at(j, key, 0)); }

static inline void fc_json_kv_strn(struct fc_json *j, const char *key, const char *val, size_t n)
{
    fc_json_key(j, key);
    fc_out_json_str(j->out, val, n);
}

static inline void fc_json_kv_str(struct fc_json *j, const char *key, const char *val)
{
    fc_json_kv_strn(j, key, val, strlen(val));
}

static inline void fc_json_kv_u64(struct fc_json *j, const char *key, uint64_t val)
{
    fc_out_done(j->out, fc_text_u64(fc_json_key_at(j, key, FC_INT_TEXT_MAX), val));
}

static inline void fc_json_kv_i64(struct fc_json *j, const char *key, int64_t val)
{
    fc_out_done(j->out, fc_text_i64(fc_json_key_at(j, key, FC_INT_TEXT_MAX), val));
}

static inline void fc_json_kv_bool(struct fc_json *j, const char *key, bool val)
{
    char *p = fc_json_key_at(j, key, 5);
    memcpy(p, val ? "true" : "false", 5);
    fc_out_done(j->out, p + (val ? 4 : 5));
}

/* A string the formats made themselves (times, addresses, names from their own tables):
 * printable ASCII without '"' or '\\', copied between its quotes unchecked. */
static inline void fc_json_kv_plain(struct fc_json *j, const char *key, const char *val, size_t n)
{
    char *p = fc_json_key_at(j, key, n + 2);
    *p++ = '"';
    memcpy(p, val, n);
    p += n;
    *p++ = '"';
    fc_out_done(j->out, p);
}

/* A value that is already valid JSON text (e.g. a number printed with its own format). */
static inline void fc_json_kv_raw(struct fc_json *j, const char *key, const char *json_text)
{
    fc_json_key(j, key);
    fc_out_str(j->out, json_text);
}

#endif
