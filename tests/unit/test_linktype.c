/* \summary: unit tests of fc-read's link-layer decoders (fc-read/linktype*.c) */
#include "../../fc-read/link_shims.c"
#include "../../fc-read/linktype.c"
#include "../../fc-read/linktype_avs.c"
#include "../../fc-read/linktype_chdlc.c"
#include "../../fc-read/linktype_ethernet.c"
#include "../../fc-read/linktype_fddi.c"
#include "../../fc-read/linktype_ieee80211.c"
#include "../../fc-read/linktype_nflog.c"
#include "../../fc-read/linktype_null.c"
#include "../../fc-read/linktype_pflog.c"
#include "../../fc-read/linktype_ppp.c"
#include "../../fc-read/linktype_ppp_ether.c"
#include "../../fc-read/linktype_ppi.c"
#include "../../fc-read/linktype_prism.c"
#include "../../fc-read/linktype_radiotap.c"
#include "../../fc-read/linktype_raw.c"
#include "../../fc-read/linktype_sll.c"
#include "../../fc-read/linktype_sll2.c"
#include "../../fc-read/linktype_token_ring.c"

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

    /* PPPoE session (RFC 2516): version/type 0x11, code 0, session id, length, PPP protocol. */
    static const uint8_t pppoe[] = { MACS, 0x88, 0x64, 0x11, 0, 0, 1, 0, 22, 0x00, 0x21, IPV4_START };
    CHECK("ethernet_pppoe_session_ipv4_after_22_bytes",
          decode(1, pppoe, sizeof pppoe, &nl) && nl.ethertype == 0x0800 && nl.offset == 22);
    static const uint8_t vlan_pppoe6[] = { MACS, 0x81, 0x00, 0x00, 0x0a, 0x88, 0x64, 0x11, 0, 0, 1, 0, 22,
                                           0x00, 0x57, IPV6_START };
    CHECK("ethernet_vlan_then_pppoe_ipv6",
          decode(1, vlan_pppoe6, sizeof vlan_pppoe6, &nl) && nl.ethertype == 0x86dd && nl.offset == 26 &&
              nl.vlan == 10);
    static const uint8_t pppoe_lcp[] = { MACS, 0x88, 0x64, 0x11, 0, 0, 1, 0, 8, 0xc0, 0x21, 1, 1, 0, 4 };
    CHECK("pppoe_lcp_is_the_pppoe_layer_not_ip",
          decode(1, pppoe_lcp, sizeof pppoe_lcp, &nl) && nl.ethertype == 0x8864 && nl.offset == 14);
    static const uint8_t pppoe_discovery[] = { MACS, 0x88, 0x63, 0x11, 0x09, 0, 0, 0, 0 };
    CHECK("pppoe_discovery_stays_not_ip",
          decode(1, pppoe_discovery, sizeof pppoe_discovery, &nl) && nl.ethertype == 0x8863 && nl.offset == 14);
    static const uint8_t pppoe_bad_version[] = { MACS, 0x88, 0x64, 0x21, 0, 0, 1, 0, 22, 0x00, 0x21, IPV4_START };
    CHECK("pppoe_of_another_version_is_not_opened",
          decode(1, pppoe_bad_version, sizeof pppoe_bad_version, &nl) && nl.ethertype == 0x8864 && nl.offset == 14);
    CHECK("pppoe_cut_before_ppp_protocol_is_refused", !decode(1, pppoe, 21, &nl));

    /* MPLS label stack entries: label (20 bits), traffic class, bottom of stack (0x100), TTL. */
    static const uint8_t mpls2[] = { MACS, 0x88, 0x47, 0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40, IPV4_START };
    CHECK("ethernet_mpls_two_labels_ipv4",
          decode(1, mpls2, sizeof mpls2, &nl) && nl.ethertype == 0x0800 && nl.offset == 22);
    static const uint8_t mpls_multicast6[] = { MACS, 0x88, 0x48, 0x00, 0x01, 0x01, 0x40, IPV6_START };
    CHECK("ethernet_mpls_multicast_ipv6",
          decode(1, mpls_multicast6, sizeof mpls_multicast6, &nl) && nl.ethertype == 0x86dd && nl.offset == 18);
    static const uint8_t mpls_pw[] = { MACS, 0x88, 0x47, 0x00, 0x01, 0x01, 0x40, 0, 0, 0, 0, MACS, 0x81, 0x00,
                                       0x00, 0x05, 0x08, 0x00, IPV4_START };
    CHECK("mpls_pseudowire_ethernet_with_its_vlan_tag",
          decode(1, mpls_pw, sizeof mpls_pw, &nl) && nl.ethertype == 0x0800 && nl.offset == 40 && nl.vlan == 5 &&
              nl.vlan2 == 0);
    static const uint8_t vlan_mpls_pw[] = { MACS, 0x81, 0x00, 0x00, 0x07, 0x88, 0x47, 0x00, 0x01, 0x01, 0x40,
                                            0, 0, 0, 0, MACS, 0x81, 0x00, 0x00, 0x05, 0x86, 0xdd, IPV6_START };
    CHECK("mpls_pseudowire_vlan_not_recorded_after_an_outer_one",
          decode(1, vlan_mpls_pw, sizeof vlan_mpls_pw, &nl) && nl.ethertype == 0x86dd && nl.offset == 44 &&
              nl.vlan == 7 && nl.vlan2 == 0);
    static const uint8_t mpls_unknown[] = { MACS, 0x88, 0x47, 0x00, 0x01, 0x01, 0x40, 0x50, 0 };
    CHECK("mpls_payload_neither_ip_nor_pseudowire_is_not_ip",
          decode(1, mpls_unknown, sizeof mpls_unknown, &nl) && nl.ethertype == 0x8847 && nl.offset == 14);
    CHECK("mpls_with_nothing_after_the_labels_is_not_ip",
          decode(1, mpls_unknown, 18, &nl) && nl.ethertype == 0x8847 && nl.offset == 14);
    CHECK("mpls_stack_cut_before_its_bottom_is_refused", !decode(1, mpls2, 20, &nl));
    CHECK("mpls_pseudowire_cut_in_its_ethernet_header_is_refused", !decode(1, mpls_pw, 30, &nl));
    uint8_t deep[14 + 4 * 20];
    memcpy(deep, mpls2, 14);
    for (size_t i = 14; i < sizeof deep; i += 4)
        deep[i] = 0, deep[i + 1] = 0x01, deep[i + 2] = 0x00, deep[i + 3] = 0x40;
    CHECK("mpls_stack_deeper_than_the_bound_is_not_ip",
          decode(1, deep, sizeof deep, &nl) && nl.ethertype == 0x8847 && nl.offset == 14);

    static const uint8_t ppp_framed[] = { 0xff, 0x03, 0x00, 0x21, IPV4_START };
    CHECK("ppp_address_control_and_2_byte_protocol_ipv4",
          decode(9, ppp_framed, sizeof ppp_framed, &nl) && nl.ethertype == 0x0800 && nl.offset == 4);
    static const uint8_t ppp_pfc6[] = { 0x57, IPV6_START };
    CHECK("ppp_compressed_protocol_ipv6_after_1_byte",
          decode(9, ppp_pfc6, sizeof ppp_pfc6, &nl) && nl.ethertype == 0x86dd && nl.offset == 1);
    static const uint8_t ppp_framed_pfc[] = { 0xff, 0x03, 0x21, IPV4_START };
    CHECK("ppp_serial_framing_then_compressed_protocol",
          decode(50, ppp_framed_pfc, sizeof ppp_framed_pfc, &nl) && nl.ethertype == 0x0800 && nl.offset == 3);
    static const uint8_t ppp_mpls[] = { 0xff, 0x03, 0x02, 0x81, 0x00, 0x01, 0x01, 0x40, IPV6_START };
    CHECK("ppp_mpls_label_then_ipv6",
          decode(9, ppp_mpls, sizeof ppp_mpls, &nl) && nl.ethertype == 0x86dd && nl.offset == 8);
    static const uint8_t ppp_lcp[] = { 0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4 };
    CHECK("ppp_lcp_is_refused", !decode(9, ppp_lcp, sizeof ppp_lcp, &nl));
    CHECK("ppp_cut_protocol_is_refused", !decode(9, ppp_framed, 3, &nl) && !decode(9, ppp_framed, 0, &nl));
    static const uint8_t chdlc[] = { 0x0f, 0x00, 0x08, 0x00, IPV4_START };
    CHECK("ppp_link_types_read_cisco_hdlc_framing",
          decode(9, chdlc, sizeof chdlc, &nl) && nl.ethertype == 0x0800 && nl.offset == 4 &&
              decode(50, chdlc, sizeof chdlc, &nl) && nl.ethertype == 0x0800 && nl.offset == 4);

    static const uint8_t ppp_ether[] = { 0x11, 0, 0, 1, 0, 22, 0x00, 0x57, IPV6_START };
    CHECK("ppp_ether_pppoe_header_then_ipv6",
          decode(51, ppp_ether, sizeof ppp_ether, &nl) && nl.ethertype == 0x86dd && nl.offset == 8);
    static const uint8_t ppp_ether_lcp[] = { 0x11, 0, 0, 1, 0, 8, 0xc0, 0x21, 1, 1, 0, 4 };
    CHECK("ppp_ether_lcp_is_the_pppoe_layer_not_ip",
          decode(51, ppp_ether_lcp, sizeof ppp_ether_lcp, &nl) && nl.ethertype == 0x8864 && nl.offset == 0);
    CHECK("ppp_ether_cut_header_is_refused", !decode(51, ppp_ether, 5, &nl));

    static const uint8_t chdlc_mpls[] = { 0x8f, 0x00, 0x88, 0x47, 0x00, 0x01, 0x01, 0x40, IPV4_START };
    CHECK("chdlc_mpls_then_ipv4",
          decode(104, chdlc_mpls, sizeof chdlc_mpls, &nl) && nl.ethertype == 0x0800 && nl.offset == 8);
    static const uint8_t slarp[] = { 0x8f, 0x00, 0x80, 0x35, 0, 0, 0, 2 };
    CHECK("chdlc_slarp_is_not_ip", decode(104, slarp, sizeof slarp, &nl) && nl.ethertype == 0x8035 && nl.offset == 4);
    CHECK("chdlc_cut_header_is_refused", !decode(104, chdlc, 3, &nl));

    /* 802.3 frames: a length, then LLC/SNAP naming IPv4 (RFC 1042); spanning tree's LLC stays 802.3. */
    static const uint8_t snap8023[] = { MACS, 0x00, 0x40, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00, IPV4_START };
    CHECK("ethernet_802_3_llc_snap_ipv4",
          decode(1, snap8023, sizeof snap8023, &nl) && nl.ethertype == 0x0800 && nl.offset == 22);
    static const uint8_t stp[] = { MACS, 0x00, 0x26, 0x42, 0x42, 0x03, 0, 0, 0, 0, 0 };
    CHECK("ethernet_802_3_spanning_tree_keeps_its_length",
          decode(1, stp, sizeof stp, &nl) && nl.ethertype == 0x0026 && nl.offset == 14);
    /* FDDI (10): frame control and addresses (13 bytes), LLC/SNAP. */
    static const uint8_t fddi[] = { 0x50, MACS, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd, IPV6_START };
    CHECK("fddi_llc_snap_ipv6", decode(10, fddi, sizeof fddi, &nl) && nl.ethertype == 0x86dd && nl.offset == 21);
    CHECK("fddi_cut_in_snap_refused", !decode(10, fddi, 18, &nl));
    /* Token Ring (6): AC, FC, addresses; a routing information field when the source's first bit is set. */
    static const uint8_t tr[] = { 0x10, 0x40, MACS, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00, IPV4_START };
    CHECK("token_ring_llc_snap_ipv4", decode(6, tr, sizeof tr, &nl) && nl.ethertype == 0x0800 && nl.offset == 22);
    static const uint8_t tr_rif[] = { 0x10, 0x40, 2, 0, 0, 0, 0, 2, 0x82, 0, 0, 0, 0, 1, 0x06, 0x30, 0x00, 0x10,
                                      0x00, 0x20, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00, IPV4_START };
    CHECK("token_ring_source_routed_rif_6_bytes",
          decode(6, tr_rif, sizeof tr_rif, &nl) && nl.ethertype == 0x0800 && nl.offset == 28);
    uint8_t tr_bad[sizeof tr_rif];
    memcpy(tr_bad, tr_rif, sizeof tr_rif);
    tr_bad[14] = 0x01; /* a routing field shorter than its own 2-byte control */
    CHECK("token_ring_rif_too_short_refused", !decode(6, tr_bad, sizeof tr_bad, &nl));

    /* 802.1ah: backbone tag (VLAN 100), I-TAG, the customer's frame with its own tag (7, not
     * recorded under the backbone's); without a backbone tag the customer's tag is recorded. */
    static const uint8_t pbb[] = { MACS, 0x88, 0xa8, 0x00, 0x64, 0x88, 0xe7, 0x00, 0x01, 0x00, 0x02,
                                   MACS, 0x81, 0x00, 0x00, 0x07, 0x08, 0x00, IPV4_START };
    CHECK("ethernet_pbb_backbone_vlan_then_customer_ipv4",
          decode(1, pbb, sizeof pbb, &nl) && nl.ethertype == 0x0800 && nl.offset == 40 && nl.vlan == 100 &&
              nl.vlan2 == 0);
    /* pbb + 4: the frame without its backbone tag (4 address bytes dropped instead: nothing reads them) */
    CHECK("ethernet_pbb_untagged_backbone_records_customer_vlan",
          decode(1, pbb + 4, sizeof pbb - 4, &nl) && nl.ethertype == 0x0800 && nl.offset == 36 && nl.vlan == 7);

    /* 802.1BR E-tag: 6 bytes after its TPID, then the ethertype. */
    static const uint8_t etag[] = { MACS, 0x89, 0x3f, 0x20, 0, 0x10, 0x05, 0, 0, 0x08, 0x00, IPV4_START };
    CHECK("ethernet_etag_then_ipv4", decode(1, etag, sizeof etag, &nl) && nl.ethertype == 0x0800 && nl.offset == 22);
    CHECK("ethernet_cut_etag_refused", !decode(1, etag, 18, &nl));
    /* NSH (RFC 8300): version 0, length 6 words (MD type 1), next protocol IPv4. */
    static const uint8_t nsh[] = { MACS, 0x89, 0x4f, 0x0f, 0xc6, 0x01, 0x01, 0, 0, 1, 0xff,
                                   1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, IPV4_START };
    CHECK("ethernet_nsh_md1_then_ipv4", decode(1, nsh, sizeof nsh, &nl) && nl.ethertype == 0x0800 && nl.offset == 38);
    /* MD type 2 with no context headers (2 words), an Ethernet frame with a VLAN tag inside. */
    static const uint8_t nsh_eth[] = { MACS, 0x89, 0x4f, 0x0f, 0xc2, 0x02, 0x03, 0, 0, 1, 0xff,
                                       MACS, 0x81, 0x00, 0x00, 0x07, 0x86, 0xdd, IPV6_START };
    CHECK("ethernet_nsh_carried_ethernet_vlan_7_ipv6",
          decode(1, nsh_eth, sizeof nsh_eth, &nl) && nl.ethertype == 0x86dd && nl.offset == 40 && nl.vlan == 7);
    uint8_t nsh_bad[sizeof nsh];
    memcpy(nsh_bad, nsh, sizeof nsh);
    nsh_bad[14] = 0x4f; /* version 1 */
    CHECK("ethernet_nsh_version_1_is_the_network_layer",
          decode(1, nsh_bad, sizeof nsh_bad, &nl) && nl.ethertype == 0x894f && nl.offset == 14);
    memcpy(nsh_bad, nsh, sizeof nsh);
    nsh_bad[15] = 0xc1; /* 1 word: shorter than base and service path headers */
    CHECK("ethernet_nsh_too_short_is_the_network_layer",
          decode(1, nsh_bad, sizeof nsh_bad, &nl) && nl.ethertype == 0x894f && nl.offset == 14);
    CHECK("ethernet_nsh_cut_refused", !decode(1, nsh, 30, &nl));

    /* IEEE 802.11 (105): a QoS data frame to the AP, LLC/SNAP, IPv4 after 24 + 2 + 8 bytes. */
