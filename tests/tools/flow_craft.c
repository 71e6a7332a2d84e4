/* \summary: crafts small pcap captures (with libnet) that pin fc-flow's behaviours, and a flood capture */
/*
 * usage: flow_craft SCENARIO OUT.pcap [N]
 * Scenarios (each documented at its function): vlan, icmp, reuse, udp_idle, frags,
 * rexmit, flood N (N one-packet TCP flows, for the memory and speed measurement).
 * The small captures are committed as tests/data/flow_*.pcap; the flood is written
 * to /tmp by the measurement and never committed.
 *
 * libnet builds the frames in its "advanced link" mode, which needs a device to
 * open ("lo"); the frames are never sent, only taken with libnet_adv_cull_packet
 * and written with libpcap at chosen timestamps.
 */
#include <libnet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static libnet_t *ln;
static pcap_dumper_t *dumper;
static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 1 }, mac_b[6] = { 2, 0, 0, 0, 0, 2 };

static uint32_t ip4(const char *s)
{
    return libnet_name2addr4(ln, (char *)s, LIBNET_DONT_RESOLVE);
}

static void die(const char *what)
{
    fprintf(stderr, "flow_craft: %s: %s\n", what, ln ? libnet_geterror(ln) : "");
    exit(1);
}

/* Link header (Ethernet, or 802.1Q when vlan != 0), then cull and dump at ts_ms. */
static void emit(int64_t ts_ms, uint16_t vlan)
{
    libnet_ptag_t t = vlan ? libnet_build_802_1q(mac_b, mac_a, 0x8100, 0, 0, vlan, 0x0800, NULL, 0, ln, 0)
                           : libnet_build_ethernet(mac_b, mac_a, 0x0800, NULL, 0, ln, 0);
    if (t < 0)
        die("link header");
    uint8_t *frame;
    uint32_t len;
    if (libnet_adv_cull_packet(ln, &frame, &len) < 0)
        die("cull");
    struct pcap_pkthdr h;
    h.ts.tv_sec = (time_t)(1600000000 + ts_ms / 1000);
    h.ts.tv_usec = (suseconds_t)(ts_ms % 1000) * 1000;
    h.caplen = h.len = len;
    pcap_dump((u_char *)dumper, &h, frame);
    libnet_adv_free_packet(ln, frame);
    libnet_clear_packet(ln);
}

static void ipv4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t l4_len, uint16_t id, uint16_t frag,
                 const uint8_t *payload, uint32_t payload_len)
{
    if (libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + l4_len), 0, id, frag, 64, proto, 0, src, dst, payload,
                          payload_len, ln, 0) < 0)
        die("ipv4");
}

static void tcp(int64_t ts_ms, const char *src, const char *dst, uint16_t sport, uint16_t dport, uint8_t flags,
                uint32_t seq, uint32_t ack, uint32_t len, uint16_t vlan)
{
    static uint8_t data[1500];
    memset(data, 'p', sizeof data);
    if (libnet_build_tcp(sport, dport, seq, ack, flags, 65535, 0, 0, (uint16_t)(LIBNET_TCP_H + len),
                         len ? data : NULL, len, ln, 0) < 0)
        die("tcp");
    ipv4(ip4(src), ip4(dst), IPPROTO_TCP, (uint16_t)(LIBNET_TCP_H + len), 1, 0, NULL, 0);
    emit(ts_ms, vlan);
}

static void udp(int64_t ts_ms, const char *src, const char *dst, uint16_t sport, uint16_t dport, uint32_t len)
{
    static uint8_t data[1500];
    memset(data, 'u', sizeof data);
    if (libnet_build_udp(sport, dport, (uint16_t)(LIBNET_UDP_H + len), 0, len ? data : NULL, len, ln, 0) < 0)
        die("udp");
    ipv4(ip4(src), ip4(dst), IPPROTO_UDP, (uint16_t)(LIBNET_UDP_H + len), 2, 0, NULL, 0);
    emit(ts_ms, 0);
}

static void icmp_echo(int64_t ts_ms, const char *src, const char *dst, uint8_t type, uint16_t seq)
{
    static const uint8_t data[32] = "abcdefghijklmnopqrstuvwabcdefghi";
    if (libnet_build_icmpv4_echo(type, 0, 0, 0x77, seq, data, sizeof data, ln, 0) < 0)
        die("icmp echo");
    ipv4(ip4(src), ip4(dst), IPPROTO_ICMP, (uint16_t)(LIBNET_ICMPV4_ECHO_H + sizeof data), 3, 0, NULL, 0);
    emit(ts_ms, 0);
}

