/* \summary: libFuzzer harness: bytes as a packet batch through fc-flow's engine, every flow accounted for */
/*
 * fc-flow's engine takes whatever packets a capture holds: any timestamps (backwards, far
 * apart, near the ends of int64), any headers, fragments, reused ports. The input is the body
 * of a packet batch record (fc_packet entries, as fc-read writes them); every entry that
 * decodes goes through engine_prepare and engine_packet as fc-flow feeds it, then the end of
 * input ends every flow. The table is small (16 flows), so eviction runs too; every other
 * input turns on preview and flush records.
 * Checks: the engine's output is a well-formed record stream whose every record decodes, and
 * no flow is lost: there are exactly as many final flow records as flows the engine counted,
 * each of which unpacks.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../fc-flow/engine.h"
#include "flow_record.h"
#include "mpscan.h"
#include "record.h"

static int out_fd = -1;
static uint8_t *stream;
static size_t stream_cap;
static struct fc_mpdecoder decoder;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    out_fd = memfd_create("fuzz_flow", 0);
    if (out_fd < 0)
        abort();
    fc_mpdecoder_init(&decoder);
    return 0;
}

/* What the engine wrote, read back whole. */
static size_t read_output(void)
{
    off_t len = lseek(out_fd, 0, SEEK_END);
    if (len < 0)
        abort();
    if ((size_t)len > stream_cap) {
        stream_cap = (size_t)len;
        stream = realloc(stream, stream_cap);
        if (!stream)
            abort();
    }
    if (pread(out_fd, stream, (size_t)len, 0) != len)
        abort();
    return (size_t)len;
}

/* Final flow records in the output; aborts on a record that does not decode or a flow that does not unpack. */
static uint64_t final_flows(const uint8_t *p, size_t n)
{
    uint64_t flows = 0;
    for (size_t at = 0, len; at < n; at += len) {
        msgpack_object rec;
        if (fc_mpscan(p + at, n - at, 64u << 20, &len) != FC_MPSCAN_OK || !fc_mpdecode(&decoder, p + at, len, &rec)) {
            fprintf(stderr, "the engine wrote a record that does not decode, at offset %zu of %zu\n", at, n);
            abort();
        }
        int kind = fc_record_kind_of(&rec);
        if (kind < 0)
            abort();
        if (kind != FC_REC_FLOW)
            continue;
        struct fc_flow f;
        const char *why = NULL;
        if (!fc_flow_unpack(&rec, &f, &why)) {
            fprintf(stderr, "the engine wrote a flow record that does not unpack: %s\n", why ? why : "?");
            abort();
        }
        flows += !fc_flow_map_is_interim(&rec);
    }
    return flows;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(out_fd, 0) != 0 || lseek(out_fd, 0, SEEK_SET) != 0)
        abort();
    struct fc_writer w;
    fc_writer_open(&w, out_fd, "fuzz output");
    struct engine_options opt = {
        .timeout_us = { 300000000, 60000000, 60000000, 60000000, 5000000 }, /* fc-flow's defaults */
        .max_flows = 16,
        .sample = { .packets = 20, .full_packets = 5, .full_bytes = 2048, .bytes = 128 },
        .preview = size % 2,
        .flush_us = size % 2 ? 1000000 : 0,
    };
    struct engine e;
    engine_init(&e, &opt, &w);
    const uint8_t *at = data, *end = data + size;
    struct fc_packet p;
    struct packet_prep pp;
    while (fc_packet_decode(&at, end, &p) == 1) {
        engine_prepare(&e, &p, &pp);
        engine_packet(&e, &pp);
    }
    engine_end_all(&e);
    fc_writer_close(&w);
    uint64_t counted = e.count.flows;
    engine_free(&e);
    size_t n = read_output(); /* before `stream` is read: it may move */
    uint64_t written = final_flows(stream, n);
    if (written != counted) {
        fprintf(stderr, "flow lost: the engine counted %llu flows and wrote %llu final flow records\n",
                (unsigned long long)counted, (unsigned long long)written);
        abort();
    }
    return 0;
}
