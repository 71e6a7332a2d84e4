/* \summary: classic pcap files read with large read(2)s into one buffer, exactly as libpcap reads them */
#include "pcap_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytes.h"
#include "huge.h"
#include "xalloc.h"

#define FILE_HEADER 24
#define RECORD_HEADER 16
/* libpcap's max_snaplen_for_dlt() for every link type read here (the few it allows
 * more are in left_to_libpcap[]): a larger caplen is damage. */
#define MAX_CAPLEN 262144u

/* A record always fits, with room for a read as large again after it. */
_Static_assert(PCAP_FILE_BUFFER >= 2 * (RECORD_HEADER + MAX_CAPLEN) + 2 * RECORD_HEADER, "buffer too small");

/* The two magics read here; the Kuznetzov one (24-byte record headers) stays with libpcap. */
static const struct {
    uint32_t magic;
    bool nanoseconds;
} magics[] = {
    { 0xa1b2c3d4u, false },
    { 0xa1b23c4du, true },
};

/* Link types whose files libpcap reads other than record by record as they are
 * (libpcap 1.10, pcap-util.c and pcap-common.c): it byte-swaps the pseudo-headers of
 * these when the file was written on a host of the other byte order (`when_swapped`),
 * fixes up the lengths of memory-mapped Linux USB captures, and allows frames larger
 * than MAX_CAPLEN for D-Bus, EBHSCR and USBPcap. */
static const struct {
    int dlt;
    bool when_swapped;
} left_to_libpcap[] = {
    { DLT_PFLOG, true },
    { DLT_LINUX_SLL, true },
    { DLT_LINUX_SLL2, true },
    { DLT_USB_LINUX, true },
    { DLT_NFLOG, true },
    { DLT_USB_LINUX_MMAPPED, false },
    { DLT_DBUS, false },
    { DLT_EBHSCR, false },
    { DLT_USBPCAP, false },
};

struct pcap_file {
    int fd;
    bool big_endian;           /* the file's byte order */
    bool swapped;              /* not this host's byte order (pcap_is_swapped) */
    bool nanoseconds;          /* time stamp fractions are ns (else µs) */
    uint32_t snapshot;         /* libpcap's snapshot length for the file (1 to INT_MAX) */
    uint8_t header[FILE_HEADER]; /* what libpcap's handle was opened on (fmemopen) */
    pcap_t *pcap;
    uint8_t *buf;
    size_t cap;                /* PCAP_FILE_BUFFER, or less for a smaller file */
    size_t at, end;            /* unread bytes: buf[at, end) */
    uint64_t buf_offset;       /* file offset of buf[0] */
    uint64_t record_offset;
    struct pcap_pkthdr hdr;
    char error[PCAP_ERRBUF_SIZE];
};

static uint32_t field32(const struct pcap_file *f, const uint8_t *p)
{
    return f->big_endian ? fc_be32(p) : fc_le32(p);
}

static bool libpcap_passes_frames_on(int dlt, bool swapped)
{
    for (size_t i = 0; i < sizeof left_to_libpcap / sizeof left_to_libpcap[0]; i++)
        if (left_to_libpcap[i].dlt == dlt && (swapped || !left_to_libpcap[i].when_swapped))
            return false;
    return true;
}

/* Whether f->header is a file header this reader takes; sets the byte order and the
 * time stamp unit, and opens libpcap's handle of the header. */
static bool take_header(struct pcap_file *f)
{
    bool known = false;
    for (size_t i = 0; i < sizeof magics / sizeof magics[0] && !known; i++) {
        if (fc_le32(f->header) == magics[i].magic || fc_be32(f->header) == magics[i].magic) {
            known = true;
            f->big_endian = fc_be32(f->header) == magics[i].magic;
            f->nanoseconds = magics[i].nanoseconds;
        }
    }
    uint16_t major = f->big_endian ? fc_be16(f->header + 4) : fc_le16(f->header + 4);
    uint16_t minor = f->big_endian ? fc_be16(f->header + 6) : fc_le16(f->header + 6);
    /* Before 2.4, libpcap may exchange caplen and len; that is its business. */
    if (!known || major != 2 || minor != 4)
        return false;
    FILE *mem = fmemopen(f->header, sizeof f->header, "rb");
    if (!mem)
        return false;
    char errbuf[PCAP_ERRBUF_SIZE];
    f->pcap = pcap_fopen_offline_with_tstamp_precision(mem, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!f->pcap) {
        fclose(mem);
        return false;
    }
    int snapshot = pcap_snapshot(f->pcap);
    f->swapped = pcap_is_swapped(f->pcap) == 1;
    if (snapshot <= 0 || !libpcap_passes_frames_on(pcap_datalink(f->pcap), f->swapped)) {
        pcap_close(f->pcap); /* closes mem */
        f->pcap = NULL;
        return false;
    }
    f->snapshot = (uint32_t)snapshot;
    return true;
}

struct pcap_file *pcap_file_open(const char *path)
{
    struct stat st;
    /* stat first: opening a FIFO would wait for a writer, and take bytes from it. */
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct pcap_file *f = fc_xcalloc(1, sizeof *f);
    f->fd = fd;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || read(fd, f->header, sizeof f->header) != FILE_HEADER ||
        !take_header(f)) {
        close(fd);
        free(f);
        return NULL;
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL); /* a hint: larger read-ahead */
    /* A small file gets a buffer its size (plus a byte, so its end is seen in the same
     * read, and at least a record header): directories of small captures do not cost a
     * large buffer each. */
    uint64_t rest = st.st_size > FILE_HEADER ? (uint64_t)st.st_size - FILE_HEADER + 1 : 1;
    rest = rest > RECORD_HEADER ? rest : RECORD_HEADER + 1;
    f->cap = rest < PCAP_FILE_BUFFER ? (size_t)rest : PCAP_FILE_BUFFER;
    f->buf = fc_huge_alloc(f->cap);
    f->buf_offset = FILE_HEADER;
    return f;
}

