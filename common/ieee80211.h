/* \summary: IEEE 802.11 data frames: the network layer an unprotected data frame carries */
#ifndef FC_IEEE80211_H
#define FC_IEEE80211_H

/*
 * Wireless captures (the 802.11 link types, radiotap, PPI, Prism and AVS headers, TZSP
 * from a wireless sniffer) and CAPWAP tunnels carry native 802.11 frames. Of those, an
 * unprotected data frame holds an LLC/SNAP header and an ethertype, like Ethernet's;
 * management and control frames, null data and frames encrypted on the air hold none
 * that can be read.
 */
#include <stdint.h>

#include "bytes.h"

enum fc_ieee80211_framing {
    FC_IEEE80211_PLAIN = 0,
    /* The frame control field's two bytes may come swapped (Cisco's CAPWAP controllers):
     * a field that is not a data frame's as it stands is read swapped. */
    FC_IEEE80211_MAYBE_SWAPPED = 1,
    /* The MAC header is padded to a multiple of 4 bytes (radiotap's "data pad" flag). */
    FC_IEEE80211_PADDED_HEADER = 2,
};

/* Reads an 802.11 frame at c. For an unprotected data frame with an LLC/SNAP header
 * (RFC 1042 or 802.1H), returns the ethertype it names and leaves c just after it;
 * otherwise returns 0 (not a data frame, no data, protected, an A-MSDU, other LLC, cut). */
uint16_t fc_ieee80211_data_ethertype(struct fc_cursor *c, unsigned framing);

#endif
