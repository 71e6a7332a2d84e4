/* \summary: reading and writing the msgpack record stream between stages */
#ifndef FC_STREAM_H
#define FC_STREAM_H

/*
 * Reader: reads the stream in large chunks, finds each complete msgpack object
 * with a bounds-checked scanner (mpscan.h) before msgpack-c decodes it, so a
 * hostile length field can neither make us allocate gigabytes nor read past
 * the buffer. Each record also keeps its raw bytes, so records a stage does not
 * handle are passed on byte for byte (fc_writer_raw).
 *
 * Writer: packs into one large buffer and writes it in big chunks, because the
 * per-write cost dominates on the packet hop. Refuses to write binary records
 * to a terminal.
 */
#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "mpscan.h"

#define FC_MAX_RECORD (64u << 20) /* larger records are refused as damaged input */

struct fc_stream_header {
    unsigned major, minor;
    const char *producer;          /* NUL-terminated copy, or "" */
    /* payload-sample limits the producer applied (0 = not stated: all bytes kept) */
    uint32_t sample_packets, sample_full_packets, sample_bytes;
    uint32_t sample_full_bytes;    /* bytes kept of a full packet's payload (0 = not stated) */
    msgpack_unpacked raw;          /* the whole header map, for passing it on */
};

struct fc_record {
    int kind;                      /* FC_KEY_KIND value, or -1 when missing */
    msgpack_object obj;            /* the decoded map (valid until the next read) */
    const uint8_t *raw;            /* the record's bytes as they arrived */
    size_t raw_len;
    uint64_t offset;               /* byte offset of the record in the stream */
};

struct fc_reader {
    int fd;
    const char *name;              /* for messages: a file name or "stdin" */
    uint8_t *buf;
    size_t start, end, cap;
    uint64_t buf_offset;           /* stream offset of buf[0] */
    bool eof;
    bool failed;                   /* damaged input was seen; exit status should say so */
    bool cut;                      /* the stream ended inside the record at start */
    uint8_t *header_bytes;         /* the header's own copy, which header.raw points into */
    uint32_t decode_mask;          /* bit k set: decode records of kind k; 0 = decode all */
    void (*before_wait)(void *);   /* called when the next read would block (fc_reader_on_wait) */
    void *before_wait_arg;
    uint32_t upstream_stages;      /* stages the stream went through before this one (header) */
    int64_t stop_deadline_ms;      /* monotonic ms when an orderly stop stops waiting; 0 = none */
    bool stopped;                  /* input given up by an orderly stop, not by its end */
    struct fc_stream_header header;
    struct fc_mpdecoder decoder;   /* the current record's objects (mpscan.h) */
};

/* Set by the flowcarp wrapper for every stage but the first: an empty input then means the
 * stage before failed, and has said why, so the stage exits 1 without a message of its own. */
#define FC_ENV_PIPELINE "FLOWCARP_PIPELINE"

/* Opens and validates the header; on failure prints why and exits with FC_EXIT_BAD_INPUT. */
void fc_reader_open(struct fc_reader *r, int fd, const char *name);
/*
 * Decode only records whose kind has its bit set in kind_mask (1u << FC_REC_FLOW | ...);
 * others come back with their kind and raw bytes but rec->obj of type NIL, which is all
 * a stage needs to pass them on or ignore them. 0 (the default) decodes everything.
 */
void fc_reader_decode_only(struct fc_reader *r, uint32_t kind_mask);
/* 1 = a record, 0 = clean end of stream, -1 = damaged input (already reported, r->failed set). */
int fc_reader_next(struct fc_reader *r, struct fc_record *rec);
/* After fc_reader_next gave -1 because the stream ended inside a record: true, with the
 * bytes of that unfinished record (valid until the reader is closed). */
bool fc_reader_cut_record(const struct fc_reader *r, const uint8_t **p, size_t *len);
/* A decoded record's kind (its FC_KEY_KIND, below 1000), or -1 when it has none. */
int fc_record_kind_of(const msgpack_object *obj);
/*
 * Live streams: fn(arg) runs whenever the next read would block, so a stage hands on what
 * it holds (flushes its output) instead of keeping it until its buffer fills.
 */
void fc_reader_on_wait(struct fc_reader *r, void (*fn)(void *), void *arg);
/* The same, flushing writer w: the usual choice of a stage that writes a record stream. */
struct fc_writer;
void fc_reader_flush_on_wait(struct fc_reader *r, struct fc_writer *w);
/*
 * Orderly stop (stop_signal.h): once SIGINT or SIGTERM arrived, the reader still takes what
 * upstream writes until its end, because upstream is stopping too and sends its last flows,
 * but waits at most FC_STOP_GRACE_MS for every stage before this one (the stream header's
 * stages), so the stages of a pipeline stopped all at once give up one after another,
 * upstream first. Then the input counts as ended (r->stopped set).
 */
