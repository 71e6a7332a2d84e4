/* \summary: unit tests of the record stream: framing, decoding in place, hostile lengths, header, flow round trip, growth */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "flow_record.h"
#include "log.h"
#include "mpscan.h"
#include "packet_batch.h"
#include "record.h"
#include "stream.h"
#include "tunnel.h"
#include "unit.h"

static void mpscan_frames_objects(void)
{
    size_t len = 0;
    const uint8_t fixmap[] = { 0x81, 0xa1, 'k', 0x02 };
    CHECK("mpscan_finds_whole_fixmap", fc_mpscan(fixmap, sizeof fixmap, 1000, &len) == FC_MPSCAN_OK && len == 4);
    CHECK("mpscan_wants_more_for_cut_map", fc_mpscan(fixmap, 3, 1000, &len) == FC_MPSCAN_NEED_MORE);
    const uint8_t never_used[] = { 0xc1 };
    CHECK("mpscan_rejects_0xc1", fc_mpscan(never_used, 1, 1000, &len) == FC_MPSCAN_INVALID);
    const uint8_t huge_array[] = { 0xdd, 0xff, 0xff, 0xff, 0xff, 0x01 };
    CHECK("mpscan_refuses_array_count_beyond_limit",
          fc_mpscan(huge_array, sizeof huge_array, 1u << 20, &len) == FC_MPSCAN_TOO_LARGE);
    const uint8_t huge_bin[] = { 0xc6, 0x7f, 0xff, 0xff, 0xff };
    CHECK("mpscan_refuses_bin_beyond_limit", fc_mpscan(huge_bin, sizeof huge_bin, 1u << 20, &len) == FC_MPSCAN_TOO_LARGE);
    const uint8_t nested[] = { 0x91, 0x91, 0x91, 0xc0 };
    CHECK("mpscan_handles_nesting", fc_mpscan(nested, sizeof nested, 1000, &len) == FC_MPSCAN_OK && len == 4);
    const uint8_t ext[] = { 0xd4, 0x01, 0x02, 0xc7, 0x02, 0x05, 0xaa, 0xbb };
    CHECK("mpscan_sizes_fixext", fc_mpscan(ext, sizeof ext, 1000, &len) == FC_MPSCAN_OK && len == 3);
    CHECK("mpscan_sizes_ext8", fc_mpscan(ext + 3, 5, 1000, &len) == FC_MPSCAN_OK && len == 5);
}

/* What fc_reader_next tries first: one object decoded where it lies, its length found as it
 * goes, and false whenever fc_mpscan would not frame it (cut, damaged) or it nests too deep. */
static void mpdecode_prefix_decodes_in_place(void)
{
    struct fc_mpdecoder d;
    fc_mpdecoder_init(&d);
    msgpack_object o;
    size_t len = 0;
    const uint8_t two_records[] = { 0x81, 0xa1, 'k', 0x02, 0x81, 0xa1, 'k', 0x03 };
    CHECK("mpdecode_prefix_takes_the_first_of_two_records",
          fc_mpdecode_prefix(&d, two_records, sizeof two_records, &o, &len) && len == 4 &&
              o.type == MSGPACK_OBJECT_MAP && o.via.map.size == 1 && o.via.map.ptr[0].val.via.u64 == 2);
    CHECK("mpdecode_prefix_refuses_a_cut_record", !fc_mpdecode_prefix(&d, two_records, 3, &o, &len));
    const uint8_t cut_bin[] = { 0xc4, 0x05, 'a', 'b' };
    CHECK("mpdecode_prefix_refuses_a_cut_bin", !fc_mpdecode_prefix(&d, cut_bin, sizeof cut_bin, &o, &len));
    const uint8_t never_used[] = { 0xc1 };
    CHECK("mpdecode_prefix_refuses_0xc1", !fc_mpdecode_prefix(&d, never_used, 1, &o, &len));
    uint8_t deep[FC_MPDECODE_MAX_DEPTH + 2];
    memset(deep, 0x91, sizeof deep - 1);
    deep[sizeof deep - 1] = 0xc0;
    CHECK("mpdecode_prefix_refuses_what_nests_deeper_than_msgpack_c_allows",
          fc_mpscan(deep, sizeof deep, 1000, &len) == FC_MPSCAN_OK && !fc_mpdecode_prefix(&d, deep, sizeof deep, &o, &len));
    fc_mpdecoder_free(&d);
}

