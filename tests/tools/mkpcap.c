/* \summary: test tool: writes tiny captures of each link type fc-read supports, packets built with libnet */
#include <libnet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * usage: mkpcap KIND OUT.pcap   (mkpcap -l lists the kinds)
 *
 * libnet builds the IP packets (headers and checksums as a real stack writes
 * them); the link headers are written here byte by byte, because fixing their
 * exact bytes is the point of the link-type tests. Addresses are fixed:
 * 10.0.0.1:40000 -> 10.0.0.2:53 (IPv4), 2001:db8::1 -> 2001:db8::2 (IPv6).
 * Packet i has time 1500000000 s + i ms (the "ns" kind: + .123456789 s).
 */

#define MAX_PACKET 2048
#define BASE_SECONDS 1500000000

struct packet {
    uint8_t bytes[MAX_PACKET];
    size_t len;
};

static libnet_t *net;

static void die(const char *what)
{
    fprintf(stderr, "mkpcap: %s\n", what);
    exit(2);
}

/* Copies libnet's coalesced packet out and clears the context for the next one. */
static void take_packet(struct packet *p)
{
    uint8_t *bytes;
    uint32_t size;
    if (libnet_pblock_coalesce(net, &bytes, &size) < 0 || size > MAX_PACKET)
        die(libnet_geterror(net));
    memcpy(p->bytes, bytes, size);
    p->len = size;
    free(bytes);
    libnet_clear_packet(net);
}

static void ipv4_udp(struct packet *p, const char *payload)
{
    uint16_t n = (uint16_t)strlen(payload);
    if (libnet_build_udp(40000, 53, LIBNET_UDP_H + n, 0, (const uint8_t *)payload, n, net, 0) < 0 ||
        libnet_build_ipv4(LIBNET_IPV4_H + LIBNET_UDP_H + n, 0, 1, 0, 64, IPPROTO_UDP, 0, htonl(0x0a000001),
                          htonl(0x0a000002), NULL, 0, net, 0) < 0)
        die(libnet_geterror(net));
    take_packet(p);
}

static void ipv6_udp(struct packet *p, const char *payload)
{
    uint16_t n = (uint16_t)strlen(payload);
    struct libnet_in6_addr src, dst;
    memset(&src, 0, sizeof src);
    memset(&dst, 0, sizeof dst);
    src.__u6_addr.__u6_addr8[0] = dst.__u6_addr.__u6_addr8[0] = 0x20;
    src.__u6_addr.__u6_addr8[1] = dst.__u6_addr.__u6_addr8[1] = 0x01;
    src.__u6_addr.__u6_addr8[2] = dst.__u6_addr.__u6_addr8[2] = 0x0d;
    src.__u6_addr.__u6_addr8[3] = dst.__u6_addr.__u6_addr8[3] = 0xb8;
    src.__u6_addr.__u6_addr8[15] = 1;
    dst.__u6_addr.__u6_addr8[15] = 2;
    if (libnet_build_udp(40000, 53, LIBNET_UDP_H + n, 0, (const uint8_t *)payload, n, net, 0) < 0 ||
        libnet_build_ipv6(0, 0, LIBNET_UDP_H + n, IPPROTO_UDP, 64, src, dst, NULL, 0, net, 0) < 0)
        die(libnet_geterror(net));
    take_packet(p);
}

static void ipv4_tcp(struct packet *p, int from_client, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t n)
{
    static uint8_t payload[1460];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)('a' + i % 26);
    uint32_t client = htonl(0x0a000001), server = htonl(0x0a000002);
    if (libnet_build_tcp(from_client ? 40000 : 80, from_client ? 80 : 40000, seq, ack, flags, 65535, 0, 0,
                         LIBNET_TCP_H + n, n ? payload : NULL, n, net, 0) < 0 ||
        libnet_build_ipv4(LIBNET_IPV4_H + LIBNET_TCP_H + n, 0, 1, 0, 64, IPPROTO_TCP, 0,
                          from_client ? client : server, from_client ? server : client, NULL, 0, net, 0) < 0)
        die(libnet_geterror(net));
    take_packet(p);
}

/* ---- link headers ---- */

static void prepend(struct packet *p, const uint8_t *head, size_t n)
{
    memmove(p->bytes + n, p->bytes, p->len);
    memcpy(p->bytes, head, n);
    p->len += n;
}

