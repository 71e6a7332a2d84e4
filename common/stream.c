/* \summary: reading and writing the msgpack record stream between stages */
#define _GNU_SOURCE
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bytes.h"
#include "huge.h"
#include "log.h"
#include "monotonic.h"
#include "mpscan.h"
#include "record.h"
#include "stop_signal.h"
#include "xalloc.h"

#define READ_CHUNK (1u << 20)
#define WRITE_FLUSH_AT (256u << 10)
#define PIPE_SIZE (1 << 20)

void fc_grow_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
    (void)fcntl(fd, F_SETPIPE_SZ, PIPE_SIZE);
#else
    (void)fd;
#endif
}

/* ---- reader ---- */

/* Makes room for at least READ_CHUNK more bytes, keeping the unread part. Two chunks are
 * enough to start with (the unread tail is less than a record): every byte of the buffer
 * is touched, and fresh memory costs more than the odd extra memmove. */
static void reader_make_room(struct fc_reader *r)
{
    if (r->start > 0 && (r->start == r->end || r->cap - r->end < READ_CHUNK)) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->buf_offset += r->start;
        r->end -= r->start;
        r->start = 0;
    }
    if (r->cap - r->end < READ_CHUNK) {
        r->cap = r->cap ? r->cap * 2 : 2 * READ_CHUNK;
        r->buf = fc_huge_realloc(r->buf, r->end, r->cap);
    }
}


static bool input_ready(int fd, int timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    return poll(&p, 1, timeout_ms) != 0; /* readable, hung up, or an error read() will name */
}

/*
 * Waits until a read will not block; false when an orderly stop's grace ran out first.
 * SIGINT and SIGTERM are blocked from the look at the stop flag until ppoll, which
 * unblocks them while it sleeps: a stop arriving in between still ends the sleep.
 */
static bool reader_wait(struct fc_reader *r)
{
    if (r->before_wait && !input_ready(r->fd, 0))
        r->before_wait(r->before_wait_arg);
    sigset_t stops, old;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    for (;;) {
        sigprocmask(SIG_BLOCK, &stops, &old);
        bool stopping = fc_stop_requested() != 0;
        int64_t left_ms = 0;
        if (stopping) {
            int64_t now = fc_monotonic_ms();
            if (!r->stop_deadline_ms)
                r->stop_deadline_ms = now + (int64_t)FC_STOP_GRACE_MS * (r->upstream_stages ? r->upstream_stages : 1);
            left_ms = r->stop_deadline_ms - now;
            if (left_ms <= 0) {
                sigprocmask(SIG_SETMASK, &old, NULL);
                return false;
            }
        }
        struct pollfd p = { .fd = r->fd, .events = POLLIN };
        struct timespec left = { .tv_sec = left_ms / 1000, .tv_nsec = left_ms % 1000 * 1000000 };
        int n = ppoll(&p, 1, stopping ? &left : NULL, &old);
        int saved = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (n > 0 || (n < 0 && saved != EINTR))
            return true;   /* readable, hung up, or an error read() will name */
        /* a signal, or the grace ran out: look again */
    }
}

/* Reads more bytes; false at end of input (or when an orderly stop gave up waiting). */
static bool reader_fill(struct fc_reader *r)
{
    if (r->eof)
        return false;
    reader_make_room(r);
    for (;;) {
        if (!reader_wait(r)) {
            r->eof = r->stopped = true;
            return false;
        }
        ssize_t n = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (n > 0) {
            r->end += (size_t)n;
            return true;
        }
        if (n == 0) {
            r->eof = true;
            return false;
        }
        if (errno == EINTR)
            continue;
        fc_warn("%s: read error: %s", r->name, strerror(errno));
        r->eof = true;
        r->failed = true;
        return false;
    }
}

