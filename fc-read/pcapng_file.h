/* \summary: pcapng files whose interfaces differ in link type or snapshot length, which libpcap refuses to read */
#ifndef FC_READ_PCAPNG_FILE_H
#define FC_READ_PCAPNG_FILE_H

/*
 * A pcapng file names a link type per interface, and Wireshark's dumpcap writes files
 * whose interfaces differ (a capture on an Ethernet card and a VPN tunnel, on a wireless
 * monitor and a wired port, on lo and nflog), and mergecap merges captures of different
 * snapshot lengths into one. libpcap 1.10 reads pcapng but gives such a file up at the
 * first interface whose link type or snapshot length is not the first one's ("an
 * interface has a type ... different from the type of the first interface"), as every
 * tool built on it does. capture.c lets libpcap read pcapng, and where it gives up for
 * that reason this reader goes on from the packet libpcap stopped before, each packet
 * decoded by its own interface's link type.
 *
 * Blocks (pcapng specification, IETF draft-ietf-opsawg-pcapng): section headers (byte
 * order, a new set of interfaces), interface descriptions (link type, snapshot length,
 * if_tsresol, if_tsoffset), enhanced, simple and obsolete packet blocks; every other
 * block is passed over. Each block is read whole into one buffer (at most
 * PCAPNG_BLOCK_MAX bytes, as libpcap allows), so a packet is copied once.
 */
#include <pcap/pcap.h>
#include <stdint.h>

#define PCAPNG_BLOCK_MAX (16u * 1024 * 1024)
#define PCAPNG_INTERFACES_MAX 65536u

struct pcapng_file;

/* Opens the pcapng file at path to read its packets after the first skip_packets
 * packet blocks; filter: a BPF expression compiled for each interface's link type, or
 * NULL. NULL with a message in err when the file cannot be opened. */
struct pcapng_file *pcapng_file_open(const char *path, uint64_t skip_packets, const char *filter, char *err,
                                     size_t errlen);

/* The packet's interface. */
struct pcapng_interface_view {
    int dlt;
    const struct bpf_program *filter;   /* the filter compiled for its link type, or NULL */
};

/* As pcap_next_ex on a savefile, time stamps in nanoseconds (tv_usec): 1 and the next
 * packet (*h, *data and *iface valid until the next call), PCAP_ERROR_BREAK at the end,
 * PCAP_ERROR at a block that cannot be read (pcapng_file_error, pcapng_file_block_offset). */
int pcapng_file_next(struct pcapng_file *f, struct pcap_pkthdr **h, const uint8_t **data,
                     struct pcapng_interface_view *iface);

const char *pcapng_file_error(const struct pcapng_file *f);

/* Byte offset of the block last read: after PCAP_ERROR, where the damage is. */
uint64_t pcapng_file_block_offset(const struct pcapng_file *f);

int pcapng_file_fd(const struct pcapng_file *f);

void pcapng_file_close(struct pcapng_file *f);

#endif
