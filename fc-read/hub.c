/* \summary: running sources side by side: one thread each, one ring, one writer */
#include "hub.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "huge.h"
#include "input_stop.h"
#include "log.h"
#include "monotonic.h"
#include "record.h"
#include "xalloc.h"

/* A quarter of a second of a saturated gigabit link; --realtime drops beyond it. */
#define RING_BYTES (32u << 20)
/* Kept for source records, so a full ring of packets never loses one. */
#define RING_RESERVE (1u << 20)
/* The consumer gives room back to waiting sources after writing this much. */
#define RELEASE_EVERY (1u << 20)
#define CLOCK_EVERY_MS 1000
#define SUPERVISE_EVERY_MS 100

enum entry_type { ENTRY_PAD, ENTRY_PACKET, ENTRY_OPEN, ENTRY_END };

/* Every entry starts 8-byte aligned with this header; `size` covers the whole entry. */
struct entry_head {
    uint32_t type;
    uint32_t size;
};

struct packet_entry {
    struct fc_packet p;      /* p.data is not used: the bytes follow */
    uint32_t caplen;
};

struct source_entry {
    struct source_event ev;  /* ev.name and ev.error are not used: the strings follow */
    uint32_t name_len;       /* then name_len bytes of name and its NUL, then the error and its NUL */
    bool has_error;
};

struct hub {
    struct sink sink;        /* first: what the sources see */
    struct reader *out;
    const struct hub_options *o;
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    uint8_t *ring;
    size_t head, tail, used; /* used counts pad bytes too */
    bool producers_done;
    uint64_t next_source;
    uint64_t dropped;
    uint64_t packets_offered;      /* under lock: packets the sources offered, dropped or not (--timeout) */
};


static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Whether `need` bytes fit contiguously at head (wrapping to 0 if needed) without going
 * past `limit` bytes in use; sets *waste to the bytes skipped at the end of the ring. */
static bool ring_fits(const struct hub *h, size_t need, size_t limit, size_t *waste)
{
    *waste = RING_BYTES - h->head < need ? RING_BYTES - h->head : 0;
    return h->used + *waste + need <= limit;
}

/* Appends one entry made of up to three parts; false when a packet was dropped instead. */
static bool ring_put(struct hub *h, enum entry_type type, const void *a, size_t alen, const void *b, size_t blen,
                     const char *c, size_t clen)
{
    size_t need = align8(sizeof(struct entry_head) + alen + blen + clen);
    bool droppable = type == ENTRY_PACKET;
    size_t limit = droppable ? RING_BYTES - RING_RESERVE : RING_BYTES, waste;
    pthread_mutex_lock(&h->lock);
    if (droppable)
        h->packets_offered++;
    while (!ring_fits(h, need, limit, &waste)) {
        if (droppable && h->o->realtime) {
            h->dropped++;
            pthread_mutex_unlock(&h->lock);
            return false;
        }
        pthread_cond_wait(&h->not_full, &h->lock);
    }
    if (waste) {
        *(struct entry_head *)(h->ring + h->head) = (struct entry_head){ ENTRY_PAD, (uint32_t)waste };
        h->used += waste;
        h->head = 0;
    }
    uint8_t *at = h->ring + h->head;
    *(struct entry_head *)at = (struct entry_head){ (uint32_t)type, (uint32_t)need };
    at += sizeof(struct entry_head);
    memcpy(at, a, alen);
    if (blen)
        memcpy(at + alen, b, blen);
    if (clen)
        memcpy(at + alen + blen, c, clen);
    h->head = (h->head + need) % RING_BYTES;
    h->used += need;
    pthread_cond_signal(&h->not_empty);
    pthread_mutex_unlock(&h->lock);
    return true;
}

static void hub_open(struct sink *s, struct source_event *ev)
{
    struct hub *h = (struct hub *)s;
    pthread_mutex_lock(&h->lock);
    ev->index = h->next_source++;
    pthread_mutex_unlock(&h->lock);
    struct source_entry e = { *ev, (uint32_t)strlen(ev->name), false };
    ring_put(h, ENTRY_OPEN, &e, sizeof e, ev->name, e.name_len + 1, NULL, 0);
}

