/* \summary: fc-emit's tcp:[IP:]PORT target: a service that sends the lines to every client connected */
#define _GNU_SOURCE   /* accept4 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

/*
 * A client gets the preamble (header row) and then every line written after it
 * connected, from the start of a line. What it sends is read and thrown away. A client
 * with more than peer_buffer bytes waiting is too slow (or stalled) and is dropped, so
 * the others and the pipeline go on at full speed. At the end, clients get up to the
 * linger time to take what waits for them.
 */
#define MAX_CLIENTS 128

struct client {
    int fd;
    char peer[64];
    bool sent_all;                  /* it shut its sending side: it may still read */
    struct peer_buffer out;
};

struct listen_state {
    const char *name;
    int listen_fd;
    size_t limit;
    const char *preamble;           /* header rows every client gets first */
    size_t preamble_len;
    struct client clients[MAX_CLIENTS];
    size_t n_clients;
    struct net_sender *sender;
};

/* Closes client i; `lost` says lines meant for it were lost (a warning), else it is news. */
static void drop_client(struct listen_state *ls, size_t i, bool lost, const char *why)
{
    struct client *c = &ls->clients[i];
    if (lost)
        fc_warn("%s: client %s dropped: %s", ls->name, c->peer, why);
    else
        fc_info("%s: client %s %s", ls->name, c->peer, why);
    close(c->fd);
    peer_buffer_free(&c->out);
    ls->clients[i] = ls->clients[--ls->n_clients];
}

static void accept_clients(struct listen_state *ls)
{
    for (;;) {
        struct sockaddr_storage sa;
        socklen_t len = sizeof sa;
        int fd = accept4(ls->listen_fd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
                fc_warn("%s: accept: %s", ls->name, strerror(errno));
            return;
        }
        char peer[64];
        net_address_format((struct sockaddr *)&sa, peer, sizeof peer);
        if (ls->n_clients == MAX_CLIENTS) {
            fc_warn("%s: client %s refused: already %d clients", ls->name, peer, MAX_CLIENTS);
            close(fd);
            continue;
        }
        struct client *c = &ls->clients[ls->n_clients++];
        memset(c, 0, sizeof *c);
        c->fd = fd;
        memcpy(c->peer, peer, sizeof peer);
        peer_buffer_append(&c->out, ls->preamble, ls->preamble_len, SIZE_MAX);
        fc_info("%s: client %s connected", ls->name, c->peer);
    }
}

/* Reads and discards what a client sends; false when it failed. A client that only
 * shut its sending side (shutdown, or nc at the end of its stdin) still gets the lines. */
static bool client_still_there(struct client *c)
{
    char junk[4096];
    for (;;) {
        ssize_t n = recv(c->fd, junk, sizeof junk, MSG_DONTWAIT);
        if (n > 0 || (n < 0 && errno == EINTR))
            continue;
        if (n == 0)
            c->sent_all = true;
        return n == 0 || errno == EAGAIN || errno == EWOULDBLOCK;
    }
}

static int listen_want(void *st, struct pollfd *fds, int max, int64_t now_ms, int *timeout_ms)
{
    (void)now_ms, (void)timeout_ms;
    struct listen_state *ls = st;
    int n = 0;
    fds[n++] = (struct pollfd){ .fd = ls->listen_fd, .events = POLLIN };
    for (size_t i = 0; i < ls->n_clients && n < max; i++)
        fds[n++] = (struct pollfd){
            .fd = ls->clients[i].fd,
            .events = (short)((ls->clients[i].sent_all ? 0 : POLLIN) |
                              (peer_buffer_waiting(&ls->clients[i].out) ? POLLOUT : 0)),
        };
    return n;
}

static void listen_serve(void *st, struct pollfd *fds, int n, int64_t now_ms)
{
    (void)now_ms;
    struct listen_state *ls = st;
    /* Clients first, by fd (the array changes as clients go), then new ones. */
    for (int k = 1; k < n; k++) {
        if (!fds[k].revents)
            continue;
        for (size_t i = 0; i < ls->n_clients; i++) {
            struct client *c = &ls->clients[i];
            if (c->fd != fds[k].fd)
                continue;
            if ((fds[k].revents & (POLLHUP | POLLERR)) || ((fds[k].revents & POLLIN) && !client_still_there(c)))
                drop_client(ls, i, peer_buffer_waiting(&c->out) != 0, "disconnected");
            else if ((fds[k].revents & POLLOUT) && !peer_buffer_send(&c->out, c->fd))
                drop_client(ls, i, true, strerror(errno));
            break;
        }
    }
    if (fds[0].revents & POLLIN)
        accept_clients(ls);
}

/* Every client gets the lines now: one with no room is dropped, never waited for, which
 * would hold back every other one. */
