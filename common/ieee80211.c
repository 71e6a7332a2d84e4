/* \summary: IEEE 802.11 data frames: the network layer an unprotected data frame carries */
#include "ieee80211.h"

#include "llc.h"

/*
 * The MAC header (IEEE 802.11-2020 §9.2.3): frame control (2), duration (2), three
 * addresses, sequence control (2) = 24 bytes; a fourth address when both To DS and
 * From DS are set (a wireless bridge); the QoS control field (2) for the QoS subtypes,
 * and then an HT control field (4) when the Order bit is set.
 */
#define MAC_HEADER 24
#define FOURTH_ADDRESS 6
#define QOS_CONTROL 2
#define HT_CONTROL 4
#define FC_TYPE_DATA 2
#define FC_SUBTYPE_QOS 0x80      /* first byte: subtypes 8-15 carry QoS control */
#define FC_SUBTYPE_NO_DATA 0x40  /* first byte: null data, CF-Ack, CF-Poll without data */
#define FC_TO_FROM_DS 0x03       /* second byte */
#define FC_PROTECTED 0x40
#define FC_ORDER 0x80
#define QOS_AMSDU_PRESENT 0x80   /* first byte of QoS control */

/* Version 0, type data. */
static bool is_data(uint8_t fc0) { return (fc0 & 3) == 0 && ((fc0 >> 2) & 3) == FC_TYPE_DATA; }

uint16_t fc_ieee80211_data_ethertype(struct fc_cursor *c, unsigned framing)
{
    const uint8_t *h = fc_cursor_take(c, MAC_HEADER);
    if (!h)
        return 0;
    bool swapped = (framing & FC_IEEE80211_MAYBE_SWAPPED) && !is_data(h[0]);
    uint8_t fc0 = swapped ? h[1] : h[0], fc1 = swapped ? h[0] : h[1];
    if (!is_data(fc0) || (fc0 & FC_SUBTYPE_NO_DATA) || (fc1 & FC_PROTECTED))
        return 0;
    size_t header = MAC_HEADER;
    if ((fc1 & FC_TO_FROM_DS) == FC_TO_FROM_DS) {
        fc_cursor_skip(c, FOURTH_ADDRESS);
        header += FOURTH_ADDRESS;
    }
    if (fc0 & FC_SUBTYPE_QOS) {
        const uint8_t *qos = fc_cursor_take(c, QOS_CONTROL);
        if (!qos || (qos[0] & QOS_AMSDU_PRESENT))
            return 0;
        header += QOS_CONTROL;
        if (fc1 & FC_ORDER) {
            fc_cursor_skip(c, HT_CONTROL);
            header += HT_CONTROL;
        }
    }
    if (framing & FC_IEEE80211_PADDED_HEADER)
        fc_cursor_skip(c, (4 - header % 4) % 4);
    return fc_llc_snap_ethertype(c);
}
