/* \summary: libFuzzer harness: record stream bytes through the scanner, msgpack-c and the record readers */

/*
 * Follows what a stage does with each record of its input: fc_mpscan finds the
 * record's extent (as fc_reader_next does), msgpack_unpack_next decodes it, and the
 * record is read by kind: flow and sample maps with fc_flow_unpack, packet batches
 * with fc_packet_decode over their bin, and a last record the input ends inside as a cut
 * batch (fc_packet_batch_cut, as fc-flow reads one). The reader itself (common/stream.c) exits
 * through fc_die on a bad stream header, so its framing and decoding calls are made
 * here directly. Beyond "no crash", these properties are checked: the stages' own decoder
 * (fc_mpdecode, what fc_reader_next uses) gives the same object as msgpack-c for every
 * record; decoding in place (fc_mpdecode_prefix on all the bytes there are, what
 * fc_reader_next tries first) succeeds exactly when fc_mpscan frames a record msgpack-c
 * decodes, with the same length and object; a flow that unpacks survives pack -> unpack ->
 * pack byte for byte (what a re-packing stage relies on); and a map passed on less some
 * keys from its raw bytes (fc_map_copy_plan, as fc-classify and fc-feat pass records on)
 * is the map that packing the kept fields one by one gives.
 */
#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_record.h"
#include "mpscan.h"
#include "packet_batch.h"
#include "record.h"
#include "stream.h"
#include "vector.h"

/* Every byte a decoder points at is read into this, so ASan sees any pointer past the data. */
static volatile uint8_t touched;

#define FUZZ_MAX_RECORD (1u << 20) /* smaller than FC_MAX_RECORD: keeps each run fast */

/* A packer into a new memory buffer. */
static void packer_open(msgpack_sbuffer *sb, msgpack_packer *pk)
{
    msgpack_sbuffer_init(sb);
    msgpack_packer_init(pk, sb, msgpack_sbuffer_write);
}

static void pack_flow(msgpack_sbuffer *sb, const struct fc_flow *f)
{
    msgpack_packer pk;
    packer_open(sb, &pk);
    fc_flow_pack_record(&pk, f);
}

static void check_flow_round_trip(const struct fc_flow *f)
{
    msgpack_sbuffer first, second;
    pack_flow(&first, f);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    struct fc_flow again;
    const char *why = "";
    if (msgpack_unpack_next(&u, first.data, first.size, &off) != MSGPACK_UNPACK_SUCCESS ||
        off != first.size || !fc_flow_unpack(&u.data, &again, &why)) {
        fprintf(stderr, "a packed flow does not unpack again: %s\n", why);
        abort();
    }
    pack_flow(&second, &again);
    if (second.size != first.size || memcmp(second.data, first.data, first.size) != 0) {
        fprintf(stderr, "flow changed in a pack/unpack round trip\n");
        abort();
    }
    msgpack_unpacked_destroy(&u);
    msgpack_sbuffer_destroy(&first);
    msgpack_sbuffer_destroy(&second);
}

/* Equal objects pack to equal bytes; unlike msgpack_object_equal this also holds for a
 * NaN, which is not equal to itself. */
static bool same_object(const msgpack_object *a, const msgpack_object *b)
{
    msgpack_sbuffer sa, sb;
    msgpack_packer pa, pb;
    packer_open(&sa, &pa);
    packer_open(&sb, &pb);
    msgpack_pack_object(&pa, *a);
    msgpack_pack_object(&pb, *b);
    bool same = sa.size == sb.size && (sa.size == 0 || memcmp(sa.data, sb.data, sa.size) == 0);
    msgpack_sbuffer_destroy(&sa);
    msgpack_sbuffer_destroy(&sb);
    return same;
}

static void read_entries(const uint8_t *at, const uint8_t *end)
{
    struct fc_packet p;
    while (fc_packet_decode(&at, end, &p) == 1) {
        if (p.data + p.data_len > end || at > end)
            abort();
        for (size_t i = 0; i < p.data_len; i++)
            touched ^= p.data[i];
    }
}

static void read_packet_batch(const msgpack_object *rec)
{
    const msgpack_object *bin = fc_map_get(rec, FC_KEY_BATCH);
    if (!bin || bin->type != MSGPACK_OBJECT_BIN)
        return;
    read_entries((const uint8_t *)bin->via.bin.ptr, (const uint8_t *)bin->via.bin.ptr + bin->via.bin.size);
}

/* The bytes left when the stream ends inside a record, as fc-flow reads a cut batch. */
static void read_cut_batch(const uint8_t *p, size_t len)
{
    const uint8_t *entries;
    if (!fc_packet_batch_cut(p, len, &entries))
        return;
    if (entries < p || entries >= p + len)
        abort();
    read_entries(entries, p + len);
}

/* A map less some keys, as stages pass records on: the raw runs fc_map_copy_plan copies
 * must give the same map as packing the kept fields one by one (fc_pack_map_except). */