static bool hub_packet(struct sink *s, const struct fc_packet *p, uint32_t caplen)
{
    struct hub *h = (struct hub *)s;
    struct packet_entry e = { *p, caplen };
    if (e.p.data_len > FC_ENTRY_MAX_DATA) { /* what trimming would keep at most anyway */
        e.p.data_len = FC_ENTRY_MAX_DATA;
        e.p.flags |= FC_PKT_CUT;
    }
    return ring_put(h, ENTRY_PACKET, &e, sizeof e, p->data, e.p.data_len, NULL, 0);
}

static void hub_end(struct sink *s, const struct source_event *ev)
{
    struct hub *h = (struct hub *)s;
    struct source_entry e = { *ev, (uint32_t)strlen(ev->name), ev->error != NULL };
    ring_put(h, ENTRY_END, &e, sizeof e, ev->name, e.name_len + 1, ev->error, ev->error ? strlen(ev->error) + 1 : 0);
}

static const struct sink_ops hub_ops = { hub_open, hub_packet, hub_end };

/* ---- the consumer: the only thread that writes ---- */

static void write_clock(struct reader *out)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    batch_flush(&out->batch); /* packets before it stay before it */
    msgpack_packer *pk = fc_writer_packer(out->w);
    msgpack_pack_map(pk, 2);
    fc_pack_kv_uint(pk, FC_KEY_KIND, FC_REC_CLOCK);
    fc_pack_kv_int(pk, FC_KEY_NOW, (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
    fc_writer_record_done(out->w);
}

/* Writes one entry (the ring is not locked: producers never touch a used entry). */
static void consume(struct hub *h, const uint8_t *at)
{
    const struct entry_head *eh = (const struct entry_head *)at;
    const uint8_t *body = at + sizeof *eh;
    if (eh->type == ENTRY_PACKET) {
        struct packet_entry e;
        memcpy(&e, body, sizeof e);
        e.p.data = body + sizeof e;
        h->out->sink.ops->packet(&h->out->sink, &e.p, e.caplen);
        return;
    }
    struct source_entry e;
    memcpy(&e, body, sizeof e);
    const char *strings = (const char *)body + sizeof e;
    e.ev.name = strings;
    e.ev.error = e.has_error ? strings + e.name_len + 1 : NULL;
    if (eh->type == ENTRY_OPEN)
        write_source_open(h->out->w, &e.ev);
    else
        h->out->sink.ops->end(&h->out->sink, &e.ev);
}

static void *consumer_main(void *arg)
{
    struct hub *h = arg;
    int64_t last_clock = 0;
    bool pending = false;    /* written since the output was last brought up to date */
    pthread_mutex_lock(&h->lock);
    for (;;) {
        if (h->o->live && fc_monotonic_ms() - last_clock >= CLOCK_EVERY_MS) {
            pthread_mutex_unlock(&h->lock);
            write_clock(h->out);
            reader_flush(h->out);
            pending = false;
            last_clock = fc_monotonic_ms();
            pthread_mutex_lock(&h->lock);
        }
        if (h->used == 0) {
            if (h->producers_done)
                break;
            if (pending) { /* the ring ran dry: what is held goes out now, not with the next burst */
                pthread_mutex_unlock(&h->lock);
                reader_flush(h->out);
                pending = false;
                pthread_mutex_lock(&h->lock);
                continue;
            }
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += INPUT_POLL_MS * 1000000L;
            until.tv_sec += until.tv_nsec / 1000000000L;
            until.tv_nsec %= 1000000000L;
            pthread_cond_timedwait(&h->not_empty, &h->lock, &until);
            continue;
        }
        /* Entries are written without the lock (producers only ever write to the free
         * part), and their room is given back a chunk at a time, not entry by entry. */
        size_t at = h->tail, chunk = 0, avail = h->used;
        pthread_mutex_unlock(&h->lock);
        while (chunk < avail && chunk < RELEASE_EVERY) {
            const struct entry_head *eh = (const struct entry_head *)(h->ring + at);
            if (eh->type != ENTRY_PAD)
                consume(h, h->ring + at);
            chunk += eh->size;
            at = (at + eh->size) % RING_BYTES;
        }
        pending = true;
        pthread_mutex_lock(&h->lock);
        h->tail = at;
        h->used -= chunk;
        if (h->used == 0)
            h->head = h->tail = 0;
        pthread_cond_broadcast(&h->not_full);
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

/* ---- the producers ---- */

struct producer {
    struct hub *hub;
    const struct source_arg *sources;  /* read in order */
    int count;
    bool failed;
    atomic_bool finished;
    pthread_t thread;
};

static void *producer_main(void *arg)
{
    struct producer *p = arg;
    for (int i = 0; i < p->count && !input_stop_requested(); i++)
        if (!p->sources[i].kind->read(&p->sources[i], &p->hub->sink))
            p->failed = true;
    atomic_store(&p->finished, true);
    return NULL;
}

static void start_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
    int err = pthread_create(t, NULL, fn, arg);
    if (err)
        fc_die(FC_EXIT_SYSTEM, "cannot start a thread: %s", strerror(err));
}

/* Live sources each get a producer; the others share one, in their order. */
static struct producer *start_producers(struct hub *h, const struct source_arg *sources, int n, int *count,
                                        struct source_arg **in_order_out)
{
    struct producer *ps = fc_xcalloc((size_t)n + 1, sizeof *ps);
    struct source_arg *in_order = fc_xcalloc((size_t)n, sizeof *in_order);
    *in_order_out = in_order;
    int np = 0, nordered = 0;
    for (int i = 0; i < n; i++) {
        if (sources[i].kind->live)
            ps[np++] = (struct producer){ .hub = h, .sources = &sources[i], .count = 1 };
        else
            in_order[nordered++] = sources[i];
    }
    if (nordered)
        ps[np++] = (struct producer){ .hub = h, .sources = in_order, .count = nordered };
    for (int i = 0; i < np; i++)
        start_thread(&ps[i].thread, producer_main, &ps[i]);
    *count = np;
    return ps;
}

static bool all_finished(struct producer *ps, int n)
{
    for (int i = 0; i < n; i++)
        if (!atomic_load(&ps[i].finished))
            return false;
    return true;
}

/* Waits until every producer is done, ending input on a signal or --timeout. */
static void supervise(struct hub *h, struct producer *ps, int n)
{
    const struct timespec tick = { 0, SUPERVISE_EVERY_MS * 1000000L };
    /* quiet time is measured here, by whether the count moved, not by a clock read per packet */
    uint64_t offered = 0;
    int64_t last_offer_ms = fc_monotonic_ms();
    while (!all_finished(ps, n)) {
        nanosleep(&tick, NULL); /* a signal cuts it short; the flag is then seen at once */
        pthread_mutex_lock(&h->lock);
        uint64_t now_offered = h->packets_offered;
        pthread_mutex_unlock(&h->lock);
        int64_t now_ms = fc_monotonic_ms();
        if (now_offered != offered) {
            offered = now_offered;
            last_offer_ms = now_ms;
        }
        int64_t quiet_ms = now_ms - last_offer_ms;
        if (!input_stop_requested() && h->o->timeout_s && quiet_ms >= (int64_t)h->o->timeout_s * 1000) {
            fc_info("no packet for %llu s (--timeout): ending input", (unsigned long long)h->o->timeout_s);
            input_stop();
        }
    }
}

bool hub_run(struct reader *out, const struct source_arg *sources, int nsources, const struct hub_options *o)
{
    struct hub h = { .sink = { &hub_ops, out->sink.filter }, .out = out, .o = o };
    h.next_source = out->next_source;
    h.ring = fc_huge_alloc(RING_BYTES);
    pthread_mutex_init(&h.lock, NULL);
    pthread_cond_init(&h.not_empty, NULL);
    pthread_cond_init(&h.not_full, NULL);

    /* Threads start with the stop signals blocked, so they all reach the main thread,
     * which is not stuck in any read. */
    sigset_t stops, before;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stops, &before);
    pthread_t consumer;
    start_thread(&consumer, consumer_main, &h);
    int np;
    struct source_arg *in_order;
    struct producer *ps = start_producers(&h, sources, nsources, &np, &in_order);
    pthread_sigmask(SIG_SETMASK, &before, NULL);

    supervise(&h, ps, np);
    bool failed = false;
    for (int i = 0; i < np; i++) {
        pthread_join(ps[i].thread, NULL);
        failed |= ps[i].failed;
    }
    pthread_mutex_lock(&h.lock);
    h.producers_done = true;
    pthread_cond_signal(&h.not_empty);
    pthread_mutex_unlock(&h.lock);
    pthread_join(consumer, NULL);

    out->next_source = h.next_source;
    out->counters.dropped_packets += h.dropped;
    free(in_order);
    free(ps);
    free(h.ring);
    pthread_cond_destroy(&h.not_full);
    pthread_cond_destroy(&h.not_empty);
    pthread_mutex_destroy(&h.lock);
    return !failed;
}