#define FC_STOP_GRACE_MS 2000
void fc_reader_close(struct fc_reader *r);

struct fc_writer {
    int fd;
    const char *name;
    uint8_t *buf;
    size_t len, cap;
    msgpack_packer pk;
};

/* Dies with a message if fd is a terminal (binary records are for pipes and files). */
void fc_writer_open(struct fc_writer *w, int fd, const char *name);
/* Starts a stream: copies `from`'s header (or starts a new one when NULL) and appends this
 * stage's command line to its stages. `sample` fields in `extra_sample` (if not NULL)
 * replace the header's sample limits. */
void fc_writer_header(struct fc_writer *w, const struct fc_stream_header *from,
                      int argc, char **argv, const struct fc_stream_header *extra_sample);
static inline msgpack_packer *fc_writer_packer(struct fc_writer *w) { return &w->pk; }
void fc_writer_raw(struct fc_writer *w, const void *bytes, size_t len);
/* Called after each record: writes the buffer out once it is large. */
void fc_writer_record_done(struct fc_writer *w);
/* Starts a stage's stats record (k = 7): kind, stage, the exit status it will exit with,
 * and the "counters" key, whose map of counts the caller packs, then fc_writer_record_done. */
void fc_pack_stats_start(msgpack_packer *pk, const char *stage, int exit_status);
void fc_writer_flush(struct fc_writer *w);
void fc_writer_close(struct fc_writer *w);

/*
 * Pack helpers used by every stage. Records are hundreds of small pieces (a key, a number),
 * and msgpack-c hands each piece to the writer through a callback, so these write a whole
 * key-value pair straight into the writer's buffer when the packer is an fc_writer's, with
 * the same bytes msgpack-c would pack. They are always inlined because keys are string
 * literals (record.h): their length and bytes are then known when compiling, and the key
 * becomes a few stores. Other packers get msgpack-c's way.
 */
#define FC_PACK_INLINE static inline __attribute__((always_inline))
/* The callback of a writer's packer (msgpack-c calls it for every piece). */
int fc_writer_append(void *writer, const char *bytes, size_t len);
/* Grows the writer's buffer to hold `more` bytes after its end. */
void fc_writer_reserve(struct fc_writer *w, size_t more);

/* Where up to n bytes can be written straight into the writer's buffer; fc_writer_done ends it. */
FC_PACK_INLINE uint8_t *fc_writer_room(struct fc_writer *w, size_t n)
{
    if (w->cap - w->len < n)
        fc_writer_reserve(w, n);
    return w->buf + w->len;
}

/* Ends a write that fc_writer_room started: `end` is one past the last byte written. */
FC_PACK_INLINE void fc_writer_done(struct fc_writer *w, const uint8_t *end) { w->len = (size_t)(end - w->buf); }

/* The same for a packer: NULL when pk does not pack into an fc_writer. */
FC_PACK_INLINE uint8_t *fc_pack_room(msgpack_packer *pk, size_t n)
{
    return pk->callback == fc_writer_append ? fc_writer_room(pk->data, n) : NULL;
}

FC_PACK_INLINE void fc_pack_done(msgpack_packer *pk, const uint8_t *end) { fc_writer_done(pk->data, end); }

/* msgpack encodings, as msgpack-c chooses them (the shortest); each returns the end. */
#define FC_MP_MAX_UINT 9
static inline uint8_t *fc_mp_put_uint(uint8_t *at, uint64_t v)
{
    if (v < 0x80) {
        at[0] = (uint8_t)v;
        return at + 1;
    }
    if (v < 0x100) {
        at[0] = 0xcc;
        at[1] = (uint8_t)v;
        return at + 2;
    }
    if (v < 0x10000) {
        at[0] = 0xcd;
        fc_put_be16(at + 1, (uint16_t)v);
        return at + 3;
    }
    if (v < 0x100000000ull) {
        at[0] = 0xce;
        fc_put_be32(at + 1, (uint32_t)v);
        return at + 5;
    }
    at[0] = 0xcf;
    fc_put_be64(at + 1, v);
    return at + 9;
}

static inline uint8_t *fc_mp_put_int(uint8_t *at, int64_t v)
{
    if (v >= 0)
        return fc_mp_put_uint(at, (uint64_t)v);
    if (v >= -32) {
        at[0] = (uint8_t)v;
        return at + 1;
    }
    if (v >= -128) {
        at[0] = 0xd0;
        at[1] = (uint8_t)v;
        return at + 2;
    }
    if (v >= -32768) {
        at[0] = 0xd1;
        fc_put_be16(at + 1, (uint16_t)v);
        return at + 3;
    }
    if (v >= INT32_MIN) {
        at[0] = 0xd2;
        fc_put_be32(at + 1, (uint32_t)v);
        return at + 5;
    }
    at[0] = 0xd3;
    fc_put_be64(at + 1, (uint64_t)v);
    return at + 9;
}

