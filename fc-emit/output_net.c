/* \summary: the sender thread of fc-emit's network targets: takes lines from main, serves the sockets */
#include "output.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "monotonic.h"
#include "xalloc.h"

/*
 * Why a thread: main blocks reading the record stream, possibly for minutes on a quiet
 * live link, and in that time clients still connect, slow clients still drain and a
 * server that went away is still reconnected. The thread owns every socket; main only
 * appends complete lines to `pending` under the mutex and wakes the thread through an
 * eventfd when pending was empty. Main never waits for a peer: if the thread has not
 * taken `queue_limit` bytes yet, further lines are dropped and counted. The thread takes
 * them all at once and offers them to the peers; lines a connected peer has no room for
 * yet are held back (`held`), and pending is not taken again until they are gone, so a
 * server slower than the input sets the pace while the queue absorbs the difference.
 *
 * The thread blocks every signal, so SIGINT, SIGTERM and SIGHUP reach main, whose reader
 * watches for them.
 */
#define MAX_POLL 130
/* Lines main may queue before the thread takes them: the moments the thread is not
 * scheduled, and a server slower than the input; peers have their own bound. */
#define NET_QUEUE_MIN (16u << 20)

struct net_sender {
    const struct net_peer_ops *ops;
    void *st;
    const char *name;
    unsigned linger_s;
    int wake_fd;
    pthread_t thread;
    pthread_mutex_t mu;
    /* under mu */
    char *pending;
    size_t pending_len, pending_cap, queue_limit;
    uint64_t queue_dropped_lines;
    bool closing;
    const char *preamble;           /* set once by main; handed to the peers by the thread */
    size_t preamble_len;
    bool preamble_new;
    /* the thread's own */
    int status;
};


size_t net_count_lines(const char *p, size_t n)
{
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += p[i] == '\n';
    return lines;
}

void net_sender_lines(struct net_sender *s, const char *p, size_t n)
{
    bool wake = false;
    pthread_mutex_lock(&s->mu);
    if (s->pending_len + n > s->queue_limit) {
        s->queue_dropped_lines += net_count_lines(p, n);
    } else {
        if (s->pending_cap - s->pending_len < n) {
            while (s->pending_cap - s->pending_len < n)
                s->pending_cap = s->pending_cap ? s->pending_cap * 2 : 64u << 10;
            s->pending = fc_xrealloc(s->pending, s->pending_cap);
        }
        memcpy(s->pending + s->pending_len, p, n);
        wake = s->pending_len == 0;
        s->pending_len += n;
    }
    pthread_mutex_unlock(&s->mu);
    if (wake) {
        uint64_t one = 1;
        while (write(s->wake_fd, &one, sizeof one) < 0 && errno == EINTR)
            ;
    }
}

void net_sender_preamble(struct net_sender *s, const char *p, size_t n)
{
    pthread_mutex_lock(&s->mu);
    s->preamble = p;
    s->preamble_len = n;
    s->preamble_new = true;
    pthread_mutex_unlock(&s->mu);
    uint64_t one = 1;
    while (write(s->wake_fd, &one, sizeof one) < 0 && errno == EINTR)
        ;
}

/* Lines taken from main that a peer had no room for yet: buf[at..at+n). */
struct held_lines {
    char *buf;
    size_t cap, at, n;
    int64_t progress_ms;            /* when a peer last took some */
};

/* Takes the wake-up and what main set with it: the preamble (handed on now), and whether
 * it is done (the return value). */
static bool take_wake(struct net_sender *s)
{
    uint64_t count;
    while (read(s->wake_fd, &count, sizeof count) < 0 && errno == EINTR)
        ;
    pthread_mutex_lock(&s->mu);
    bool closing = s->closing;
    bool preamble_new = s->preamble_new;
    s->preamble_new = false;
    pthread_mutex_unlock(&s->mu);
    if (preamble_new)
        s->ops->preamble(s->st, s->preamble, s->preamble_len);
    return closing;
}

/* With the held lines gone: takes what main queued (the buffers swap, so main goes on
 * while the peers get these). */
static void take_pending(struct net_sender *s, struct held_lines *h)
{
    pthread_mutex_lock(&s->mu);
    char *lines = s->pending;
    size_t n = s->pending_len, cap = s->pending_cap;
    if (n) {
        s->pending = h->buf;
        s->pending_cap = h->cap;
        s->pending_len = 0;
    }
    pthread_mutex_unlock(&s->mu);
    if (n)
        *h = (struct held_lines){ .buf = lines, .cap = cap, .n = n, .progress_ms = fc_monotonic_ms() };
}