static void ether(struct packet *p, const uint16_t *tags, size_t ntags, uint16_t ethertype)
{
    uint8_t h[12 + 4 * 4 + 2] = { 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1 };
    size_t at = 12;
    for (size_t i = 0; i < ntags; i += 2) { /* pairs of (TPID, VLAN id) */
        h[at++] = (uint8_t)(tags[i] >> 8);
        h[at++] = (uint8_t)tags[i];
        h[at++] = (uint8_t)(tags[i + 1] >> 8 | 0x20); /* priority 1: must not leak into the id */
        h[at++] = (uint8_t)tags[i + 1];
    }
    h[at++] = (uint8_t)(ethertype >> 8);
    h[at++] = (uint8_t)ethertype;
    prepend(p, h, at);
}

static void sll(struct packet *p, uint16_t protocol)
{
    uint8_t h[16] = { 0, 0, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 1, 0, 0, (uint8_t)(protocol >> 8), (uint8_t)protocol };
    prepend(p, h, sizeof h);
}

static void sll2(struct packet *p, uint16_t protocol)
{
    uint8_t h[20] = { (uint8_t)(protocol >> 8), (uint8_t)protocol, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 1, 0, 0 };
    prepend(p, h, sizeof h);
}

/* RFC 2516 session header (version/type 0x11, code 0, session 1), then PPP's protocol. */
static void pppoe_session(struct packet *p, uint16_t ppp_protocol)
{
    uint16_t length = (uint16_t)(p->len + 2);
    uint8_t h[8] = { 0x11, 0, 0, 1, (uint8_t)(length >> 8), (uint8_t)length, (uint8_t)(ppp_protocol >> 8),
                     (uint8_t)ppp_protocol };
    prepend(p, h, sizeof h);
}

/* An MPLS label stack, outermost first; the last entry has the bottom-of-stack bit. */
static void mpls(struct packet *p, const uint32_t *labels, size_t n)
{
    uint8_t h[4 * 4];
    for (size_t i = 0; i < n; i++) {
        uint32_t entry = labels[i] << 12 | (i == n - 1 ? 0x100u : 0) | 64; /* TTL 64 */
        for (int b = 0; b < 4; b++)
            h[4 * i + (size_t)b] = (uint8_t)(entry >> (24 - 8 * b));
    }
    prepend(p, h, 4 * n);
}

static void family(struct packet *p, uint32_t af, int big_endian)
{
    uint8_t h[4];
    for (int i = 0; i < 4; i++)
        h[i] = (uint8_t)(af >> (big_endian ? 24 - 8 * i : 8 * i));
    prepend(p, h, sizeof h);
}

/* ---- the kinds ---- */

struct capture {
    int dlt;
    int nano;
    struct packet packets[64];
    size_t count;
};

static struct packet *next(struct capture *c) { return &c->packets[c->count++]; }

