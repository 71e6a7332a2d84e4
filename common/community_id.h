/* \summary: Community ID v1 (Corelight spec) and the ICMP type/counterpart port rule */
#ifndef FC_COMMUNITY_ID_H
#define FC_COMMUNITY_ID_H

/*
 * Community ID v1: SHA-1 over seed, the two endpoints in a canonical order, the IP
 * protocol, a zero byte and (for TCP, UDP, SCTP, ICMP, ICMPv6) the two ports, then
 * "1:" + base64 (or hex). ICMP and ICMPv6 have no ports; the spec (and FORMATS.md §1)
 * uses the message type as the first port and its counterpart type (echo request ->
 * echo reply, ...) as the second, or the code when the type has no counterpart. Such
 * "one-way" messages keep their packet order instead of the canonical order.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "1:" + 40 hex digits + NUL is the longest output. */
#define FC_COMMUNITY_ID_MAX 44

struct fc_cid_tuple {
    uint8_t ipv;               /* 4 or 6: addresses are 4 or 16 bytes */
    uint8_t proto;
    const uint8_t *saddr, *daddr;
    uint16_t sport, dport;     /* ICMP: type and counterpart (or code) */
    bool one_way;              /* ICMP message without counterpart: keep packet order */
};

struct fc_cid_options {
    uint16_t seed;             /* 0 unless the sites agree on another */
    bool base64;               /* true: "1:" + base64 (the default); false: "1:" + hex */
};

/* Writes the Community ID of `t` into out (at least FC_COMMUNITY_ID_MAX bytes). */
void fc_community_id(const struct fc_cid_tuple *t, const struct fc_cid_options *opt,
                     char out[FC_COMMUNITY_ID_MAX]);

/* True when `proto` is ICMP (1) or ICMPv6 (58). */
bool fc_proto_is_icmp(uint8_t proto);
/* True (and *counterpart set) when the ICMP/ICMPv6 message type has a counterpart type. */
bool fc_icmp_counterpart(uint8_t proto, uint8_t type, uint8_t *counterpart);
/* The §1 port pair of an ICMP message; returns true when the message is one-way. */
bool fc_icmp_ports(uint8_t proto, uint8_t type, uint8_t code, uint16_t *port_a, uint16_t *port_b);

#endif
