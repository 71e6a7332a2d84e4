/* \summary: libFuzzer harness: bytes as a capture file read both ways by fc-read, outputs checked and compared */

/*
 * The input is a pcap or pcapng file. It is put in a memory file and read by
 * capture_read (fc-read/capture.c), the function fc-read calls for each source,
 * twice: once with libpcap reading it (--reader libpcap), once as fc-read reads by
 * default, where classic pcap files go to fc-read/pcap_file.c. Each reading goes
 * through the link-type decoder, the trimming policy with its payload-sample
 * tracker, the packet batches and the source records, written by the stream writer
 * into a memory file of its own. Each output is then read back as a stage would, and
 * must be a well-formed record stream: every record framed and decoded, every batch's
 * entries intact and as many as its "n" says, and as many packets in all as fc-read
 * counted. And the two outputs must be the same, byte for byte: the pcap file reader
 * gives what libpcap gives (packets, lengths, time stamps, link type, snapshot
 * length, and the same damage at the same offset in the same words). The input's
 * length picks --all-bytes (odd) or the default sampling, and every third input is
 * read through a BPF filter.
 *
 * The reader state (batch buffer, payload-sample tracker: 20 MB) lives across
 * inputs, as it lives across the sources of one fc-read run: allocating it per
 * input made a run 50 ms under ASan. Each input is a new source with its own
 * source number, which is part of the tracker's flow key, so earlier inputs'
 * flows do not meet this input's. Both readings have their own reader state, which
 * has seen the same inputs, so it is the same.
 */
#define _GNU_SOURCE
#include <msgpack.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture.h"
#include "reader.h"
#include "log.h"
#include "mpscan.h"
#include "packet_batch.h"
#include "record.h"
#include "stream.h"

static int capture_fd = -1;
static char capture_path[64];

/* One way of reading: [0] libpcap alone, [1] fc-read's default. */
struct reading {
    int stream_fd;
    struct fc_writer writer;
    struct reader readers[2]; /* [0]: default sampling, [1]: --all-bytes */
    const uint8_t *stream;    /* what the last input gave, mapped */
    size_t stream_len;
};
static struct reading readings[2];

static void set_up(void)
{
    fc_log_init("fuzz_pcap_file");
    capture_fd = memfd_create("fuzz-capture", 0);
    if (capture_fd < 0)
        abort();
    snprintf(capture_path, sizeof capture_path, "/proc/self/fd/%d", capture_fd);
    struct sample_limits limits = { 20, 5, 128, 2048 };
    for (int i = 0; i < 2; i++) {
        struct reading *g = &readings[i];
        g->stream_fd = memfd_create("fuzz-stream", 0);
        if (g->stream_fd < 0)
            abort();
        fc_writer_open(&g->writer, g->stream_fd, "fuzz-stream");
        for (int all_bytes = 0; all_bytes < 2; all_bytes++)
            reader_init(&g->readers[all_bytes], &g->writer, NULL, all_bytes, &limits);
    }
}

static void fail(const char *what, size_t at)
{
    fprintf(stderr, "fc-read wrote a bad stream: %s (offset %zu)\n", what, at);
    abort();
}

/* Entries of one batch record; returns how many. */
static uint64_t batch_entries(const msgpack_object *rec, size_t at)
{
    const msgpack_object *bin = fc_map_get(rec, FC_KEY_BATCH);
    uint64_t n = 0, seen = 0;
    if (!bin || bin->type != MSGPACK_OBJECT_BIN || !fc_obj_uint(fc_map_get(rec, FC_KEY_COUNT), &n))
        fail("batch without count or bin", at);
    const uint8_t *p = (const uint8_t *)bin->via.bin.ptr, *end = p + bin->via.bin.size;
    struct fc_packet pkt;
    int got;
    while ((got = fc_packet_decode(&p, end, &pkt)) == 1) {
        if (pkt.data_len > FC_ENTRY_MAX_DATA)
            fail("entry longer than the layout allows", at);
        seen++;
    }
    if (got != 0 || seen != n)
        fail("batch entries damaged or miscounted", at);
    return seen;
}

static void check_stream(const uint8_t *s, size_t len, uint64_t packets_read)
{
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    uint64_t packets = 0;
    size_t at = 0;
    while (at < len) {
        size_t n = 0, off = 0;
        if (fc_mpscan(s + at, len - at, FC_MAX_RECORD, &n) != FC_MPSCAN_OK)
            fail("record not framed", at);
        if (msgpack_unpack_next(&u, (const char *)s + at, n, &off) != MSGPACK_UNPACK_SUCCESS || off != n)
            fail("record not decoded", at);
        uint64_t kind = 0;
        if (u.data.type != MSGPACK_OBJECT_MAP || !fc_obj_uint(fc_map_get(&u.data, FC_KEY_KIND), &kind))
            fail("record without kind", at);
        if (kind == FC_REC_PACKETS)
            packets += batch_entries(&u.data, at);
        at += n;
    }
    msgpack_unpacked_destroy(&u);
    if (packets != packets_read)
        fail("packet count differs from fc-read's counter", at);
}

/* Reads the capture file one way; leaves the output mapped in g->stream. */
static enum capture_outcome read_capture(struct reading *g, bool libpcap_only, size_t size)
{
    if (ftruncate(g->stream_fd, 0) != 0 || lseek(g->stream_fd, 0, SEEK_SET) != 0)
        abort();
    struct reader *r = &g->readers[size % 2];
    r->sink.filter = size % 3 == 0 ? "tcp or udp or icmp" : NULL;
    uint64_t packets_before = r->counters.packets;
    capture_use_libpcap_only(libpcap_only);
    enum capture_outcome outcome = capture_read(&r->sink, capture_path, false);
    batch_flush(&r->batch);
    fc_writer_flush(&g->writer);

    off_t len = lseek(g->stream_fd, 0, SEEK_END);
    g->stream = NULL;
    g->stream_len = (size_t)len;
    if (len > 0) {
        void *s = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE, g->stream_fd, 0);
        if (s == MAP_FAILED)
            abort();
        g->stream = s;
        check_stream(g->stream, g->stream_len, r->counters.packets - packets_before);
    }
    return outcome;
}

/* Where two outputs first differ, for the report. */
static size_t first_difference(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i = 0;
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (capture_fd < 0)
        set_up();
    if (ftruncate(capture_fd, 0) != 0 || pwrite(capture_fd, data, size, 0) != (ssize_t)size)
        abort();

    enum capture_outcome by_libpcap = read_capture(&readings[0], true, size);
    enum capture_outcome by_default = read_capture(&readings[1], false, size);
    const struct reading *a = &readings[0], *b = &readings[1];
    size_t common = a->stream_len < b->stream_len ? a->stream_len : b->stream_len;
    if (by_libpcap != by_default || a->stream_len != b->stream_len ||
        (common > 0 && memcmp(a->stream, b->stream, common) != 0)) {
        fprintf(stderr, "readers disagree: outcome %d (libpcap) and %d (default), outputs of %zu and %zu bytes, "
                        "first difference at byte %zu\n",
                by_libpcap, by_default, a->stream_len, b->stream_len,
                common > 0 ? first_difference(a->stream, b->stream, common) : 0);
        abort();
    }
    for (int i = 0; i < 2; i++)
        if (readings[i].stream)
            munmap((void *)readings[i].stream, readings[i].stream_len);
    return 0;
}
