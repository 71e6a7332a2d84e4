/* \summary: BSD loopback link types: DLT_NULL (0, host byte order) and DLT_LOOP (108, network order) */
#include "linktype.h"

/*
 * A 4-byte address family, then the IP packet. DLT_NULL stores the family in the
 * byte order of the machine that captured, which the file does not say; families
 * are small numbers, so whichever reading is below 256 is the right one (the
 * families: linktype_ethertype_of_bsd_family).
 */
#define NULL_HEADER 4

static bool set_from_family(uint32_t family, struct fc_netlayer *out)
{
    out->ethertype = linktype_ethertype_of_bsd_family(family);
    out->offset = NULL_HEADER;
    return out->ethertype != 0;
}

bool linktype_null_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    const uint8_t *family = fc_cursor_take(&c, NULL_HEADER);
    if (!family)
        return false;
    uint32_t little = fc_le32(family);
    return set_from_family(little < 256 ? little : fc_be32(family), out);
}

bool linktype_loop_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    const uint8_t *family = fc_cursor_take(&c, NULL_HEADER);
    return family && set_from_family(fc_be32(family), out);
}