/* Names what the first bytes of a non-stream input look like, for the error message. */
static const char *describe_foreign_input(const uint8_t *p, size_t n)
{
    if (n >= 4) {
        uint32_t le = fc_le32(p), be = fc_be32(p);
        if (le == 0xa1b2c3d4 || be == 0xa1b2c3d4 || le == 0xa1b23c4d || be == 0xa1b23c4d)
            return "this is a pcap file, not a FlowCarp record stream; read it with fc-read";
        if (be == 0x0a0d0d0a)
            return "this is a pcapng file, not a FlowCarp record stream; read it with fc-read";
    }
    if (n >= 1 && (p[0] == '{' || p[0] == '['))
        return "this looks like JSON text, not a FlowCarp record stream (fc-emit output cannot be read back)";
    size_t printable = 0;
    for (size_t i = 0; i < n && i < 64; i++)
        printable += (p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\n' || p[i] == '\t';
    if (n > 0 && printable == (n < 64 ? n : 64))
        return "this is text, not a FlowCarp record stream";
    return "this is not a FlowCarp record stream (no stream header); pipe fc-read's output into this stage";
}

/* Finds the next complete object; 1 found (*len set), 0 clean EOF, -1 damaged. */
static int reader_frame(struct fc_reader *r, size_t *len)
{
    for (;;) {
        size_t avail = r->end - r->start;
        if (avail > 0) {
            enum fc_mpscan_result s = fc_mpscan(r->buf + r->start, avail, FC_MAX_RECORD, len);
            if (s == FC_MPSCAN_OK)
                return 1;
            uint64_t at = r->buf_offset + r->start;
            if (s == FC_MPSCAN_INVALID) {
                fc_warn("%s: offset %llu: invalid msgpack data", r->name, (unsigned long long)at);
                r->failed = true;
                return -1;
            }
            if (s == FC_MPSCAN_TOO_LARGE) {
                fc_warn("%s: offset %llu: record larger than %u MiB, damaged stream", r->name,
                        (unsigned long long)at, FC_MAX_RECORD >> 20);
                r->failed = true;
                return -1;
            }
        }
        if (!reader_fill(r)) {
            if (r->end > r->start && r->stopped) {
                /* not damage: upstream was still writing when the stop's grace ran out */
                fc_info("%s: stopped with %zu bytes of an unfinished record unread", r->name, r->end - r->start);
                r->start = r->end;
                return 0;
            }
            if (r->end > r->start) {
                fc_warn("%s: offset %llu: stream ends inside a record (%zu bytes left over)", r->name,
                        (unsigned long long)(r->buf_offset + r->start), r->end - r->start);
                r->failed = true;
                r->cut = true;
                return -1;
            }
            return r->failed ? -1 : 0;
        }
    }
}

static bool reader_undecodable(struct fc_reader *r)
{
    fc_warn("%s: offset %llu: msgpack record could not be decoded (nesting too deep or out of memory)", r->name,
            (unsigned long long)(r->buf_offset + r->start));
    r->failed = true;
    return false;
}

/*
 * A record must be a map with FC_KEY_KIND (flowcarp-records(5)): one without is damage, not
 * a record to pass on, or a flow would be dropped without a word. A second stream header
 * is named as such: it is what `cat a b | stage` of two whole streams gives.
 */
static void reader_kindless(struct fc_reader *r, const msgpack_object *obj)
{
    unsigned long long at = (unsigned long long)(r->buf_offset + r->start);
    if (obj->type == MSGPACK_OBJECT_MAP && fc_map_get(obj, FC_KEY_MAGIC))
        fc_warn("%s: offset %llu: a second stream header: two record streams one after the other? "
                "(give one fc-read all the captures instead)",
                r->name, at);
    else
        fc_warn("%s: offset %llu: not a record: a record is a map with an unsigned integer \"%s\" below 1000",
                r->name, at, FC_KEY_KIND);
    r->failed = true;
}

/* Decodes the framed object at r->start into `into`; false if msgpack-c refuses it. */
static bool reader_decode(struct fc_reader *r, size_t len, msgpack_unpacked *into)
{
    size_t off = 0;
    msgpack_unpack_return ret = msgpack_unpack_next(into, (const char *)r->buf + r->start, len, &off);
    return (ret == MSGPACK_UNPACK_SUCCESS && off == len) || reader_undecodable(r);
}

static uint32_t header_sample_field(const msgpack_object *sample, const char *key)
{
    uint64_t v = 0;
    if (sample && fc_obj_uint(fc_map_get(sample, key), &v) && v <= UINT32_MAX)
        return (uint32_t)v;
    return 0;
}

static void reader_parse_header(struct fc_reader *r)
{
    const msgpack_object *h = &r->header.raw.data;
    if (h->type != MSGPACK_OBJECT_MAP || !fc_obj_str_eq(fc_map_get(h, FC_KEY_MAGIC), FC_STREAM_MAGIC))
        fc_die(FC_EXIT_BAD_INPUT, "%s: %s", r->name,
               "this is not a FlowCarp record stream (no stream header); pipe fc-read's output into this stage");
    const msgpack_object *v = fc_map_get(h, FC_KEY_VERSION);
    uint64_t major = 0, minor = 0;
    if (!v || v->type != MSGPACK_OBJECT_ARRAY || v->via.array.size < 2 ||
        !fc_obj_uint(&v->via.array.ptr[0], &major) || !fc_obj_uint(&v->via.array.ptr[1], &minor))
        fc_die(FC_EXIT_BAD_INPUT, "%s: stream header has no valid version", r->name);
    if (major != FC_STREAM_MAJOR)
        fc_die(FC_EXIT_BAD_INPUT,
               "%s: record stream version %llu.%llu is not supported; this %s reads version %d.x (%d.%d)",
               r->name, (unsigned long long)major, (unsigned long long)minor, fc_progname(), FC_STREAM_MAJOR,
               FC_STREAM_MAJOR, FC_STREAM_MINOR);
    r->header.major = (unsigned)major;
    r->header.minor = (unsigned)(minor > 65535 ? 65535 : minor);
    static char producer[64];
    if (!fc_obj_str(fc_map_get(h, FC_KEY_PRODUCER), producer, sizeof producer))
        producer[0] = 0;
    r->header.producer = producer;
    const msgpack_object *stages = fc_map_get(h, FC_KEY_STAGES);
    r->upstream_stages = stages && stages->type == MSGPACK_OBJECT_ARRAY ? stages->via.array.size : 1;
    const msgpack_object *sample = fc_map_get(h, FC_KEY_SAMPLE);
    r->header.sample_packets = header_sample_field(sample, "packets");
    r->header.sample_full_packets = header_sample_field(sample, "full_packets");
    r->header.sample_bytes = header_sample_field(sample, "bytes");
    r->header.sample_full_bytes = header_sample_field(sample, "full_bytes");
}

void fc_reader_open(struct fc_reader *r, int fd, const char *name)
{
    memset(r, 0, sizeof *r);
    r->fd = fd;
    r->name = name;
    fc_grow_pipe(fd);
    fc_mpdecoder_init(&r->decoder);
    msgpack_unpacked_init(&r->header.raw);
    while (r->end - r->start < 8 && reader_fill(r))
        ;
    if (r->end == 0 && r->stopped) {
        /* stopped (SIGINT, SIGTERM) before the stage before it said anything: nothing to report */
        fc_info("%s: stopped before any input", name);
        exit(FC_EXIT_OK);
    }
    if (r->end == 0) {
        if (getenv(FC_ENV_PIPELINE)) /* the stage before ours failed and said why */
            exit(FC_EXIT_BAD_INPUT);
        fc_die(FC_EXIT_BAD_INPUT, "%s: empty input, expected a FlowCarp record stream", name);
    }
    /* A stream starts with a map whose first key is "magic". */
    static const uint8_t magic_key[] = { 0xa5, 'm', 'a', 'g', 'i', 'c' };
    const uint8_t *p = r->buf;
    bool is_map = (p[0] & 0xf0) == 0x80 || p[0] == 0xde || p[0] == 0xdf;
    size_t key_at = p[0] == 0xde ? 3 : p[0] == 0xdf ? 5 : 1;
    if (!is_map || r->end < key_at + sizeof magic_key || memcmp(p + key_at, magic_key, sizeof magic_key) != 0)
        fc_die(FC_EXIT_BAD_INPUT, "%s: %s", name, describe_foreign_input(p, r->end));
    size_t len;
    if (reader_frame(r, &len) != 1 || !reader_decode(r, len, &r->header.raw))
        fc_die(FC_EXIT_BAD_INPUT, "%s: damaged stream header", name);
    /* The header object points into buf, which later reads move: keep it in its own zone. */
    msgpack_unpacked_destroy(&r->header.raw);
    msgpack_unpacked_init(&r->header.raw);
    uint8_t *copy = fc_xmalloc(len);
    memcpy(copy, r->buf + r->start, len);
    size_t off = 0;
    if (msgpack_unpack_next(&r->header.raw, (const char *)copy, len, &off) != MSGPACK_UNPACK_SUCCESS)
        fc_die(FC_EXIT_BAD_INPUT, "%s: damaged stream header", name);
    /* msgpack-c's objects may point into `copy`; it lives as long as the reader. */
    r->header_bytes = copy;
    r->start += len;
    reader_parse_header(r);
}

/*
 * Every stage writes FC_KEY_KIND as the first key of a record, so the kind can be read
 * from the first bytes. Returns the kind, or -1 when the record does not start that way.
 */
static int peek_kind(const uint8_t *p, size_t len)
{
    size_t at;
    if ((p[0] & 0xf0) == 0x80)
        at = 1;
    else if (p[0] == 0xde)
        at = 3;
    else
        return -1;
    if (len < at + 3 || p[at] != 0xa1 || p[at + 1] != FC_KEY_KIND[0])
        return -1;
    uint8_t v = p[at + 2];
    if (v < 0x80)
        return v;
    if (v == 0xcc && len > at + 3)
        return p[at + 3];
    return -1;
}

void fc_reader_decode_only(struct fc_reader *r, uint32_t kind_mask) { r->decode_mask = kind_mask; }

void fc_reader_on_wait(struct fc_reader *r, void (*fn)(void *), void *arg)
{
    r->before_wait = fn;
    r->before_wait_arg = arg;
}

static void flush_writer(void *w) { fc_writer_flush(w); }

void fc_reader_flush_on_wait(struct fc_reader *r, struct fc_writer *w) { fc_reader_on_wait(r, flush_writer, w); }

static bool reader_skips_kind(const struct fc_reader *r, int kind)
{
    return r->decode_mask && kind >= 0 && kind < 32 && !(r->decode_mask & (1u << kind));
}

bool fc_reader_cut_record(const struct fc_reader *r, const uint8_t **p, size_t *len)
{
    if (!r->cut)
        return false;
    *p = r->buf + r->start;
    *len = r->end - r->start;
    return true;
}

int fc_record_kind_of(const msgpack_object *obj)
{
    uint64_t k;
    if (obj->type == MSGPACK_OBJECT_MAP && fc_obj_uint(fc_map_get(obj, FC_KEY_KIND), &k) && k < 1000)
        return (int)k;
    return -1;
}

/*
 * The usual case, in one pass over the record's bytes: a record this stage decodes, whole
 * in the buffer, is decoded as it is framed. False sends the caller to frame it first
 * (it runs past the bytes read so far, is damaged, or is one this stage does not decode).
 */
static bool reader_decode_in_place(struct fc_reader *r, msgpack_object *obj, size_t *len)
{
    size_t avail = r->end - r->start;
    const uint8_t *raw = r->buf + r->start;
    if (avail == 0 || reader_skips_kind(r, peek_kind(raw, avail)))
        return false;
    return fc_mpdecode_prefix(&r->decoder, raw, avail < FC_MAX_RECORD ? avail : FC_MAX_RECORD, obj, len);
}

int fc_reader_next(struct fc_reader *r, struct fc_record *rec)
{
    size_t len;
    bool decoded = reader_decode_in_place(r, &rec->obj, &len);
    if (!decoded) {
        int got = reader_frame(r, &len);
        if (got != 1)
            return got;
    }
    const uint8_t *raw = r->buf + r->start;
    int kind = peek_kind(raw, len);
    if (reader_skips_kind(r, kind)) {
        /* Passed on or ignored by this stage: no need to build the object. */
        rec->obj.type = MSGPACK_OBJECT_NIL;
        rec->kind = kind;
    } else {
        /* records are many: the reader's own decoder (mpscan.h), not a msgpack-c zone each */
        if (!decoded && !fc_mpdecode(&r->decoder, raw, len, &rec->obj))
            return reader_undecodable(r), -1;
        rec->kind = fc_record_kind_of(&rec->obj);
        if (rec->kind < 0)
            return reader_kindless(r, &rec->obj), -1;
    }
    rec->raw = raw;
    rec->raw_len = len;
    rec->offset = r->buf_offset + r->start;
    r->start += len;
    return 1;
}

void fc_reader_close(struct fc_reader *r)
{
    fc_mpdecoder_free(&r->decoder);
    msgpack_unpacked_destroy(&r->header.raw);
    free(r->header_bytes);
    free(r->buf);
    r->buf = NULL;
    r->header_bytes = NULL;
}

/* ---- writer ---- */

void fc_writer_reserve(struct fc_writer *w, size_t more)
{
    size_t need = w->len + more;
    if (w->cap >= need)
        return;
    while (w->cap < need)
        w->cap = w->cap ? w->cap * 2 : 2 * WRITE_FLUSH_AT;
    w->buf = fc_huge_realloc(w->buf, w->len, w->cap);
}

/* Most pieces are a few bytes (a type byte, a number): copied without a call to memcpy. */
static void copy_small(uint8_t *to, const uint8_t *from, size_t len)
{
    if (len >= 8) {
        memcpy(to, from, 8);
        memcpy(to + len - 8, from + len - 8, 8);
    } else if (len >= 4) {
        memcpy(to, from, 4);
        memcpy(to + len - 4, from + len - 4, 4);
    } else if (len > 0) {
        to[0] = from[0];
        if (len > 1)
            memcpy(to + len - 2, from + len - 2, 2);
    }
}

/* Out of line, so fc_writer_append's common case needs no stack frame. */
__attribute__((noinline)) static int append_after_growing(struct fc_writer *w, const char *bytes, size_t len)
{
    fc_writer_reserve(w, len);
    return fc_writer_append(w, bytes, len);
}

int fc_writer_append(void *writer, const char *bytes, size_t len)
{
    struct fc_writer *w = writer;
    if (w->cap - w->len < len)
        return append_after_growing(w, bytes, len);
    uint8_t *to = w->buf + w->len;
    w->len += len;
    if (len <= 16)
        copy_small(to, (const uint8_t *)bytes, len);
    else
        memcpy(to, bytes, len);
    return 0;
}

void fc_writer_open(struct fc_writer *w, int fd, const char *name)
{
    memset(w, 0, sizeof *w);
    if (isatty(fd))
        fc_die(FC_EXIT_USAGE,
               "refusing to write binary records to a terminal; pipe into fc-emit, e.g. '| fc-emit --format Json'");
    w->fd = fd;
    w->name = name;
    fc_grow_pipe(fd);
    msgpack_packer_init(&w->pk, w, fc_writer_append);
}

static void pack_stages(struct fc_writer *w, const msgpack_object *old, int argc, char **argv)
{
    uint32_t n = old && old->type == MSGPACK_OBJECT_ARRAY ? old->via.array.size : 0;
    msgpack_pack_array(&w->pk, n + 1);
    for (uint32_t i = 0; i < n; i++)
        msgpack_pack_object(&w->pk, old->via.array.ptr[i]);
    /* This stage's command line, words joined by spaces. */
    size_t total = 0;
    for (int i = 0; i < argc; i++)
        total += strlen(argv[i]) + 1;
    char *line = fc_xmalloc(total + 1);
    line[0] = 0;
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(line, " ");
        strcat(line, i == 0 ? fc_progname() : argv[i]);
    }
    fc_pack_str(&w->pk, line);
    free(line);
}

