/* \summary: Zeek's TCP endpoint states, history letters and conn_state (FORMATS.md §5) */
#ifndef FC_FLOW_TCP_HISTORY_H
#define FC_FLOW_TCP_HISTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

/* What the state machine needs from one TCP segment. */
struct tcp_segment {
    uint8_t flags;
    uint32_t seq;
    uint32_t payload_len;
    uint16_t window;
    bool retransmission; /* payload wholly behind what this side already sent */
};

/* Appends a history letter for side `dir` (upper case for orig); bounded at HISTORY_MAX. */
void history_add(struct flow *f, int dir, char letter);
/* The history as text (out has room for HISTORY_MAX + 1). */
void history_text(const struct flow *f, char *out);

/* Updates endpoint states and history for one segment sent by side `dir`. */
void tcp_track(struct flow *f, int dir, const struct tcp_segment *seg);
/* UDP history: D/d once per direction when a packet carries payload. */
void udp_track(struct flow *f, int dir, uint32_t payload_len);

/* TCP payload bytes of a side per FORMATS.md §1 (sequence span). */
uint64_t tcp_payload_bytes(const struct flow *f, int dir);
/* Zeek conn_state for any protocol; history is history_text()'s result. */
const char *conn_state(const struct flow *f, const char *history);

#endif