static struct fc_flow sample_flow(void)
{
    struct fc_flow f;
    memset(&f, 0, sizeof f);
    f.id = 7;
    f.ipv = 6;
    f.proto = 6;
    f.has_ports = true;
    f.vlan = 100;
    f.start_us = 1500000120000000;
    f.end_us = 1500000120454536;
    f.orig.ip[0] = 0x20;
    f.orig.ip[15] = 1;
    f.resp.ip[0] = 0xfe;
    f.orig.port = 34855;
    f.resp.port = 80;
    f.orig.pkts = 6;
    f.orig.ip_bytes = 816;
    f.orig.payload_bytes = 496;
    f.orig.wire_bytes = 900;
    f.orig.tcp_flags = 0x1b;
    f.resp.pkts = 6;
    f.resp.ip_bytes = 2051;
    f.resp.payload_bytes = 1731;
    f.state = FC_STATE_CLOSED;
    f.reason = FC_REASON_TIMEOUT;
    strcpy(f.conn_state, "SF");
    strcpy(f.history, "ShADadfF");
    return f;
}

static void stream_round_trip(void)
{
    FILE *tmp = tmpfile();
    int fd = fileno(tmp);
    struct fc_writer w;
    fc_writer_open(&w, fd, "tmp");
    char *argv[] = { "test_stream", "--opt" };
    struct fc_stream_header sample = { .sample_packets = 20, .sample_full_packets = 5, .sample_bytes = 128 };
    fc_writer_header(&w, NULL, 2, argv, &sample);
    struct fc_flow f = sample_flow();
    fc_flow_pack_record(&w.pk, &f);
    fc_writer_record_done(&w);
    /* a record of a kind no stage knows, with an extra field */
    msgpack_pack_map(&w.pk, 2);
    fc_pack_kv_uint(&w.pk, FC_KEY_KIND, 99);
    fc_pack_kv_str(&w.pk, "future", "x");
    fc_writer_record_done(&w);
    /* a packet batch with one entry */
    uint8_t bin[64];
    const uint8_t data[] = { 0x45, 0, 0, 20 };
    struct fc_packet p = { .link = FC_LINK_NETWORK, .proto = 0x0800, .vlan = 5, .wire_len = 60,
                           .ts_us = -3, .data = data, .data_len = sizeof data };
    size_t n = fc_packet_encode(bin, &p);
    msgpack_pack_map(&w.pk, 3);
    fc_pack_kv_uint(&w.pk, FC_KEY_KIND, FC_REC_PACKETS);
    fc_pack_kv_uint(&w.pk, FC_KEY_COUNT, 1);
    fc_pack_str(&w.pk, FC_KEY_BATCH);
    msgpack_pack_bin(&w.pk, n);
    msgpack_pack_bin_body(&w.pk, bin, n);
    fc_writer_close(&w);
    lseek(fd, 0, SEEK_SET);

    struct fc_reader r;
    fc_reader_open(&r, fd, "tmp");
    CHECK("header_keeps_sample_limits", r.header.sample_packets == 20 && r.header.sample_full_packets == 5 &&
                                            r.header.sample_bytes == 128);
    CHECK_STR("header_names_producer", "test_stream", r.header.producer);
    const msgpack_object *stages = fc_map_get(&r.header.raw.data, FC_KEY_STAGES);
    CHECK("header_lists_stage", stages && stages->type == MSGPACK_OBJECT_ARRAY && stages->via.array.size == 1 &&
                                    fc_obj_str_eq(&stages->via.array.ptr[0], "test_stream --opt"));
    struct fc_record rec;
    CHECK("reads_flow_record", fc_reader_next(&r, &rec) == 1 && rec.kind == FC_REC_FLOW);
    struct fc_flow back;
    const char *why = "";
    CHECK("flow_unpacks", fc_flow_unpack(&rec.obj, &back, &why));
    CHECK("flow_round_trip_counters", back.orig.ip_bytes == 816 && back.resp.payload_bytes == 1731 &&
                                          back.orig.wire_bytes == 900 && back.orig.tcp_flags == 0x1b);
    CHECK("flow_round_trip_key", back.ipv == 6 && back.vlan == 100 && back.orig.port == 34855 &&
                                     back.orig.ip[15] == 1 && back.resp.ip[0] == 0xfe);
    CHECK_STR("flow_round_trip_history", "ShADadfF", back.history);
    CHECK("flow_round_trip_state", back.state == FC_STATE_CLOSED && back.reason == FC_REASON_TIMEOUT);
    CHECK("reads_unknown_kind", fc_reader_next(&r, &rec) == 1 && rec.kind == 99 && rec.raw_len > 0);
    CHECK("reads_packet_batch", fc_reader_next(&r, &rec) == 1 && rec.kind == FC_REC_PACKETS);
    const msgpack_object *b = fc_map_get(&rec.obj, FC_KEY_BATCH);
    struct fc_packet q;
    const uint8_t *at = (const uint8_t *)b->via.bin.ptr, *end = at + b->via.bin.size;
    CHECK("packet_entry_round_trip", fc_packet_decode(&at, end, &q) == 1 && q.vlan == 5 && q.ts_us == -3 &&
                                         q.wire_len == 60 && q.data_len == 4 && q.data[0] == 0x45);
    CHECK("packet_batch_ends", fc_packet_decode(&at, end, &q) == 0);
    CHECK("stream_ends_cleanly", fc_reader_next(&r, &rec) == 0 && !r.failed);
    fc_reader_close(&r);
    fclose(tmp);
}

