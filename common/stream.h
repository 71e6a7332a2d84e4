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
void fc_writer_flush(struct fc_writer *w);
void fc_writer_close(struct fc_writer *w);

/* Pack helpers used by every stage. */
void fc_pack_str(msgpack_packer *pk, const char *s);
void fc_pack_kv_str(msgpack_packer *pk, const char *key, const char *val);
void fc_pack_kv_uint(msgpack_packer *pk, const char *key, uint64_t val);
void fc_pack_kv_int(msgpack_packer *pk, const char *key, int64_t val);

/* Read helpers over decoded maps: find a key, read typed values. */
const msgpack_object *fc_map_get(const msgpack_object *map, const char *key);
/* Many keys in one pass over a map: out[i] = the value of keys[i] (first of each key, as
 * fc_map_get finds it; NULL when missing). Keys listed in the order records carry them are
 * found fastest. */
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
