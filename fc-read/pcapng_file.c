/* \summary: pcapng files whose interfaces differ in link type or snapshot length, which libpcap refuses to read */
#include "pcapng_file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "xalloc.h"

#define BLOCK_SHB 0x0a0d0d0au
#define BLOCK_IDB 1u
#define BLOCK_PB 2u    /* obsolete packet block */
#define BLOCK_SPB 3u   /* simple packet block */
#define BLOCK_EPB 6u   /* enhanced packet block */
#define BYTE_ORDER_MAGIC 0x1a2b3c4du
#define BLOCK_HEAD 8   /* type, total length */
#define BLOCK_MIN 12   /* head and trailing length */
#define SHB_BODY 16    /* byte-order magic, version, section length */
#define IDB_BODY 8     /* link type, reserved, snapshot length */
#define EPB_BODY 20    /* interface, time stamp high and low, captured and original length */
#define PB_BODY 20     /* interface (16 bits), drops (16 bits), time stamp, lengths */
#define SPB_BODY 4     /* original length */
#define OPT_END 0
#define OPT_IF_TSRESOL 9
#define OPT_IF_TSOFFSET 14
#define MAX_CAPLEN 262144u /* what libpcap accepts of a packet */
#define LINKTYPE_RAW 101

struct interface {
    int dlt;
    uint32_t snaplen;
    bool binary_resolution;   /* if_tsresol: 2^-exponent, else 10^-exponent seconds */
    uint8_t exponent;
    int64_t offset_s;         /* if_tsoffset */
    struct bpf_program filter;
    bool has_filter;
};

struct pcapng_file {
    FILE *in;
    uint8_t *block;
    size_t block_cap;
    uint64_t block_at, next_at;
    bool big_endian;
    struct interface *ifaces;
    uint32_t nifaces, ifaces_cap;
    const char *filter_expr;
    uint64_t skip;            /* packet blocks still to pass over */
    struct pcap_pkthdr h;
    char error[PCAP_ERRBUF_SIZE + 64];
};

static int fail(struct pcapng_file *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->error, sizeof f->error, fmt, ap);
    va_end(ap);
    return PCAP_ERROR;
}

static uint16_t u16_at(const struct pcapng_file *f, const uint8_t *p) { return f->big_endian ? fc_be16(p) : fc_le16(p); }
static uint32_t u32_at(const struct pcapng_file *f, const uint8_t *p) { return f->big_endian ? fc_be32(p) : fc_le32(p); }
static uint64_t u64_at(const struct pcapng_file *f, const uint8_t *p) { return f->big_endian ? fc_be64(p) : fc_le64(p); }

static void drop_interfaces(struct pcapng_file *f)
{
    for (uint32_t i = 0; i < f->nifaces; i++)
        if (f->ifaces[i].has_filter)
            pcap_freecode(&f->ifaces[i].filter);
    f->nifaces = 0;
}

/* Reads the next block whole into f->block; its length in *len. PCAP_ERROR_BREAK at a
 * clean end of the file. A section header sets the byte order first. */
static int read_block(struct pcapng_file *f, uint32_t *type, uint32_t *len)
{
    uint8_t head[BLOCK_HEAD + 4];
    f->block_at = f->next_at;
    size_t got = fread(head, 1, BLOCK_HEAD, f->in);
    if (got == 0 && feof(f->in))
        return PCAP_ERROR_BREAK;
    if (got != BLOCK_HEAD)
        return fail(f, "block header truncated by the end of the file: %zu of %d bytes", got, BLOCK_HEAD);
    if (fc_le32(head) == BLOCK_SHB) {
        if (fread(head + BLOCK_HEAD, 1, 4, f->in) != 4)
            return fail(f, "section header block truncated by the end of the file");
        uint32_t magic = fc_le32(head + BLOCK_HEAD);
        if (magic != BYTE_ORDER_MAGIC && fc_be32(head + BLOCK_HEAD) != BYTE_ORDER_MAGIC)
            return fail(f, "section header block with an unknown byte-order magic");
        f->big_endian = magic != BYTE_ORDER_MAGIC;
        got += 4;
    }
    *type = u32_at(f, head);
    *len = u32_at(f, head + 4);
    if (*len < BLOCK_MIN || *len % 4 != 0 || *len > PCAPNG_BLOCK_MAX || *len < got + 4)
        return fail(f, "block of type 0x%08x has an impossible length %u", *type, *len);
    if (*len > f->block_cap) {
        f->block = fc_xrealloc(f->block, *len);
        f->block_cap = *len;
    }
    memcpy(f->block, head, got);
    size_t rest = *len - got;
    if (fread(f->block + got, 1, rest, f->in) != rest)
        return fail(f, "block of type 0x%08x of %u bytes truncated by the end of the file", *type, *len);
    if (u32_at(f, f->block + *len - 4) != *len)
        return fail(f, "block of type 0x%08x: trailing length differs from its length %u", *type, *len);
    f->next_at = f->block_at + *len;
    return 1;
}

