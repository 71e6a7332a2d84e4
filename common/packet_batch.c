/* \summary: the packet batch record's fixed binary layout (fc-read -> fc-flow) */
#include "packet_batch.h"

#include <string.h>

#include "bytes.h"
#include "record.h"

size_t fc_packet_encode(uint8_t *out, const struct fc_packet *p)
{
    size_t len = FC_ENTRY_HEADER + p->data_len;
    fc_put_le16(out, (uint16_t)len);
    out[2] = p->link;
    out[3] = p->flags;
    fc_put_le16(out + 4, p->proto);
    fc_put_le16(out + 6, p->vlan);
    fc_put_le16(out + 8, p->vlan2);
    fc_put_le16(out + 10, p->source);
    fc_put_le32(out + 12, p->wire_len);
    fc_put_le64(out + 16, (uint64_t)p->ts_us);
    if (p->data_len)
        memcpy(out + FC_ENTRY_HEADER, p->data, p->data_len);
    return len;
}

int fc_packet_decode(const uint8_t **at, const uint8_t *end, struct fc_packet *p)
{
    const uint8_t *e = *at;
    if (e == end)
        return 0;
    if ((size_t)(end - e) < FC_ENTRY_HEADER)
        return -1;
    size_t len = fc_le16(e);
    if (len < FC_ENTRY_HEADER || len > (size_t)(end - e))
        return -1;
    p->link = e[2];
    p->flags = e[3];
    p->proto = fc_le16(e + 4);
    p->vlan = fc_le16(e + 6);
    p->vlan2 = fc_le16(e + 8);
    p->source = fc_le16(e + 10);
    p->wire_len = fc_le32(e + 12);
    p->ts_us = (int64_t)fc_le64(e + 16);
    if (p->ts_us > FC_PACKET_TIME_LIMIT_US || p->ts_us < -FC_PACKET_TIME_LIMIT_US)
        return -1;
    p->data = e + FC_ENTRY_HEADER;
    p->data_len = len - FC_ENTRY_HEADER;
    *at = e + len;
    return 1;
}

bool fc_packet_batch_cut(const uint8_t *p, size_t len, const uint8_t **entries)
{
    static const uint8_t head[] = { 0x83, 0xa1, 'k', FC_REC_PACKETS, 0xa1, 'n' };
    size_t at = sizeof head;
    if (len <= at || memcmp(p, head, sizeof head) != 0)
        return false;
    at += p[at] < 0x80 ? 1 : p[at] == 0xcc ? 2 : p[at] == 0xcd ? 3 : len; /* n: the count */
    if (at + 3 > len || p[at] != 0xa1 || p[at + 1] != 'b')
        return false;
    at += 2;
    at += p[at] == 0xc4 ? 2 : p[at] == 0xc5 ? 3 : p[at] == 0xc6 ? 5 : len; /* the bin's header */
    if (at >= len)
        return false;
    *entries = p + at;
    return true;
}
