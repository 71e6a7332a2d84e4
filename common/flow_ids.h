/* \summary: deterministic flow identifiers: flow key, Eve flow_id, Zeek uid, Community ID */
#ifndef FC_FLOW_IDS_H
#define FC_FLOW_IDS_H

/*
 * FORMATS.md §2. Every identifier is a pure function of the flow's own fields (and the
 * Community ID seed), so the same capture gives the same identifiers on every run and
 * machine. flow_id and uid both come from D = SHA-1(flow key):
 *   flow key = "FCv1" . ipv u8 . proto u8 . orig addr . resp addr . orig port u16 .
 *              resp port u16 . outer VLAN u16 . start microseconds i64   (big-endian)
 *   flow_id  = D[0..7] big-endian & 0x7FFFFFFFFFFFF (51 bits), 0 -> 1
 *   uid      = "C" . base62(D[8..15], 11 digits) . base62(D[16..19], 6 digits)
 */
#include <stddef.h>
#include <stdint.h>

#include "community_id.h"
#include "flow_record.h"
#include "sha1.h"

#define FC_FLOW_KEY_MAX (4 + 1 + 1 + 16 + 16 + 2 + 2 + 2 + 8)
#define FC_UID_LEN 18

struct fc_flow_ids {
    uint64_t flow_id;
    char uid[FC_UID_LEN + 1];
    char community_id[FC_COMMUNITY_ID_MAX];
};

/* The flow key bytes; returns their number. */
size_t fc_flow_key(const struct fc_flow *f, uint8_t out[FC_FLOW_KEY_MAX]);
uint64_t fc_flow_id_from_digest(const uint8_t d[FC_SHA1_LEN]);
void fc_uid_from_digest(const uint8_t d[FC_SHA1_LEN], char out[FC_UID_LEN + 1]);
/* The flow's Community ID: orig -> resp, ICMP one-way messages by orig's first type. */
void fc_flow_community_id(const struct fc_flow *f, const struct fc_cid_options *opt,
                          char out[FC_COMMUNITY_ID_MAX]);
/* All three identifiers at once. */
void fc_flow_ids(const struct fc_flow *f, const struct fc_cid_options *opt, struct fc_flow_ids *ids);

#endif
