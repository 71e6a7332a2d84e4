/* \summary: SHA-1, flow key, flow_id, uid, protocol slugs and signature ids against FORMATS.md §2 */
#include <stdio.h>
#include <string.h>

#include "flow_ids.h"
#include "proto_names.h"
#include "sha1.h"
#include "unit.h"
#include "worked_example.h"

static void hex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = 0;
}

static void sha1_hex(const void *data, size_t len, char out[41])
{
    uint8_t d[FC_SHA1_LEN];
    fc_sha1(data, len, d);
    hex(d, sizeof d, out);
}

/* fc_sha1 hashes short messages in one padded block: the same digest as byte-by-byte
 * streaming for every length around the one-block limit (55) and the block size. */
static void check_sha1_one_shot_matches_streaming(void)
{
    uint8_t msg[130];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 37 + 11);
    bool same = true;
    for (size_t len = 0; len <= sizeof msg; len++) {
        uint8_t one[FC_SHA1_LEN], streamed[FC_SHA1_LEN];
        fc_sha1(msg, len, one);
        struct fc_sha1 c;
        fc_sha1_init(&c);
        for (size_t i = 0; i < len; i++)
            fc_sha1_update(&c, msg + i, 1);
        fc_sha1_final(&c, streamed);
        same = same && memcmp(one, streamed, sizeof one) == 0;
    }
    CHECK("sha1_one_shot_matches_streaming_for_lengths_0_to_130", same);
}

static void check_sha1(void)
{
    char out[41];
    /* FIPS 180-4 examples (NIST CSRC "SHA1.pdf") */
    sha1_hex("abc", 3, out);
    CHECK_STR("sha1_fips_abc", "a9993e364706816aba3e25717850c26c9cd0d89d", out);
    sha1_hex("", 0, out);
    CHECK_STR("sha1_empty_message", "da39a3ee5e6b4b0d3255bfef95601890afd80709", out);
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha1_hex(two_blocks, strlen(two_blocks), out);
    CHECK_STR("sha1_fips_448_bit_message", "84983e441c3bd26ebaae4aa1f95129e5e54670f1", out);
    /* One million 'a', fed in uneven pieces through the incremental interface. */
    struct fc_sha1 c;
    fc_sha1_init(&c);
    char chunk[997];
    memset(chunk, 'a', sizeof chunk);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        fc_sha1_update(&c, chunk, n);
        left -= n;
    }
    uint8_t d[FC_SHA1_LEN];
    fc_sha1_final(&c, d);
    hex(d, sizeof d, out);
    CHECK_STR("sha1_million_a_in_pieces", "34aa973cd4c4daa4f61eeb2bdbad27316534016f", out);
    /* 55 and 56 bytes: the padding boundary (expected values from coreutils sha1sum) */
    char m[64];
    memset(m, 'x', sizeof m);
    sha1_hex(m, 55, out);
    CHECK_STR("sha1_55_bytes", "cef734ba81a024479e09eb5a75b6ddae62e6abf1", out);
    sha1_hex(m, 56, out);
    CHECK_STR("sha1_56_bytes", "901305367c259952f4e7af8323f480d59f81335b", out);
}

static void check_worked_example(void)
{
    struct fc_flow f = worked_example_flow();
    uint8_t key[FC_FLOW_KEY_MAX], d[FC_SHA1_LEN];
    size_t n = fc_flow_key(&f, key);
    char text[2 * FC_FLOW_KEY_MAX + 1];
    hex(key, n, text);
    CHECK_STR("flow_key_bytes_of_worked_example", "46437631" "04" "06" "80e86e78" "4223facc" "8827" "0050" "0000"
              "0005543dfe50ce00", text);
    fc_sha1(key, n, d);
    hex(d, sizeof d, text);
    CHECK_STR("flow_key_sha1_of_worked_example", "bbab72384abfb6a2a7faa0f60e6e633521d72c70", text);

    struct fc_flow_ids ids;
    struct fc_cid_options opt = { 0, true };
    fc_flow_ids(&f, &opt, &ids);
    CHECK("flow_id_of_worked_example_is_970011027945122", ids.flow_id == 970011027945122ull);
    CHECK_STR("uid_of_worked_example", "Ceq9clJv8nTT0CqdDW", ids.uid);
    CHECK_STR("community_id_of_worked_example_flow", "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", ids.community_id);

    struct fc_flow tagged = f;
    tagged.vlan = 100;
    struct fc_flow_ids tagged_ids;
    fc_flow_ids(&tagged, &opt, &tagged_ids);
    CHECK("flow_id_depends_on_vlan", tagged_ids.flow_id != ids.flow_id);
    CHECK_STR("community_id_ignores_vlan", ids.community_id, tagged_ids.community_id);
}