static void pack_sample(struct fc_writer *w, const struct fc_stream_header *s)
{
    msgpack_pack_map(&w->pk, s->sample_full_bytes ? 4 : 3);
    fc_pack_kv_uint(&w->pk, "packets", s->sample_packets);
    fc_pack_kv_uint(&w->pk, "full_packets", s->sample_full_packets);
    fc_pack_kv_uint(&w->pk, "bytes", s->sample_bytes);
    if (s->sample_full_bytes) /* stated since 1.0's byte cap; absent in older streams */
        fc_pack_kv_uint(&w->pk, "full_bytes", s->sample_full_bytes);
}

static bool header_key_is(const msgpack_object *k, const char *name) { return fc_obj_str_eq(k, name); }

void fc_writer_header(struct fc_writer *w, const struct fc_stream_header *from, int argc, char **argv,
                      const struct fc_stream_header *extra_sample)
{
    const msgpack_object *old = from ? &from->raw.data : NULL;
    uint32_t keep = 0;
    if (old && old->type == MSGPACK_OBJECT_MAP)
        for (uint32_t i = 0; i < old->via.map.size; i++) {
            const msgpack_object *k = &old->via.map.ptr[i].key;
            if (!header_key_is(k, FC_KEY_STAGES) && !header_key_is(k, FC_KEY_VERSION) &&
                !header_key_is(k, FC_KEY_MAGIC) && !header_key_is(k, FC_KEY_PRODUCER) &&
                !(extra_sample && header_key_is(k, FC_KEY_SAMPLE)))
                keep++;
        }
    msgpack_pack_map(&w->pk, 4 + keep + (extra_sample ? 1 : 0));
    fc_pack_kv_str(&w->pk, FC_KEY_MAGIC, FC_STREAM_MAGIC);
    fc_pack_str(&w->pk, FC_KEY_VERSION);
    msgpack_pack_array(&w->pk, 2);
    msgpack_pack_uint32(&w->pk, FC_STREAM_MAJOR);
    msgpack_pack_uint32(&w->pk, from && from->major == FC_STREAM_MAJOR && from->minor > FC_STREAM_MINOR
                                    ? from->minor : FC_STREAM_MINOR);
    fc_pack_kv_str(&w->pk, FC_KEY_PRODUCER, from && from->producer[0] ? from->producer : fc_progname());
    fc_pack_str(&w->pk, FC_KEY_STAGES);
    pack_stages(w, old ? fc_map_get(old, FC_KEY_STAGES) : NULL, argc, argv);
    if (extra_sample) {
        fc_pack_str(&w->pk, FC_KEY_SAMPLE);
        pack_sample(w, extra_sample);
    }
    if (old && old->type == MSGPACK_OBJECT_MAP)
        for (uint32_t i = 0; i < old->via.map.size; i++) {
            const msgpack_object_kv *kv = &old->via.map.ptr[i];
            if (header_key_is(&kv->key, FC_KEY_STAGES) || header_key_is(&kv->key, FC_KEY_VERSION) ||
                header_key_is(&kv->key, FC_KEY_MAGIC) || header_key_is(&kv->key, FC_KEY_PRODUCER) ||
                (extra_sample && header_key_is(&kv->key, FC_KEY_SAMPLE)))
                continue;
            msgpack_pack_object(&w->pk, kv->key);
            msgpack_pack_object(&w->pk, kv->val);
        }
    fc_writer_record_done(w);
}

