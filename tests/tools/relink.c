/* \summary: test tool: rewrites a real Ethernet capture's IP packets into another link type (802.11, radiotap, PPI, Prism, AVS, pflog, FDDI, Token Ring) */
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"

/*
 * usage: relink KIND IN.pcap OUT.pcap   (relink -l lists the kinds)
 *
 * Wireless monitors, firewall logs and old rings cannot be captured on this machine (no
 * radio, no pf, no FDDI), so the link-type tests take real traffic captured on Ethernet or loopback and
 * put each IP packet behind the headers such a capture has, byte for byte as their
 * specifications lay them out; timestamps and the IP packets stay as they were, so the
 * flows must come out the same as from the original. The 802.11 kinds vary their frames
 * (QoS and plain data, four addresses, HT control, sequence numbers) and insert what a
 * monitor also captures: a beacon and an ACK before every 10th packet and a protected
 * (encrypted) data frame, all of which fc-read must leave as frames that are not IP.
 * Frames of IN that are not IPv4 or IPv6 are dropped.
 */

#define MAX_FRAME 70000
#define ETHER_HEADER 14
#define NOISE_EVERY 10

struct out {
    pcap_dumper_t *dumper;
    struct pcap_pkthdr h;
    uint8_t frame[MAX_FRAME];
    size_t len;
    unsigned extra_frames;   /* frames written that carry no IP packet */
};

static void die(const char *what)
{
    fprintf(stderr, "relink: %s\n", what);
    exit(2);
}

static void put(struct out *o, const void *bytes, size_t n)
{
    if (o->len + n > sizeof o->frame)
        die("frame too long");
    memcpy(o->frame + o->len, bytes, n);
    o->len += n;
}

static void write_frame(struct out *o)
{
    o->h.caplen = o->h.len = (bpf_u_int32)o->len;
    pcap_dump((u_char *)o->dumper, &o->h, o->frame);
    o->len = 0;
}

/* IEEE 802.3 CRC-32, as 802.11's frame check sequence. */
static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

/* ---- 802.11 frames ---- */

static const uint8_t bssid[6] = { 0x02, 0xaa, 0, 0, 0, 1 }, station[6] = { 0x02, 0xbb, 0, 0, 0, 2 },
                     gateway[6] = { 0x02, 0xcc, 0, 0, 0, 3 };
static const uint8_t snap[6] = { 0xaa, 0xaa, 0x03, 0, 0, 0 };

/* A data frame carrying the IP packet: packet n chooses QoS or not, four addresses
 * (every 5th), HT control (every 7th QoS frame), To or From DS; pad pads the MAC header
 * to 4 bytes (radiotap's data pad). */
static void wlan_data(struct out *o, unsigned n, uint16_t ethertype, const uint8_t *ip, size_t iplen, bool pad,
                      bool is_protected)
{
    bool qos = n % 3 != 0, four = n % 5 == 0, htc = qos && n % 7 == 0;
    uint8_t fc1 = four ? 0x03 : (n % 2 ? 0x01 : 0x02);
    if (htc)
        fc1 |= 0x80;
    if (is_protected)
        fc1 |= 0x40;
    uint8_t h[36] = { qos ? 0x88 : 0x08, fc1, 0x2c, 0x00 };
    size_t at = 4;
    memcpy(h + at, bssid, 6), at += 6;
    memcpy(h + at, station, 6), at += 6;
    memcpy(h + at, gateway, 6), at += 6;
    fc_put_le16(h + at, (uint16_t)((n & 0xfff) << 4)), at += 2;
    if (four)
        memcpy(h + at, gateway, 6), at += 6;
    if (qos)
        h[at++] = (uint8_t)(n % 8), h[at++] = 0;
    if (htc)
        at += 4;
    while (pad && at % 4)
        h[at++] = 0;
    put(o, h, at);
    uint8_t type[2];
    fc_put_be16(type, ethertype);
    if (is_protected) { /* a CCMP header and bytes that are no LLC header */
        static const uint8_t ccmp[8] = { 1, 0, 0, 0x20, 0, 0, 0, 0 };
        put(o, ccmp, sizeof ccmp);
    } else {
        put(o, snap, sizeof snap);
        put(o, type, sizeof type);
    }
    put(o, ip, iplen);
}

