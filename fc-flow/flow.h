/* \summary: fc-flow's table of contents: the compact per-flow state and the modules that use it */
#ifndef FC_FLOW_FLOW_H
#define FC_FLOW_FLOW_H

/*
 * fc-flow holds one struct flow per concurrent flow, so its size is the program's
 * memory per flow (man/fc-flow.1 promises well under 400 bytes). It is therefore
 * not the exchange struct fc_flow of common/flow_record.h: addresses, counters and
 * TCP tracking are kept compactly, links are 32-bit slot numbers instead of
 * pointers, the Zeek history is packed 5 bits per letter, and the payload sample,
 * needed only for a flow's first packets, lives in a separate pool
 * (payload_sample.h) that the flow refers to by number until the sample is sent.
 *
 * Modules:
 *   flow_table.c     slab of flows, hash lookup (both directions), LRU lists per timeout class
 *   flow_packet.c    what one packet does to its flow: counters, TCP sequence span, client rule
 *   tcp_history.c    Zeek endpoint states, history letters and conn_state (FORMATS.md §5)
 *   payload_sample.c the first payload packets of each flow, sent as a sample record
 *   fragments.c      later IP fragments counted in the flow of their first fragment
 *   flow_output.c    flow and sample records, state and reason
 *   main.c           options, the record loop, timeouts, stats
 */
#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

#define FLOW_NONE 0u /* slot number 0 is never a flow, so it can mean "none" */

/* Timeout classes: each has its own idle timeout and LRU list (oldest at the head). */
enum timeout_class { TC_TCP, TC_UDP, TC_ICMP, TC_OTHER, TC_CLOSED, TC_COUNT };

/* TCP endpoint states, FORMATS.md §5. */
enum tcp_endpoint {
    EP_INACTIVE, EP_SYN_SENT, EP_SYN_ACK_SENT, EP_PARTIAL, EP_ESTABLISHED, EP_CLOSED, EP_RESET
};

/* Per direction; index 0 = orig (client), 1 = resp. Counters that can grow without
 * bound are 64-bit; sequence numbers are the 32-bit values on the wire. */
struct flow_side {
    uint64_t pkts, ip_bytes, wire_bytes;
    uint64_t payload;      /* UDP/ICMP/SCTP/other: payload bytes; TCP: payload octets received */
    uint64_t seq_span;     /* TCP: highest payload end - lowest payload start (unwrapped) */
    uint32_t seq_lo;       /* TCP: lowest payload start sequence number */
    uint32_t last_syn, last_fin, last_rst; /* for the S/H, F, R repetition rules */
    uint32_t rexmits, zero_windows;        /* counts, for the T/W 1st/10th/100th rule */
};

/* Bits in flow.side_bits[dir] */
enum {
    SB_HAS_SEQ = 1,        /* seq_lo/seq_span hold a payload range */
    SB_HAS_ICMP = 2,       /* icmp_type/icmp_code hold this side's first ICMP message */
    SB_SENT = 4,           /* this side sent at least one packet */
    SB_FIN = 8,            /* sent a FIN */
    SB_RST = 16,           /* sent a RST */
    SB_SYN_SEEN = 32,      /* last_syn is valid */
    SB_FIN_SEEN = 64,      /* last_fin is valid */
    SB_RST_SEEN = 128,     /* last_rst is valid */
};

/* Bits in flow.flags */
enum {
    FF_ESTABLISHED = 1,    /* TCP handshake completed at some point */
    FF_SAMPLE_SENT = 2,    /* the sample record went out (or there will be none) */
    FF_HISTORY_FULL = 4,   /* history reached its bound; later letters are dropped */
};

/* Bits in flow.once_seen: letters written at most once per side; resp's are shifted by 4 */
enum { HO_A = 1, HO_D = 2, HO_I = 4, HO_Q = 8 };

#define HISTORY_MAX 31     /* letters (struct fc_flow holds 31 + NUL) */
#define HISTORY_BYTES 20   /* 32 letters x 5 bits */

/* 256 bytes, aligned to cache lines in the slab: the first line holds all that a hash
 * lookup compares, so a miss in a bucket's chain costs one line. */
struct flow {
    _Alignas(64) uint32_t hash;   /* flow_key_hash of the key, for lookups and rehashing */
    uint32_t hash_next;           /* next flow in the same hash bucket */
    uint8_t ipv, proto;
    uint16_t vlan;
    uint16_t port[2];             /* §1 ports: TCP/UDP/SCTP ports, ICMP type/counterpart */
    uint8_t addr[2][16];          /* orig, resp (IPv4: first 4 bytes) */
    uint32_t lru_prev, lru_next;  /* neighbours in the timeout class's LRU list */
    struct flow_side side[2];
    int64_t start_us, end_us;
    uint64_t id;                  /* flow number in the output stream, from 1 */
    uint16_t vlan2;
    uint32_t sample;              /* payload sample slot, 0 = none */
    uint8_t tclass;               /* enum timeout_class, the list the flow is in */
    uint8_t tunnel;               /* enum fc_tunnel_kind its first packet came out of (tunnel.h) */
    uint8_t flags;                /* FF_* */
    uint8_t tcp_flags[2];         /* OR of flag bytes per side */
    uint8_t icmp_type[2], icmp_code[2];
    uint8_t ep[2];                /* enum tcp_endpoint per side */
    uint8_t side_bits[2];         /* SB_* */
    uint8_t once_seen;            /* history letters A D I Q already written, per side (HO_*) */
    uint8_t history_len;
    uint8_t history[HISTORY_BYTES];
    uint32_t clock_lag;           /* the packet clock minus end_us when last touched, in 1024 us, saturating */
};

/*
 * When the flow was last touched on the packet clock (the largest timestamp seen): idle
 * timeouts count from this, not from the flow's own last timestamp, so packets older
 * than the clock (a second capture of an earlier period read after the first) keep
 * their flows rather than each starting a flow timed out at once. It is never later than
 * the true time (the lag is rounded down), and equals end_us for input in time order.
 */
static inline int64_t flow_touched_us(const struct flow *f)
{
    return f->end_us + ((int64_t)f->clock_lag << 10);
}

/* The identity of the packet's flow as seen from the packet's sender. */
struct flow_key {
    uint8_t ipv, proto;
    uint16_t vlan;
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
};

#endif
