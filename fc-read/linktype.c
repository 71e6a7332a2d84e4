/* \summary: the table of supported link types */
#include "linktype.h"

#include <pcap/dlt.h>

#include "decode.h"
#include "ieee80211.h"

/* DLT values are spelled as numbers where libpcap's macro depends on the platform
 * (DLT_RAW is 12 on most systems and 14 on BSD/OS and OpenBSD; files keep either,
 * and LINKTYPE_RAW 101 is what the pcap format itself defines). */
static const struct linktype linktypes[] = {
    { DLT_EN10MB, "Ethernet", linktype_ethernet_decode },
    { DLT_LINUX_SLL, "Linux cooked v1", linktype_sll_decode },
    { DLT_LINUX_SLL2, "Linux cooked v2", linktype_sll2_decode },
    { 12, "raw IP", linktype_raw_decode },
    { 14, "raw IP", linktype_raw_decode },
    { 101, "raw IP", linktype_raw_decode },
    { DLT_IPV4, "raw IPv4", linktype_ipv4_decode },
    { DLT_IPV6, "raw IPv6", linktype_ipv6_decode },
    { DLT_NULL, "BSD null", linktype_null_decode },
    { 108, "OpenBSD loopback", linktype_loop_decode }, /* DLT_LOOP: 12 on OpenBSD's headers */
    { DLT_PPP, "PPP", linktype_ppp_decode },
    { DLT_PPP_SERIAL, "PPP in HDLC framing", linktype_ppp_decode },
    { DLT_PPP_ETHER, "PPPoE", linktype_ppp_ether_decode },
    { DLT_C_HDLC, "Cisco HDLC", linktype_chdlc_decode },
    { DLT_FDDI, "FDDI", linktype_fddi_decode },
    { DLT_IEEE802, "Token Ring", linktype_token_ring_decode },
    { DLT_IEEE802_11, "IEEE 802.11", linktype_ieee80211_decode },
    { DLT_IEEE802_11_RADIO, "802.11 with radiotap", linktype_radiotap_decode },
    { DLT_PPI, "802.11 or Ethernet with PPI", linktype_ppi_decode },
    { DLT_PRISM_HEADER, "802.11 with Prism header", linktype_prism_decode },
    { DLT_IEEE802_11_RADIO_AVS, "802.11 with AVS header", linktype_avs_decode },
    { 117, "OpenBSD pflog", linktype_pflog_decode }, /* DLT_PFLOG: its macro differs by platform */
    { DLT_NFLOG, "Linux netfilter log", linktype_nflog_decode },
};

const struct linktype *linktype_find(int dlt)
{
    for (size_t i = 0; i < sizeof linktypes / sizeof linktypes[0]; i++)
        if (linktypes[i].dlt == dlt)
            return &linktypes[i];
    return NULL;
}

uint16_t linktype_ethertype_of_ip_version(uint8_t first_byte)
{
    switch (first_byte >> 4) {
    case 4: return FC_ETHERTYPE_IPV4;
    case 6: return FC_ETHERTYPE_IPV6;
    default: return 0;
    }
}

/* BSD address families: AF_INET is 2 everywhere, AF_INET6 differs between systems:
 * 24 (NetBSD, OpenBSD), 28 (FreeBSD, DragonFly), 30 (macOS). */
uint16_t linktype_ethertype_of_bsd_family(uint32_t family)
{
    switch (family) {
    case 2: return FC_ETHERTYPE_IPV4;
    case 24: case 28: case 30: return FC_ETHERTYPE_IPV6;
    default: return 0;
    }
}

bool linktype_decode_ieee80211_at(const uint8_t *frame, size_t len, size_t at, unsigned framing,
                                  struct fc_netlayer *out)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    fc_cursor_skip(&c, at);
    uint16_t ethertype = fc_ieee80211_data_ethertype(&c, framing);
    return ethertype && linktype_strip_shims(&c, ethertype, frame, out);
}
