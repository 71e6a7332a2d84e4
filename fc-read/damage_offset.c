/* \summary: where in a capture file the damage libpcap stopped at begins */
#include "damage_offset.h"

#include <sys/stat.h>

#include "bytes.h"

#define PCAP_FILE_HEADER 24
#define PCAP_RECORD_HEADER 16
#define PCAP_MODIFIED_RECORD_HEADER 24 /* Alexey Kuznetzov's patched libpcap format */

void record_position_start(struct record_position *rp, bool classic_pcap)
{
    rp->known = classic_pcap;
    rp->at = PCAP_FILE_HEADER;
    rp->header = PCAP_RECORD_HEADER;
    rp->calibrated = false;
}

void record_position_advance(struct record_position *rp, uint32_t caplen, FILE *file)
{
    if (!rp->known)
        return;
    if (!rp->calibrated) {
        rp->calibrated = true;
        long now = ftell(file); /* -1 on a pipe: keep the standard size */
        if (now >= 0) {
            long header = now - PCAP_FILE_HEADER - (long)caplen;
            if (header == PCAP_MODIFIED_RECORD_HEADER)
                rp->header = PCAP_MODIFIED_RECORD_HEADER;
            else if (header != PCAP_RECORD_HEADER)
                rp->known = false;
        }
    }
    rp->at += rp->header + (uint64_t)caplen;
}

/* pcapng blocks: type (4), total length (4), body, total length (4), in the byte order
 * the section header block's byte-order magic shows. */
#define PCAPNG_SHB 0x0a0d0d0au
#define PCAPNG_BYTE_ORDER_MAGIC 0x1a2b3c4du
#define PCAPNG_MIN_BLOCK 12
#define PCAPNG_PB 2u  /* obsolete packet block */
#define PCAPNG_SPB 3u /* simple packet block */
#define PCAPNG_EPB 6u /* enhanced packet block */

static bool is_packet_block(uint32_t type) { return type == PCAPNG_PB || type == PCAPNG_SPB || type == PCAPNG_EPB; }

long long pcapng_damage_offset(const char *path, uint64_t good_packets)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f)
        return -1;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return -1;
    }
    long long at = 0;
    bool big_endian = false;
    uint64_t packets = 0;
    uint8_t head[12];
    /* Stops at the first block that is cut short, has an impossible length, or is the
     * packet block after the good ones. */
    while (fread(head, 1, sizeof head, f) == sizeof head) {
        if (fc_le32(head) == PCAPNG_SHB)
            big_endian = fc_be32(head + 8) == PCAPNG_BYTE_ORDER_MAGIC;
        uint32_t type = big_endian ? fc_be32(head) : fc_le32(head);
        uint32_t len = big_endian ? fc_be32(head + 4) : fc_le32(head + 4);
        if (len < PCAPNG_MIN_BLOCK || len % 4 != 0 || at + len > (long long)st.st_size)
            break;
        if (is_packet_block(type) && ++packets > good_packets)
            break;
        at += len;
        if (fseek(f, (long)at, SEEK_SET) != 0)
            break;
    }
    fclose(f);
    return at;
}
