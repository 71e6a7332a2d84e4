/* \summary: fc-emit's path targets: stdout (-), a FILE, or a new timestamped file in a DIR; SIGHUP reopens */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

/*
 * A DIR target gets a new file per run, named after the run's start time in local time,
 * flowcarp-YYYYmmdd-HHMMSS[-N].EXT; O_EXCL makes the name ours alone, so two runs in the
 * same second, or a file already there, are never overwritten. A new file that is still
 * empty when the run fails (or dies) is removed: a failed run leaves nothing behind.
 *
 * SIGHUP (log rotation: the file was moved away): FILE is opened again by its name, for
 * appending; a DIR target starts the next new file. stdout is left alone.
 */
#define NEW_FILE_TRIES 1000

struct path_state {
    char *dir;                   /* DIR target: the folder; NULL otherwise */
    const char *extension;
    char *path;                  /* the file written now; NULL for stdout */
    bool path_is_new;            /* made by this run: removed again if still empty on failure */
};

/* One path target per process, so the exit handler can find it. */
static struct path_state *exit_cleanup;

/* A regular file of at most `header` bytes: nothing in it but the format's header rows. */
static bool fd_holds_no_more_than(int fd, size_t header)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= header;
}

static bool fd_is_empty(int fd) { return fd_holds_no_more_than(fd, 0); }

static void remove_if_empty(const struct path_state *ps, int fd, size_t header)
{
    if (ps->path_is_new && fd >= 0 && fd_holds_no_more_than(fd, header))
        unlink(ps->path);
}

static int exit_cleanup_fd = -1;
static void remove_empty_new_file_at_exit(void)
{
    if (exit_cleanup)
        remove_if_empty(exit_cleanup, exit_cleanup_fd, 0);
}

/* Creates DIR/flowcarp-STAMP[-N].EXT; -1 after saying why. */
static int create_new_file(struct path_state *ps, const char *target)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
    size_t size = strlen(ps->dir) + strlen(stamp) + strlen(ps->extension) + 32;
    char *path = fc_xmalloc(size);
    const char *slash = ps->dir[strlen(ps->dir) - 1] == '/' ? "" : "/";
    for (int n = 0; n < NEW_FILE_TRIES; n++) {
        if (n == 0)
            snprintf(path, size, "%s%sflowcarp-%s.%s", ps->dir, slash, stamp, ps->extension);
        else
            snprintf(path, size, "%s%sflowcarp-%s-%d.%s", ps->dir, slash, stamp, n, ps->extension);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            free(ps->path);
            ps->path = path;
            ps->path_is_new = true;
            fc_info("writing flows to %s", path);
            return fd;
        }
        if (errno != EEXIST) {
            fc_warn("--output %s: cannot create files in this folder: %s", target, strerror(errno));
            free(path);
            return -1;
        }
    }
    fc_warn("--output %s: cannot create a new file: %d names taken", target, NEW_FILE_TRIES);
    free(path);
    return -1;
}

/* The extension of a new file in a DIR, after the format's name; JSON lines otherwise. */
static const struct {
    const char *format, *extension;
} extensions[] = {
    { "CSV", "csv" },
    { "TSV", "tsv" },
};

static const char *extension_of(const char *format)
{
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
        if (strcasecmp(format, extensions[i].format) == 0)
            return extensions[i].extension;
    return "json";
}

static void path_open(struct emit_output *o, const char *spec, const struct emit_output_options *opt)
{
    static struct path_state ps;
    o->state = &ps;
    ps.extension = extension_of(opt->format);
    if (strcmp(spec, "-") == 0) {
        o->fd = STDOUT_FILENO;
        return;
    }
    struct stat st;
    if (stat(spec, &st) == 0 && S_ISDIR(st.st_mode)) {
        ps.dir = fc_xstrdup(spec);
        o->fd = create_new_file(&ps, spec);
    } else if (spec[0] && spec[strlen(spec) - 1] == '/') {
        fc_die(FC_EXIT_SYSTEM, "--output %s: no such folder", spec);
    } else {
        ps.path = fc_xstrdup(spec);
        o->fd = open(spec, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (o->fd < 0)
            fc_die(FC_EXIT_SYSTEM, "%s: cannot write: %s", spec, strerror(errno));
    }
    if (o->fd < 0)
        exit(FC_EXIT_SYSTEM);
    exit_cleanup = &ps;
    exit_cleanup_fd = o->fd;
    atexit(remove_empty_new_file_at_exit);
}

static bool path_reopen(struct emit_output *o)
{
    struct path_state *ps = o->state;
    if (!ps->path)
        return false;   /* stdout */
    int fd = ps->dir ? create_new_file(ps, o->name)
                     : open(ps->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (!ps->dir)
            fc_warn("%s: cannot reopen: %s; still writing to the file opened before", ps->path, strerror(errno));
        return false;
    }
    if (!ps->dir)
        fc_info("SIGHUP: %s reopened", ps->path);
    if (close(o->fd) != 0)
        fc_warn("%s: write error: %s", o->name, strerror(errno));
    if (!ps->dir)
        ps->path_is_new = false;
    o->fd = exit_cleanup_fd = fd;
    return fd_is_empty(fd);
}

static int path_close(struct emit_output *o, bool run_failed)
{
    struct path_state *ps = o->state;
    int status = FC_EXIT_OK;
    if (ps->path) {
        if (run_failed) /* a new file of no flow, not even one before the failure */
            remove_if_empty(ps, o->fd, o->preamble_len);
        exit_cleanup = NULL;
        if (close(o->fd) != 0) {
            fc_warn("%s: write error: %s", ps->path, strerror(errno));
            status = FC_EXIT_SYSTEM;
        }
    }
    free(ps->path);
    free(ps->dir);
    ps->path = ps->dir = NULL;
    return status;
}

const struct output_kind output_path = {
    .prefix = NULL,
    .open = path_open,
    .reopen = path_reopen,
    .close = path_close,
};