static void icmp_time_exceeded(int64_t ts_ms, const char *src, const char *dst)
{
    /* The quoted datagram: an IPv4 header and 8 bytes of UDP. */
    uint8_t quoted[28] = { 0x45, 0, 0, 28, 0, 9, 0, 0, 1, 17, 0, 0, 10, 0, 0, 1, 8, 8, 8, 8, 0x30, 0x39, 0, 53, 0, 8, 0, 0 };
    if (libnet_build_icmpv4_timeexceed(ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS, 0, quoted, sizeof quoted, ln, 0) < 0)
        die("icmp time exceeded");
    ipv4(ip4(src), ip4(dst), IPPROTO_ICMP, (uint16_t)(LIBNET_ICMPV4_TIMXCEED_H + sizeof quoted), 4, 0, NULL, 0);
    emit(ts_ms, 0);
}

/* Same TCP 5-tuple on VLAN 10, VLAN 20 and untagged: three flows, keyed by outer VLAN. */
static void scenario_vlan(void)
{
    static const uint16_t vlans[] = { 10, 20, 0 };
    for (int i = 0; i < 3; i++) {
        int64_t t = i * 10;
        tcp(t, "10.0.0.1", "10.0.0.2", 40000, 80, TH_SYN, 100, 0, 0, vlans[i]);
        tcp(t + 1, "10.0.0.2", "10.0.0.1", 80, 40000, TH_SYN | TH_ACK, 500, 101, 0, vlans[i]);
        tcp(t + 2, "10.0.0.1", "10.0.0.2", 40000, 80, TH_ACK, 101, 501, 0, vlans[i]);
    }
}

/* Echo request/reply pairs (one flow), two time-exceeded messages (their own flow, one
 * way), an unanswered echo request to another host (a third flow). */
static void scenario_icmp(void)
{
    icmp_echo(0, "10.0.0.1", "10.0.0.2", ICMP_ECHO, 1);
    icmp_echo(1, "10.0.0.2", "10.0.0.1", ICMP_ECHOREPLY, 1);
    icmp_echo(1000, "10.0.0.1", "10.0.0.2", ICMP_ECHO, 2);
    icmp_echo(1001, "10.0.0.2", "10.0.0.1", ICMP_ECHOREPLY, 2);
    icmp_time_exceeded(2000, "192.168.1.254", "10.0.0.1");
    icmp_time_exceeded(2001, "192.168.1.254", "10.0.0.1");
    icmp_echo(3000, "10.0.0.1", "10.0.0.3", ICMP_ECHO, 1);
}

/* A complete connection (FIN both ways, last ACK), then 1 s later a new SYN on the same
 * tuple: the first flow ends with reason tcp_reuse and a second one starts. */
static void scenario_reuse(void)
{
    const char *c = "10.0.0.1", *s = "10.0.0.2";
    tcp(0, c, s, 40001, 25, TH_SYN, 1000, 0, 0, 0);
    tcp(1, s, c, 25, 40001, TH_SYN | TH_ACK, 9000, 1001, 0, 0);
    tcp(2, c, s, 40001, 25, TH_ACK, 1001, 9001, 0, 0);
    tcp(3, c, s, 40001, 25, TH_ACK | TH_PUSH, 1001, 9001, 10, 0);
    tcp(4, s, c, 25, 40001, TH_ACK | TH_PUSH, 9001, 1011, 20, 0);
    tcp(5, c, s, 40001, 25, TH_FIN | TH_ACK, 1011, 9021, 0, 0);
    tcp(6, s, c, 25, 40001, TH_FIN | TH_ACK, 9021, 1012, 0, 0);
    tcp(7, c, s, 40001, 25, TH_ACK, 1012, 9022, 0, 0);
    tcp(1007, c, s, 40001, 25, TH_SYN, 5000, 0, 0, 0);
    tcp(1008, s, c, 25, 40001, TH_SYN | TH_ACK, 7000, 5001, 0, 0);
    tcp(1009, c, s, 40001, 25, TH_ACK, 5001, 7001, 0, 0);
}

/* UDP both ways, then silence for 99 s (longer than the 60 s UDP timeout), then one more
 * packet: two flows. */
static void scenario_udp_idle(void)
{
    udp(0, "10.0.0.1", "10.0.0.2", 5353, 53, 30);
    udp(500, "10.0.0.2", "10.0.0.1", 53, 5353, 60);
    udp(100000, "10.0.0.1", "10.0.0.2", 5353, 53, 30);
}

/* A 2000-byte UDP datagram in three fragments (1480 + 520 + the rest), then a fragment
 * of another datagram whose first part never came (an orphan). */
