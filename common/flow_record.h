/* \summary: the flow record: one struct, packed by fc-flow and read by every later stage */
#ifndef FC_FLOW_RECORD_H
#define FC_FLOW_RECORD_H

/*
 * Flow records (kind FC_REC_FLOW) and sample records (FC_REC_SAMPLE, which carry a
 * snapshot of the same fields plus the observations) share these fields. Later
 * stages add verdict fields to the same map; fc_flow_unpack ignores keys it does
 * not know, so unknown fields survive a round trip through stages that re-pack.
 */
#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>

#include "record.h"
#include "stream.h"

struct fc_flow_side {
    uint8_t ip[16];           /* IPv4: first 4 bytes */
    uint16_t port;            /* §1 of FORMATS.md: TCP/UDP/SCTP port, ICMP type or counterpart */
    uint64_t pkts, ip_bytes, payload_bytes, wire_bytes;
    uint8_t tcp_flags;        /* OR of every TCP flag byte this side sent */
    bool has_icmp;            /* this side sent an ICMP message */
    uint8_t icmp_type, icmp_code; /* its first */
};

enum fc_flow_state { FC_STATE_NEW, FC_STATE_ESTABLISHED, FC_STATE_CLOSED };
/* The last two mark an interim record (fc-flow --preview, --flush): the flow is still open,
 * its counters so far; its final record, with one of the others, comes later. */
enum fc_flow_reason {
    FC_REASON_TIMEOUT, FC_REASON_SHUTDOWN, FC_REASON_TCP_REUSE, FC_REASON_FORCED, FC_REASON_PREVIEW, FC_REASON_FLUSH,
};

struct fc_flow {
    uint64_t id;              /* flow number within the stream, from 1 */
    uint8_t ipv, proto;
    bool has_ports;           /* TCP, UDP, SCTP, ICMP, ICMPv6 */
    uint16_t vlan, vlan2;
    uint8_t tunnel;           /* enum fc_tunnel_kind (tunnel.h) of the tunnel it came out of; 0 = none */
    int64_t start_us, end_us;
    struct fc_flow_side orig, resp;
    enum fc_flow_state state;
    enum fc_flow_reason reason;
    char conn_state[8];       /* Zeek code, e.g. "SF" */
    char history[32];         /* Zeek history (bounded: letters appear a bounded number of times) */
    uint64_t missed_bytes;
};

const char *fc_flow_state_name(enum fc_flow_state s);
const char *fc_flow_reason_name(enum fc_flow_reason r);
/* True for the reasons of interim records (preview, flush). */
bool fc_flow_reason_is_interim(enum fc_flow_reason r);
/* The same, read from a flow record map's reason field (false when it has none). */
bool fc_flow_map_is_interim(const msgpack_object *map);

/* Number of map entries fc_flow_pack_fields writes (so callers can add their own). */
uint32_t fc_flow_field_count(const struct fc_flow *f);
/* Packs the flow's key/value pairs (not the enclosing map header nor FC_KEY_KIND). */
void fc_flow_pack_fields(msgpack_packer *pk, const struct fc_flow *f);
/* Packs a whole flow record {k:2, fields...}. */
void fc_flow_pack_record(msgpack_packer *pk, const struct fc_flow *f);

/* Reads flow fields from a flow or sample record map; false (with why) if a required one
 * is missing or malformed. */
bool fc_flow_unpack(const msgpack_object *map, struct fc_flow *f, const char **why);


/*
 * fc_flow_unpack in two steps, for a stage that reads other fields of the record too and
 * finds all of them in one fc_map_get_many pass: its key table starts with FC_FLOW_FIELD_KEYS
 * (in enum fc_flow_field's order, the order fc_flow_pack_fields writes them), and the
 * first FC_FLOW_FIELD_COUNT values found go to fc_flow_unpack_found.
 */
enum fc_flow_field {
    FC_FLOW_ID, FC_FLOW_IPV, FC_FLOW_PROTO, FC_FLOW_VLAN, FC_FLOW_VLAN2, FC_FLOW_TUNNEL, FC_FLOW_START, FC_FLOW_END,
    FC_FLOW_ORIG, FC_FLOW_RESP, FC_FLOW_STATE, FC_FLOW_REASON, FC_FLOW_CONN_STATE, FC_FLOW_HISTORY,
    FC_FLOW_MISSED, FC_FLOW_FIELD_COUNT
};
#define FC_FLOW_FIELD_KEYS                                                                              \
    FC_MAP_KEY(FC_KEY_ID), FC_MAP_KEY(FC_KEY_IPV), FC_MAP_KEY(FC_KEY_PROTO), FC_MAP_KEY(FC_KEY_VLAN),   \
    FC_MAP_KEY(FC_KEY_VLAN2), FC_MAP_KEY(FC_KEY_TUNNEL), FC_MAP_KEY(FC_KEY_START), FC_MAP_KEY(FC_KEY_END), FC_MAP_KEY(FC_KEY_ORIG), \
    FC_MAP_KEY(FC_KEY_RESP), FC_MAP_KEY(FC_KEY_STATE), FC_MAP_KEY(FC_KEY_REASON),                       \
    FC_MAP_KEY(FC_KEY_CONN_STATE), FC_MAP_KEY(FC_KEY_HISTORY), FC_MAP_KEY(FC_KEY_MISSED)
bool fc_flow_unpack_found(const msgpack_object *const v[FC_FLOW_FIELD_COUNT], struct fc_flow *f, const char **why);

/* Protocols with ports per FORMATS.md §1. */
bool fc_proto_has_ports(uint8_t proto);

#endif