void fc_writer_raw(struct fc_writer *w, const void *bytes, size_t len)
{
    fc_writer_append(w, bytes, len);
    fc_writer_record_done(w);
}

void fc_writer_flush(struct fc_writer *w)
{
    size_t done = 0;
    while (done < w->len) {
        ssize_t n = write(w->fd, w->buf + done, w->len - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fc_die(FC_EXIT_SYSTEM, "%s: write error: %s", w->name, strerror(errno));
        }
        done += (size_t)n;
    }
    w->len = 0;
}

void fc_pack_stats_start(msgpack_packer *pk, const char *stage, int exit_status)
{
    msgpack_pack_map(pk, 4);
    fc_pack_kv_uint(pk, FC_KEY_KIND, FC_REC_STATS);
    fc_pack_kv_str(pk, FC_KEY_STAGE, stage);
    fc_pack_kv_uint(pk, FC_KEY_EXIT_STATUS, (uint64_t)exit_status);
    fc_pack_str(pk, FC_KEY_COUNTERS);
}

void fc_writer_record_done(struct fc_writer *w)
{
    if (w->len >= WRITE_FLUSH_AT)
        fc_writer_flush(w);
}

void fc_writer_close(struct fc_writer *w)
{
    fc_writer_flush(w);
    free(w->buf);
    w->buf = NULL;
}