pcap_t *pcap_file_pcap(const struct pcap_file *f) { return f->pcap; }
int pcap_file_fd(const struct pcap_file *f) { return f->fd; }
const char *pcap_file_error(const struct pcap_file *f) { return f->error; }
uint64_t pcap_file_record_offset(const struct pcap_file *f) { return f->record_offset; }

/* Makes `need` unread bytes (at most a record) lie in the buffer, unless the file
 * ends first: moves what is unread to the start and reads as much as fits. Returns
 * the unread bytes there are, or -1 on a read error (f->error set, as libpcap words it). */
static ssize_t fill(struct pcap_file *f, size_t need)
{
    if (need > f->cap) { /* the file has grown since it was opened */
        f->cap = PCAP_FILE_BUFFER;
        f->buf = fc_huge_realloc(f->buf, f->end, f->cap);
    }
    if (f->at > 0) {
        memmove(f->buf, f->buf + f->at, f->end - f->at);
        f->buf_offset += f->at;
        f->end -= f->at;
        f->at = 0;
    }
    while (f->end < need) {
        ssize_t got = read(f->fd, f->buf + f->end, f->cap - f->end);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(f->error, sizeof f->error, "error reading dump file: %s", strerror(errno));
            return -1;
        }
        if (got == 0)
            break;
        f->end += (size_t)got;
    }
    return (ssize_t)f->end;
}

/* A 32-bit time stamp field as libpcap 1.10 widens it: the field is signed (bpf_int32),
 * but its byte swap (SWAPLONG) gives an unsigned int. So seconds from 2^31 on are
 * before 1970 in a file of this host's byte order and after 2038 in the other. */
static int64_t time_field(const struct pcap_file *f, const uint8_t *p)
{
    uint32_t v = field32(f, p);
    return f->swapped ? (int64_t)v : (int64_t)(int32_t)v;
}

/* The record header at buf[at] into f->hdr, as libpcap fills a struct pcap_pkthdr at
 * nanosecond precision (microseconds are multiplied by 1000 in a long). */
static void read_record_header(struct pcap_file *f)
{
    const uint8_t *p = f->buf + f->at;
    int64_t frac = time_field(f, p + 4);
    f->hdr.ts.tv_sec = (time_t)time_field(f, p);
    f->hdr.ts.tv_usec = (suseconds_t)(f->nanoseconds ? frac : frac * 1000);
    f->hdr.caplen = field32(f, p + 8);
    f->hdr.len = field32(f, p + 12);
}

int pcap_file_next(struct pcap_file *f, struct pcap_pkthdr **h, const uint8_t **data)
{
    f->record_offset = f->buf_offset + f->at;
    size_t have = f->end - f->at;
    if (have < RECORD_HEADER) {
        ssize_t got = fill(f, RECORD_HEADER);
        if (got < 0)
            return PCAP_ERROR;
        if (got == 0)
            return PCAP_ERROR_BREAK;
        if ((size_t)got < RECORD_HEADER) {
            snprintf(f->error, sizeof f->error, "truncated dump file; tried to read %zu header bytes, only got %zu",
                     (size_t)RECORD_HEADER, (size_t)got);
            return PCAP_ERROR;
        }
        have = (size_t)got;
    }
    read_record_header(f);
    uint32_t caplen = f->hdr.caplen;
    /* libpcap's order of checks and its words (sf-pcap.c, pcap_next_packet). */
    if (caplen > MAX_CAPLEN) {
        if (caplen > f->snapshot)
            snprintf(f->error, sizeof f->error, "invalid packet capture length %u, bigger than snaplen of %d",
                     caplen, (int)f->snapshot);
        else
            snprintf(f->error, sizeof f->error, "invalid packet capture length %u, bigger than maximum of %u",
                     caplen, MAX_CAPLEN);
        return PCAP_ERROR;
    }
    if (have < RECORD_HEADER + (size_t)caplen) {
        ssize_t got = fill(f, RECORD_HEADER + (size_t)caplen);
        if (got < 0)
            return PCAP_ERROR;
        size_t data_got = (size_t)got - RECORD_HEADER;
        if (data_got < caplen) {
            /* Beyond the snapshot length, libpcap first reads snapshot bytes, then
             * skips the rest; which of the two came up short shows in the message. */
            uint32_t tried = caplen > f->snapshot && data_got < f->snapshot ? f->snapshot : caplen;
            snprintf(f->error, sizeof f->error, "truncated dump file; tried to read %u captured bytes, only got %zu",
                     tried, data_got);
            return PCAP_ERROR;
        }
    }
    /* A record longer than the snapshot length is cut to it, as libpcap does. */
    if (caplen > f->snapshot)
        f->hdr.caplen = f->snapshot;
    *h = &f->hdr;
    *data = f->buf + f->at + RECORD_HEADER;
    f->at += RECORD_HEADER + (size_t)caplen;
    return 1;
}

void pcap_file_close(struct pcap_file *f)
{
    if (!f)
        return;
    pcap_close(f->pcap);
    close(f->fd);
    free(f->buf);
    free(f);
}