static void check_digest_edges(void)
{
    uint8_t zero[FC_SHA1_LEN] = { 0 };
    CHECK("flow_id_zero_becomes_one", fc_flow_id_from_digest(zero) == 1);
    char uid[FC_UID_LEN + 1];
    fc_uid_from_digest(zero, uid);
    CHECK_STR("uid_is_zero_padded_to_18_chars", "C00000000000000000", uid);
    uint8_t ones[FC_SHA1_LEN];
    memset(ones, 0xff, sizeof ones);
    CHECK("flow_id_keeps_51_bits", fc_flow_id_from_digest(ones) == 0x7FFFFFFFFFFFFull);
    fc_uid_from_digest(ones, uid);
    /* 2^64-1 = lYGhA16ahyf and 2^32-1 = 4GFfc3 in Zeek base62 (computed independently in Python) */
    CHECK_STR("uid_of_all_ones_digest", "ClYGhA16ahyf4GFfc3", uid);
}

static void check_icmp_community_id(void)
{
    /* ICMP echo: orig sent type 8; the record's ports hold 8 and its counterpart 0. */
    struct fc_flow f = worked_example_flow();
    f.proto = 1;
    f.orig.port = 8;
    f.resp.port = 0;
    f.orig.has_icmp = true;
    f.orig.icmp_type = 8;
    struct fc_flow_ids fwd, rev;
    struct fc_cid_options opt = { 0, true };
    fc_flow_ids(&f, &opt, &fwd);
    struct fc_flow r = f;
    r.orig = f.resp;
    r.resp = f.orig;
    r.orig.port = 0;   /* echo reply first: type 0, counterpart 8 */
    r.resp.port = 8;
    r.orig.has_icmp = true;
    r.orig.icmp_type = 0;
    fc_flow_ids(&r, &opt, &rev);
    CHECK_STR("community_id_icmp_echo_same_both_ways", fwd.community_id, rev.community_id);
}

static void check_names(void)
{
    char slug[FC_SLUG_MAX];
    fc_slug("njRAT", 5, slug);
    CHECK_STR("slug_lowercases", "njrat", slug);
    fc_slug("  Foo, \"v2\" ", 12, slug);
    CHECK_STR("slug_runs_become_one_dash_and_ends_are_stripped", "foo-v2", slug);
    fc_slug("Example RAT", 11, slug);
    CHECK_STR("slug_space_becomes_dash", "example-rat", slug);
    fc_slug("a_b-c--D", 8, slug);
    CHECK_STR("slug_keeps_underscore_and_dashes", "a_b-c--d", slug);
    fc_slug("Caf\xc3\xa9 X", 7, slug);
    CHECK_STR("slug_non_ascii_bytes_are_one_run", "caf-x", slug);
    fc_slug("---", 3, slug);
    CHECK_STR("slug_of_only_dashes_is_empty", "", slug);
    CHECK("signature_id_njrat_is_1231396708", fc_signature_id("njrat") == 1231396708u);
    CHECK("signature_id_in_range",
          fc_signature_id("") >= 1000000000u && fc_signature_id("x") <= 1999999999u);

    fc_eve_app_proto("SSL", 3, slug);
    CHECK_STR("eve_app_proto_alias_ssl_is_tls", "tls", slug);
    fc_zeek_service("tls", 3, 6, slug);
    CHECK_STR("zeek_service_alias_tls_is_ssl", "ssl", slug);
    fc_zeek_service("Kerberos", 8, 17, slug);
    CHECK_STR("zeek_service_kerberos_udp_is_krb", "krb", slug);
    fc_zeek_service("KRB5", 4, 6, slug);
    CHECK_STR("zeek_service_kerberos_tcp_is_krb_tcp", "krb_tcp", slug);
    fc_eve_app_proto("PostgreSQL", 10, slug);
    CHECK_STR("eve_app_proto_postgresql_is_pgsql", "pgsql", slug);
    fc_zeek_service("DCERPC", 6, 6, slug);
    CHECK_STR("zeek_service_dcerpc_is_dce_rpc", "dce_rpc", slug);
    fc_eve_app_proto("njRAT", 5, slug);
    CHECK_STR("eve_app_proto_without_alias_is_slug", "njrat", slug);

    char buf[FC_IP_PROTO_NAME_MAX];
    CHECK_STR("ip_proto_name_58", "IPv6-ICMP", fc_ip_proto_name(58, buf));
    CHECK_STR("ip_proto_name_136", "UDPLite", fc_ip_proto_name(136, buf));
    CHECK_STR("ip_proto_name_unknown_is_decimal", "253", fc_ip_proto_name(253, buf));
}

int main(void)
{
    check_sha1();
    check_sha1_one_shot_matches_streaming();
    check_worked_example();
    check_digest_edges();
    check_icmp_community_id();
    check_names();
    UNIT_DONE();
}