/* ---- read helpers ---- */

/* Short keys compared without a call, in words that stay within the n bytes (the last
 * word may overlap the one before). */
static inline bool same_key(const char *a, const char *b, uint32_t n)
{
    if (n >= 8) {
        uint64_t x, y;
        for (uint32_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return false;
        }
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t x[2], y[2];
        memcpy(&x[0], a, 4);
        memcpy(&x[1], a + n - 4, 4);
        memcpy(&y[0], b, 4);
        memcpy(&y[1], b + n - 4, 4);
        return x[0] == y[0] && x[1] == y[1];
    }
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* A key's index in the table, or n: the one expected next first, then every one. */
static inline size_t key_index(const msgpack_object *key, const struct fc_map_key *keys, size_t n, size_t expected)
{
    uint32_t len = key->via.str.size;
    const char *name = key->via.str.ptr;
    if (expected < n && keys[expected].len == len && same_key(name, keys[expected].name, len))
        return expected;
    for (size_t w = 0; w < n; w++)
        if (keys[w].len == len && same_key(name, keys[w].name, len))
            return w;
    return n;
}

/* Each record key is compared first with the table key after the last one found: a
 * table in the order the writer packs the fields hits at once, nearly always. */
void fc_map_get_many(const msgpack_object *map, const struct fc_map_key *keys, size_t n, const msgpack_object **out)
{
    memset(out, 0, n * sizeof *out);
    if (!map || map->type != MSGPACK_OBJECT_MAP)
        return;
    size_t expected = 0;
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object_kv *kv = &map->via.map.ptr[i];
        if (kv->key.type != MSGPACK_OBJECT_STR)
            continue;
        size_t w = key_index(&kv->key, keys, n, expected);
        if (w == n)
            continue;
        if (!out[w])
            out[w] = &kv->val;
        expected = w + 1;
    }
}

