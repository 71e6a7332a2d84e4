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

/* Inline: fc-emit calls these a few dozen times per line, mostly for a handful of bytes. */
static inline void fc_out_write(struct fc_out *o, const void *p, size_t n)
{
    if (o->cap - o->len < n)
        fc_out_grow(o, n);
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    if (o->len >= FC_OUT_FLUSH_AT && o->fd >= 0)
        fc_out_flush(o);
}

static inline void fc_out_char(struct fc_out *o, char c)
{
    if (o->cap - o->len < 1)
        fc_out_grow(o, 1);
    o->buf[o->len++] = c;
    if (o->len >= FC_OUT_FLUSH_AT && o->fd >= 0)
        fc_out_flush(o);
}

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
void fc_json_obj_begin(struct fc_json *j);
void fc_json_obj_end(struct fc_json *j);
void fc_json_arr_begin(struct fc_json *j);
void fc_json_arr_end(struct fc_json *j);
/* Starts the next member of the current object ("key":) or the next array item. */
void fc_json_key(struct fc_json *j, const char *key);
void fc_json_item(struct fc_json *j);

void fc_json_kv_str(struct fc_json *j, const char *key, const char *val);
void fc_json_kv_strn(struct fc_json *j, const char *key, const char *val, size_t n);
void fc_json_kv_u64(struct fc_json *j, const char *key, uint64_t val);
void fc_json_kv_i64(struct fc_json *j, const char *key, int64_t val);
void fc_json_kv_bool(struct fc_json *j, const char *key, bool val);
/* A value that is already valid JSON text (e.g. a number printed with its own format). */
void fc_json_kv_raw(struct fc_json *j, const char *key, const char *json_text);

#endif