static void check_map_copy(const msgpack_object *rec, const uint8_t *raw, size_t len)
{
    static const char *const skip[] = { FC_KEY_KIND, FC_KEY_OBS, FC_KEY_VERDICT, FC_KEY_PROTOCOL };
    const size_t n_skip = sizeof skip / sizeof skip[0];
    struct fc_map_copy plan;
    uint32_t kept = fc_map_copy_plan(&plan, rec, raw, len, skip, n_skip);
    if (kept != fc_map_count_except(rec, skip, n_skip)) {
        fprintf(stderr, "fc_map_copy_plan and fc_map_count_except disagree on the fields kept\n");
        abort();
    }
    msgpack_sbuffer copied, packed;
    msgpack_packer pc, pp;
    packer_open(&copied, &pc);
    packer_open(&packed, &pp);
    msgpack_pack_map(&pc, kept);
    fc_map_copy_pack(&pc, &plan);
    msgpack_pack_map(&pp, kept);
    fc_pack_map_except(&pp, rec, skip, n_skip);
    msgpack_unpacked a, b;
    msgpack_unpacked_init(&a);
    msgpack_unpacked_init(&b);
    if (msgpack_unpack_next(&a, copied.data, copied.size, NULL) != MSGPACK_UNPACK_SUCCESS ||
        msgpack_unpack_next(&b, packed.data, packed.size, NULL) != MSGPACK_UNPACK_SUCCESS ||
        !same_object(&a.data, &b.data)) {
        fprintf(stderr, "fc_map_copy_plan's copy and fc_pack_map_except disagree on a map\n");
        abort();
    }
    msgpack_unpacked_destroy(&a);
    msgpack_unpacked_destroy(&b);
    msgpack_sbuffer_destroy(&copied);
    msgpack_sbuffer_destroy(&packed);
}

static void read_record(const msgpack_object *rec, const uint8_t *raw, size_t len)
{
    if (rec->type == MSGPACK_OBJECT_MAP)
        check_map_copy(rec, raw, len);
    uint64_t kind = 0;
    if (rec->type != MSGPACK_OBJECT_MAP || !fc_obj_uint(fc_map_get(rec, FC_KEY_KIND), &kind))
        return;
    char name[64];
    (void)fc_obj_str(fc_map_get(rec, FC_KEY_NAME), name, sizeof name);
    (void)fc_obj_str_eq(fc_map_get(rec, FC_KEY_EVENT), "open");
    if (kind == FC_REC_PACKETS) {
        read_packet_batch(rec);
    } else if (kind == FC_REC_FLOW || kind == FC_REC_SAMPLE) {
        struct fc_flow f;
        const char *why = NULL;
        if (fc_flow_unpack(rec, &f, &why))
            check_flow_round_trip(&f);
        else if (!why)
            abort(); /* a refusal must say why */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fc_mpdecoder decoder; /* kept between runs, as a stage keeps its own */
    static bool decoder_ready;
    if (!decoder_ready) {
        fc_mpdecoder_init(&decoder);
        decoder_ready = true;
    }
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t at = 0;
    while (at < size) {
        /* what fc_reader_next tries first: framing and decoding in one pass */
        size_t avail = size - at < FUZZ_MAX_RECORD ? size - at : FUZZ_MAX_RECORD, in_place_len = 0;
        msgpack_object in_place;
        bool in_place_ok = fc_mpdecode_prefix(&decoder, data + at, avail, &in_place, &in_place_len);
        size_t len = 0;
        enum fc_mpscan_result scanned = fc_mpscan(data + at, size - at, FUZZ_MAX_RECORD, &len);
        if (scanned != FC_MPSCAN_OK) {
            if (in_place_ok) {
                fprintf(stderr, "fc_mpdecode_prefix decoded a record fc_mpscan does not frame\n");
                abort();
            }
            if (scanned == FC_MPSCAN_NEED_MORE) /* the stream ends inside this record */
                read_cut_batch(data + at, size - at);
            break;
        }
        if (len == 0 || len > size - at)
            abort(); /* the scanner promised an object inside the buffer */
        size_t off = 0;
        msgpack_unpack_return ret = msgpack_unpack_next(&u, (const char *)data + at, len, &off);
        if (in_place_ok != (ret == MSGPACK_UNPACK_SUCCESS) ||
            (in_place_ok && (in_place_len != len || !same_object(&in_place, &u.data)))) {
            fprintf(stderr, "fc_mpdecode_prefix and fc_mpscan with msgpack-c disagree on a record\n");
            abort();
        }
        msgpack_object own;
        bool decoded = fc_mpdecode(&decoder, data + at, len, &own);
        if (ret == MSGPACK_UNPACK_SUCCESS) {
            if (off != len) {
                fprintf(stderr, "fc_mpscan and msgpack-c disagree on a record's length (%zu vs %zu)\n", len, off);
                abort();
            }
            if (!decoded || !same_object(&own, &u.data)) {
                fprintf(stderr, "fc_mpdecode and msgpack-c disagree on a record\n");
                abort();
            }
            read_record(&own, data + at, len);
        }
        at += len;
    }
    msgpack_unpacked_destroy(&u);
    return 0;
}
