/* \summary: allocation that reports and exits on failure instead of returning NULL */
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

static void *checked(void *p, size_t n)
{
    if (!p && n)
        fc_die(FC_EXIT_SYSTEM, "out of memory (%zu bytes)", n);
    return p;
}

void *fc_xmalloc(size_t n) { return checked(malloc(n ? n : 1), n); }
void *fc_xcalloc(size_t count, size_t size) { return checked(calloc(count ? count : 1, size ? size : 1), count * size); }
void *fc_xrealloc(void *p, size_t n) { return checked(realloc(p, n ? n : 1), n); }
char *fc_xstrdup(const char *s) { return checked(strdup(s), strlen(s) + 1); }