/* Section header: version 1 (libpcap also takes 1.2 and 2.0 as 1.0 would), a new set of interfaces. */
static int take_section(struct pcapng_file *f, uint32_t len)
{
    if (len < BLOCK_HEAD + SHB_BODY + 4)
        return fail(f, "section header block too short (%u bytes)", len);
    if (u16_at(f, f->block + BLOCK_HEAD + 4) != 1)
        return fail(f, "unsupported pcapng major version %u", u16_at(f, f->block + BLOCK_HEAD + 4));
    drop_interfaces(f);
    return 1;
}

/* if_tsresol and if_tsoffset among an interface description's options. */
static int take_interface_options(struct pcapng_file *f, struct interface *i, const uint8_t *p, const uint8_t *end)
{
    while (end - p >= 4) {
        uint16_t code = u16_at(f, p), vlen = u16_at(f, p + 2);
        const uint8_t *value = p + 4;
        if ((size_t)(end - value) < vlen)
            return fail(f, "interface description: option %u runs past its block", code);
        if (code == OPT_END)
            break;
        if (code == OPT_IF_TSRESOL && vlen == 1) {
            i->binary_resolution = value[0] & 0x80;
            i->exponent = value[0] & 0x7f;
            if (i->binary_resolution ? i->exponent > 63 : i->exponent > 18)
                return fail(f, "interface description: time stamp resolution %u not supported", value[0]);
        } else if (code == OPT_IF_TSOFFSET && vlen == 8) {
            i->offset_s = (int64_t)u64_at(f, value);
        }
        p = value + ((vlen + 3u) & ~3u);
    }
    return 1;
}

