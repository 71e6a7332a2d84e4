/* \summary: fc-emit's output targets: stdout, a file, a new file in a folder, a TCP service, a TCP client */
#ifndef FC_EMIT_OUTPUT_H
#define FC_EMIT_OUTPUT_H

/*
 * The formats write text into one struct fc_out; the output target decides where it goes.
 * Targets are listed in one table (output.c), each in its own file:
 *
 *   -, FILE, DIR        output_file.c   fc_out writes to the file descriptor itself, in
 *                                       large blocks; SIGHUP reopens the file (rotation)
 *   tcp:[IP:]PORT       output_tcp_listen.c    every connected client gets the lines
 *   tcpconnect:IP:PORT  output_tcp_connect.c   one server, reconnected with backoff
 *
 * Network targets never let a peer stall the pipeline: fc_out only collects text in
 * memory, main.c hands over complete lines (never part of one), and a sender thread
 * (output_net.c) delivers them with non-blocking sockets, keeping a bounded buffer per
 * peer. A client too slow for its buffer is dropped; lines for a server that is away are
 * buffered up to the bound, then dropped and counted. Text written before the first
 * record (the CSV and TSV header row, the "preamble") starts every new file, client
 * connection and server connection, so each of them is a complete log on its own.
 */
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define EMIT_PEER_BUFFER_DEFAULT (4u << 20)   /* bytes waiting per network peer */
#define EMIT_LINGER_DEFAULT_S 10              /* at the end, time left to deliver them */

struct emit_output_options {
    size_t peer_buffer;          /* bytes waiting per client or server before drops */
    unsigned linger_s;           /* at the end, seconds to deliver what is still waiting */
    const char *format;          /* --format NAME: names the extension of a new file in a DIR */
};

struct emit_output;
struct output_kind {
    const char *prefix;          /* "tcp:"; NULL: a path (-, FILE or DIR) */
    /* Opens the target (spec is the text after the prefix), or dies saying why. */
    void (*open)(struct emit_output *o, const char *spec, const struct emit_output_options *opt);
    /* Network targets: complete lines to deliver. NULL for file targets. */
    void (*lines)(struct emit_output *o, const char *p, size_t n);
    /* Network targets: o->preamble is set (once, before any lines). */
    void (*preamble)(struct emit_output *o);
    /* SIGHUP: reopen; true when it made a new, empty file. NULL: nothing to reopen. */
    bool (*reopen)(struct emit_output *o);
    /* Ends the output (everything written or given up); the exit status it asks for. */
    int (*close)(struct emit_output *o, bool run_failed);
};

struct emit_output {
    const struct output_kind *kind;
    const char *name;            /* the target as given, for messages */
    int fd;                      /* fc_out writes here; -1: main hands lines to kind->lines */
    char *preamble;              /* text written before the first record (header rows) */
    size_t preamble_len;
    void *state;                 /* the kind's own */
};

/* Opens TARGET ("-" for stdout); dies with a message naming it when it cannot. */
void emit_output_open(struct emit_output *o, const char *target, const struct emit_output_options *opt);
/* Keeps a copy of the text the format wrote before the first record; call it once. */
void emit_output_set_preamble(struct emit_output *o, const char *p, size_t n);
/* Network targets: hands on every complete line of buf[0..*len) and keeps the rest. */
void emit_output_hand_lines(struct emit_output *o, char *buf, size_t *len);
/* SIGHUP: see output_kind.reopen. */
bool emit_output_reopen(struct emit_output *o);
/* The exit status the output asks for (FC_EXIT_OK when all was delivered). */
int emit_output_close(struct emit_output *o, bool run_failed);

/* output_net.c: the sender thread behind both network targets. */
/* How long a connected peer with no room may take nothing before its lines are dropped. */
#define NET_STALL_MS 500
struct net_peer_ops {
    /* Fills up to max pollfds and may lower *timeout_ms (its next retry); returns how many. */
    int (*want)(void *st, struct pollfd *fds, int max, int64_t now_ms, int *timeout_ms);
    /* After poll, with the same fds and their revents. */
    void (*serve)(void *st, struct pollfd *fds, int n, int64_t now_ms);
    /*
     * Hands on p[0..n) (whole lines); returns the bytes taken. All of them, unless
     * may_hold_back and the peer is connected but has no room yet: then fewer, at a line's
     * start, and the sender offers the rest again once the peer took some, or for good
     * (may_hold_back false) once it took nothing for NET_STALL_MS. What a target takes
     * and cannot keep, it drops and counts.
     */
    size_t (*lines)(void *st, const char *p, size_t n, bool may_hold_back);
    /* The preamble, before any lines; valid until the end. */
    void (*preamble)(void *st, const char *p, size_t n);
    bool (*drained)(void *st);      /* nothing is waiting to be delivered */
    /* The end (drained, or linger ran out): closes everything; the exit status. */
    int (*finish)(void *st, bool drained);
};
struct net_sender;
struct net_sender *net_sender_start(const struct net_peer_ops *ops, void *st, const char *name,
                                    size_t queue_limit, unsigned linger_s);
void net_sender_lines(struct net_sender *s, const char *p, size_t n);
/* p[0..n) stays valid until net_sender_stop. */
void net_sender_preamble(struct net_sender *s, const char *p, size_t n);
int net_sender_stop(struct net_sender *s);   /* delivers, joins, frees; the exit status */
size_t net_count_lines(const char *p, size_t n);

/* output_address.c: "PORT", "IP:PORT", "[IPv6]:PORT" -> socket address */
struct net_address {
    struct sockaddr_storage sa;
    socklen_t len;
    bool any;                    /* no IP given: every address */
};
bool net_address_parse(const char *spec, bool ip_required, struct net_address *a, const char **why);
/* "127.0.0.1:5000" or "[::1]:5000" */
void net_address_format(const struct sockaddr *sa, char *buf, size_t size);

/* output_peer_buffer.c: bytes waiting for one peer, whole lines in, bounded */
struct peer_buffer {
    char *buf;
    size_t start, end, cap;      /* buf[start..end) waits */
    size_t line_start;           /* start of the line being sent (<= start) */
};
/* Appends all of p[0..n) if it fits within limit; false (nothing appended) otherwise. */
bool peer_buffer_append(struct peer_buffer *b, const char *p, size_t n, size_t limit);
/* Sends what it can without blocking; false when the peer failed (errno set). */
bool peer_buffer_send(struct peer_buffer *b, int fd);
/*
 * Appends the lines of p[0..n) (whole lines), sending to fd (unless it is -1) whenever the
 * next line would not fit within limit: a peer that keeps up is never over its limit,
 * however many lines come at once. Returns the bytes appended, n or fewer at a line's start
 * when more than limit bytes would still wait; *failed when a send failed (errno set).
 */
size_t peer_buffer_push_lines(struct peer_buffer *b, int fd, const char *p, size_t n, size_t limit, bool *failed);
/* The connection broke: the line being sent starts again on the next one. */
void peer_buffer_rewind_line(struct peer_buffer *b);
static inline size_t peer_buffer_waiting(const struct peer_buffer *b) { return b->end - b->start; }
void peer_buffer_free(struct peer_buffer *b);

#endif