const msgpack_object *fc_map_get(const msgpack_object *map, const char *key)
{
    if (!map || map->type != MSGPACK_OBJECT_MAP)
        return NULL;
    size_t n = strlen(key);
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object *k = &map->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == n && memcmp(k->via.str.ptr, key, n) == 0)
            return &map->via.map.ptr[i].val;
    }
    return NULL;
}

bool fc_obj_uint(const msgpack_object *o, uint64_t *out)
{
    if (!o || o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return false;
    *out = o->via.u64;
    return true;
}

bool fc_obj_int(const msgpack_object *o, int64_t *out)
{
    if (!o)
        return false;
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        *out = o->via.i64;
        return true;
    }
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= INT64_MAX) {
        *out = (int64_t)o->via.u64;
        return true;
    }
    return false;
}

bool fc_obj_str(const msgpack_object *o, char *out, size_t cap)
{
    if (!o || o->type != MSGPACK_OBJECT_STR || cap == 0)
        return false;
    size_t n = o->via.str.size < cap - 1 ? o->via.str.size : cap - 1;
    memcpy(out, o->via.str.ptr, n);
    out[n] = 0;
    return true;
}

bool fc_obj_str_eq(const msgpack_object *o, const char *s)
{
    size_t n = strlen(s);
    return o && o->type == MSGPACK_OBJECT_STR && o->via.str.size == n && memcmp(o->via.str.ptr, s, n) == 0;
}
