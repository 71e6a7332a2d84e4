/* \summary: the floor for any capture reader: a bare libpcap loop that counts packets and bytes */

/*
 * bench/run times this beside FlowCarp: no file reader built on libpcap can be
 * faster, so "flowcarp wall time / this wall time" says what the pipeline costs
 * on top of reading the file. Prints "PACKETS CAPTURED_BYTES" on stdout.
 *
 * Usage: pcap_count FILE
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pcap_count FILE\n");
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "pcap_count: %s\n", err);
        return 1;
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    uint64_t packets = 0, bytes = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        packets++;
        bytes += h->caplen;
    }
    if (rc == PCAP_ERROR)
        fprintf(stderr, "pcap_count: %s: %s\n", argv[1], pcap_geterr(p));
    printf("%llu %llu\n", (unsigned long long)packets, (unsigned long long)bytes);
    pcap_close(p);
    return rc == PCAP_ERROR;
}