#define FC_MP_MAX_STR_HEAD 5
FC_PACK_INLINE uint8_t *fc_mp_put_str(uint8_t *at, const char *s, size_t n)
{
    if (n < 32) {
        *at++ = (uint8_t)(0xa0 | n);
    } else if (n < 0x100) {
        *at++ = 0xd9;
        *at++ = (uint8_t)n;
    } else if (n < 0x10000) {
        *at++ = 0xda;
        fc_put_be16(at, (uint16_t)n);
        at += 2;
    } else {
        *at++ = 0xdb;
        fc_put_be32(at, (uint32_t)n);
        at += 4;
    }
    memcpy(at, s, n);
    return at + n;
}

#define FC_MP_MAX_HEAD 5 /* of an array or bin */
FC_PACK_INLINE uint8_t *fc_mp_put_array(uint8_t *at, uint32_t n)
{
    if (n < 16) {
        at[0] = (uint8_t)(0x90 | n);
        return at + 1;
    }
    if (n < 0x10000) {
        at[0] = 0xdc;
        fc_put_be16(at + 1, (uint16_t)n);
        return at + 3;
    }
    at[0] = 0xdd;
    fc_put_be32(at + 1, n);
    return at + 5;
}

FC_PACK_INLINE uint8_t *fc_mp_put_bin(uint8_t *at, const void *bytes, uint32_t n)
{
    if (n < 0x100) {
        *at++ = 0xc4;
        *at++ = (uint8_t)n;
    } else if (n < 0x10000) {
        *at++ = 0xc5;
        fc_put_be16(at, (uint16_t)n);
        at += 2;
    } else {
        *at++ = 0xc6;
        fc_put_be32(at, n);
        at += 4;
    }
    if (n)
        memcpy(at, bytes, n);
    return at + n;
}

FC_PACK_INLINE void fc_pack_str_n(msgpack_packer *pk, const char *s, size_t n)
{
    uint8_t *at = fc_pack_room(pk, FC_MP_MAX_STR_HEAD + n);
    if (at) {
        fc_pack_done(pk, fc_mp_put_str(at, s, n));
        return;
    }
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, s, n);
}

FC_PACK_INLINE void fc_pack_str(msgpack_packer *pk, const char *s) { fc_pack_str_n(pk, s, strlen(s)); }

FC_PACK_INLINE void fc_pack_kv_str(msgpack_packer *pk, const char *key, const char *val)
{
    fc_pack_str(pk, key);
    fc_pack_str(pk, val);
}

FC_PACK_INLINE void fc_pack_kv_uint(msgpack_packer *pk, const char *key, uint64_t val)
{
    size_t n = strlen(key);
    uint8_t *at = fc_pack_room(pk, FC_MP_MAX_STR_HEAD + n + FC_MP_MAX_UINT);
    if (at) {
        fc_pack_done(pk, fc_mp_put_uint(fc_mp_put_str(at, key, n), val));
        return;
    }
    fc_pack_str_n(pk, key, n);
    msgpack_pack_uint64(pk, val);
}

FC_PACK_INLINE void fc_pack_kv_int(msgpack_packer *pk, const char *key, int64_t val)
{
    size_t n = strlen(key);
    uint8_t *at = fc_pack_room(pk, FC_MP_MAX_STR_HEAD + n + FC_MP_MAX_UINT);
    if (at) {
        fc_pack_done(pk, fc_mp_put_int(fc_mp_put_str(at, key, n), val));
        return;
    }
    fc_pack_str_n(pk, key, n);
    msgpack_pack_int64(pk, val);
}

/* Read helpers over decoded maps: find a key, read typed values. */
const msgpack_object *fc_map_get(const msgpack_object *map, const char *key);
/* Many keys in one pass over a map: out[i] = the value of keys[i] (first of each key, as
 * fc_map_get finds it; NULL when missing; the table's keys distinct). Keys listed in the
 * order records carry them are found fastest. */
struct fc_map_key {
    const char *name;
    uint32_t len;
};
#define FC_MAP_KEY(key) { key, sizeof key - 1 }
void fc_map_get_many(const msgpack_object *map, const struct fc_map_key *keys, size_t n, const msgpack_object **out);
bool fc_obj_uint(const msgpack_object *o, uint64_t *out);
bool fc_obj_int(const msgpack_object *o, int64_t *out);
/* Copies a str into out (NUL-terminated, truncated to cap-1); false if not a str. */
bool fc_obj_str(const msgpack_object *o, char *out, size_t cap);
bool fc_obj_str_eq(const msgpack_object *o, const char *s);

/* Makes pipes bigger (fewer context switches); silently does nothing for non-pipes. */
void fc_grow_pipe(int fd);

#endif
