/* \summary: OpenBSD/FreeBSD packet filter log (DLT_PFLOG, 117) link-layer decoder */
#include "linktype.h"

/*
 * pflog0 captures (tcpdump -i pflog0, pflogd's files) put a pfloghdr before each logged
 * IP packet: its own length in the first byte, the address family in the second, then
 * the action, the rule and the interface. The header occupies that length rounded up
 * to 4 bytes (BPF_WORDALIGN), which grew over releases (61 bytes, later 100), so it is
 * read from each packet. Below the first four fields and an interface name it is damaged.
 */
#define PFLOG_LENGTH_MIN 20

bool linktype_pflog_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    if (len < 2 || frame[0] < PFLOG_LENGTH_MIN)
        return false;
    size_t header = ((size_t)frame[0] + 3) & ~(size_t)3;
    uint16_t ethertype = linktype_ethertype_of_bsd_family(frame[1]);
    if (header > len || !ethertype)
        return false;
    out->ethertype = ethertype;
    out->offset = header;
    return true;
}
