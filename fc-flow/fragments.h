/* \summary: remembers which flow each fragmented datagram belongs to, so later fragments count there */
#ifndef FC_FLOW_FRAGMENTS_H
#define FC_FLOW_FRAGMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

struct fragment_table;

struct fragment_table *fragments_new(void);
void fragments_free(struct fragment_table *t);
/* Notes that datagram (d's addresses, protocol, id) belongs to flow `slot` numbered `flow_id`,
 * at packet clock time clock_us. */
void fragments_remember(struct fragment_table *t, const struct fc_decoded *d, uint32_t slot, uint64_t flow_id,
                        int64_t clock_us);
/* The flow of a later fragment's datagram, if its first fragment was seen recently on the
 * packet clock (now_us, never less than a remembered clock_us). */
bool fragments_find(const struct fragment_table *t, const struct fc_decoded *d, int64_t now_us, uint32_t *slot,
                    uint64_t *flow_id);

#endif
