/* \summary: libFuzzer harness: bytes as a pcapng stream through fc-read's interface-block watch */
/*
 * fc-read's streams (stdin, PCAP-over-IP, fc-web uploads) pass through pcapng_watch.c before
 * libpcap, in pieces of whatever size a read returns. Beyond "no crash, no read outside the
 * bytes given" (each piece is copied into a block of its own size, so ASan sees any overrun),
 * the watch's answer must not depend on how the stream was cut: the input passed whole and
 * in pieces whose sizes follow from its own bytes give the same verdict, and the same block
 * end, interface count and byte order whenever the stream is not refused.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../fc-read/pcapng_watch.h"

static bool pass_in_pieces(struct pcapng_watch *w, const uint8_t *data, size_t size)
{
    size_t at = 0, step = 1;
    while (at < size) {
        size_t n = size - at < step ? size - at : step;
        uint8_t *piece = malloc(n);
        if (!piece)
            abort();
        memcpy(piece, data + at, n);
        bool ok = pcapng_watch_pass(w, piece, n);
        free(piece);
        if (!ok)
            return false;
        at += n;
        step = 1 + (step * 7 + data[at - 1]) % 61;   /* 1 to 61 bytes, from the stream itself */
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pcapng_watch whole, pieces;
    memset(&whole, 0, sizeof whole);
    memset(&pieces, 0, sizeof pieces);
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    bool whole_ok = pcapng_watch_pass(&whole, copy, size);
    free(copy);
    bool pieces_ok = pass_in_pieces(&pieces, data, size);
    if (whole_ok != pieces_ok)
        abort();
    if (whole_ok && (whole.off != pieces.off || whole.block_end != pieces.block_end ||
                     whole.interfaces != pieces.interfaces || whole.big_endian != pieces.big_endian))
        abort();
    return 0;
}
