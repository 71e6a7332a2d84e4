/* \summary: radiotap (DLT_IEEE802_11_RADIO, 127) link-layer decoder: 802.11 frames after radio information */
#include "linktype.h"

#include "ieee80211.h"

/*
 * The radiotap header (radiotap.org): version 0, a pad byte, the header's length
 * (little-endian, the whole header), then presence bitmaps (32 bits each; bit 31 says
 * another follows) and the fields they announce, each aligned to its own size from
 * the header's start. Of those fields only Flags (bit 1) matters here, and before it
 * only TSFT (bit 0, 8 bytes): its "data pad" flag says the 802.11 header is padded to
 * 4 bytes, and a frame whose FCS failed its check was damaged on the air, so its
 * addresses and payload cannot be trusted: it travels raw, as frames that are not data.
 */
#define RADIOTAP_FIXED 4         /* version, pad, length */
#define RADIOTAP_BITMAPS_MAX 16  /* presence bitmaps walked to find the fields: ample */
#define PRESENT_TSFT 0x1u
#define PRESENT_FLAGS 0x2u
#define PRESENT_EXTENDED 0x80000000u
#define TSFT_BYTES 8
#define FLAG_DATA_PAD 0x20
#define FLAG_BAD_FCS 0x40

/* The Flags field's value (0 when absent); false when the header is damaged. */
static bool radiotap_flags(const uint8_t *frame, size_t header, uint8_t *flags)
{
    struct fc_cursor c = fc_cursor_make(frame, header);
    fc_cursor_skip(&c, RADIOTAP_FIXED);
    uint32_t present = fc_cursor_le32(&c), bitmap = present;
    for (int n = 1; (bitmap & PRESENT_EXTENDED) && n < RADIOTAP_BITMAPS_MAX; n++)
        bitmap = fc_cursor_le32(&c);
    if (!fc_cursor_ok(&c) || (bitmap & PRESENT_EXTENDED))
        return false;
    *flags = 0;
    if (!(present & PRESENT_FLAGS))
        return true;
    if (present & PRESENT_TSFT) {
        size_t at = header - c.left;
        fc_cursor_skip(&c, (TSFT_BYTES - at % TSFT_BYTES) % TSFT_BYTES + TSFT_BYTES);
    }
    *flags = fc_cursor_u8(&c);
    return fc_cursor_ok(&c);
}

bool linktype_radiotap_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    if (len < RADIOTAP_FIXED + 4 || frame[0] != 0)
        return false;
    size_t header = fc_le16(frame + 2);
    uint8_t flags;
    if (header < RADIOTAP_FIXED + 4 || header > len || !radiotap_flags(frame, header, &flags) ||
        (flags & FLAG_BAD_FCS))
        return false;
    unsigned framing = (flags & FLAG_DATA_PAD) ? FC_IEEE80211_PADDED_HEADER : FC_IEEE80211_PLAIN;
    return linktype_decode_ieee80211_at(frame, len, header, framing, out);
}
