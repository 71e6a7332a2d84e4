/* \summary: memory in huge pages, for tables read at random */
#ifndef FC_CLASSIFY_HUGE_H
#define FC_CLASSIFY_HUGE_H

#include <stddef.h>

/* A block (exits on failure), in huge pages where the system gives them on request
 * (Linux transparent huge pages): a table of a few megabytes read at random otherwise
 * misses the TLB on nearly every read. Freed with free(). huge_alloc leaves it as it
 * comes; huge_calloc zeroes it. */
void *huge_alloc(size_t size);
void *huge_calloc(size_t size);

#endif
