/* \summary: what may sit between a link header and IP: VLAN tags, E-tags, a PPPoE session, MPLS labels, NSH */
#include "linktype.h"

#include "decode.h"
#include "llc.h"
#include "ppp.h"

/*
 * Ethernet, Linux cooked and Cisco HDLC name their payload by ethertype, and so does
 * each shim that real links put before the IP header: an 802.1Q or 802.1ad tag, an
 * 802.1BR E-tag (port extenders), an 802.1ah I-TAG (provider backbone bridges), a PPPoE
 * session (DSL access lines), an MPLS label stack (provider networks), a network service
 * header (service function chains). Each shim
 * is one open function in shims[]: it moves the cursor past the shim and returns the
 * ethertype of what follows, and the walk goes on from there. An MPLS payload may be a
 * pseudowire carrying a whole Ethernet frame, and so may a service header and an I-TAG:
 * its ethertype is walked in turn.
 *
 * A shim that carries nothing fc-read reads (a PPP control protocol such as LCP, an
 * MPLS payload that is neither IP nor a pseudowire) is itself the network layer
 * reported: its ethertype at its offset, which fc-flow counts as not IP. A shim cut
 * short refuses the whole frame, as a cut VLAN tag always has, so it travels raw.
 */

#define SHIMS_MAX 8          /* shims in one frame: more than real networks stack; bounds the
                                walk, and with it the pseudowires nested in pseudowires */
#define MPLS_LABELS_MAX 16   /* label stack entries: segment-routing stacks stay below */
#define MPLS_BOTTOM_OF_STACK 0x100
#define PW_CONTROL_WORD 4    /* RFC 4385: first nibble 0, which no IP version has */
#define PPPOE_VERSION_TYPE 0x11
#define PPPOE_CODE_SESSION 0x00
#define PPPOE_AFTER_CODE 4   /* session id, payload length */
#define ETAG_AFTER_TPID 6    /* 802.1BR: priority, E-CIDs, then the next ethertype */
#define ETHERTYPE_ETAG 0x893f
#define ETHERTYPE_NSH 0x894f
#define ETHERTYPE_PBB 0x88e7    /* 802.1ah I-TAG: provider backbone bridging */
#define PBB_ITAG 4              /* priority, flags, 24-bit service id; the customer's frame follows */

struct shim_walk {
    struct fc_netlayer *out;
    int vlan_ids_left;       /* VLAN ids still to record: out->vlan, then out->vlan2 */
};
#define VLAN_IDS 2

/* Returns the ethertype after the shim at c, 0 when nothing fc-read reads follows
 * (0x0000 is no ethertype: on Ethernet it is an 802.3 length); a shim cut short
 * leaves c bad. */
typedef uint16_t (*shim_open_fn)(struct fc_cursor *c, struct shim_walk *w);

static uint16_t open_vlan_tag(struct fc_cursor *c, struct shim_walk *w)
{
    uint16_t vid = fc_cursor_be16(c) & 0x0fff;
    if (w->vlan_ids_left == VLAN_IDS)
        w->out->vlan = vid;
    else if (w->vlan_ids_left == VLAN_IDS - 1)
        w->out->vlan2 = vid;
    if (w->vlan_ids_left > 0)
        w->vlan_ids_left--;
    return fc_cursor_be16(c);
}

/* RFC 2516: version and type (1, 1), code 0 in session data, session id, length; then
 * the PPP frame without address and control. */
static uint16_t open_pppoe_session(struct fc_cursor *c, struct shim_walk *w)
{
    (void)w;
    uint8_t version_type = fc_cursor_u8(c);
    uint8_t code = fc_cursor_u8(c);
    fc_cursor_skip(c, PPPOE_AFTER_CODE);
    if (version_type != PPPOE_VERSION_TYPE || code != PPPOE_CODE_SESSION)
        return 0;
    return fc_ppp_protocol_ethertype(c);
}

static uint16_t open_etag(struct fc_cursor *c, struct shim_walk *w)
{
    (void)w;
    fc_cursor_skip(c, ETAG_AFTER_TPID);
    return fc_cursor_be16(c);
}

/* A customer's Ethernet frame carried whole (a pseudowire, a service chain, a backbone
 * bridge). Its VLAN
 * tags are recorded only when the outer frame had no tag, so that a flow is never keyed
 * by a provider's outer tag mixed with a customer's inner one. */
static uint16_t carried_ethernet(struct fc_cursor *c, struct shim_walk *w)
{
    if (w->vlan_ids_left < VLAN_IDS)
        w->vlan_ids_left = 0;
    fc_cursor_skip(c, ETHER_ADDRS);
    return fc_cursor_be16(c);
}

/* Provider backbone bridging (802.1ah): the I-TAG, then the customer's whole frame. */
static uint16_t open_pbb(struct fc_cursor *c, struct shim_walk *w)
{
    fc_cursor_skip(c, PBB_ITAG);
    return carried_ethernet(c, w);
}

/* An Ethernet pseudowire (RFC 4448) after its control word. */
static uint16_t open_ethernet_pseudowire(struct fc_cursor *c, struct shim_walk *w)
{
    fc_cursor_skip(c, PW_CONTROL_WORD);
    return carried_ethernet(c, w);
}

