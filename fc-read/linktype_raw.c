/* \summary: raw IP link types (DLT_RAW 12/14/101, DLT_IPV4 228, DLT_IPV6 229): no link header */
#include "linktype.h"

#include "decode.h"

/* DLT_RAW says nothing about the version: the first nibble does. Anything else
 * (empty frame, version 5, ...) travels as a raw frame. */
bool linktype_raw_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    if (len == 0)
        return false;
    out->ethertype = linktype_ethertype_of_ip_version(frame[0]);
    out->offset = 0;
    return out->ethertype != 0;
}

/* DLT_IPV4 and DLT_IPV6 name the version; the IP decoder checks the nibble. */
bool linktype_ipv4_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    (void)frame;
    (void)len;
    out->ethertype = FC_ETHERTYPE_IPV4;
    out->offset = 0;
    return true;
}

bool linktype_ipv6_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    (void)frame;
    (void)len;
    out->ethertype = FC_ETHERTYPE_IPV6;
    out->offset = 0;
    return true;
}
