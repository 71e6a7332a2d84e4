/* \summary: IEEE 802.2 LLC with a SNAP header: the ethertype it names */
#include "llc.h"

#include <string.h>

#define SNAP_HEADER 6 /* DSAP, SSAP, control, OUI */

uint16_t fc_llc_snap_ethertype(struct fc_cursor *c)
{
    static const uint8_t rfc1042[SNAP_HEADER] = { 0xaa, 0xaa, 0x03, 0, 0, 0 },
                         bridge_tunnel[SNAP_HEADER] = { 0xaa, 0xaa, 0x03, 0, 0, 0xf8 };
    const uint8_t *llc = fc_cursor_take(c, SNAP_HEADER);
    if (!llc || (memcmp(llc, rfc1042, SNAP_HEADER) != 0 && memcmp(llc, bridge_tunnel, SNAP_HEADER) != 0))
        return 0;
    uint16_t ethertype = fc_cursor_be16(c);
    return fc_cursor_ok(c) ? ethertype : 0;
}