/* Offers the held lines to the peers; for good (drops counted by them) with give_up, or
 * once they took nothing for NET_STALL_MS. */
static void offer_held(struct net_sender *s, struct held_lines *h, bool give_up)
{
    if (!h->n)
        return;
    int64_t now = fc_monotonic_ms();
    bool may_hold_back = !give_up && now - h->progress_ms < NET_STALL_MS;
    size_t took = s->ops->lines(s->st, h->buf + h->at, h->n, may_hold_back);
    if (took) {
        h->at += took;
        h->n -= took;
        h->progress_ms = now;
    }
}

/* Hands on what is held and, once that is gone, what main queued since. */
static void hand_on(struct net_sender *s, struct held_lines *h, bool give_up)
{
    offer_held(s, h, give_up);
    if (!h->n) {
        take_pending(s, h);
        offer_held(s, h, give_up);
    }
}

static void *sender_main(void *arg)
{
    struct net_sender *s = arg;
    struct held_lines held = { 0 };
    bool closing = false;
    int64_t deadline = 0;
    struct pollfd fds[MAX_POLL];
    for (;;) {
        int64_t now = fc_monotonic_ms();
        if (closing && !held.n && s->ops->drained(s->st)) {
            s->status = s->ops->finish(s->st, true);
            break;
        }
        if (closing && now >= deadline) {   /* what is held or still queued: dropped and counted */
            hand_on(s, &held, true);        /* given up, the peers take it all */
            s->status = s->ops->finish(s->st, false);
            break;
        }
        int timeout = closing ? (int)(deadline - now) : -1;
        if (held.n) {   /* look again when the peer's time to take something runs out */
            int64_t left = held.progress_ms + NET_STALL_MS - now;
            int stall = left > 0 ? (int)left : 0;
            timeout = timeout < 0 || stall < timeout ? stall : timeout;
        }
        fds[0] = (struct pollfd){ .fd = s->wake_fd, .events = POLLIN };
        int n = 1 + s->ops->want(s->st, fds + 1, MAX_POLL - 1, now, &timeout);
        if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR) {
            fc_warn("%s: poll: %s", s->name, strerror(errno));
            s->status = s->ops->finish(s->st, false);
            break;
        }
        if (fds[0].revents && take_wake(s) && !closing) {
            closing = true;
            deadline = fc_monotonic_ms() + (int64_t)s->linger_s * 1000;
        }
        s->ops->serve(s->st, fds + 1, n - 1, fc_monotonic_ms());
        hand_on(s, &held, false);
    }
    free(held.buf);
    return NULL;
}

struct net_sender *net_sender_start(const struct net_peer_ops *ops, void *st, const char *name,
                                    size_t queue_limit, unsigned linger_s)
{
    struct net_sender *s = fc_xcalloc(1, sizeof *s);
    s->ops = ops;
    s->st = st;
    s->name = name;
    s->queue_limit = queue_limit > NET_QUEUE_MIN ? queue_limit : NET_QUEUE_MIN;
    s->linger_s = linger_s;
    s->wake_fd = eventfd(0, EFD_CLOEXEC);
    if (s->wake_fd < 0)
        fc_die(FC_EXIT_SYSTEM, "%s: eventfd: %s", name, strerror(errno));
    pthread_mutex_init(&s->mu, NULL);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int err = pthread_create(&s->thread, NULL, sender_main, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (err)
        fc_die(FC_EXIT_SYSTEM, "%s: cannot start the sender thread: %s", name, strerror(err));
    return s;
}

int net_sender_stop(struct net_sender *s)
{
    pthread_mutex_lock(&s->mu);
    s->closing = true;
    pthread_mutex_unlock(&s->mu);
    uint64_t one = 1;
    while (write(s->wake_fd, &one, sizeof one) < 0 && errno == EINTR)
        ;
    pthread_join(s->thread, NULL);
    int status = s->status;
    if (s->queue_dropped_lines) {
        fc_warn("%s: %llu lines dropped: the sender thread fell behind by more than %zu bytes", s->name,
                (unsigned long long)s->queue_dropped_lines, s->queue_limit);
        status = status ? status : FC_EXIT_SYSTEM;
    }
    pthread_mutex_destroy(&s->mu);
    close(s->wake_fd);
    free(s->pending);
    free(s);
    return status;
}
