/* \summary: a one-line progress display on stderr while a file is read */
#include "progress.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define PROGRESS_PER_SECOND 4
#define CHECK_EVERY 4096

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_start(struct progress *pr, const char *name, int fd)
{
    struct stat st;
    pr->on = isatty(STDERR_FILENO) && fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    pr->name = name;
    pr->fd = fd;
    pr->size = pr->on ? (uint64_t)st.st_size : 0;
    pr->until_check = CHECK_EVERY;
    clock_gettime(CLOCK_MONOTONIC, &pr->started);
    pr->shown_at = pr->started;
    pr->shown = false;
}

static void progress_show(struct progress *pr, uint64_t packets, const struct timespec *now)
{
    off_t at = lseek(pr->fd, 0, SEEK_CUR);
    double mb = at > 0 ? (double)at / 1e6 : 0, total = (double)pr->size / 1e6;
    double secs = seconds_between(&pr->started, now);
    fprintf(stderr, "\r%s: %s: %.1f of %.1f MB (%.0f%%), %llu packets, %.1f MB/s\033[K", fc_progname(),
            pr->name, mb, total, total > 0 ? 100 * mb / total : 100.0, (unsigned long long)packets,
            secs > 0 ? mb / secs : 0);
    pr->shown_at = *now;
    pr->shown = true;
}

void progress_packet(struct progress *pr, uint64_t packets)
{
    if (!pr->on || --pr->until_check)
        return;
    pr->until_check = CHECK_EVERY;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (seconds_between(&pr->shown_at, &now) >= 1.0 / PROGRESS_PER_SECOND)
        progress_show(pr, packets, &now);
}

void progress_end(struct progress *pr)
{
    if (pr->shown)
        fputs("\r\033[K", stderr);
    pr->on = pr->shown = false;
}