#define WLAN_ADDRS 2, 0xaa, 0, 0, 0, 1, 2, 0xbb, 0, 0, 0, 2, 2, 0xcc, 0, 0, 0, 3
#define SNAP_HEADER 0xaa, 0xaa, 0x03, 0, 0, 0
    static const uint8_t wlan_qos[] = { 0x88, 0x01, 0, 0, WLAN_ADDRS, 0x10, 0, 0x05, 0, SNAP_HEADER, 0x08, 0x00, IPV4_START };
    CHECK("wlan_qos_data_to_ds_ipv4_after_snap",
          decode(105, wlan_qos, sizeof wlan_qos, &nl) && nl.ethertype == 0x0800 && nl.offset == 34);
    /* Plain data, four addresses (a wireless bridge), IPv6. */
    static const uint8_t wlan_wds[] = { 0x08, 0x03, 0, 0, WLAN_ADDRS, 0x10, 0, 2, 0xdd, 0, 0, 0, 4,
                                        SNAP_HEADER, 0x86, 0xdd, IPV6_START };
    CHECK("wlan_four_address_data_ipv6",
          decode(105, wlan_wds, sizeof wlan_wds, &nl) && nl.ethertype == 0x86dd && nl.offset == 38);
    /* QoS data with the Order bit: a 4-byte HT control field after QoS control. */
    static const uint8_t wlan_htc[] = { 0x88, 0x82, 0, 0, WLAN_ADDRS, 0x10, 0, 0, 0, 1, 2, 3, 4,
                                        SNAP_HEADER, 0x08, 0x00, IPV4_START };
    CHECK("wlan_qos_ht_control_skipped",
          decode(105, wlan_htc, sizeof wlan_htc, &nl) && nl.ethertype == 0x0800 && nl.offset == 38);
    /* A VLAN tag after SNAP is a shim like Ethernet's. */
    static const uint8_t wlan_vlan[] = { 0x08, 0x02, 0, 0, WLAN_ADDRS, 0x10, 0, SNAP_HEADER, 0x81, 0x00, 0x00, 0x2a,
                                         0x08, 0x00, IPV4_START };
    CHECK("wlan_vlan_tag_after_snap",
          decode(105, wlan_vlan, sizeof wlan_vlan, &nl) && nl.ethertype == 0x0800 && nl.offset == 36 && nl.vlan == 42);
    uint8_t wlan_bad[sizeof wlan_qos];
    memcpy(wlan_bad, wlan_qos, sizeof wlan_qos);
    wlan_bad[1] |= 0x40;
    CHECK("wlan_protected_frame_refused", !decode(105, wlan_bad, sizeof wlan_bad, &nl));
    memcpy(wlan_bad, wlan_qos, sizeof wlan_qos);
    wlan_bad[24] |= 0x80;
    CHECK("wlan_amsdu_refused", !decode(105, wlan_bad, sizeof wlan_bad, &nl));
    memcpy(wlan_bad, wlan_qos, sizeof wlan_qos);
    wlan_bad[0] = 0xc8; /* QoS null: no data */
    CHECK("wlan_qos_null_refused", !decode(105, wlan_bad, sizeof wlan_bad, &nl));
    memcpy(wlan_bad, wlan_qos, sizeof wlan_qos);
    wlan_bad[0] = 0x80; /* beacon */
    CHECK("wlan_management_frame_refused", !decode(105, wlan_bad, sizeof wlan_bad, &nl));
    memcpy(wlan_bad, wlan_qos, sizeof wlan_qos);
    wlan_bad[26] = 0x42; /* LLC of spanning tree, no SNAP */
    CHECK("wlan_llc_without_snap_refused", !decode(105, wlan_bad, sizeof wlan_bad, &nl));
    CHECK("wlan_cut_in_snap_refused", !decode(105, wlan_qos, 30, &nl));

    /* Radiotap (127): TSFT (aligned to 8), Flags with FCS (0x10) and Rate, then the frame. */
    uint8_t rt[18 + sizeof wlan_qos + 4] = { 0, 0, 18, 0, 0x07, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x10, 12 };
    memcpy(rt + 18, wlan_qos, sizeof wlan_qos);
    CHECK("radiotap_tsft_flags_rate_then_wlan",
          decode(127, rt, sizeof rt, &nl) && nl.ethertype == 0x0800 && nl.offset == 18 + 34);
    rt[16] |= 0x40;
    CHECK("radiotap_bad_fcs_frame_refused", !decode(127, rt, sizeof rt, &nl));
    rt[0] = 1;
    rt[16] &= (uint8_t)~0x40;
    CHECK("radiotap_version_1_refused", !decode(127, rt, sizeof rt, &nl));
    rt[0] = 0;
    rt[2] = 200;
    CHECK("radiotap_length_beyond_frame_refused", !decode(127, rt, sizeof rt, &nl));
    /* Two presence bitmaps (TSFT then at 16), data pad: the 26-byte MAC header padded to 28. */
    uint8_t rtp[26 + 28 + 10] = { 0, 0, 26, 0, 0x03, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x20, 0 };
    memcpy(rtp + 26, wlan_qos, 26);
    static const uint8_t after_pad[] = { SNAP_HEADER, 0x86, 0xdd };
    memcpy(rtp + 26 + 28, after_pad, sizeof after_pad);
    CHECK("radiotap_extended_bitmap_and_data_pad",
          decode(127, rtp, sizeof rtp, &nl) && nl.ethertype == 0x86dd && nl.offset == 26 + 28 + 8);
    uint8_t rt_endless[64] = { 0, 0, 64, 0 };
    memset(rt_endless + 4, 0xff, 60);
    CHECK("radiotap_bitmaps_without_end_refused", !decode(127, rt_endless, sizeof rt_endless, &nl));

    /* PPI (192): an 8-byte header naming 802.11, or Ethernet; not PPI inside PPI. */
    uint8_t ppi[8 + sizeof wlan_qos] = { 0, 0, 8, 0, 105, 0, 0, 0 };
    memcpy(ppi + 8, wlan_qos, sizeof wlan_qos);
    CHECK("ppi_then_wlan", decode(192, ppi, sizeof ppi, &nl) && nl.ethertype == 0x0800 && nl.offset == 8 + 34);
    uint8_t ppi_ether[8 + sizeof ether] = { 0, 0, 8, 0, 1, 0, 0, 0 };
    memcpy(ppi_ether + 8, ether, sizeof ether);
    CHECK("ppi_then_ethernet",
          decode(192, ppi_ether, sizeof ppi_ether, &nl) && nl.ethertype == 0x0800 && nl.offset == 8 + 14);
    uint8_t ppi_ppi[16 + sizeof ether] = { 0, 0, 8, 0, 192, 0, 0, 0, 0, 0, 8, 0, 1, 0, 0, 0 };
    memcpy(ppi_ppi + 16, ether, sizeof ether);
    CHECK("ppi_inside_ppi_refused", !decode(192, ppi_ppi, sizeof ppi_ppi, &nl));
    ppi_ether[4] = 147;
    CHECK("ppi_of_unsupported_link_type_refused", !decode(192, ppi_ether, sizeof ppi_ether, &nl));

    /* Prism (119): 144-byte header, length little-endian at 4; an AVS header under 119 too. */
    uint8_t prism[144 + sizeof wlan_qos] = { 0x41, 0, 0, 0, 144, 0, 0, 0, 'w', 'l', 'a', 'n', '0' };
    memcpy(prism + 144, wlan_qos, sizeof wlan_qos);
    CHECK("prism_then_wlan", decode(119, prism, sizeof prism, &nl) && nl.ethertype == 0x0800 && nl.offset == 144 + 34);
    uint8_t avs[64 + sizeof wlan_qos] = { 0x80, 0x21, 0x10, 0x01, 0, 0, 0, 64 };
    memcpy(avs + 64, wlan_qos, sizeof wlan_qos);
    CHECK("avs_then_wlan", decode(163, avs, sizeof avs, &nl) && nl.ethertype == 0x0800 && nl.offset == 64 + 34);
    CHECK("avs_header_under_prism_link_type",
          decode(119, avs, sizeof avs, &nl) && nl.ethertype == 0x0800 && nl.offset == 64 + 34);
    avs[0] = 0x70;
    CHECK("avs_without_its_version_word_refused", !decode(163, avs, sizeof avs, &nl));

    /* pflog (117): length 61 padded to 64, family 2; IPv6 as OpenBSD (24), FreeBSD (28), macOS (30). */
    uint8_t pflog[64 + 2] = { 61, 2, 0, 0, 'e', 'm', '0' };
    pflog[64] = 0x45;
    CHECK("pflog_ipv4_after_64_bytes", decode(117, pflog, sizeof pflog, &nl) && nl.ethertype == 0x0800 && nl.offset == 64);
    bool inet6 = true;
    for (uint8_t f = 24; f <= 30; f = (uint8_t)(f == 24 ? 28 : f + 2)) {
        pflog[1] = f;
        inet6 = inet6 && decode(117, pflog, sizeof pflog, &nl) && nl.ethertype == 0x86dd;
    }
    CHECK("pflog_ipv6_families_of_each_bsd", inet6);
    pflog[0] = 100; /* OpenBSD 4.9 and later: 100 bytes */
    CHECK("pflog_header_longer_than_frame_refused", !decode(117, pflog, sizeof pflog, &nl));
    pflog[0] = 8;
    CHECK("pflog_length_too_small_refused", !decode(117, pflog, sizeof pflog, &nl));

    /* NFLOG (239): family, version, resource id; TLVs (little-endian) padded to 4; payload type 9. */
    static const uint8_t nflog[] = { 2, 0, 0, 5, 8, 0, 1, 0, 0x08, 0x00, 3, 0, 5, 0, 10, 0, 'x', 0, 0, 0,
                                     8, 0, 9, 0, IPV4_START, 0, 0 };
    CHECK("nflog_payload_tlv_after_padded_prefix_tlv",
          decode(239, nflog, sizeof nflog, &nl) && nl.ethertype == 0x0800 && nl.offset == 24);
    static const uint8_t nflog_be[] = { 10, 0, 0, 5, 0, 8, 0, 9, IPV6_START, 0, 0 };
    CHECK("nflog_big_endian_tlv_ipv6",
          decode(239, nflog_be, sizeof nflog_be, &nl) && nl.ethertype == 0x86dd && nl.offset == 8);
    static const uint8_t nflog_none[] = { 2, 0, 0, 5, 8, 0, 1, 0, 0x08, 0x00, 3, 0 };
    CHECK("nflog_without_payload_refused", !decode(239, nflog_none, sizeof nflog_none, &nl));
    static const uint8_t nflog_long[] = { 2, 0, 0, 5, 0x40, 0, 9, 0, IPV4_START };
    CHECK("nflog_tlv_longer_than_frame_refused", !decode(239, nflog_long, sizeof nflog_long, &nl));
    static const uint8_t nflog_bridge[] = { 7, 0, 0, 5, 8, 0, 9, 0, IPV4_START, 0, 0 };
    CHECK("nflog_other_family_refused", !decode(239, nflog_bridge, sizeof nflog_bridge, &nl));

    CHECK("unsupported_link_type_has_no_decoder", linktype_find(147) == NULL && linktype_find(240) == NULL);
    UNIT_DONE();
}
