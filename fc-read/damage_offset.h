/* \summary: where in a capture file the damage libpcap stopped at begins */
#ifndef FC_READ_DAMAGE_OFFSET_H
#define FC_READ_DAMAGE_OFFSET_H

/*
 * libpcap reports damage but not where it is, and asking stdio for the position
 * before every record costs a system call per packet (glibc's ftell seeks). So the
 * position is worked out instead, once damage has been found, by walking the file's
 * records or blocks again from its start: pcap_damage_offset, pcapng_damage_offset.
 * Adding up the lengths libpcap reports would not do for a file: a record longer than
 * the snapshot length is reported cut to it. A stream (stdin, a socket) cannot be
 * walked again, so for pcap its position is added up as packets go by
 * (record_position_*), standard 16-byte record headers assumed; that sum is off after
 * a record longer than the snapshot length.
 */
#include <stdbool.h>
#include <stdint.h>

struct record_position {
    bool known;
    uint64_t at;             /* offset of the next record */
};

/* Starts after the pcap file header (`known` only for a classic pcap stream). */
void record_position_start(struct record_position *rp, bool classic_pcap);
void record_position_advance(struct record_position *rp, uint32_t caplen);

/* Offset of the pcap record after the first `good_records` in the file at `path`, as
 * libpcap 1.10 reads its record headers (byte order, 24-byte headers of the modified
 * format, caplen and len exchanged before version 2.3). -1 when the file cannot be
 * walked that far. */
long long pcap_damage_offset(const char *path, uint64_t good_records);

/* Offset of the pcapng block libpcap could not read in the file at `path`: the first
 * block that is cut short or malformed, or else the packet block after the first
 * `good_packets`. -1 when the file cannot be walked. */
long long pcapng_damage_offset(const char *path, uint64_t good_packets);

#endif
