/* \summary: running sources side by side: one thread each, one ring, one writer */
#ifndef FC_READ_HUB_H
#define FC_READ_HUB_H

/*
 * Live sources never end by themselves, and several of them (or several clients of
 * one) must be read at once. So with a live source, --realtime or --timeout, each
 * live source runs in a thread of its own, the other sources one after another in one
 * more thread, and all of them hand their records to the hub: a bounded ring of bytes
 * (no allocation per packet) read by one consumer thread that trims, batches and
 * writes (reader.h). The main thread only supervises: it turns SIGINT/SIGTERM and
 * --timeout into the end of input (input_stop.h) and waits for the threads.
 *
 * Backpressure: when the ring is full a source waits, unless --realtime, where its
 * packets are dropped and counted instead, so a socket or interface is always read at
 * full speed. Source records are never dropped (they have a reserve in the ring).
 *
 * Wall clock: while a live source is read, the consumer writes a clock record
 * (FC_REC_CLOCK) every second and sends out whatever it holds whenever the ring runs
 * empty, so downstream stages see time pass even when no packet comes.
 */
#include <stdbool.h>
#include <stdint.h>

#include "reader.h"
#include "sources.h"

struct hub_options {
    bool realtime;
    bool live;               /* a live source is among them: write clock records */
    uint64_t timeout_s;      /* end input after this long without a packet; 0 = never */
};

/* Reads every source into `out`; false when a source failed (already reported).
 * Adds the hub's counters (drops) to out->counters. */
bool hub_run(struct reader *out, const struct source_arg *sources, int nsources, const struct hub_options *o);

#endif