static void damaged_entries_are_refused(void)
{
    uint8_t bin[FC_ENTRY_HEADER];
    memset(bin, 0, sizeof bin);
    bin[0] = 200; /* claims 200 bytes, only 24 present */
    const uint8_t *at = bin;
    struct fc_packet q;
    CHECK("packet_entry_longer_than_batch_is_malformed", fc_packet_decode(&at, bin + sizeof bin, &q) == -1);
    bin[0] = 3;
    at = bin;
    CHECK("packet_entry_shorter_than_header_is_malformed", fc_packet_decode(&at, bin + sizeof bin, &q) == -1);
    /* timestamps: the limit either side of the epoch is kept, one past it is damage */
    bin[0] = FC_ENTRY_HEADER;
    fc_put_le64(bin + 16, (uint64_t)-FC_PACKET_TIME_LIMIT_US);
    at = bin;
    CHECK("packet_time_at_limit_kept", fc_packet_decode(&at, bin + sizeof bin, &q) == 1 &&
                                           q.ts_us == -FC_PACKET_TIME_LIMIT_US);
    fc_put_le64(bin + 16, (uint64_t)FC_PACKET_TIME_LIMIT_US + 1);
    at = bin;
    CHECK("packet_time_beyond_limit_is_malformed", fc_packet_decode(&at, bin + sizeof bin, &q) == -1);
}

/* A temporary file with w writing to it: the header and sample_flow()'s record so far. */
static FILE *flow_stream_begin(struct fc_writer *w)
{
    FILE *tmp = tmpfile();
    fc_writer_open(w, fileno(tmp), "tmp");
    char *argv[] = { "test_stream" };
    fc_writer_header(w, NULL, 1, argv, NULL);
    struct fc_flow f = sample_flow();
    fc_flow_pack_record(&w->pk, &f);
    fc_writer_record_done(w);
    return tmp;
}

/* A stream of the header and sample_flow()'s record in a temporary file; its size in *size. */
static FILE *flow_stream_file(off_t *size)
{
    struct fc_writer w;
    FILE *tmp = flow_stream_begin(&w);
    fc_writer_close(&w);
    *size = lseek(fileno(tmp), 0, SEEK_END);
    return tmp;
}

static void cut_stream_is_damage(void)
{
    off_t size;
    FILE *tmp = flow_stream_file(&size);
    int fd = fileno(tmp);
    CHECK("cut_stream_truncates", ftruncate(fd, size - 5) == 0);
    lseek(fd, 0, SEEK_SET);
    struct fc_reader r;
    fc_reader_open(&r, fd, "tmp");
    struct fc_record rec;
    CHECK("cut_record_reported_as_damage", fc_reader_next(&r, &rec) == -1 && r.failed);
    fc_reader_close(&r);
    fclose(tmp);
}

