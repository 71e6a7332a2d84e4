/* \summary: fc-emit's table of output targets and the calls main.c makes on the chosen one */
#define _GNU_SOURCE   /* memrchr */
#include "output.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

extern const struct output_kind output_tcp_listen, output_tcp_connect, output_path;

/* Prefixed targets first; a target without a known prefix is a path. */
static const struct output_kind *const kinds[] = {
    &output_tcp_connect,
    &output_tcp_listen,
    &output_path,
};

static const struct output_kind *kind_of(const char *target)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const char *prefix = kinds[i]->prefix;
        if (!prefix || strncmp(target, prefix, strlen(prefix)) == 0)
            return kinds[i];
    }
    return NULL;   /* not reached: output_path takes everything */
}

void emit_output_open(struct emit_output *o, const char *target, const struct emit_output_options *opt)
{
    memset(o, 0, sizeof *o);
    o->kind = kind_of(target);
    o->name = target;
    o->fd = -1;
    const char *spec = o->kind->prefix ? target + strlen(o->kind->prefix) : target;
    o->kind->open(o, spec, opt);
}

void emit_output_set_preamble(struct emit_output *o, const char *p, size_t n)
{
    free(o->preamble);
    o->preamble = n ? fc_xmalloc(n) : NULL;
    if (n)
        memcpy(o->preamble, p, n);
    o->preamble_len = n;
    if (o->kind->preamble)
        o->kind->preamble(o);
}

void emit_output_hand_lines(struct emit_output *o, char *buf, size_t *len)
{
    const char *last_nl = *len ? memrchr(buf, '\n', *len) : NULL;
    if (!last_nl)
        return;
    size_t whole = (size_t)(last_nl - buf) + 1;
    o->kind->lines(o, buf, whole);
    memmove(buf, buf + whole, *len - whole);
    *len -= whole;
}

bool emit_output_reopen(struct emit_output *o)
{
    return o->kind->reopen ? o->kind->reopen(o) : false;
}

int emit_output_close(struct emit_output *o, bool run_failed)
{
    int status = o->kind->close(o, run_failed);
    free(o->preamble);
    o->preamble = NULL;
    return status;
}