static void wlan_beacon(struct out *o)
{
    uint8_t h[24 + 12 + 8] = { 0x80, 0x00, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    memcpy(h + 10, bssid, 6);
    memcpy(h + 16, bssid, 6);
    h[24 + 8] = 100; /* beacon interval */
    h[24 + 12] = 0;  /* SSID element, "relink" */
    h[24 + 13] = 6;
    memcpy(h + 24 + 14, "relink", 6);
    put(o, h, sizeof h);
}

static void wlan_ack(struct out *o)
{
    uint8_t h[10] = { 0xd4, 0x00, 0, 0 };
    memcpy(h + 4, station, 6);
    put(o, h, sizeof h);
}

/* ---- radio and log headers ---- */

enum kind { WLAN, RADIOTAP, PPI, PRISM, AVS, PFLOG, FDDI, TOKEN_RING };

/* Radiotap: TSFT, Flags and Rate; odd packets also announce an empty second presence
 * bitmap and pad the MAC header. The FCS follows the frame (flag 0x10). */
static size_t radiotap_header(uint8_t *h, unsigned n, bool *pad)
{
    bool extended = n % 2;
    *pad = extended;
    memset(h, 0, 24);
    size_t at = 4;
    fc_put_le32(h + at, 0x7u | (extended ? 0x80000000u : 0)), at += 4;
    if (extended)
        fc_put_le32(h + at, 0), at += 4;
    at = (at + 7) & ~(size_t)7;
    fc_put_le64(h + at, 1000000u + n), at += 8;
    h[at++] = (uint8_t)(0x10 | (extended ? 0x20 : 0));
    h[at++] = 12; /* 6 Mb/s */
    fc_put_le16(h + 2, (uint16_t)at);
    return at;
}

static size_t prism_header(uint8_t *h)
{
    memset(h, 0, 144);
    fc_put_le32(h, 0x41);
    fc_put_le32(h + 4, 144);
    memcpy(h + 8, "wlan0", 5);
    return 144;
}

static size_t avs_header(uint8_t *h)
{
    memset(h, 0, 64);
    fc_put_be32(h, 0x80211001u);
    fc_put_be32(h + 4, 64);
    return 64;
}

static size_t ppi_header(uint8_t *h)
{
    memset(h, 0, 8);
    fc_put_le16(h + 2, 8);
    fc_put_le32(h + 4, DLT_IEEE802_11);
    return 8;
}

/* The kind's radio header (none for plain 802.11); *pad: the MAC header is to be padded. */
static size_t radio_header(struct out *o, enum kind k, unsigned n, bool *pad)
{
    uint8_t h[160];
    *pad = false;
    size_t hl = k == RADIOTAP ? radiotap_header(h, n, pad) : k == PRISM ? prism_header(h)
              : k == AVS ? avs_header(h) : k == PPI ? ppi_header(h) : 0;
    put(o, h, hl);
    return hl;
}

/* Radiotap frames end in the 802.11 frame's FCS (flag 0x10). */
static void radio_trailer(struct out *o, enum kind k, size_t hl)
{
    if (k != RADIOTAP)
        return;
    uint8_t fcs[4];
    fc_put_le32(fcs, crc32_ieee(o->frame + hl, o->len - hl));
    put(o, fcs, sizeof fcs);
}

/* A beacon, an ACK and a protected data frame: frames without a readable IP packet. */
static void wireless_noise(struct out *o, enum kind k, unsigned n)
{
    static const uint8_t ciphertext[64] = { 0x13, 0x37 };
    for (int which = 0; which < 3; which++) {
        bool pad;
        size_t hl = radio_header(o, k, n, &pad);
        if (which == 0)
            wlan_beacon(o);
        else if (which == 1)
            wlan_ack(o);
        else
            wlan_data(o, n, 0x0800, ciphertext, sizeof ciphertext, pad, true);
        radio_trailer(o, k, hl);
        write_frame(o);
        o->extra_frames++;
    }
}

/* Every NOISE_EVERY-th packet after such noise, as a monitor captures it; then the data frame. */
static void wireless_frame(struct out *o, enum kind k, unsigned n, uint16_t ethertype, const uint8_t *ip,
                           size_t iplen)
{
    if (n % NOISE_EVERY == 0)
        wireless_noise(o, k, n);
    bool pad;
    size_t hl = radio_header(o, k, n, &pad);
    wlan_data(o, n, ethertype, ip, iplen, pad, false);
    radio_trailer(o, k, hl);
}

/* OpenBSD's pfloghdr: length 61 (rounded up to 64 on the wire), family, action pass,
 * reason match, interface em0, rule 1, direction in or out. */
static void pflog_frame(struct out *o, enum kind k, unsigned n, uint16_t ethertype, const uint8_t *ip, size_t iplen)
{
    (void)k;
    uint8_t h[64] = { 61, ethertype == 0x0800 ? 2 : 24, 0, 0, 'e', 'm', '0' };
    fc_put_be32(h + 36, 1);
    h[60] = (uint8_t)(n % 2 ? 1 : 2);
    put(o, h, sizeof h);
    put(o, ip, iplen);
}

/* FDDI: frame control (LLC, asynchronous), addresses, LLC/SNAP. */
static void fddi_frame(struct out *o, enum kind k, unsigned n, uint16_t ethertype, const uint8_t *ip, size_t iplen)
{
    (void)k;
    (void)n;
    uint8_t h[1 + 12 + 8] = { 0x50 };
    memcpy(h + 1, gateway, 6);
    memcpy(h + 7, station, 6);
    memcpy(h + 13, snap, sizeof snap);
    fc_put_be16(h + 19, ethertype);
    put(o, h, sizeof h);
    put(o, ip, iplen);
}

/* Token Ring: access and frame control, addresses; odd packets are source-routed (the
 * source address's first bit, then a routing information field of 2 + 2 bytes). */
static void token_ring_frame(struct out *o, enum kind k, unsigned n, uint16_t ethertype, const uint8_t *ip,
                             size_t iplen)
{
    (void)k;
    uint8_t h[2 + 12 + 4 + 8] = { 0x10, 0x40 };
    size_t at = 2;
    memcpy(h + at, gateway, 6), at += 6;
    memcpy(h + at, station, 6);
    if (n % 2) {
        h[at] |= 0x80;
        at += 6;
        h[at++] = 0x04, h[at++] = 0x30, h[at++] = 0x00, h[at++] = 0x10; /* length 4, one ring/bridge */
    } else {
        at += 6;
    }
    memcpy(h + at, snap, sizeof snap), at += sizeof snap;
    fc_put_be16(h + at, ethertype), at += 2;
    put(o, h, at);
    put(o, ip, iplen);
}

/* Writes packet n's IP packet as a frame of kind k (and any frames that go before it). */
typedef void frame_fn(struct out *o, enum kind k, unsigned n, uint16_t ethertype, const uint8_t *ip, size_t iplen);

static const struct {
    const char *name;
    enum kind kind;
    int dlt;
    frame_fn *frame;
} kinds[] = {
    { "wlan", WLAN, DLT_IEEE802_11, wireless_frame },
    { "radiotap", RADIOTAP, DLT_IEEE802_11_RADIO, wireless_frame },
    { "ppi", PPI, DLT_PPI, wireless_frame },
    { "prism", PRISM, DLT_PRISM_HEADER, wireless_frame },
    { "avs", AVS, DLT_IEEE802_11_RADIO_AVS, wireless_frame },
    { "pflog", PFLOG, 117, pflog_frame },
    { "fddi", FDDI, DLT_FDDI, fddi_frame },
    { "token-ring", TOKEN_RING, DLT_IEEE802, token_ring_frame },
};

int main(int argc, char **argv)
{
    size_t nkinds = sizeof kinds / sizeof kinds[0];
    if (argc == 2 && strcmp(argv[1], "-l") == 0) {
        for (size_t i = 0; i < nkinds; i++)
            printf("%s\n", kinds[i].name);
        return 0;
    }
    if (argc != 4)
        die("usage: relink KIND IN.pcap OUT.pcap (relink -l lists the kinds)");
    size_t ki = 0;
    while (ki < nkinds && strcmp(kinds[ki].name, argv[1]) != 0)
        ki++;
    if (ki == nkinds)
        die("unknown kind (relink -l lists them)");
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *in = pcap_open_offline(argv[2], err);
    if (!in)
        die(err);
    if (pcap_datalink(in) != DLT_EN10MB)
        die("the input must be an Ethernet capture");
    pcap_t *dead = pcap_open_dead(kinds[ki].dlt, 65535);
    static struct out o;
    o.dumper = dead ? pcap_dump_open(dead, argv[3]) : NULL;
    if (!o.dumper)
        die("cannot write the output");
    struct pcap_pkthdr *h;
    const u_char *frame;
    unsigned n = 0;
    while (pcap_next_ex(in, &h, &frame) == 1) {
        if (h->caplen < ETHER_HEADER || h->caplen != h->len)
            continue;
        uint16_t ethertype = fc_be16(frame + 12);
        if (ethertype != 0x0800 && ethertype != 0x86dd)
            continue;
        o.h = *h;
        kinds[ki].frame(&o, kinds[ki].kind, n, ethertype, frame + ETHER_HEADER, h->caplen - ETHER_HEADER);
        write_frame(&o);
        n++;
    }
    pcap_dump_close(o.dumper);
    pcap_close(dead);
    pcap_close(in);
    fprintf(stderr, "relink: %u IP packets, %u frames without one\n", n, o.extra_frames);
    return 0;
}
