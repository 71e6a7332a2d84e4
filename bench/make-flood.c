/* \summary: writes a capture of N one-packet TCP SYN flows (distinct tuples), built with libnet */

/*
 * The flood capture measures what a flow costs fc-flow while it is open: every
 * packet starts a new flow and none ends before the end of input, so at the end
 * all N flows are concurrent. Packets are built with libnet in advanced link mode
 * on the loopback device (libnet 1.1 culls built frames only in that mode; nothing
 * is injected), rebuilt in place through their ptags, which changes only
 * the source address and port, and written with pcap_dump as Ethernet frames
 * one microsecond apart (N = 1M spans one second: no idle timeout can fire).
 *
 * Usage: make-flood OUT.pcap [FLOWS]   (FLOWS defaults to 1048576)
 */
#include <libnet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#define SPORT_FIRST 1024u
#define SPORTS (65536u - SPORT_FIRST) /* source ports per source address */

struct flood {
    libnet_t *net;
    libnet_ptag_t tcp, ip, eth;
    pcap_dumper_t *dump;
};

static const uint8_t client_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t server_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

static void die(const char *what, const char *why)
{
    fprintf(stderr, "make-flood: %s: %s\n", what, why);
    exit(1);
}

/* Flow i: source 10.0.0.0 + i / SPORTS, port SPORT_FIRST + i % SPORTS, to 192.0.2.1:80. */
static void build_syn(struct flood *f, uint32_t i)
{
    uint32_t src = htonl(0x0a000000u + i / SPORTS);
    uint32_t dst = htonl(0xc0000201u);
    uint16_t sport = (uint16_t)(SPORT_FIRST + i % SPORTS);
    f->tcp = libnet_build_tcp(sport, 80, 0x10000000u + i, 0, TH_SYN, 64240, 0, 0,
                              LIBNET_TCP_H, NULL, 0, f->net, f->tcp);
    f->ip = libnet_build_ipv4(LIBNET_IPV4_H + LIBNET_TCP_H, 0, (uint16_t)i, 0, 64, IPPROTO_TCP, 0,
                              src, dst, NULL, 0, f->net, f->ip);
    f->eth = libnet_build_ethernet(server_mac, client_mac, ETHERTYPE_IP, NULL, 0, f->net, f->eth);
    if (f->tcp == -1 || f->ip == -1 || f->eth == -1)
        die("libnet", libnet_geterror(f->net));
}

static void write_packet(struct flood *f, uint32_t i)
{
    uint8_t *frame;
    uint32_t len;
    if (libnet_adv_cull_packet(f->net, &frame, &len) == -1)
        die("libnet", libnet_geterror(f->net));
    struct pcap_pkthdr h = { .caplen = len, .len = len };
    h.ts.tv_sec = 1700000000 + i / 1000000;
    h.ts.tv_usec = i % 1000000;
    pcap_dump((u_char *)f->dump, &h, frame);
    libnet_adv_free_packet(f->net, frame);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3)
        die("usage", "make-flood OUT.pcap [FLOWS]");
    unsigned long flows = argc == 3 ? strtoul(argv[2], NULL, 10) : 1048576ul;
    if (flows == 0 || flows > 0xffffffffu)
        die(argv[2], "FLOWS must be between 1 and 4294967295");
    char err[LIBNET_ERRBUF_SIZE];
    struct flood f = { .tcp = 0, .ip = 0, .eth = 0 };
    f.net = libnet_init(LIBNET_LINK_ADV, "lo", err);
    if (!f.net)
        die("libnet_init", err);
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
    f.dump = pcap_dump_open(dead, argv[1]);
    if (!f.dump)
        die(argv[1], pcap_geterr(dead));
    for (uint32_t i = 0; i < flows; i++) {
        build_syn(&f, i);
        write_packet(&f, i);
    }
    pcap_dump_close(f.dump);
    pcap_close(dead);
    libnet_destroy(f.net);
    return 0;
}
