/* \summary: large blocks in huge pages: one page fault per 2 MB instead of one per 4 KB */
#include "huge.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "log.h"
#include "sanitizer.h"
#include "xalloc.h"

static void *aligned_block(size_t alignment, size_t size)
{
    void *p = NULL;
    if (posix_memalign(&p, alignment, size ? size : 1) != 0)
        fc_die(FC_EXIT_SYSTEM, "out of memory (%zu bytes)", size);
    return p;
}

void *fc_huge_alloc(size_t size)
{
#ifdef MADV_HUGEPAGE
    if (size < FC_HUGE_MIN)
        return aligned_block(FC_HUGE_ALIGN, size);
    /* whole huge pages: a partly used last one would fault in 4 KB pages */
    size_t rounded = (size + FC_HUGE_PAGE - 1) / FC_HUGE_PAGE * FC_HUGE_PAGE;
    if (rounded < size)
        fc_die(FC_EXIT_SYSTEM, "out of memory (%zu bytes)", size);
    char *p = aligned_block(FC_HUGE_PAGE, rounded);
    madvise(p, rounded, MADV_HUGEPAGE); /* a hint: refused, the pages stay small */
    FC_POISON(p + size, rounded - size); /* past the block, though in its pages */
    return p;
#else
    return aligned_block(FC_HUGE_ALIGN, size);
#endif
}

void *fc_huge_calloc(size_t size)
{
    void *p = fc_huge_alloc(size);
    memset(p, 0, size);
    return p;
}

void *fc_huge_realloc(void *p, size_t keep, size_t size)
{
    void *grown = fc_huge_alloc(size);
    if (keep)
        memcpy(grown, p, keep);
    free(p);
    return grown;
}

struct fc_huge_arena_block {
    struct fc_huge_arena_block *next;
    void *memory;
    char *at;                /* the next table's place */
    size_t left;             /* bytes from there to the block's end (untouched) */
};

static struct fc_huge_arena_block *arena_block_with_room(struct fc_huge_arena *a, size_t need)
{
    for (struct fc_huge_arena_block *b = a->blocks; b; b = b->next)
        if (b->left >= need)
            return b;
    size_t cap = need > FC_HUGE_PAGE ? need : FC_HUGE_PAGE;
    struct fc_huge_arena_block *b = fc_xmalloc(sizeof *b);
    b->memory = b->at = fc_huge_alloc(cap);
    b->left = cap;
    FC_POISON(b->at, cap); /* each table is unpoisoned as it is handed out */
    b->next = a->blocks;
    a->blocks = b;
    return b;
}

void *fc_huge_arena_alloc(struct fc_huge_arena *a, size_t size)
{
    size_t need = size ? (size + FC_HUGE_ALIGN - 1) / FC_HUGE_ALIGN * FC_HUGE_ALIGN : FC_HUGE_ALIGN;
    if (need < size)
        fc_die(FC_EXIT_SYSTEM, "out of memory (%zu bytes)", size);
    struct fc_huge_arena_block *b = arena_block_with_room(a, need);
    void *p = b->at;
    FC_UNPOISON(p, size);
    b->at += need;
    b->left -= need;
    return p;
}

void *fc_huge_arena_calloc(struct fc_huge_arena *a, size_t size)
{
    void *p = fc_huge_arena_alloc(a, size);
    memset(p, 0, size);
    return p;
}

void fc_huge_arena_free(struct fc_huge_arena *a)
{
    while (a->blocks) {
        struct fc_huge_arena_block *b = a->blocks;
        a->blocks = b->next;
        free(b->memory);
        free(b);
    }
}
