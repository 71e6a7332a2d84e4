/* \summary: Linux cooked capture v2 (DLT_LINUX_SLL2, 276) link-layer decoder */
#include "linktype.h"

/*
 * 20-byte header: protocol (2), reserved (2), interface index (4), ARPHRD type (2),
 * packet type (1), link address length (1), link address (8). Unlike v1 the
 * protocol comes first; the network layer (or a reinserted VLAN tag) follows the
 * whole header.
 */
#define SLL2_AFTER_PROTOCOL 18

bool linktype_sll2_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    uint16_t protocol = fc_cursor_be16(&c);
    fc_cursor_skip(&c, SLL2_AFTER_PROTOCOL);
    return fc_cursor_ok(&c) && linktype_strip_shims(&c, protocol, frame, out);
}