static void k_ether(struct capture *c) { c->dlt = DLT_EN10MB; struct packet *p = next(c); ipv4_udp(p, "ether-ipv4-udp"); ether(p, NULL, 0, 0x0800); }
static void k_vlan(struct capture *c)
{
    static const uint16_t tags[] = { 0x8100, 100 };
    c->dlt = DLT_EN10MB;
    struct packet *p = next(c);
    ipv4_udp(p, "vlan");
    ether(p, tags, 2, 0x0800);
}
static void k_qinq(struct capture *c)
{
    static const uint16_t tags[] = { 0x88a8, 200, 0x8100, 300 };
    c->dlt = DLT_EN10MB;
    struct packet *p = next(c);
    ipv6_udp(p, "qinq");
    ether(p, tags, 4, 0x86dd);
}
static void k_vlan9100(struct capture *c)
{
    static const uint16_t tags[] = { 0x9100, 400 };
    c->dlt = DLT_EN10MB;
    struct packet *p = next(c);
    ipv4_udp(p, "vlan9100");
    ether(p, tags, 2, 0x0800);
}
static void k_arp(struct capture *c)
{
    c->dlt = DLT_EN10MB;
    struct packet *p = next(c);
    static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2 };
    memcpy(p->bytes, arp, sizeof arp);
    p->len = sizeof arp;
    ether(p, NULL, 0, 0x0806);
    /* and one long non-IP frame, which travels cut to 64 bytes */
    p = next(c);
    memset(p->bytes, 0x5a, 200);
    p->len = 200;
    ether(p, NULL, 0, 0x88b5);
}
static void k_sll(struct capture *c) { c->dlt = DLT_LINUX_SLL; struct packet *p = next(c); ipv4_udp(p, "sll"); sll(p, 0x0800); }
static void k_sll2(struct capture *c) { c->dlt = DLT_LINUX_SLL2; struct packet *p = next(c); ipv6_udp(p, "sll2"); sll2(p, 0x86dd); }
static void k_raw(struct capture *c)
{
    c->dlt = DLT_RAW;
    ipv4_udp(next(c), "raw4");
    ipv6_udp(next(c), "raw6");
}
static void k_ipv6(struct capture *c) { c->dlt = DLT_IPV6; ipv6_udp(next(c), "dlt-ipv6"); }
static void k_null_le(struct capture *c) { c->dlt = DLT_NULL; struct packet *p = next(c); ipv4_udp(p, "null-le"); family(p, 2, 0); }
static void k_null_be(struct capture *c) { c->dlt = DLT_NULL; struct packet *p = next(c); ipv6_udp(p, "null-be"); family(p, 30, 1); }
static void k_loop(struct capture *c) { c->dlt = 108; struct packet *p = next(c); ipv4_udp(p, "loop"); family(p, 2, 1); }
static void k_user0(struct capture *c)
{
    c->dlt = DLT_USER0;
    ipv4_udp(next(c), "user0: a link type fc-read does not decode, so the frame travels raw, cut to 64 bytes");
}
static void k_pppoe(struct capture *c)
{
    static const uint16_t tags[] = { 0x8100, 10 };
    static const uint8_t lcp_echo[8] = { 9, 1, 0, 8, 0x12, 0x34, 0x56, 0x78 };
    c->dlt = DLT_EN10MB;
    struct packet *p = next(c);
    ipv4_udp(p, "pppoe");
    pppoe_session(p, 0x0021);
    ether(p, NULL, 0, 0x8864);
    p = next(c);
    ipv6_udp(p, "vlan-pppoe");
    pppoe_session(p, 0x0057);
    ether(p, tags, 2, 0x8864);
    prepend(p = next(c), lcp_echo, sizeof lcp_echo);
    pppoe_session(p, 0xc021);
    ether(p, NULL, 0, 0x8864);
}
static void k_mpls(struct capture *c)
{
    static const uint32_t labels[] = { 16, 17 };
    c->dlt = DLT_EN10MB;
    struct packet *p = next(c);
    ipv4_udp(p, "mpls");
    mpls(p, labels, 2);
    ether(p, NULL, 0, 0x8847);
    p = next(c);
    mpls(p, labels, 2);
    p->len = 4; /* a frame cut after its first label: the bottom of the stack is never reached */
    ether(p, NULL, 0, 0x8847);
}
static void k_mpls_pw(struct capture *c)
{
    static const uint16_t tags[] = { 0x8100, 20 };
    static const uint32_t label[] = { 100 };
    static const uint8_t control_word[4] = { 0, 0, 0, 0 };
    c->dlt = DLT_EN10MB;
    struct packet *p = next(c);
    ipv6_udp(p, "mpls-pw");
    ether(p, tags, 2, 0x86dd);
    prepend(p, control_word, sizeof control_word);
    mpls(p, label, 1);
    ether(p, NULL, 0, 0x8847);
}
static void k_etag(struct capture *c)
{
    static const uint8_t etag[6] = { 0x20, 0, 0x10, 0x05, 0, 0 }; /* priority 1, E-CID 5 */
    c->dlt = DLT_EN10MB;
    struct packet *p = next(c);
    ipv4_udp(p, "etag");
    prepend(p, (const uint8_t[]){ 0x08, 0x00 }, 2);
    prepend(p, etag, sizeof etag);
    ether(p, NULL, 0, 0x893f);
}
/* NSH with MD type 2 and no context headers, next protocol Ethernet (VLAN 30, IPv6); then
 * NSH with MD type 1 (16 bytes of context), next protocol IPv4. */
