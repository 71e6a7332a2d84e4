/* \summary: a one-line progress display on stderr while a file is read */
#ifndef FC_READ_PROGRESS_H
#define FC_READ_PROGRESS_H

/*
 * Only for a person watching: shown when stderr is a terminal and the source is a
 * regular file (its size is known), refreshed at most PROGRESS_PER_SECOND times a
 * second, and erased when the file is done, so it never mixes with messages.
 */
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct progress {
    bool on;
    bool shown;            /* something is on the line and must be erased */
    const char *name;
    int fd;                /* the file read; its offset is how far reading is */
    uint64_t size;
    struct timespec started, shown_at;
    uint32_t until_check;  /* packets until the clock is looked at again */
};

/* Turns the display on when it should be (stderr a terminal, `fd` a regular file).
 * The position shown is the file's offset, ahead of the packet being read by what the
 * reader holds in its buffer (at most 1 MiB). */
void progress_start(struct progress *pr, const char *name, int fd);
/* Called once per packet; cheap: looks at the clock only every few thousand packets. */
void progress_packet(struct progress *pr, uint64_t packets);
void progress_end(struct progress *pr);

#endif