static void scenario_frags(void)
{
    uint8_t dgram[8 + 2000];
    memset(dgram, 'f', sizeof dgram);
    dgram[0] = 0x13, dgram[1] = 0x88;             /* sport 5000 */
    dgram[2] = 0x00, dgram[3] = 0x35;             /* dport 53 */
    dgram[4] = (uint8_t)(sizeof dgram >> 8), dgram[5] = (uint8_t)sizeof dgram;
    dgram[6] = dgram[7] = 0;                      /* no checksum */
    const uint32_t parts[][2] = { { 0, 1000 }, { 1000, 800 }, { 1800, 208 } };
    for (int i = 0; i < 3; i++) {
        uint16_t frag = (uint16_t)(parts[i][0] / 8) | (i < 2 ? IP_MF : 0);
        ipv4(ip4("10.0.0.1"), ip4("10.0.0.2"), IPPROTO_UDP, (uint16_t)parts[i][1], 0x1234, frag,
             dgram + parts[i][0], parts[i][1]);
        emit(i, 0);
    }
    udp(10, "10.0.0.2", "10.0.0.1", 53, 5000, 40);
    ipv4(ip4("10.0.0.1"), ip4("10.0.0.2"), IPPROTO_UDP, 200, 0x5678, 100, dgram, 200);
    emit(20, 0);
}

/* A connection where the client's first segment is sent twice (a retransmission): the
 * sample holds it once; history has T. */
static void scenario_rexmit(void)
{
    const char *c = "10.0.0.1", *s = "10.0.0.2";
    tcp(0, c, s, 40002, 8080, TH_SYN, 100, 0, 0, 0);
    tcp(1, s, c, 8080, 40002, TH_SYN | TH_ACK, 700, 101, 0, 0);
    tcp(2, c, s, 40002, 8080, TH_ACK, 101, 701, 0, 0);
    tcp(3, c, s, 40002, 8080, TH_ACK | TH_PUSH, 101, 701, 100, 0);
    tcp(300, c, s, 40002, 8080, TH_ACK | TH_PUSH, 101, 701, 100, 0);
    tcp(301, c, s, 40002, 8080, TH_ACK | TH_PUSH, 201, 701, 50, 0);
    tcp(302, s, c, 8080, 40002, TH_ACK | TH_PUSH, 701, 251, 200, 0);
    tcp(303, c, s, 40002, 8080, TH_FIN | TH_ACK, 251, 901, 0, 0);
    tcp(304, s, c, 8080, 40002, TH_FIN | TH_ACK, 901, 252, 0, 0);
    tcp(305, c, s, 40002, 8080, TH_ACK, 252, 902, 0, 0);
}

/* n one-packet TCP flows (SYNs from distinct addresses and ports), 1 µs... 1 ms apart. */
static void scenario_flood(long n)
{
    uint8_t *frame;
    uint32_t len;
    for (long i = 0; i < n; i++) {
        uint32_t src = htonl(0x0a000000u | (uint32_t)(i / 50000));
        if (libnet_build_tcp((uint16_t)(1024 + i % 50000), 80, (uint32_t)i, 0, TH_SYN, 65535, 0, 0, LIBNET_TCP_H,
                             NULL, 0, ln, 0) < 0)
            die("tcp");
        ipv4(src, ip4("192.168.0.1"), IPPROTO_TCP, LIBNET_TCP_H, 1, 0, NULL, 0);
        if (libnet_build_ethernet(mac_b, mac_a, 0x0800, NULL, 0, ln, 0) < 0 ||
            libnet_adv_cull_packet(ln, &frame, &len) < 0)
            die("flood frame");
        struct pcap_pkthdr h;
        h.ts.tv_sec = (time_t)(1600000000 + i / 1000000);
        h.ts.tv_usec = (suseconds_t)(i % 1000000);
        h.caplen = h.len = len;
        pcap_dump((u_char *)dumper, &h, frame);
        libnet_adv_free_packet(ln, frame);
        libnet_clear_packet(ln);
    }
}

static const struct scenario {
    const char *name;
    void (*build)(void);
} scenarios[] = {
    { "vlan", scenario_vlan },     { "icmp", scenario_icmp },     { "reuse", scenario_reuse },
    { "udp_idle", scenario_udp_idle }, { "frags", scenario_frags }, { "rexmit", scenario_rexmit },
};

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: flow_craft vlan|icmp|reuse|udp_idle|frags|rexmit|flood OUT.pcap [N]\n");
        return 2;
    }
    char err[LIBNET_ERRBUF_SIZE];
    ln = libnet_init(LIBNET_LINK_ADV, "lo", err);
    if (!ln) {
        fprintf(stderr, "flow_craft: libnet: %s\n", err);
        return 1;
    }
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
    dumper = pcap_dump_open(dead, argv[2]);
    if (!dumper) {
        fprintf(stderr, "flow_craft: %s: %s\n", argv[2], pcap_geterr(dead));
        return 1;
    }
    int found = 0;
    if (strcmp(argv[1], "flood") == 0) {
        scenario_flood(argc > 3 ? atol(argv[3]) : 1000000);
        found = 1;
    }
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        if (strcmp(argv[1], scenarios[i].name) == 0) {
            scenarios[i].build();
            found = 1;
        }
    pcap_dump_close(dumper);
    pcap_close(dead);
    libnet_destroy(ln);
    if (!found) {
        fprintf(stderr, "flow_craft: unknown scenario %s\n", argv[1]);
        return 2;
    }
    return 0;
}
