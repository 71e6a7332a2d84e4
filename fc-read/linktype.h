/* \summary: link-layer decoders: where a frame's network layer starts, one file per link type */
#ifndef FC_READ_LINKTYPE_H
#define FC_READ_LINKTYPE_H

/*
 * A decoder looks at one captured frame and says where its network layer starts
 * and what it is (an ethertype), stripping VLAN tags, PPPoE and MPLS on the way
 * (link_shims.c). It never reads past the captured bytes (every read goes through
 * struct fc_cursor). Adding a link type is one file with its decode function plus
 * one line in linktypes[] (linktype.c). A link type that is not in the table is
 * passed on as a raw frame labelled with its DLT, so fc-flow can count what it
 * could not read.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

struct fc_netlayer {
    uint16_t ethertype;   /* FC_ETHERTYPE_IPV4, FC_ETHERTYPE_IPV6, or any other ethertype */
    uint16_t vlan, vlan2; /* outer and inner VLAN id, 0 when untagged */
    size_t offset;        /* network layer starts at frame + offset (<= frame length) */
};

/* Fills *out; false when the frame is too short for its link header or names no
 * network protocol this decoder can express (the frame then travels raw). */
typedef bool (*linktype_decode_fn)(const uint8_t *frame, size_t len, struct fc_netlayer *out);

struct linktype {
    int dlt;              /* DLT_ value as pcap_datalink() returns it */
    const char *name;
    linktype_decode_fn decode;
};

/* The decoder for a DLT, or NULL when the link type is not supported. */
const struct linktype *linktype_find(int dlt);

/* Ethertypes of the shims a link header may name before the network layer. */
#define ETHERTYPE_PPPOE_SESSION 0x8864
#define ETHER_ADDRS 12 /* destination and source MAC before an Ethernet frame's ethertype */

/* Decodes a link header that ends in an ethertype, found at byte ethertype_at (Ethernet,
 * Linux cooked v1, Cisco HDLC), an LLC/SNAP header when that field is an 802.3 length,
 * and the shims after it. false when the header is cut. */
bool linktype_decode_ethertype_header(const uint8_t *frame, size_t len, size_t ethertype_at,
                                      struct fc_netlayer *out);

/* Shared by the decoders whose header names an ethertype (Ethernet, Linux cooked, Cisco
 * HDLC, PPP): `ethertype` has been read and c stands just after it. Strips the shims
 * between there and the network layer (link_shims.c: VLAN tags, recording the outer and
 * inner VLAN id; a PPPoE session header; an MPLS label stack and the Ethernet frame of
 * a pseudowire) and sets out->ethertype and out->offset from frame. A shim that carries
 * nothing fc-read reads is itself the network layer reported (not IP). false when a
 * shim is cut short. */
bool linktype_strip_shims(struct fc_cursor *c, uint16_t ethertype, const uint8_t *frame,
                          struct fc_netlayer *out);

/* Whether a frame starts with a Cisco HDLC address (0x0f, 0x8f), as no PPP frame does:
 * PPP link types may carry Cisco HDLC framing. */
bool linktype_is_chdlc_frame(const uint8_t *frame, size_t len);

/* Network-layer ethertype from an IP version nibble (raw IP link types); 0 if neither. */
uint16_t linktype_ethertype_of_ip_version(uint8_t first_byte);

/* Network-layer ethertype of a BSD address family (AF_INET, the AF_INET6 values of the
 * BSDs and macOS), as the loopback and pflog headers carry it; 0 for any other. */
uint16_t linktype_ethertype_of_bsd_family(uint32_t family);

/* Decodes the 802.11 frame at byte `at` of frame (after a radio header) with the framing
 * of common/ieee80211.h, and the shims after its SNAP header. false when it is not an
 * unprotected data frame naming an ethertype. */
bool linktype_decode_ieee80211_at(const uint8_t *frame, size_t len, size_t at, unsigned framing,
                                  struct fc_netlayer *out);

/* Whether a radio header is AVS's (its version word), as Prism link types may carry. */
bool linktype_is_avs_header(const uint8_t *frame);

/* The decode functions, one per file. */
bool linktype_ethernet_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_sll_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_sll2_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_raw_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_ipv4_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_ipv6_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_null_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_loop_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_ppp_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_ppp_ether_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_chdlc_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_fddi_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_token_ring_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_ieee80211_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_radiotap_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_ppi_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_prism_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_avs_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_pflog_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);
bool linktype_nflog_decode(const uint8_t *frame, size_t len, struct fc_netlayer *out);

#endif
