/* \summary: AVS WLAN monitor header (DLT_IEEE802_11_RADIO_AVS, 163) link-layer decoder: 802.11 frames after it */
#include "linktype.h"

#include "ieee80211.h"

/*
 * The AVS capture header (AbsoluteValue Systems, wlan-ng): a version word
 * 0x8021100n and the header's length, both big-endian, then radio information.
 */
#define AVS_FIXED 8
#define AVS_MAGIC_MASK 0xfffffff0u
#define AVS_MAGIC 0x80211000u

bool linktype_is_avs_header(const uint8_t *frame) { return (fc_be32(frame) & AVS_MAGIC_MASK) == AVS_MAGIC; }

bool linktype_avs_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    if (len < AVS_FIXED || !linktype_is_avs_header(frame))
        return false;
    uint32_t header = fc_be32(frame + 4);
    return header >= AVS_FIXED && header <= len &&
           linktype_decode_ieee80211_at(frame, len, header, FC_IEEE80211_PLAIN, out);
}
