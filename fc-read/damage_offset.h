/* \summary: where in a capture file the damage libpcap stopped at begins */
#ifndef FC_READ_DAMAGE_OFFSET_H
#define FC_READ_DAMAGE_OFFSET_H

/*
 * libpcap reports damage but not where it is, and asking stdio for the position
 * before every record costs a system call per packet (glibc's ftell seeks). So the
 * position is worked out instead: for pcap by adding up record sizes as packets go
 * by (record_position_*), for pcapng by walking the file's blocks again once damage
 * has been found (pcapng_damage_offset).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct record_position {
    bool known;
    uint64_t at;             /* offset of the next record */
    uint32_t header;         /* record header size: 16, or 24 for the "modified" pcap format */
    bool calibrated;
};

/* Starts after the pcap file header; `file` is asked once, after the first record, which
 * record header size this file uses (when it can be asked: seekable input). */
void record_position_start(struct record_position *rp, bool classic_pcap);
void record_position_advance(struct record_position *rp, uint32_t caplen, FILE *file);

/* Offset of the pcapng block libpcap could not read in the file at `path`: the first
 * block that is cut short or malformed, or else the packet block after the first
 * `good_packets`. -1 when the file cannot be walked. */
long long pcapng_damage_offset(const char *path, uint64_t good_packets);

#endif
