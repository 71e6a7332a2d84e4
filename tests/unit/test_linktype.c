/* \summary: unit tests of fc-read's link-layer decoders (fc-read/linktype*.c) */
#include "../../fc-read/linktype.c"
#include "../../fc-read/linktype_ethernet.c"
#include "../../fc-read/linktype_null.c"
#include "../../fc-read/linktype_raw.c"
#include "../../fc-read/linktype_sll.c"
#include "../../fc-read/linktype_sll2.c"

#include "unit.h"

/* Decodes frame with the table's decoder for dlt; false when the DLT is unsupported or the
 * decoder refuses the frame. */
static bool decode(int dlt, const uint8_t *frame, size_t len, struct fc_netlayer *nl)
{
    const struct linktype *lt = linktype_find(dlt);
    memset(nl, 0, sizeof *nl);
    return lt && lt->decode(frame, len, nl);
}

#define MACS 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1
#define IPV4_START 0x45, 0
#define IPV6_START 0x60, 0

int main(void)
{
    struct fc_netlayer nl;

    static const uint8_t ether[] = { MACS, 0x08, 0x00, IPV4_START };
    CHECK("ethernet_finds_ipv4_after_14_bytes",
          decode(1, ether, sizeof ether, &nl) && nl.ethertype == 0x0800 && nl.offset == 14 && nl.vlan == 0);

    /* Priority bits (0xe000) set: only the low 12 bits are the VLAN id. */
    static const uint8_t dot1q[] = { MACS, 0x81, 0x00, 0xe0, 0x64, 0x86, 0xdd, IPV6_START };
    CHECK("ethernet_802_1q_tag_stripped_vlan_100",
          decode(1, dot1q, sizeof dot1q, &nl) && nl.ethertype == 0x86dd && nl.offset == 18 && nl.vlan == 100 &&
              nl.vlan2 == 0);

    static const uint8_t qinq[] = { MACS, 0x88, 0xa8, 0x00, 0xc8, 0x81, 0x00, 0x01, 0x2c, 0x08, 0x00, IPV4_START };
    CHECK("ethernet_qinq_outer_200_inner_300",
          decode(1, qinq, sizeof qinq, &nl) && nl.ethertype == 0x0800 && nl.offset == 22 && nl.vlan == 200 &&
              nl.vlan2 == 300);

    static const uint8_t triple[] = { MACS, 0x91, 0x00, 0x00, 0x01, 0x81, 0x00, 0x00, 0x02,
                                      0x81, 0x00, 0x00, 0x03, 0x08, 0x06, 0, 1 };
    CHECK("ethernet_three_tags_keep_first_two_ids_and_find_arp",
          decode(1, triple, sizeof triple, &nl) && nl.ethertype == 0x0806 && nl.offset == 26 && nl.vlan == 1 &&
              nl.vlan2 == 2);

    static const uint8_t cut_tag[] = { MACS, 0x81, 0x00, 0x00 };
    CHECK("ethernet_tag_cut_short_is_refused", !decode(1, cut_tag, sizeof cut_tag, &nl));
    CHECK("ethernet_frame_shorter_than_header_is_refused", !decode(1, ether, 13, &nl));
    CHECK("ethernet_header_only_gives_empty_network_layer", decode(1, ether, 14, &nl) && nl.offset == 14);

    static const uint8_t sll[] = { 0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00, IPV4_START };
    CHECK("sll_finds_ipv4_after_16_bytes",
          decode(113, sll, sizeof sll, &nl) && nl.ethertype == 0x0800 && nl.offset == 16);

    static const uint8_t sll_vlan[] = { 0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x81, 0x00, 0x00, 0x07, 0x86, 0xdd };
    CHECK("sll_reinserted_vlan_tag_stripped",
          decode(113, sll_vlan, sizeof sll_vlan, &nl) && nl.ethertype == 0x86dd && nl.offset == 20 && nl.vlan == 7);

    static const uint8_t sll2[] = { 0x86, 0xdd, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, IPV6_START };
    CHECK("sll2_protocol_first_network_after_20_bytes",
          decode(276, sll2, sizeof sll2, &nl) && nl.ethertype == 0x86dd && nl.offset == 20);
    CHECK("sll2_cut_header_is_refused", !decode(276, sll2, 19, &nl));

    static const uint8_t sll2_vlan[] = { 0x81, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0,
                                         0x00, 0x2a, 0x08, 0x00, IPV4_START };
    CHECK("sll2_vlan_tag_after_header_stripped",
          decode(276, sll2_vlan, sizeof sll2_vlan, &nl) && nl.ethertype == 0x0800 && nl.offset == 24 &&
              nl.vlan == 42);

    static const uint8_t raw4[] = { IPV4_START }, raw6[] = { IPV6_START }, raw5[] = { 0x50, 0 };
    for (int i = 0; i < 3; i++) {
        static const int raw_dlts[] = { 12, 14, 101 };
        char name[64];
        snprintf(name, sizeof name, "raw_dlt_%d_ipv4_and_ipv6_by_version_nibble", raw_dlts[i]);
        CHECK(name, decode(raw_dlts[i], raw4, sizeof raw4, &nl) && nl.ethertype == 0x0800 && nl.offset == 0 &&
                        decode(raw_dlts[i], raw6, sizeof raw6, &nl) && nl.ethertype == 0x86dd);
    }
    CHECK("raw_version_5_is_refused", !decode(12, raw5, sizeof raw5, &nl));
    CHECK("raw_empty_frame_is_refused", !decode(12, raw4, 0, &nl));
    CHECK("dlt_ipv4_and_dlt_ipv6_name_their_version",
          decode(228, raw4, sizeof raw4, &nl) && nl.ethertype == 0x0800 && decode(229, raw6, sizeof raw6, &nl) &&
              nl.ethertype == 0x86dd);

    static const uint8_t null_le[] = { 2, 0, 0, 0, IPV4_START }, null_be[] = { 0, 0, 0, 30, IPV6_START };
    static const uint8_t null_bsd6[] = { 24, 0, 0, 0, IPV6_START }, null_fbsd6[] = { 0, 0, 0, 28, IPV6_START };
    static const uint8_t null_unknown[] = { 7, 0, 0, 0, IPV4_START };
    CHECK("null_af_inet_little_endian", decode(0, null_le, sizeof null_le, &nl) && nl.ethertype == 0x0800 && nl.offset == 4);
    CHECK("null_af_inet6_30_big_endian", decode(0, null_be, sizeof null_be, &nl) && nl.ethertype == 0x86dd && nl.offset == 4);
    CHECK("null_af_inet6_24_and_28", decode(0, null_bsd6, sizeof null_bsd6, &nl) && nl.ethertype == 0x86dd &&
                                         decode(0, null_fbsd6, sizeof null_fbsd6, &nl) && nl.ethertype == 0x86dd);
    CHECK("null_unknown_family_is_refused", !decode(0, null_unknown, sizeof null_unknown, &nl));
    CHECK("null_cut_family_is_refused", !decode(0, null_le, 3, &nl));

    static const uint8_t loop[] = { 0, 0, 0, 2, IPV4_START };
    CHECK("loop_af_inet_network_order", decode(108, loop, sizeof loop, &nl) && nl.ethertype == 0x0800 && nl.offset == 4);
    CHECK("loop_host_order_family_is_refused", !decode(108, null_le, sizeof null_le, &nl));

    CHECK("unsupported_link_type_has_no_decoder", linktype_find(9) == NULL && linktype_find(127) == NULL);
    UNIT_DONE();
}
