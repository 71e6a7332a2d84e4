/* \summary: where in a capture file the damage libpcap stopped at begins */
#include "damage_offset.h"

#include <stdio.h>
#include <sys/stat.h>

#include "bytes.h"

#define PCAP_FILE_HEADER 24
#define PCAP_RECORD_HEADER 16
#define PCAP_MODIFIED_RECORD_HEADER 24 /* Alexey Kuznetzov's patched libpcap format */

void record_position_start(struct record_position *rp, bool classic_pcap)
{
    rp->known = classic_pcap;
    rp->at = PCAP_FILE_HEADER;
}

void record_position_advance(struct record_position *rp, uint32_t caplen)
{
    rp->at += PCAP_RECORD_HEADER + (uint64_t)caplen;
}

/* The magics libpcap 1.10 reads, in the order written by the host that wrote them. */
static const struct {
    uint32_t magic;
    uint32_t record_header;
} pcap_magics[] = {
    { 0xa1b2c3d4u, PCAP_RECORD_HEADER },
    { 0xa1b23c4du, PCAP_RECORD_HEADER },
    { 0xa1b2cd34u, PCAP_MODIFIED_RECORD_HEADER },
};

/* How libpcap tells the captured length from the two length fields (sf-pcap.c): they
 * were exchanged before version 2.3 and by DG/UX (543.0); 2.3 files come either way. */
static uint32_t pcap_captured_length(uint16_t major, uint16_t minor, uint32_t first, uint32_t second)
{
    if ((major == 2 && minor < 3) || major == 543)
        return second;
    if (major == 2 && minor == 3 && first > second)
        return second;
    return first;
}

long long pcap_damage_offset(const char *path, uint64_t good_records)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t head[PCAP_MODIFIED_RECORD_HEADER];
    long long at = -1;
    if (fread(head, 1, PCAP_FILE_HEADER, f) == PCAP_FILE_HEADER) {
        bool big_endian = false;
        uint32_t record_header = 0;
        for (size_t i = 0; i < sizeof pcap_magics / sizeof pcap_magics[0]; i++) {
            if (fc_le32(head) == pcap_magics[i].magic || fc_be32(head) == pcap_magics[i].magic) {
                big_endian = fc_be32(head) == pcap_magics[i].magic;
                record_header = pcap_magics[i].record_header;
            }
        }
        uint16_t major = big_endian ? fc_be16(head + 4) : fc_le16(head + 4);
        uint16_t minor = big_endian ? fc_be16(head + 6) : fc_le16(head + 6);
        at = record_header ? PCAP_FILE_HEADER : -1;
        for (uint64_t n = 0; at >= 0 && n < good_records; n++) {
            if (fread(head, 1, record_header, f) != record_header) {
                at = -1;
                break;
            }
            uint32_t first = big_endian ? fc_be32(head + 8) : fc_le32(head + 8);
            uint32_t second = big_endian ? fc_be32(head + 12) : fc_le32(head + 12);
            uint32_t caplen = pcap_captured_length(major, minor, first, second);
            at += record_header + (long long)caplen;
            if (fseeko(f, (off_t)caplen, SEEK_CUR) != 0)
                at = -1;
        }
    }
    fclose(f);
    return at;
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
