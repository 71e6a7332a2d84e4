/* \summary: memory in huge pages, for tables read at random */
#include "huge.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "log.h"
#include "xalloc.h"

void *huge_alloc(size_t size)
{
#ifdef MADV_HUGEPAGE
    enum { HUGE_PAGE = 2u << 20 };
    if (size < HUGE_PAGE / 2) /* not worth a whole huge page */
        return fc_xmalloc(size);
    size_t rounded = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, rounded) != 0)
        fc_die(FC_EXIT_SYSTEM, "out of memory (%zu bytes)", rounded);
    madvise(p, rounded, MADV_HUGEPAGE); /* a hint: refused, the pages stay small, nothing else */
    return p;
#else
    return fc_xmalloc(size);
#endif
}

void *huge_calloc(size_t size)
{
    void *p = huge_alloc(size);
    memset(p, 0, size);
    return p;
}
