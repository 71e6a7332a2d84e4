/* \summary: the table of supported link types and the VLAN-tag walk they share */
#include "linktype.h"

#include <pcap/dlt.h>

#include "decode.h"

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
};

const struct linktype *linktype_find(int dlt)
{
    for (size_t i = 0; i < sizeof linktypes / sizeof linktypes[0]; i++)
        if (linktypes[i].dlt == dlt)
            return &linktypes[i];
    return NULL;
}

/* Tag protocol identifiers: 802.1Q, 802.1ad (QinQ outer), and the pre-standard 0x9100. */
static const uint16_t vlan_tpids[] = { 0x8100, 0x88a8, 0x9100 };
#define VLAN_MAX_TAGS 8 /* more than any real network stacks; bounds the walk */

static bool is_vlan_tpid(uint16_t ethertype)
{
    for (size_t i = 0; i < sizeof vlan_tpids / sizeof vlan_tpids[0]; i++)
        if (vlan_tpids[i] == ethertype)
            return true;
    return false;
}

bool linktype_strip_vlan_tags(struct fc_cursor *c, uint16_t ethertype, const uint8_t *frame,
                              struct fc_netlayer *out)
{
    int tags = 0;
    while (fc_cursor_ok(c) && is_vlan_tpid(ethertype) && tags < VLAN_MAX_TAGS) {
        uint16_t vid = fc_cursor_be16(c) & 0x0fff;
        if (tags == 0)
            out->vlan = vid;
        else if (tags == 1)
            out->vlan2 = vid;
        ethertype = fc_cursor_be16(c);
        tags++;
    }
    if (!fc_cursor_ok(c))
        return false;
    out->ethertype = ethertype;
    out->offset = (size_t)(c->p - frame);
    return true;
}

uint16_t linktype_ethertype_of_ip_version(uint8_t first_byte)
{
    switch (first_byte >> 4) {
    case 4: return FC_ETHERTYPE_IPV4;
    case 6: return FC_ETHERTYPE_IPV6;
    default: return 0;
    }
}
