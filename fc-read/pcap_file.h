/* \summary: classic pcap files read with large read(2)s into one buffer, exactly as libpcap reads them */
#ifndef FC_READ_PCAP_FILE_H
#define FC_READ_PCAP_FILE_H

/*
 * libpcap reads a savefile through stdio: each packet is copied by the kernel into
 * stdio's 4 KiB buffer, one read(2) per 4 KiB, then by fread into libpcap's packet
 * buffer. This reader reads a classic pcap file PCAP_FILE_BUFFER bytes per read(2)
 * into one buffer, allocated once per file (no larger than the file), and hands out
 * pointers into it, so each
 * byte is copied once, by the kernel. A record that runs past the end of the buffer
 * is moved to its start before the next read; the largest record libpcap takes
 * (16 + 262144 bytes) fills less than half of it. No mmap: a file cut short by another
 * process while mapped would end fc-read with SIGBUS.
 *
 * What it hands out is what libpcap 1.10 (pcap_next_ex, nanosecond precision) hands
 * out: the same packets, lengths and time stamps, the same damage at the same record,
 * with libpcap's own words for it. To be sure of that, it takes only files it can read
 * exactly as libpcap does: regular files with the standard or nanosecond magic in
 * either byte order, version 2.4, of a link type whose frames libpcap passes on as
 * they are. Anything else (pcapng, stdin, the Kuznetzov format, versions before 2.4,
 * link types libpcap rewrites) is left to libpcap. The file header's link type and
 * snapshot length are libpcap's reading of it (it maps LINKTYPE_ to DLT_ values and
 * adjusts snapshot lengths its own way): the 24 header bytes are handed to libpcap,
 * and the pcap_t it makes of them stays open, so a BPF filter is compiled against a
 * savefile handle of the file's byte order, as libpcap's own reading would have it.
 */
#include <pcap/pcap.h>
#include <stdint.h>

#define PCAP_FILE_BUFFER (1u << 20)

struct pcap_file;

/* Opens `path` when this reader reads it as libpcap would; NULL otherwise, saying
 * nothing (libpcap then reads it, and says what is wrong with it, if anything). */
struct pcap_file *pcap_file_open(const char *path);

/* libpcap's handle of the file header: pcap_datalink, pcap_snapshot, pcap_compile.
 * It reads no packets; pcap_file_close closes it. */
pcap_t *pcap_file_pcap(const struct pcap_file *f);

/* The file descriptor read from (the progress display asks it how far it is). */
int pcap_file_fd(const struct pcap_file *f);

/* As pcap_next_ex on a savefile: 1 and the next packet (*h and *data stay valid until
 * the next call), PCAP_ERROR_BREAK at the end of the file, PCAP_ERROR at a record that
 * cannot be read (pcap_file_error says why, in libpcap's words). */
int pcap_file_next(struct pcap_file *f, struct pcap_pkthdr **h, const uint8_t **data);

const char *pcap_file_error(const struct pcap_file *f);

/* Byte offset in the file where the record last asked for starts: after
 * PCAP_ERROR, where the damage is. */
uint64_t pcap_file_record_offset(const struct pcap_file *f);

void pcap_file_close(struct pcap_file *f);

#endif
