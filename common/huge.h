/* \summary: large blocks in huge pages: one page fault per 2 MB instead of one per 4 KB */
#ifndef FC_HUGE_H
#define FC_HUGE_H

#include <stddef.h>

/*
 * Blocks of FC_HUGE_MIN bytes or more come FC_HUGE_PAGE aligned, rounded up to whole huge
 * pages and advised into transparent huge pages (Linux, THP in "madvise" or "always"
 * mode); smaller ones are aligned to a cache line. Why: on a virtual machine a first touch
 * of a 4 KB page costs some 20 µs (measured on the 2-core bench machine: 1,024 faults,
 * 22 ms), so a stage that fills a few megabytes of tables and buffers pays more for the
 * faults than for its work; a huge page is one fault. The tables are also read at random,
 * where huge pages spare TLB misses. The price is memory: a block of 256 KB holds a whole
 * 2 MB page once touched. Where the system refuses the advice the pages stay small and
 * nothing else changes.
 * Every block is at least FC_HUGE_ALIGN aligned and freed with free(). All exit on failure
 * (xalloc.h).
 */
#define FC_HUGE_MIN ((size_t)256 << 10)
#define FC_HUGE_PAGE ((size_t)2 << 20)
#define FC_HUGE_ALIGN ((size_t)64)

void *fc_huge_alloc(size_t size);
/* The same, zeroed. */
void *fc_huge_calloc(size_t size);
/* A block of `size` bytes holding the first `keep` bytes of p (keep <= both sizes), p freed. */
void *fc_huge_realloc(void *p, size_t keep, size_t size);

/*
 * An arena: tables carved one after another from blocks of whole huge pages, all freed
 * together (a zeroed struct is an empty arena). Why: a table of a few hundred kilobytes
 * took a huge page of its own (a 368 KB table, 2 MB touched), and inside a busy pipeline on
 * the bench machine a fresh huge page costs some milliseconds (bench/README.md).
 */
struct fc_huge_arena_block;
struct fc_huge_arena {
    struct fc_huge_arena_block *blocks; /* a table goes into the first with room for it */
};

/* `size` bytes from the arena, FC_HUGE_ALIGN aligned, not zeroed. */
void *fc_huge_arena_alloc(struct fc_huge_arena *a, size_t size);
/* The same, zeroed. */
void *fc_huge_arena_calloc(struct fc_huge_arena *a, size_t size);
/* Frees every block; the arena is empty again. */
void fc_huge_arena_free(struct fc_huge_arena *a);

#endif
