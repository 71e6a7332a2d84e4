/* \summary: Per-Packet Information (DLT_PPI, 192) link-layer decoder: a frame of another link type after a PPI header */
#include "linktype.h"

/*
 * PPI (CACE Technologies' specification, 2007; AirPcap, Kismet): version 0, flags, the
 * header's length (little-endian, with its radio fields) and the link type of the
 * frame that follows, mostly 802.11, sometimes Ethernet. That frame is decoded by its
 * own link type's decoder; PPI is not nested in PPI.
 */
#define PPI_FIXED 8

bool linktype_ppi_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    if (len < PPI_FIXED || frame[0] != 0)
        return false;
    size_t header = fc_le16(frame + 2);
    int dlt = (int)fc_le32(frame + 4);
    const struct linktype *inner = linktype_find(dlt);
    if (header < PPI_FIXED || header > len || !inner || inner->decode == linktype_ppi_decode ||
        !inner->decode(frame + header, len - header, out))
        return false;
    out->offset += header;
    return true;
}
