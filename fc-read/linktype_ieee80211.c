/* \summary: IEEE 802.11 (DLT_IEEE802_11, 105) link-layer decoder: wireless frames without a radio header */
#include "linktype.h"

#include "ieee80211.h"

/*
 * Frames as a wireless interface in monitor mode hands them over, without radio
 * information. Only an unprotected data frame carries a network layer that can be
 * read (ieee80211.c); a frame of a network encrypted on the air (WPA), a beacon or an
 * acknowledgement travels raw and is counted as "other link" by fc-flow.
 */
bool linktype_ieee80211_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    return linktype_decode_ieee80211_at(frame, len, 0, FC_IEEE80211_PLAIN, out);
}