/* A record that arrives in two reads: decoding in place fails on its first part, and the
 * reader frames it once the rest is there (a writer in a child process, a pipe between). */
static void record_across_two_reads(void)
{
    off_t size;
    FILE *tmp = flow_stream_file(&size);
    int fd = fileno(tmp);
    uint8_t *bytes = malloc((size_t)size);
    CHECK("two_reads_stream_made", bytes && pread(fd, bytes, (size_t)size, 0) == size);
    int p[2];
    CHECK("two_reads_pipe", pipe(p) == 0);
    fflush(stdout);   /* else the child may write the checks so far again (it did under TSan) */
    pid_t child = fork();
    if (child == 0) {
        close(p[0]);
        size_t half = (size_t)size - 20; /* the header and most of the flow record */
        ssize_t a = write(p[1], bytes, half);
        nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000 * 1000 }, NULL);
        ssize_t b = write(p[1], bytes + half, (size_t)size - half);
        _exit(a == (ssize_t)half && b == (ssize_t)((size_t)size - half) ? 0 : 1);
    }
    close(p[1]);
    struct fc_reader r;
    fc_reader_open(&r, p[0], "pipe");
    struct fc_record rec;
    struct fc_flow back;
    const char *why = "";
    CHECK("record_across_two_reads_is_read_whole", fc_reader_next(&r, &rec) == 1 && rec.kind == FC_REC_FLOW &&
                                                       fc_flow_unpack(&rec.obj, &back, &why) && back.id == 7 &&
                                                       back.resp.payload_bytes == 1731);
    CHECK("record_across_two_reads_then_clean_end", fc_reader_next(&r, &rec) == 0 && !r.failed);
    int status = 1;
    CHECK("two_reads_writer_wrote_both_parts", waitpid(child, &status, 0) == child && status == 0);
    fc_reader_close(&r);
    close(p[0]);
    free(bytes);
    fclose(tmp);
}

/* The pack helpers write straight into a writer's buffer; the bytes must be msgpack-c's,
 * which the same helpers produce for any other packer. Lengths and values at each
 * boundary of msgpack's encodings. */
static void pack_everything(msgpack_packer *pk)
{
    static const uint64_t uints[] = { 0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295u, 4294967296u, UINT64_MAX };
    static const int64_t ints[] = { 0, 127, 128, -1, -32, -33, -128, -129, -32768, -32769,
                                    INT32_MIN, (int64_t)INT32_MIN - 1, INT64_MIN, INT64_MAX };
    static char text[70000];
    memset(text, 'x', sizeof text - 1);
    for (size_t i = 0; i < sizeof uints / sizeof uints[0]; i++)
        fc_pack_kv_uint(pk, "u", uints[i]);
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        fc_pack_kv_int(pk, "i", ints[i]);
    static const size_t lengths[] = { 0, 31, 32, 255, 256, 65535, 65536 };
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        fc_pack_str_n(pk, text, lengths[i]);
        fc_pack_kv_str(pk, "s", text + sizeof text - 1 - lengths[i]);
    }
}

static void writer_packs_as_msgpack_c(void)
{
    FILE *tmp = tmpfile();
    struct fc_writer w;
    fc_writer_open(&w, fileno(tmp), "tmp");
    pack_everything(&w.pk);
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    pack_everything(&pk);
    CHECK("writer_packs_helpers_as_msgpack_c", w.len == sb.size && memcmp(w.buf, sb.data, sb.size) == 0);

    /* the pieces a stage writes itself (payload_sample.c): arrays and bins */
    w.len = 0;
    msgpack_sbuffer_clear(&sb);
    static const uint32_t counts[] = { 0, 15, 16, 255, 256, 65535, 65536 };
    static uint8_t bytes[65536];
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        uint8_t *at = fc_writer_room(&w, 2 * FC_MP_MAX_HEAD + counts[i]);
        at = fc_mp_put_array(at, counts[i]);
        fc_writer_done(&w, fc_mp_put_bin(at, bytes, counts[i]));
        msgpack_pack_array(&pk, counts[i]);
        msgpack_pack_bin(&pk, counts[i]);
        msgpack_pack_bin_body(&pk, bytes, counts[i]);
    }
    CHECK("writer_packs_arrays_and_bins_as_msgpack_c", w.len == sb.size && memcmp(w.buf, sb.data, sb.size) == 0);
    w.len = 0;
    fc_writer_close(&w);
    msgpack_sbuffer_destroy(&sb);
    fclose(tmp);
}