static void k_nsh(struct capture *c)
{
    static const uint16_t tags[] = { 0x8100, 30 };
    static const uint8_t md2_ethernet[8] = { 0x0f, 0xc2, 0x02, 0x03, 0, 0, 1, 0xff };
    static const uint8_t md1_ipv4[24] = { 0x0f, 0xc6, 0x01, 0x01, 0, 0, 2, 0xfe };
    c->dlt = DLT_EN10MB;
    struct packet *p = next(c);
    ipv6_udp(p, "nsh-ethernet");
    ether(p, tags, 2, 0x86dd);
    prepend(p, md2_ethernet, sizeof md2_ethernet);
    ether(p, NULL, 0, 0x894f);
    ipv4_udp(p = next(c), "nsh-ipv4");
    prepend(p, md1_ipv4, sizeof md1_ipv4);
    ether(p, NULL, 0, 0x894f);
}
static void k_ppp(struct capture *c)
{
    static const uint8_t ppp[4] = { 0xff, 0x03, 0x00, 0x21 };
    c->dlt = DLT_PPP;
    struct packet *p = next(c);
    ipv4_udp(p, "ppp");
    prepend(p, ppp, sizeof ppp);
}
static void k_ppp_pfc(struct capture *c)
{
    static const uint8_t compressed[1] = { 0x57 };
    c->dlt = DLT_PPP;
    struct packet *p = next(c);
    ipv6_udp(p, "ppp-pfc");
    prepend(p, compressed, sizeof compressed);
}
static void k_ppp_serial(struct capture *c)
{
    static const uint8_t ppp[4] = { 0xff, 0x03, 0x00, 0x57 }, cisco[4] = { 0x0f, 0x00, 0x08, 0x00 };
    c->dlt = DLT_PPP_SERIAL;
    struct packet *p = next(c);
    ipv6_udp(p, "ppp-serial");
    prepend(p, ppp, sizeof ppp);
    ipv4_udp(p = next(c), "ppp-serial-cisco");
    prepend(p, cisco, sizeof cisco);
}
static void k_ppp_ether(struct capture *c)
{
    c->dlt = DLT_PPP_ETHER;
    struct packet *p = next(c);
    ipv4_udp(p, "ppp-ether");
    pppoe_session(p, 0x0021);
}
static void k_chdlc(struct capture *c)
{
    static const uint8_t cisco[4] = { 0x0f, 0x00, 0x08, 0x00 };
    /* broadcast address, ethertype 8035, then a SLARP keepalive: code 2, sequence numbers, reliability */
    static const uint8_t slarp[22] = { 0x8f, 0x00, 0x80, 0x35, 0, 0, 0, 2 };
    c->dlt = DLT_C_HDLC;
    struct packet *p = next(c);
    ipv4_udp(p, "chdlc");
    prepend(p, cisco, sizeof cisco);
    prepend(next(c), slarp, sizeof slarp);
}
static void k_short(struct capture *c)
{
    c->dlt = DLT_EN10MB;
    struct packet *p = next(c);
    memset(p->bytes, 0xee, 10);
    p->len = 10;
}
static void k_ns(struct capture *c) { k_ether(c); c->nano = 1; }

/* A TCP connection: handshake, 30 client segments of 300 bytes with one retransmission
 * (a copy of segment 3 right after it), then FIN/ACK and ACK. */
static void k_tcpflow(struct capture *c)
{
    const uint32_t cisn = 1000, sisn = 5000;
    const uint16_t seg = 300;
    c->dlt = DLT_EN10MB;
    struct packet *p;
    ipv4_tcp(p = next(c), 1, cisn, 0, TH_SYN, 0), ether(p, NULL, 0, 0x0800);
    ipv4_tcp(p = next(c), 0, sisn, cisn + 1, TH_SYN | TH_ACK, 0), ether(p, NULL, 0, 0x0800);
    ipv4_tcp(p = next(c), 1, cisn + 1, sisn + 1, TH_ACK, 0), ether(p, NULL, 0, 0x0800);
    for (uint32_t i = 0; i < 30; i++) {
        ipv4_tcp(p = next(c), 1, cisn + 1 + i * seg, sisn + 1, TH_ACK | TH_PUSH, seg), ether(p, NULL, 0, 0x0800);
        if (i == 2)
            ipv4_tcp(p = next(c), 1, cisn + 1 + i * seg, sisn + 1, TH_ACK | TH_PUSH, seg), ether(p, NULL, 0, 0x0800);
    }
    ipv4_tcp(p = next(c), 1, cisn + 1 + 30 * seg, sisn + 1, TH_FIN | TH_ACK, 0), ether(p, NULL, 0, 0x0800);
    ipv4_tcp(p = next(c), 0, sisn + 1, cisn + 2 + 30 * seg, TH_ACK, 0), ether(p, NULL, 0, 0x0800);
}

