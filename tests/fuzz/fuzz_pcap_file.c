/* \summary: libFuzzer harness: bytes as a capture file through fc-read's capture reader, output checked */

/*
 * The input is a pcap or pcapng file. It is put in a memory file and read by
 * capture_read (fc-read/capture.c), the function fc-read calls for each source:
 * libpcap, the link-type decoder, the trimming policy with its payload-sample
 * tracker, the packet batches and the source records, written by the stream
 * writer into a second memory file. That output is then read back as a stage
 * would, and must be a well-formed record stream: every record framed and
 * decoded, every batch's entries intact and as many as its "n" says, and as many
 * packets in all as fc-read counted. The input's length picks --all-bytes (odd)
 * or the default sampling, and every third input is read through a BPF filter.
 *
 * The reader state (batch buffer, payload-sample tracker: 20 MB) lives across
 * inputs, as it lives across the sources of one fc-read run: allocating it per
 * input made a run 50 ms under ASan. Each input is a new source with its own
 * source number, which is part of the tracker's flow key, so earlier inputs'
 * flows do not meet this input's.
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

static int capture_fd = -1, stream_fd = -1;
static char capture_path[64];
static struct fc_writer writer;
static struct reader readers[2]; /* [0]: default sampling, [1]: --all-bytes */

static void set_up(void)
{
    fc_log_init("fuzz_pcap_file");
    capture_fd = memfd_create("fuzz-capture", 0);
    stream_fd = memfd_create("fuzz-stream", 0);
    if (capture_fd < 0 || stream_fd < 0)
        abort();
    snprintf(capture_path, sizeof capture_path, "/proc/self/fd/%d", capture_fd);
    fc_writer_open(&writer, stream_fd, "fuzz-stream");
    struct sample_limits limits = { 20, 5, 128, 2048 };
    for (int all_bytes = 0; all_bytes < 2; all_bytes++) {
        reader_init(&readers[all_bytes], &writer, NULL, all_bytes, &limits);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (capture_fd < 0)
        set_up();
    if (ftruncate(capture_fd, 0) != 0 || pwrite(capture_fd, data, size, 0) != (ssize_t)size ||
        ftruncate(stream_fd, 0) != 0 || lseek(stream_fd, 0, SEEK_SET) != 0)
        abort();

    struct reader *r = &readers[size % 2];
    r->sink.filter = size % 3 == 0 ? "tcp or udp or icmp" : NULL;
    uint64_t packets_before = r->counters.packets;
    (void)capture_read(&r->sink, capture_path, false);
    batch_flush(&r->batch);
    fc_writer_flush(&writer);

    off_t len = lseek(stream_fd, 0, SEEK_END);
    if (len > 0) {
        void *s = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE, stream_fd, 0);
        if (s == MAP_FAILED)
            abort();
        check_stream(s, (size_t)len, r->counters.packets - packets_before);
        munmap(s, (size_t)len);
    }
    return 0;
}
