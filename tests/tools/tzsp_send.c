/* \summary: test tool: sends the frames of a capture as TZSP datagrams, and malformed ones */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * usage: tzsp_send HOST PORT FILE        each frame of FILE (Ethernet or IEEE 802.11) as one datagram
 *        tzsp_send --malformed HOST PORT  one datagram of each malformed kind, then a
 *                                          keep-alive (well-formed, without a frame)
 *
 * Datagrams follow the public TZSP description, as MikroTik's sniffer sends them:
 * version 1, type 0 (received), encapsulation 1 (Ethernet) or 18 (IEEE 802.11, as a
 * wireless sniffer sends), then tagged fields (here a
 * padding byte and an RX-channel tag, to make the receiver walk them), the end tag and
 * the frame. Prints how many datagrams it sent. Sends are paced (a short pause every
 * few datagrams) so a loopback receiver does not lose any.
 */

#define DATAGRAM_MAX 65536
#define PACE_EVERY 16

static int sock;
static struct sockaddr_in to;
static unsigned sent;

static void die(const char *what)
{
    fprintf(stderr, "tzsp_send: %s\n", what);
    exit(1);
}

static void send_datagram(const uint8_t *d, size_t len)
{
    if (sendto(sock, d, len, 0, (const struct sockaddr *)&to, sizeof to) != (ssize_t)len)
        die("sendto failed");
    if (++sent % PACE_EVERY == 0) {
        const struct timespec pause = { 0, 1000000 };
        nanosleep(&pause, NULL);
    }
}

static void send_frames(const char *file)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(file, errbuf);
    if (!p)
        die(errbuf);
    int dlt = pcap_datalink(p);
    if (dlt != DLT_EN10MB && dlt != DLT_IEEE802_11)
        die("the capture must be Ethernet or IEEE 802.11");
    static uint8_t d[DATAGRAM_MAX];
    const uint8_t header[] = { 1, 0, 0, dlt == DLT_EN10MB ? 1 : 18, /* tags: */ 0, 18, 1, 6, 1 };
    struct pcap_pkthdr *h;
    const u_char *frame;
    while (pcap_next_ex(p, &h, &frame) == 1) {
        if (h->caplen > DATAGRAM_MAX - sizeof header)
            die("frame too large");
        memcpy(d, header, sizeof header);
        memcpy(d + sizeof header, frame, h->caplen);
        send_datagram(d, sizeof header + h->caplen);
    }
    pcap_close(p);
}

static void send_malformed(void)
{
    static const struct {
        uint8_t bytes[16];
        size_t len;
    } bad[] = {
        { { 1, 0 }, 2 },                                        /* shorter than the header */
        { { 2, 0, 0, 1, 1, 0xaa }, 6 },                         /* version 2 */
        { { 1, 9, 0, 1, 1, 0xaa }, 6 },                         /* unknown type */
        { { 1, 0, 0, 1, 18, 200, 6 }, 7 },                      /* tag longer than the datagram */
        { { 1, 0, 0, 1, 0, 0, 0 }, 7 },                         /* padding, no end tag */
        { { 1, 0, 0x12, 0x34, 1, 0xaa, 0xbb }, 7 },             /* unknown encapsulation */
        { { 1, 0, 0, 1, 1 }, 5 },                               /* no frame after the end tag */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        send_datagram(bad[i].bytes, bad[i].len);
    const uint8_t keepalive[] = { 1, 4, 0, 1 };
    send_datagram(keepalive, sizeof keepalive);
}

int main(int argc, char **argv)
{
    bool malformed = argc == 4 && strcmp(argv[1], "--malformed") == 0;
    if (!malformed && argc != 4)
        die("usage: tzsp_send HOST PORT FILE | tzsp_send --malformed HOST PORT");
    const char *host = argv[malformed ? 2 : 1], *port = argv[malformed ? 3 : 2];
    to.sin_family = AF_INET;
    to.sin_port = htons((uint16_t)atoi(port));
    if (inet_pton(AF_INET, host, &to.sin_addr) != 1)
        die("HOST must be an IPv4 address");
    sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock < 0)
        die("cannot make a socket");
    if (malformed)
        send_malformed();
    else
        send_frames(argv[3]);
    printf("%u\n", sent);
    return 0;
}