static const struct {
    const char *name;
    void (*make)(struct capture *c);
    const char *what;
} kinds[] = {
    { "ether", k_ether, "Ethernet, IPv4 UDP" },
    { "vlan", k_vlan, "Ethernet 802.1Q VLAN 100, IPv4 UDP" },
    { "qinq", k_qinq, "Ethernet 802.1ad 200 + 802.1Q 300, IPv6 UDP" },
    { "vlan9100", k_vlan9100, "Ethernet 0x9100 tag VLAN 400, IPv4 UDP" },
    { "arp", k_arp, "Ethernet ARP request and a 200-byte 0x88b5 frame" },
    { "sll", k_sll, "Linux cooked v1, IPv4 UDP" },
    { "sll2", k_sll2, "Linux cooked v2, IPv6 UDP" },
    { "raw", k_raw, "DLT_RAW, one IPv4 and one IPv6 UDP" },
    { "ipv6", k_ipv6, "DLT_IPV6, IPv6 UDP" },
    { "null-le", k_null_le, "DLT_NULL, AF 2 little-endian, IPv4 UDP" },
    { "null-be", k_null_be, "DLT_NULL, AF 30 big-endian, IPv6 UDP" },
    { "loop", k_loop, "DLT_LOOP, AF 2, IPv4 UDP" },
    { "user0", k_user0, "DLT_USER0 (not decoded by fc-read), IPv4 UDP" },
    { "pppoe", k_pppoe, "Ethernet PPPoE IPv4 UDP, VLAN 10 + PPPoE IPv6 UDP, PPPoE LCP echo" },
    { "mpls", k_mpls, "Ethernet MPLS labels 16, 17, IPv4 UDP; a frame cut inside its label stack" },
    { "mpls-pw", k_mpls_pw, "Ethernet MPLS label 100, control word, Ethernet VLAN 20, IPv6 UDP" },
    { "etag", k_etag, "Ethernet 802.1BR E-tag (E-CID 5), IPv4 UDP" },
    { "nsh", k_nsh, "Ethernet NSH MD type 2, Ethernet VLAN 30, IPv6 UDP; NSH MD type 1, IPv4 UDP" },
    { "ppp", k_ppp, "DLT_PPP, address ff control 03 protocol 0021, IPv4 UDP" },
    { "ppp-pfc", k_ppp_pfc, "DLT_PPP, 1-byte protocol 57 (compressed), IPv6 UDP" },
    { "ppp-serial", k_ppp_serial, "DLT_PPP_SERIAL, ff 03 0057 IPv6 UDP; Cisco HDLC 0f 00 0800 IPv4 UDP" },
    { "ppp-ether", k_ppp_ether, "DLT_PPP_ETHER, PPPoE session header, protocol 0021, IPv4 UDP" },
    { "chdlc", k_chdlc, "DLT_C_HDLC, 0f 00 0800 IPv4 UDP; a SLARP keepalive (8035)" },
    { "short", k_short, "Ethernet, one 10-byte frame (shorter than its header)" },
    { "ns", k_ns, "Ethernet IPv4 UDP, nanosecond pcap, time .123456789" },
    { "tcpflow", k_tcpflow, "Ethernet, TCP connection with 30 data segments and one retransmission" },
};

static void write_capture(const struct capture *c, const char *out)
{
    pcap_t *dead = pcap_open_dead_with_tstamp_precision(
        c->dlt, 65535, c->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
    pcap_dumper_t *d = dead ? pcap_dump_open(dead, out) : NULL;
    if (!d)
        die(dead ? pcap_geterr(dead) : "pcap_open_dead failed");
    for (size_t i = 0; i < c->count; i++) {
        struct pcap_pkthdr h;
        memset(&h, 0, sizeof h);
        h.ts.tv_sec = BASE_SECONDS;
        h.ts.tv_usec = c->nano ? 123456789 : (suseconds_t)(i * 1000);
        h.caplen = h.len = (bpf_u_int32)c->packets[i].len;
        pcap_dump((u_char *)d, &h, c->packets[i].bytes);
    }
    pcap_dump_close(d);
    pcap_close(dead);
}

int main(int argc, char **argv)
{
    size_t nkinds = sizeof kinds / sizeof kinds[0];
    if (argc == 2 && strcmp(argv[1], "-l") == 0) {
        for (size_t i = 0; i < nkinds; i++)
            printf("%-10s %s\n", kinds[i].name, kinds[i].what);
        return 0;
    }
    if (argc != 3)
        die("usage: mkpcap KIND OUT.pcap (mkpcap -l lists the kinds)");
    char err[LIBNET_ERRBUF_SIZE];
    net = libnet_init(LIBNET_NONE, NULL, err);
    if (!net)
        die(err);
    static struct capture c;
    for (size_t i = 0; i < nkinds; i++)
        if (strcmp(argv[1], kinds[i].name) == 0) {
            kinds[i].make(&c);
            write_capture(&c, argv[2]);
            libnet_destroy(net);
            return 0;
        }
    die("unknown kind (mkpcap -l lists them)");
}
