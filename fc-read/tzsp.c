/* \summary: the TZSP datagram parser (TaZmen Sniffer Protocol, as MikroTik streams it) */
#include "tzsp.h"

#include <pcap/dlt.h>
#include <stdbool.h>

#include "bytes.h"

#define TZSP_VERSION 1
#define TAG_PADDING 0
#define TAG_END 1

/* Datagram types (the public TZSP description) and whether a frame follows the tags. */
static const struct {
    uint8_t type;
    bool has_frame;
} types[] = {
    { 0, true },   /* received packet */
    { 1, true },   /* packet for transmit */
    { 2, false },  /* reserved */
    { 3, false },  /* configuration */
    { 4, false },  /* keep-alive */
    { 5, false },  /* port opener */
};

/* Encapsulation numbers and the libpcap link type of the frames they carry. */
static const struct {
    uint16_t encapsulation;
    int dlt;
} encapsulations[] = {
    { 1, DLT_EN10MB },
    { 2, DLT_IEEE802 },
    { 3, DLT_SLIP },
    { 4, DLT_PPP },
    { 5, DLT_FDDI },
    { 7, DLT_RAW },
    { 18, DLT_IEEE802_11 },
    { 119, DLT_PRISM_HEADER },
    { 127, DLT_IEEE802_11_RADIO_AVS },
};

static int type_index(uint8_t type)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i].type == type)
            return (int)i;
    return -1;
}

static int dlt_of(uint16_t encapsulation)
{
    for (size_t i = 0; i < sizeof encapsulations / sizeof encapsulations[0]; i++)
        if (encapsulations[i].encapsulation == encapsulation)
            return encapsulations[i].dlt;
    return -1;
}

/* Skips the tagged fields up to and including the end tag; false when cut short. */
static bool skip_tags(struct fc_cursor *c)
{
    for (;;) {
        uint8_t tag = fc_cursor_u8(c);
        if (!fc_cursor_ok(c))
            return false;
        if (tag == TAG_END)
            return true;
        if (tag == TAG_PADDING)
            continue;
        uint8_t len = fc_cursor_u8(c);
        if (!fc_cursor_skip(c, len))
            return false;
    }
}

enum tzsp_result tzsp_parse(const uint8_t *datagram, size_t len, struct tzsp_frame *out, const char **why)
{
    struct fc_cursor c = fc_cursor_make(datagram, len);
    uint8_t version = fc_cursor_u8(&c);
    out->type = fc_cursor_u8(&c);
    out->encapsulation = fc_cursor_be16(&c);
    if (!fc_cursor_ok(&c)) {
        *why = "shorter than the 4-byte TZSP header";
        return TZSP_MALFORMED;
    }
    if (version != TZSP_VERSION) {
        *why = "not TZSP version 1";
        return TZSP_MALFORMED;
    }
    int t = type_index(out->type);
    if (t < 0) {
        *why = "unknown TZSP type";
        return TZSP_MALFORMED;
    }
    if (!types[t].has_frame)
        return TZSP_NO_FRAME;
    if (!skip_tags(&c)) {
        *why = "tagged fields cut short (no end tag)";
        return TZSP_MALFORMED;
    }
    out->dlt = dlt_of(out->encapsulation);
    if (out->dlt < 0) {
        *why = "unknown encapsulation";
        return TZSP_MALFORMED;
    }
    if (c.left == 0) {
        *why = "no frame after the tagged fields";
        return TZSP_MALFORMED;
    }
    out->frame = c.p;
    out->len = c.left;
    return TZSP_FRAME;
}
