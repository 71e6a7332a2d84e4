/* \summary: per-flow count of payload packets sent, so later packets can travel without payload */
#ifndef FC_READ_SAMPLE_TRACKER_H
#define FC_READ_SAMPLE_TRACKER_H

/*
 * fc-flow keeps a flow's first `packets` payload packets as its sample (all bytes of
 * the first `full_packets`, the first `bytes` of the others) and looks at no payload
 * after that. fc-read cuts what fc-flow will not look at, which is most of the bytes
 * of any bulk transfer. It only needs an estimate that never runs ahead of fc-flow:
 * a fixed-size, direct-mapped table of small slots, allocated once, with no flow
 * table, no eviction and no malloc per packet.
 *
 * The estimate errs towards sending more. A slot counts a payload packet only when
 * fc-flow surely counts it too (TCP: new data exactly continuing the direction's
 * highest sequence end, so retransmissions, overlaps and segments after a gap are not
 * counted; its key is at least as fine as fc-flow's: both VLAN ids, ICMP type and
 * code, input source), and starts from zero whenever fc-flow might start a new flow:
 * another flow took the slot, a SYN, any packet after a FIN or RST, or 1 s idle.
 */
#include <stdint.h>

#include "decode.h"

enum sample_need {
    SAMPLE_NEEDS_ALL,      /* within the first full_packets: send the whole packet */
    SAMPLE_NEEDS_BYTES,    /* within the first packets: headers and `bytes` payload bytes */
    SAMPLE_NEEDS_HEADERS,  /* the flow's sample is complete: headers only */
};

struct sample_limits {
    uint32_t packets, full_packets, bytes;
    uint32_t full_bytes;   /* payload bytes sent of a packet within the first full_packets */
};

struct sample_tracker;

struct sample_tracker *sample_tracker_new(const struct sample_limits *limits);
void sample_tracker_free(struct sample_tracker *t);

/* What the flow's sample needs of this decoded packet (fc_decode() returned FC_DEC_OK
 * for a packet that is not a fragment); records the packet in the flow's slot. */
enum sample_need sample_tracker_note(struct sample_tracker *t, const struct fc_decoded *d, uint16_t vlan,
                                     uint16_t vlan2, uint16_t source, int64_t ts_us);

#endif