/* The network service header (RFC 8300): version 0, its length in 4-byte words (at
 * least the base and service path headers), and the next protocol. */
#define NSH_WORDS_MIN 2
enum nsh_next { NSH_NEXT_IPV4 = 1, NSH_NEXT_IPV6 = 2, NSH_NEXT_ETHERNET = 3, NSH_NEXT_NSH = 4, NSH_NEXT_MPLS = 5 };

static uint16_t open_nsh(struct fc_cursor *c, struct shim_walk *w)
{
    const uint8_t *h = fc_cursor_take(c, 4);
    if (!h || h[0] >> 6 != 0 || (h[1] & 0x3f) < NSH_WORDS_MIN)
        return 0;
    fc_cursor_skip(c, (size_t)(h[1] & 0x3f) * 4 - 4);
    switch (h[3]) {
    case NSH_NEXT_IPV4: return FC_ETHERTYPE_IPV4;
    case NSH_NEXT_IPV6: return FC_ETHERTYPE_IPV6;
    case NSH_NEXT_ETHERNET: return carried_ethernet(c, w);
    case NSH_NEXT_NSH: return ETHERTYPE_NSH;
    case NSH_NEXT_MPLS: return FC_ETHERTYPE_MPLS_UNICAST;
    default: return 0;
    }
}

/* RFC 3032: 4-byte label stack entries up to the one with the bottom-of-stack bit. The
 * stack does not say what it carries: the first nibble after it does (RFC 4928). */
static uint16_t open_mpls(struct fc_cursor *c, struct shim_walk *w)
{
    uint32_t entry = 0;
    for (int labels = 0; labels < MPLS_LABELS_MAX && !(entry & MPLS_BOTTOM_OF_STACK) && fc_cursor_ok(c);
         labels++)
        entry = fc_cursor_be32(c);
    if (!(entry & MPLS_BOTTOM_OF_STACK))
        return 0;
    struct fc_cursor peek = *c;
    uint8_t first = fc_cursor_u8(&peek);
    if (!fc_cursor_ok(&peek))
        return 0; /* nothing after the labels: what it was is unknown */
    if (first >> 4 == 0)
        return open_ethernet_pseudowire(c, w);
    return linktype_ethertype_of_ip_version(first);
}

static const struct {
    uint16_t ethertype;
    shim_open_fn open;
} shims[] = {
    { 0x8100, open_vlan_tag }, /* 802.1Q */
    { 0x88a8, open_vlan_tag }, /* 802.1ad (QinQ outer) */
    { 0x9100, open_vlan_tag }, /* pre-standard QinQ */
    { ETHERTYPE_ETAG, open_etag },
    { ETHERTYPE_PBB, open_pbb },
    { ETHERTYPE_PPPOE_SESSION, open_pppoe_session },
    { FC_ETHERTYPE_MPLS_UNICAST, open_mpls },
    { FC_ETHERTYPE_MPLS_MULTICAST, open_mpls },
    { ETHERTYPE_NSH, open_nsh },
};

static shim_open_fn shim_opener(uint16_t ethertype)
{
    for (size_t i = 0; i < sizeof shims / sizeof shims[0]; i++)
        if (shims[i].ethertype == ethertype)
            return shims[i].open;
    return NULL;
}

bool linktype_strip_shims(struct fc_cursor *c, uint16_t ethertype, const uint8_t *frame,
                          struct fc_netlayer *out)
{
    struct shim_walk w = { out, VLAN_IDS };
    shim_open_fn open_shim;
    for (int n = 0; n < SHIMS_MAX && (open_shim = shim_opener(ethertype)) != NULL; n++) {
        struct fc_cursor inside = *c;
        uint16_t next = open_shim(&inside, &w);
        if (!fc_cursor_ok(&inside))
            return false;
        if (next == 0)
            break;
        *c = inside;
        ethertype = next;
    }
    out->ethertype = ethertype;
    out->offset = (size_t)(c->p - frame);
    return true;
}

/* A type field up to 1500 is an 802.3 length (Linux cooked captures say 4 for such 802.2
 * frames): IP in such a frame is behind an LLC/SNAP header (RFC 1042), whose ethertype
 * is walked on; any other (spanning tree, CDP, NetBIOS over LLC) passes its value on as
 * it is, which fc-flow counts as a frame that is not IP. */
#define ETHER_MAX_LENGTH 1500

bool linktype_decode_ethertype_header(const uint8_t *frame, size_t len, size_t ethertype_at,
                                      struct fc_netlayer *out)
{
    struct fc_cursor c = fc_cursor_make(frame, len);
    fc_cursor_skip(&c, ethertype_at);
    uint16_t ethertype = fc_cursor_be16(&c);
    if (!fc_cursor_ok(&c))
        return false;
    if (ethertype <= ETHER_MAX_LENGTH) {
        struct fc_cursor llc = c;
        uint16_t snap = fc_llc_snap_ethertype(&llc);
        if (snap) {
            c = llc;
            ethertype = snap;
        }
    }
    return linktype_strip_shims(&c, ethertype, frame, out);
}
