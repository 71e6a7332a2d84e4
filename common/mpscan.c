/* \summary: finds the extent of one msgpack object in untrusted bytes without decoding it */
#include "mpscan.h"

#include "bytes.h"

/*
 * Walks the object counting items still owed by containers. Each item needs at
 * least one byte, so an item count larger than the record size limit can only be
 * a lie: it is reported as FC_MPSCAN_TOO_LARGE before anything is allocated.
 */

static size_t be_len(const uint8_t *p, int width)
{
    return width == 1 ? p[0] : width == 2 ? fc_be16(p) : fc_be32(p);
}

enum fc_mpscan_result fc_mpscan(const uint8_t *p, size_t avail, size_t limit, size_t *len)
{
    size_t pos = 0;
    uint64_t owed = 1;
    while (owed > 0) {
        if (owed > limit)
            return FC_MPSCAN_TOO_LARGE;
        if (pos >= avail)
            return pos >= limit ? FC_MPSCAN_TOO_LARGE : FC_MPSCAN_NEED_MORE;
        uint8_t b = p[pos++];
        owed--;
        size_t skip = 0;          /* payload bytes after the header */
        int width = 0;            /* width of a length field */
        int kind = 0;             /* 0 = bytes, 1 = array, 2 = map, 3 = ext (1 type byte) */
        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
            skip = 0;
        } else if (b >= 0x80 && b <= 0x8f) {
            owed += 2u * (b & 0x0f);
        } else if (b >= 0x90 && b <= 0x9f) {
            owed += b & 0x0f;
        } else if (b >= 0xa0 && b <= 0xbf) {
            skip = b & 0x1f;
        } else {
            switch (b) {
            case 0xc1: return FC_MPSCAN_INVALID;
            case 0xc4: case 0xd9: width = 1; break;
            case 0xc5: case 0xda: width = 2; break;
            case 0xc6: case 0xdb: width = 4; break;
            case 0xc7: width = 1; kind = 3; break;
            case 0xc8: width = 2; kind = 3; break;
            case 0xc9: width = 4; kind = 3; break;
            case 0xca: skip = 4; break;
            case 0xcb: skip = 8; break;
            case 0xcc: case 0xd0: skip = 1; break;
            case 0xcd: case 0xd1: skip = 2; break;
            case 0xce: case 0xd2: skip = 4; break;
            case 0xcf: case 0xd3: skip = 8; break;
            case 0xd4: skip = 2; break;
            case 0xd5: skip = 3; break;
            case 0xd6: skip = 5; break;
            case 0xd7: skip = 9; break;
            case 0xd8: skip = 17; break;
            case 0xdc: width = 2; kind = 1; break;
            case 0xdd: width = 4; kind = 1; break;
            case 0xde: width = 2; kind = 2; break;
            case 0xdf: width = 4; kind = 2; break;
            default: return FC_MPSCAN_INVALID;
            }
        }
        if (width) {
            if (avail - pos < (size_t)width)
                return pos + (size_t)width > limit ? FC_MPSCAN_TOO_LARGE : FC_MPSCAN_NEED_MORE;
            size_t n = be_len(p + pos, width);
            pos += (size_t)width;
            if (kind == 1)
                owed += n;
            else if (kind == 2)
                owed += 2u * (uint64_t)n;
            else
                skip = n + (kind == 3 ? 1 : 0);
        }
        if (skip > limit || pos + skip > limit)
            return FC_MPSCAN_TOO_LARGE;
        if (avail - pos < skip)
            return FC_MPSCAN_NEED_MORE;
        pos += skip;
    }
    *len = pos;
    return FC_MPSCAN_OK;
}
