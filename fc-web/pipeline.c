/* \summary: fc-web's pipeline of one request: fc-read | fc-flow | fc-classify | fc-emit as child processes */
#define _GNU_SOURCE   /* O_TMPFILE, pipe2 */
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Every descriptor is opened close-on-exec, so a request's children hold only their own
 * pipe ends: another request's fc-read would otherwise never see the end of its input.
 * posix_spawn (not fork) because we are one of many threads. The children get the
 * default signal dispositions and an empty signal mask, whatever this thread had:
 * the server ignores SIGPIPE and blocks SIGINT and SIGTERM.
 */
extern char **environ;

const char *const web_stage_names[WEB_STAGES] = { "fc-read", "fc-flow", "fc-classify", "fc-emit" };

#define MAX_ARGS (2 * WEB_MAX_MODELS + 8) /* every model option, and the stage's own */

static int temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    int fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    return fd;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* argv of stage i, in args (static strings and cfg's; the format is the caller's). */
static void stage_argv(enum web_stage i, const struct web_config *cfg, const char *format, char *path, size_t path_size,
                       const char **args)
{
    int n = 0;
    snprintf(path, path_size, "%s/%s", cfg->tools, web_stage_names[i]);
    args[n++] = path;
    switch (i) {
    case STAGE_READ: args[n++] = "-"; break;                  /* the body, on stdin */
    case STAGE_CLASSIFY:
        args[n++] = "--drop-samples";                         /* nothing after needs them */
        for (size_t m = 0; m + 1 < cfg->n_model_args && n < MAX_ARGS - 3; m += 2) {
            args[n++] = cfg->model_args[m];
            args[n++] = cfg->model_args[m + 1];
        }
        break;
    case STAGE_EMIT:
        args[n++] = "--format";
        args[n++] = format;
        break;
    case STAGE_FLOW:
    case WEB_STAGES:
        break;
    }
    args[n] = NULL;
}

static bool spawn_stage(struct pipeline *p, enum web_stage i, int in_fd, int out_fd, int err_fd, const struct web_config *cfg,
                        const char *format, char *why, size_t why_size)
{
    char path[4096];
    const char *args[MAX_ARGS];
    stage_argv(i, cfg, format, path, sizeof path, args);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_fd, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err_fd, STDERR_FILENO);
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    int err = posix_spawn(&p->pids[i], path, &fa, &attr, (char *const *)args, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (err) {
        snprintf(why, why_size, "cannot run %s: %s", path, strerror(err));
        p->pids[i] = 0;
        return false;
    }
    return true;
}

bool pipeline_start(struct pipeline *p, const struct web_config *cfg, const char *format, char *why, size_t why_size)
{
    memset(p, 0, sizeof *p);
    p->body_fd = p->out_fd = p->read_err_fd = p->stages_err_fd = -1;
    p->out_fd = temp_file();
    p->read_err_fd = temp_file();
    p->stages_err_fd = temp_file();
    if (p->out_fd < 0 || p->read_err_fd < 0 || p->stages_err_fd < 0) {
        snprintf(why, why_size, "cannot make a temporary file: %s", strerror(errno));
        pipeline_discard(p);
        return false;
    }
    int body[2];
    if (pipe2(body, O_CLOEXEC) != 0) {
        snprintf(why, why_size, "pipe: %s", strerror(errno));
        pipeline_discard(p);
        return false;
    }
    p->body_fd = body[1];
    int in_fd = body[0];   /* the read end the next stage gets as stdin */
    for (enum web_stage i = STAGE_READ; i < WEB_STAGES; i++) {
        int next[2] = { -1, -1 };
        bool last = i == STAGE_EMIT;
        bool ok = last || pipe2(next, O_CLOEXEC) == 0;
        if (!ok)
            snprintf(why, why_size, "pipe: %s", strerror(errno));
        else
            ok = spawn_stage(p, i, in_fd, last ? p->out_fd : next[1], i == STAGE_READ ? p->read_err_fd : p->stages_err_fd,
                             cfg, format, why, why_size);
        close_fd(&in_fd);
        close_fd(&next[1]);
        in_fd = next[0];
        if (!ok) {
            close_fd(&in_fd);
            pipeline_discard(p);
            return false;
        }
    }
    return true;
}

bool pipeline_write(struct pipeline *p, const void *data, size_t n)
{
    const char *at = data;
    while (n && p->body_fd >= 0) {
        ssize_t w = write(p->body_fd, at, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            close_fd(&p->body_fd);   /* fc-read stopped reading (EPIPE): it said why on stderr */
            return false;
        }
        at += w;
        n -= (size_t)w;
    }
    return p->body_fd >= 0;
}

/* Waits for stage i (or only looks, with WNOHANG); true once it is reaped. */
static bool reap(struct pipeline *p, int i, int flags)
{
    if (p->reaped[i] || p->pids[i] <= 0)
        return true;
    pid_t got;
    while ((got = waitpid(p->pids[i], &p->status[i], flags)) < 0 && errno == EINTR)
        ;
    if (got == 0)
        return false;       /* still running */
    if (got < 0)
        p->status[i] = 0x7f00;   /* lost: reported as failed */
    p->reaped[i] = true;
    return true;
}

/*
 * Looks every 10 ms rather than blocking in waitpid, so that a service told to stop
 * kills a pipeline still working instead of waiting for it.
 */
#define FINISH_POLL_NS 10000000L

void pipeline_finish(struct pipeline *p)
{
    close_fd(&p->body_fd);
    for (;;) {
        bool all = true;
        for (int i = 0; i < WEB_STAGES; i++)
            all &= reap(p, i, WNOHANG);
        if (all)
            return;
        if (web_stopping())
            pipeline_kill(p);
        nanosleep(&(struct timespec){ .tv_nsec = FINISH_POLL_NS }, NULL);
    }
}

void pipeline_kill(struct pipeline *p)
{
    for (int i = 0; i < WEB_STAGES; i++)
        if (p->pids[i] > 0 && !p->reaped[i])
            kill(p->pids[i], SIGKILL);
}

void pipeline_discard(struct pipeline *p)
{
    close_fd(&p->body_fd);
    pipeline_kill(p);
    for (int i = 0; i < WEB_STAGES; i++)
        reap(p, i, 0);
    close_fd(&p->out_fd);
    close_fd(&p->read_err_fd);
    close_fd(&p->stages_err_fd);
}

int pipeline_exit_status(const struct pipeline *p, int i)
{
    int st = p->status[i];
    if (!p->reaped[i] || p->pids[i] <= 0)
        return 127;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 127;
}

void pipeline_read_text(int fd, char *buf, size_t size)
{
    ssize_t n = fd >= 0 ? pread(fd, buf, size - 1, 0) : -1;
    buf[n > 0 ? n : 0] = 0;
}
