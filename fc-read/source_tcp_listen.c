/* \summary: tcp:PORT, a PCAP-over-IP listener: every client's pcap stream is a source */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "fd_stream.h"
#include "input_stop.h"
#include "log.h"
#include "monotonic.h"
#include "net.h"
#include "sources.h"
#include "xalloc.h"

/*
 * PCAP-over-IP (PolarProxy, pcap-broker, `tcpdump -w - | nc`) is a plain pcap stream
 * over TCP: global header, then records. Each client is read in a thread of its own
 * as a source of its own, named after the listener and the peer, so clients come and
 * go in turn or at once. A client that sends something else is told off on stderr,
 * naming the peer, and dropped; the others go on.
 *
 * With every place taken, a new client gets the place of the one whose reader has waited
 * longest for bytes that do not come, if that is at least IDLE_GIVE_UP_MS: otherwise
 * clients that connect and then send nothing (by fault or on purpose) would lock every
 * other one out for good. A client whose reader is busy (handing on packets while the
 * output is behind) is never the one. A quiet but genuine feed loses its place only to a
 * newcomer, and only when all are taken.
 */

#define MAX_CLIENTS 64
#define IDLE_GIVE_UP_MS 5000

struct client {
    bool in_use;
    atomic_bool finished;
    pthread_t thread;
    int fd;
    struct sink *sink;
    bool failed;
    struct fd_stream_control control;   /* how long its reader waits for data; ends the stream */
    char name[128];          /* "tcp:PORT client IP:PORT" */
};

static bool parse_listen(const char *rest, struct source_arg *out)
{
    return source_parse_port(rest, out->arg, &out->port);
}

static void *client_main(void *arg)
{
    struct client *c = arg;
    FILE *stream = fd_stream_open(c->fd, c->name, &c->control);
    if (!stream) {
        fc_warn("%s: %s", c->name, strerror(errno));
        close(c->fd);
        c->failed = true;
    } else {
        fc_info("%s: connected", c->name);
        enum capture_outcome o = capture_read_stream(c->sink, stream, c->name);
        c->failed = o != CAPTURE_OK;
        if (o == CAPTURE_NOT_A_CAPTURE)
            fc_warn("%s: dropped the client", c->name);
        else
            fc_info("%s: disconnected", c->name);
    }
    atomic_store(&c->finished, true);
    return NULL;
}

/* Joins the client's thread and frees its place; true if its source failed. */
static bool release_client(struct client *c)
{
    pthread_join(c->thread, NULL);
    c->in_use = false;
    return c->failed;
}

/* Joins the threads of clients that are done; with `all`, waits for every client. */
static bool reap_clients(struct client *clients, bool all)
{
    bool failed = false;
    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &clients[i];
        if (c->in_use && (all || atomic_load(&c->finished)))
            failed |= release_client(c);
    }
    return failed;
}

static struct client *free_slot(struct client *clients)
{
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (!clients[i].in_use)
            return &clients[i];
    return NULL;
}

/* With every place taken: ends the client whose reader has waited longest for data, if
 * that is at least IDLE_GIVE_UP_MS, and gives its place (*failed if its source failed);
 * NULL when no client has waited that long. */
static struct client *idlest_slot(struct client *clients, const char *newcomer, bool *failed)
{
    struct client *idlest = NULL;
    int64_t idlest_since = 0;
    for (int i = 0; i < MAX_CLIENTS; i++) {
        int64_t since = atomic_load(&clients[i].control.waiting_since_ms);
        if (since && (!idlest || since < idlest_since)) {
            idlest = &clients[i];
            idlest_since = since;
        }
    }
    int64_t idle_ms = fc_monotonic_ms() - idlest_since;
    if (!idlest || idle_ms < IDLE_GIVE_UP_MS)
        return NULL;
    fc_warn("%s: dropped: nothing came from it for %lld s, and client %s needs its place (%d clients at most)",
            idlest->name, (long long)(idle_ms / 1000), newcomer, MAX_CLIENTS);
    atomic_store(&idlest->control.end, true);   /* its reader, waiting, gives up within INPUT_POLL_MS */
    atomic_fetch_add(&source_counters.idle_clients_dropped, 1);
    *failed |= release_client(idlest);
    return idlest;
}

/* Starts reading a new client, or turns it away saying why; *failed if a client whose
 * place it took had failed. */
static void admit(struct client *clients, int fd, const struct sockaddr_storage *peer,
                  const struct source_arg *src, struct sink *sink, bool *failed)
{
    char peer_name[80];
    net_peer_name(peer, peer_name, sizeof peer_name);
    struct client *c = free_slot(clients);
    if (!c)
        c = idlest_slot(clients, peer_name, failed);
    if (!c) {
        fc_warn("%s client %s: refused: %d clients are connected already", src->arg, peer_name, MAX_CLIENTS);
    } else {
        *c = (struct client){ .in_use = true, .fd = fd, .sink = sink };
        atomic_init(&c->control.waiting_since_ms, 0);
        atomic_init(&c->control.end, false);
        snprintf(c->name, sizeof c->name, "%s client %s", src->arg, peer_name);
        int err = pthread_create(&c->thread, NULL, client_main, c);
        if (err == 0)
            return;
        c->in_use = false;
        fc_warn("%s: refused: cannot start a thread: %s", c->name, strerror(err));
    }
    atomic_fetch_add(&source_counters.refused_clients, 1);
    close(fd);
}

static bool read_listen(const struct source_arg *src, struct sink *sink)
{
    int lfd = net_bind_any(SOCK_STREAM, src->port, src->arg);
    if (lfd < 0)
        return false;
    fc_info("%s: listening for PCAP-over-IP clients", src->arg);
    struct client *clients = fc_xcalloc(MAX_CLIENTS, sizeof *clients);
    bool failed = false;
    while (!input_stop_requested()) {
        struct pollfd p = { lfd, POLLIN, 0 };
        bool knocked = poll(&p, 1, INPUT_POLL_MS) > 0;
        failed |= reap_clients(clients, false);   /* places of clients gone are free first */
        if (knocked) {
            struct sockaddr_storage peer;
            socklen_t len = sizeof peer;
            int fd = accept4(lfd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
            if (fd >= 0)
                admit(clients, fd, &peer, src, sink, &failed);
        }
    }
    close(lfd);
    failed |= reap_clients(clients, true);
    free(clients);
    return !failed;
}

const struct source_kind source_tcp_listen = { "tcp:", true, parse_listen, read_listen };
