/* \summary: the packet batch record's fixed binary layout (fc-read -> fc-flow) */
#ifndef FC_PACKET_BATCH_H
#define FC_PACKET_BATCH_H

/*
 * Packets are the one hop where per-record cost matters (millions per second), so
 * they do not travel as msgpack maps: fc-read packs up to FC_BATCH_MAX packets
 * into one record {"k":1,"n":count,"b":bin}, and the bin is a run of entries in
 * this little-endian layout (also in man/flowcarp-records.5):
 *
 *   off size field
 *     0    2 entry_len   whole entry, header included (>= FC_ENTRY_HEADER)
 *     2    1 link        FC_LINK_NETWORK: data starts at the network layer and
 *                        `proto` is its ethertype; FC_LINK_OTHER: data is the raw
 *                        frame of an unsupported link type and `proto` is the DLT
 *     3    1 flags       FC_PKT_CUT: fc-read shortened the data (payload not needed);
 *                        FC_PKT_SNAPPED: the capture itself was truncated (caplen < len)
 *     4    2 proto       ethertype (0x0800 IPv4, 0x86dd IPv6, ...) or DLT
 *     6    2 vlan        outer 802.1Q/802.1ad VLAN id, 0 when untagged
 *     8    2 vlan2       inner VLAN id (QinQ), 0 when none
 *    10    2 source      input source number (0 for the first), see FC_REC_SOURCE
 *    12    4 wire_len    frame length on the wire (pcap "len")
 *    16    8 ts_us       timestamp, microseconds since the epoch (signed; at most
 *                        FC_PACKET_TIME_LIMIT_US either side of it)
 *    24    - data        entry_len - 24 bytes
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FC_ENTRY_HEADER 24
#define FC_BATCH_MAX 256
#define FC_ENTRY_MAX_DATA (65535 - FC_ENTRY_HEADER)
/* 2^62 us, about 146,000 years: beyond any capture's clock, and small enough that the
 * difference of any two timestamps (a flow's duration, a sample's offsets) fits an int64. */
#define FC_PACKET_TIME_LIMIT_US ((int64_t)1 << 62)

enum { FC_LINK_NETWORK = 0, FC_LINK_OTHER = 1 };
enum { FC_PKT_CUT = 1, FC_PKT_SNAPPED = 2 };

struct fc_packet {
    uint8_t link;
    uint8_t flags;
    uint16_t proto;
    uint16_t vlan, vlan2;
    uint16_t source;
    uint32_t wire_len;
    int64_t ts_us;
    const uint8_t *data;
    size_t data_len;
};

/* Writes one entry at out (room for FC_ENTRY_HEADER + p->data_len bytes); returns its size. */
size_t fc_packet_encode(uint8_t *out, const struct fc_packet *p);

/*
 * Reads the entry at *at within [*at, end); advances *at. Returns 1 on success,
 * 0 at the end of the batch, -1 when the entry is malformed (length or timestamp out of range).
 */
int fc_packet_decode(const uint8_t **at, const uint8_t *end, struct fc_packet *p);

/*
 * A batch record cut short: p holds its first len bytes, laid out as fc-read writes a batch
 * ({"k":1,"n":count,"b":bin}, keys in that order). True with *entries pointing at the bin's
 * first entry within p: the entries from there to p + len are whole ones, then part of one
 * (fc_packet_decode tells them apart). False for anything else.
 */
bool fc_packet_batch_cut(const uint8_t *p, size_t len, const uint8_t **entries);

#endif
