/* \summary: allocation that reports and exits on failure instead of returning NULL */
#ifndef FC_XALLOC_H
#define FC_XALLOC_H

#include <stddef.h>

void *fc_xmalloc(size_t n);
void *fc_xcalloc(size_t count, size_t size);
void *fc_xrealloc(void *p, size_t n);
char *fc_xstrdup(const char *s);

#endif
