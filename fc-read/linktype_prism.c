/* \summary: Prism monitor header (DLT_PRISM_HEADER, 119) link-layer decoder: 802.11 frames after it */
#include "linktype.h"

#include "ieee80211.h"

/*
 * Old Linux wireless drivers (prism2, wlan-ng, madwifi) put a 144-byte header of radio
 * information before each frame: a message code and the header's length (both 32-bit,
 * host order, so little-endian in practice), a device name and value items. Some of
 * them wrote an AVS header under this link type instead; it is read as AVS (linktype_avs.c).
 */
#define PRISM_FIXED 8

bool linktype_prism_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    if (len >= PRISM_FIXED && linktype_is_avs_header(frame))
        return linktype_avs_decode(frame, len, out);
    if (len < PRISM_FIXED)
        return false;
    uint32_t header = fc_le32(frame + 4);
    return header >= PRISM_FIXED && header <= len &&
           linktype_decode_ieee80211_at(frame, len, header, FC_IEEE80211_PLAIN, out);
}
