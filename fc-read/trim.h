/* \summary: how many bytes of each packet fc-read sends on (payload trimming policy) */
#ifndef FC_READ_TRIM_H
#define FC_READ_TRIM_H

/*
 * The packet hop is the pipeline's cost centre, and after a flow's first packets
 * fc-flow needs only headers. Policy, per packet:
 *   --all-bytes                        every packet whole, whatever it is
 *   unsupported link type, or not IP   the first TRIM_NOT_IP_BYTES (fc-flow only counts them)
 *   IP fragments                       the whole packet (reassembly is fc-flow's business)
 *   IP or transport header broken      the first TRIM_DOUBT_BYTES
 *   otherwise                          what the flow's payload sample still needs
 *                                      (sample_tracker.h): headers + `full_bytes`,
 *                                      headers + `bytes`, or headers
 * and never more than FC_ENTRY_MAX_DATA. Shortened packets get FC_PKT_CUT.
 */
#include <stdbool.h>

#include "packet_batch.h"
#include "sample_tracker.h"

#define TRIM_NOT_IP_BYTES 64
#define TRIM_DOUBT_BYTES 256

struct trim_counters {
    uint64_t cut;          /* packets shortened */
    uint64_t not_ip;       /* network layer not IPv4/IPv6 */
    uint64_t undecodable;  /* IP or transport header broken */
    uint64_t fragments;
};

struct trim {
    bool all_bytes;
    struct sample_limits limits;
    struct sample_tracker *tracker;  /* NULL with all_bytes */
    struct trim_counters counters;
};

void trim_init(struct trim *t, bool all_bytes, const struct sample_limits *limits);
void trim_free(struct trim *t);

/* Sets p->data_len (and FC_PKT_CUT) for a packet whose data_len is the captured length. */
void trim_packet(struct trim *t, struct fc_packet *p);

#endif