/* Records larger than the writer's and the reader's first buffers (512 KB, 2 MB): both
 * grow (huge.h's realloc keeps what they hold) and every byte comes back, the records
 * around the big one too. */
static void records_larger_than_buffers(void)
{
    enum { BIG = 5u << 20 };
    uint8_t *pattern = malloc(BIG);
    for (uint32_t i = 0; i < BIG; i++)
        pattern[i] = (uint8_t)(i * 2654435761u >> 24);
    struct fc_writer w;
    FILE *tmp = flow_stream_begin(&w);
    int fd = fileno(tmp);
    msgpack_pack_map(&w.pk, 2);
    fc_pack_kv_uint(&w.pk, FC_KEY_KIND, 99);
    fc_pack_str(&w.pk, "big");
    msgpack_pack_bin(&w.pk, BIG);
    msgpack_pack_bin_body(&w.pk, pattern, BIG);
    fc_writer_record_done(&w);
    struct fc_flow f = sample_flow();
    fc_flow_pack_record(&w.pk, &f);
    fc_writer_close(&w);
    lseek(fd, 0, SEEK_SET);

    struct fc_reader r;
    fc_reader_open(&r, fd, "tmp");
    struct fc_record rec;
    CHECK("big_stream_first_flow", fc_reader_next(&r, &rec) == 1 && rec.kind == FC_REC_FLOW);
    bool big = fc_reader_next(&r, &rec) == 1 && rec.kind == 99;
    const msgpack_object *bin = big ? fc_map_get(&rec.obj, "big") : NULL;
    CHECK("big_record_read_whole", bin && bin->type == MSGPACK_OBJECT_BIN && bin->via.bin.size == BIG &&
                                       memcmp(bin->via.bin.ptr, pattern, BIG) == 0);
    CHECK("big_stream_last_flow", fc_reader_next(&r, &rec) == 1 && rec.kind == FC_REC_FLOW);
    CHECK("big_stream_ends_cleanly", fc_reader_next(&r, &rec) == 0 && !r.failed);
    fc_reader_close(&r);
    fclose(tmp);
    free(pattern);
}

/* A flow packed to memory and read back through msgpack-c. */
static bool flow_back(const struct fc_flow *f, struct fc_flow *back, const char **why)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    fc_flow_pack_record(&pk, f);
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    bool ok = msgpack_unpack_next(&u, sb.data, sb.size, NULL) == MSGPACK_UNPACK_SUCCESS &&
              fc_flow_unpack(&u.data, back, why);
    msgpack_unpacked_destroy(&u);
    msgpack_sbuffer_destroy(&sb);
    return ok;
}

/* The tunnel a flow came out of travels by name; a span of time no int64 holds is refused
 * (every stage takes end - start as the duration). */
static void flow_fields_tunnel_and_span(void)
{
    struct fc_flow f = sample_flow(), back;
    const char *why = "";
    f.tunnel = FC_TUNNEL_GTP_U;
    CHECK("flow_round_trip_tunnel", flow_back(&f, &back, &why) && back.tunnel == FC_TUNNEL_GTP_U);
    f.tunnel = 0;
    CHECK("flow_without_tunnel_reads_none", flow_back(&f, &back, &why) && back.tunnel == 0);
    f.start_us = INT64_MIN + 1;
    f.end_us = INT64_MAX;
    why = "";
    CHECK("flow_span_beyond_int64_refused",
          !flow_back(&f, &back, &why) && strcmp(why, "missing or inconsistent start_us/end_us") == 0);
}

int main(int argc, char **argv)
{
    (void)argc;
    fc_log_init(argv[0]);
    mpscan_frames_objects();
    mpdecode_prefix_decodes_in_place();
    stream_round_trip();
    damaged_entries_are_refused();
    cut_stream_is_damage();
    record_across_two_reads();
    writer_packs_as_msgpack_c();
    records_larger_than_buffers();
    flow_fields_tunnel_and_span();
    UNIT_DONE();
}