static int take_interface(struct pcapng_file *f, uint32_t len)
{
    if (len < BLOCK_MIN + IDB_BODY)
        return fail(f, "interface description block too short (%u bytes)", len);
    if (f->nifaces >= PCAPNG_INTERFACES_MAX)
        return fail(f, "more than %u interfaces in a section", PCAPNG_INTERFACES_MAX);
    if (f->nifaces == f->ifaces_cap) {
        f->ifaces_cap = f->ifaces_cap ? f->ifaces_cap * 2 : 4;
        f->ifaces = fc_xrealloc(f->ifaces, f->ifaces_cap * sizeof *f->ifaces);
    }
    struct interface *i = &f->ifaces[f->nifaces];
    memset(i, 0, sizeof *i);
    const uint8_t *body = f->block + BLOCK_HEAD;
    uint16_t linktype = u16_at(f, body);
    i->dlt = linktype == LINKTYPE_RAW ? DLT_RAW : linktype; /* LINKTYPE_ values are DLT_ values but this one */
    i->snaplen = u32_at(f, body + 4);
    i->exponent = 6;
    int rc = take_interface_options(f, i, body + IDB_BODY, f->block + len - 4);
    if (rc != 1)
        return rc;
    if (f->filter_expr) {
        pcap_t *dead = pcap_open_dead(i->dlt, MAX_CAPLEN);
        if (!dead)
            return fail(f, "cannot compile the filter for link type %d", i->dlt);
        if (pcap_compile(dead, &i->filter, f->filter_expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            fail(f, "filter '%s' cannot be used on interface %u's link type %d: %s", f->filter_expr, f->nifaces,
                 i->dlt, pcap_geterr(dead));
            pcap_close(dead);
            return PCAP_ERROR;
        }
        pcap_close(dead);
        i->has_filter = true;
    }
    f->nifaces++;
    return 1;
}

/* The interface's time stamp units as seconds and nanoseconds. */
static void set_time(struct pcapng_file *f, const struct interface *i, uint64_t units)
{
    uint64_t sec, ns;
    if (i->binary_resolution) {
        unsigned e = i->exponent;
        uint64_t frac = e ? units & ((UINT64_C(1) << e) - 1) : 0;
        sec = e ? units >> e : units;
        ns = e <= 30 ? (frac * 1000000000u) >> e : ((frac >> (e - 30)) * 1000000000u) >> 30;
    } else {
        uint64_t per_second = 1;
        for (unsigned k = 0; k < i->exponent; k++)
            per_second *= 10;
        sec = units / per_second;
        uint64_t frac = units % per_second;
        ns = i->exponent <= 9 ? frac * (1000000000u / per_second) : frac / (per_second / 1000000000u);
    }
    f->h.ts.tv_sec = (time_t)(int64_t)(sec + (uint64_t)i->offset_s); /* wraps, never overflows: fc-read clamps */
    f->h.ts.tv_usec = (suseconds_t)ns;
}

/* A packet block's interface, time, lengths and data; 0 when it is to be skipped. */
static int take_packet(struct pcapng_file *f, uint32_t type, uint32_t len, const uint8_t **data,
                       struct pcapng_interface_view *view)
{
    const uint8_t *body = f->block + BLOCK_HEAD;
    size_t room = len - BLOCK_MIN;
    uint32_t iface, caplen, wirelen;
    uint64_t units = 0;
    size_t fixed;
    if (type == BLOCK_SPB) {
        fixed = SPB_BODY, iface = 0, wirelen = u32_at(f, body);
        caplen = wirelen;
    } else if (type == BLOCK_EPB) {
        fixed = EPB_BODY, iface = u32_at(f, body), caplen = u32_at(f, body + 12), wirelen = u32_at(f, body + 16);
        units = (uint64_t)u32_at(f, body + 4) << 32 | u32_at(f, body + 8);
    } else {
        fixed = PB_BODY, iface = u16_at(f, body), caplen = u32_at(f, body + 12), wirelen = u32_at(f, body + 16);
        units = (uint64_t)u32_at(f, body + 4) << 32 | u32_at(f, body + 8);
    }
    if (room < fixed)
        return fail(f, "packet block too short (%u bytes)", len);
    if (iface >= f->nifaces)
        return fail(f, "packet block of interface %u, but the section has %u", iface, f->nifaces);
    const struct interface *i = &f->ifaces[iface];
    if (type == BLOCK_SPB) { /* its data is the packet cut to the snapshot length, then padding */
        if (i->snaplen && caplen > i->snaplen)
            caplen = i->snaplen;
        if (caplen > room - fixed)
            caplen = (uint32_t)(room - fixed);
    }
    if (caplen > room - fixed)
        return fail(f, "packet block: captured length %u larger than the block", caplen);
    if (caplen > MAX_CAPLEN)
        return fail(f, "packet block: captured length %u larger than %u", caplen, MAX_CAPLEN);
    if (f->skip > 0) {
        f->skip--;
        return 0;
    }
    set_time(f, i, units);
    f->h.caplen = caplen;
    f->h.len = wirelen < caplen ? caplen : wirelen;
    *data = body + fixed;
    view->dlt = i->dlt;
    view->filter = i->has_filter ? &i->filter : NULL;
    return 1;
}

int pcapng_file_next(struct pcapng_file *f, struct pcap_pkthdr **h, const uint8_t **data,
                     struct pcapng_interface_view *iface)
{
    for (;;) {
        uint32_t type = 0, len = 0;
        int rc = read_block(f, &type, &len);
        if (rc != 1)
            return rc;
        if (type == BLOCK_SHB)
            rc = take_section(f, len);
        else if (type == BLOCK_IDB)
            rc = take_interface(f, len);
        else if (type == BLOCK_EPB || type == BLOCK_SPB || type == BLOCK_PB)
            rc = take_packet(f, type, len, data, iface);
        else
            rc = 0; /* statistics, name resolution, secrets, custom blocks: nothing for flows */
        if (rc == 1 && (type == BLOCK_EPB || type == BLOCK_SPB || type == BLOCK_PB)) {
            *h = &f->h;
            return 1;
        }
        if (rc == PCAP_ERROR)
            return rc;
    }
}

struct pcapng_file *pcapng_file_open(const char *path, uint64_t skip_packets, const char *filter, char *err,
                                     size_t errlen)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    struct pcapng_file *f = fc_xcalloc(1, sizeof *f);
    f->in = in;
    f->skip = skip_packets;
    f->filter_expr = filter;
    return f;
}

const char *pcapng_file_error(const struct pcapng_file *f) { return f->error; }

uint64_t pcapng_file_block_offset(const struct pcapng_file *f) { return f->block_at; }

int pcapng_file_fd(const struct pcapng_file *f) { return fileno(f->in); }

void pcapng_file_close(struct pcapng_file *f)
{
    drop_interfaces(f);
    fclose(f->in);
    free(f->ifaces);
    free(f->block);
    free(f);
}
