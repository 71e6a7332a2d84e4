/* \summary: the hash the meters share: CRC-32 (IEEE 802.3, as zlib), table-driven */
#include "meter.h"

/*
 * ALGORITHM.md §5 reads SPID's hashes as "CRC32 mod 256": any well-mixed hash
 * serves, but it is part of the meter set's definition (models store its bins),
 * so it is written out here rather than borrowed from a library whose choice
 * could change.
 */

static uint32_t crc_table[256];
static bool crc_table_ready;

static void crc_table_fill(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    crc_table_ready = true;
}

/* Standard CRC-32: start with crc 0; pass the previous result to continue a string. */
uint32_t meter_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    if (!crc_table_ready)
        crc_table_fill();
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}
