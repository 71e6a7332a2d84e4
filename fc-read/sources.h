/* \summary: the SOURCE arguments: one registry of source kinds, and listing directories */
#ifndef FC_READ_SOURCES_H
#define FC_READ_SOURCES_H

/*
 * Every form a SOURCE can take is one entry of a table (sources.c), each kind in a
 * file of its own (source_*.c): its prefix, whether it is live (never ends by itself,
 * so it runs in a thread of its own and the stream carries clock records), how its
 * argument is parsed, and how it is read into a sink. An argument that names an
 * existing file is always that file, whatever it starts with.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "sink.h"

struct source_arg;

struct source_kind {
    const char *prefix;      /* matched case-insensitively; "" = a file, "-" or a directory */
    bool live;
    /* Parses what follows the prefix into *out; false after saying why (usage error).
     * Runs in main before any thread starts, once per source given, so it also readies
     * what reading the source will need (http://: libcurl, curl_lazy.h). */
    bool (*parse)(const char *rest, struct source_arg *out);
    /* Reads the source into the sink until it ends or input is to end (input_stop.h);
     * false when some input was damaged, unreadable or refused (already reported). */
    bool (*read)(const struct source_arg *src, struct sink *sink);
};

struct source_arg {
    const struct source_kind *kind;
    const char *arg;         /* the whole argument: the source's name in messages and records */
    const char *rest;        /* what follows the prefix: path, directory, URL, interface */
    bool recursive;          /* directory:OnceRecursive */
    char host[64];           /* tcpconnect: */
    uint16_t port;           /* tcp:, tcpconnect:, tzsp: */
};

/* Parses one SOURCE argument. On a form that is not valid, prints why and returns false:
 * a usage error, found before any output. */
bool source_arg_parse(const char *arg, struct source_arg *out);

/* The source kinds (one file each). */
extern const struct source_kind source_path, source_directory, source_monitor, source_tcp_listen,
    source_tcp_connect, source_tzsp, source_http, source_https, source_iface;

/* Parses PORT (1-65535) for `arg`; false after saying why. */
bool source_parse_port(const char *text, const char *arg, uint16_t *port);

/* Counters sources keep from any thread; added to fc-read's stats at the end. */
struct source_counters {
    atomic_ullong tzsp_malformed;   /* TZSP datagrams that could not be read */
    atomic_ullong tzsp_ignored;     /* TZSP keep-alives and other datagrams without a frame */
    atomic_ullong kernel_dropped;   /* packets an interface dropped before libpcap saw them */
    atomic_ullong refused_clients;  /* PCAP-over-IP clients turned away (too many at once) */
    atomic_ullong idle_clients_dropped;   /* ... dropped, silent, for a newcomer's place */
};
extern struct source_counters source_counters;

/* Calls visit(path, ctx) for each regular file in dir, in byte order of the names;
 * with `recursive`, subdirectories are entered where their names sort, depth first
 * (symbolic links to directories are not followed, so a link loop cannot trap us).
 * false (with a message) when dir itself cannot be read; an unreadable subdirectory
 * is reported and skipped, and *had_error set. */
bool directory_each_file(const char *dir, bool recursive, void (*visit)(const char *path, void *ctx),
                         void *ctx, bool *had_error);

#endif