static size_t listen_lines(void *st, const char *p, size_t n, bool may_hold_back)
{
    (void)may_hold_back;
    struct listen_state *ls = st;
    for (size_t i = 0; i < ls->n_clients;) {
        struct client *c = &ls->clients[i];
        char why[96];
        bool failed;
        size_t took = peer_buffer_push_lines(&c->out, c->fd, p, n, ls->limit, &failed);
        if (failed) {
            drop_client(ls, i, true, strerror(errno));
        } else if (took < n) {
            snprintf(why, sizeof why, "too slow, more than %zu bytes waiting for it", ls->limit);
            drop_client(ls, i, true, why);
        } else if (!peer_buffer_send(&c->out, c->fd)) {
            drop_client(ls, i, true, strerror(errno));
        } else {
            i++;
        }
    }
    return n;
}

/* Clients connected before the preamble was known get it now, before any line. */
static void listen_preamble(void *st, const char *p, size_t n)
{
    struct listen_state *ls = st;
    ls->preamble = p;
    ls->preamble_len = n;
    listen_lines(st, p, n, false);
}

static bool listen_drained(void *st)
{
    struct listen_state *ls = st;
    for (size_t i = 0; i < ls->n_clients; i++)
        if (peer_buffer_waiting(&ls->clients[i].out))
            return false;
    return true;
}

static int listen_finish(void *st, bool drained)
{
    (void)drained;   /* each client's own buffer says whether it got everything */
    struct listen_state *ls = st;
    while (ls->n_clients) {
        size_t left = peer_buffer_waiting(&ls->clients[0].out);
        char why[96];
        snprintf(why, sizeof why, "%zu bytes not taken before the end", left);
        drop_client(ls, 0, left != 0, left ? why : "closed at the end, every line sent");
    }
    close(ls->listen_fd);
    return FC_EXIT_OK;   /* clients that leave early or lag are theirs to mind, not a failure of the run */
}

static const struct net_peer_ops listen_ops = {
    .want = listen_want,
    .serve = listen_serve,
    .lines = listen_lines,
    .preamble = listen_preamble,
    .drained = listen_drained,
    .finish = listen_finish,
};

static int listen_socket(const struct net_address *a, const char *name)
{
    int fd = socket(a->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 && a->any)   /* no IPv6 here: IPv4 any */
        return -2;
    if (fd < 0)
        fc_die(FC_EXIT_SYSTEM, "--output %s: socket: %s", name, strerror(errno));
    int on = 1, off = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (a->any)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    if (bind(fd, (const struct sockaddr *)&a->sa, a->len) != 0 || listen(fd, 64) != 0) {
        int err = errno;
        close(fd);
        if (a->any && err == EAFNOSUPPORT)
            return -2;
        fc_die(FC_EXIT_SYSTEM, "--output %s: cannot listen: %s", name, strerror(err));
    }
    return fd;
}

static void listen_open(struct emit_output *o, const char *spec, const struct emit_output_options *opt)
{
    struct net_address a;
    const char *why;
    if (!net_address_parse(spec, false, &a, &why))
        fc_die(FC_EXIT_USAGE, "--output %s: %s (tcp:[IP:]PORT)", o->name, why);
    struct listen_state *ls = fc_xcalloc(1, sizeof *ls);
    ls->name = o->name;
    ls->limit = opt->peer_buffer;
    ls->listen_fd = listen_socket(&a, o->name);
    if (ls->listen_fd == -2) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)&a.sa;
        uint16_t port = ((struct sockaddr_in6 *)&a.sa)->sin6_port;
        memset(&a.sa, 0, sizeof a.sa);
        v4->sin_family = AF_INET;
        v4->sin_addr.s_addr = htonl(INADDR_ANY);
        v4->sin_port = port;
        a.len = sizeof *v4;
        a.any = false;
        ls->listen_fd = listen_socket(&a, o->name);
    }
    fc_info("%s: serving the output to TCP clients", o->name);
    o->state = ls;
    ls->sender = net_sender_start(&listen_ops, ls, o->name, ls->limit, opt->linger_s);
}

static void listen_lines_from_main(struct emit_output *o, const char *p, size_t n)
{
    struct listen_state *ls = o->state;
    net_sender_lines(ls->sender, p, n);
}

static void listen_preamble_from_main(struct emit_output *o)
{
    struct listen_state *ls = o->state;
    net_sender_preamble(ls->sender, o->preamble, o->preamble_len);
}

static int listen_close(struct emit_output *o, bool run_failed)
{
    (void)run_failed;
    struct listen_state *ls = o->state;
    int status = net_sender_stop(ls->sender);
    free(ls);
    return status;
}

const struct output_kind output_tcp_listen = {
    .prefix = "tcp:",
    .open = listen_open,
    .lines = listen_lines_from_main,
    .preamble = listen_preamble_from_main,
    .close = listen_close,
};
