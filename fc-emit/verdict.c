/* \summary: reads a flow record's verdict fields (FORMATS.md §1 "Verdict"), or derives the verdict */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "model.h"
#include "record.h"

static const char *const verdict_names[] = {
    [EMIT_IDENTIFIED] = "identified", [EMIT_UNKNOWN] = "unknown", [EMIT_NO_PAYLOAD] = "no_payload",
};

const char *emit_verdict_name(enum emit_verdict_kind k) { return verdict_names[k]; }

/* An optional str field; false if present with another type. */
static bool read_opt_str(const msgpack_object *o, struct emit_str *out)
{
    out->p = NULL;
    out->n = 0;
    if (!o || o->type == MSGPACK_OBJECT_NIL)
        return true;
    if (o->type != MSGPACK_OBJECT_STR)
        return false;
    out->p = o->via.str.ptr;
    out->n = o->via.str.size;
    return true;
}

/* An optional non-negative finite number (float or integer); false if malformed. */
static bool read_opt_divergence(const msgpack_object *o, bool *has, double *out)
{
    *has = false;
    if (!o || o->type == MSGPACK_OBJECT_NIL)
        return true;
    if (o->type == MSGPACK_OBJECT_FLOAT32 || o->type == MSGPACK_OBJECT_FLOAT64)
        *out = o->via.f64;
    else if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
        *out = (double)o->via.u64;
    else
        return false;
    if (!isfinite(*out) || *out < 0)
        return false;
    *has = true;
    return true;
}

static int compare_str(const void *a, const void *b)
{
    const struct emit_str *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* Inline, so a literal's length is a constant. */
static inline bool str_is(const struct emit_str *s, const char *lit)
{
    return s->n == strlen(lit) && memcmp(s->p, lit, s->n) == 0;
}

/* Tags: array of str, kept sorted and unique whatever order they came in. */
static bool read_tags(const msgpack_object *o, struct emit_verdict *v, const char **why)
{
    v->n_tags = 0;
    if (!o || o->type == MSGPACK_OBJECT_NIL)
        return true;
    if (o->type != MSGPACK_OBJECT_ARRAY)
        return *why = "tags is not an array", false;
    if (o->via.array.size > EMIT_MAX_TAGS)
        return *why = "more than 32 tags", false;
    for (uint32_t i = 0; i < o->via.array.size; i++) {
        const msgpack_object *t = &o->via.array.ptr[i];
        if (t->type != MSGPACK_OBJECT_STR)
            return *why = "a tag is not a string", false;
        if (t->via.str.size > 0)
            v->tags[v->n_tags++] = (struct emit_str){ t->via.str.ptr, t->via.str.size };
    }
    qsort(v->tags, v->n_tags, sizeof v->tags[0], compare_str);
    size_t kept = 0;
    for (size_t i = 0; i < v->n_tags; i++)
        if (kept == 0 || compare_str(&v->tags[kept - 1], &v->tags[i]) != 0)
            v->tags[kept++] = v->tags[i];
    v->n_tags = kept;
    return true;
}

static bool read_kind(const msgpack_object *o, const struct fc_flow *f, struct emit_verdict *v, const char **why)
{
    if (!o) {
        bool payload = f->orig.payload_bytes > 0 || f->resp.payload_bytes > 0;
        v->kind = payload ? EMIT_UNKNOWN : EMIT_NO_PAYLOAD;
        return true;
    }
    const struct emit_str name = { o->via.str.ptr, o->type == MSGPACK_OBJECT_STR ? o->via.str.size : 0 };
    for (size_t k = 0; k < sizeof verdict_names / sizeof verdict_names[0] && name.n; k++)
        if (str_is(&name, verdict_names[k])) {
            v->kind = (enum emit_verdict_kind)k;
            return true;
        }
    return *why = "verdict is not identified, unknown or no_payload", false;
}

bool emit_verdict_read(const msgpack_object *const o[EMIT_VERDICT_FIELD_COUNT], const struct fc_flow *f,
                       struct emit_verdict *v, const char **why)
{
    /* field by field: a memset would clear the 32 tag slots of every flow, unused but n_tags */
    v->divergence = v->runner_up_divergence = 0;
    v->n_tags = 0;
    v->alerted = false;
    if (!read_kind(o[V_VERDICT], f, v, why))
        return false;
    if (!read_opt_str(o[V_PROTOCOL], &v->protocol) || !read_opt_str(o[V_MODEL], &v->best) ||
        !read_opt_str(o[V_RUNNER_UP], &v->runner_up))
        return *why = "protocol, model or runner_up is not a string", false;
    if (!read_opt_divergence(o[V_DIVERGENCE], &v->has_divergence, &v->divergence) ||
        !read_opt_divergence(o[V_RUNNER_UP_DIVERGENCE], &v->has_runner_up_divergence, &v->runner_up_divergence))
        return *why = "a divergence is not a non-negative number", false;
    if (!read_tags(o[V_TAGS], v, why))
        return false;
    if (v->kind != EMIT_IDENTIFIED) {
        /* Only an identified flow has a protocol and tags (§1). */
        v->protocol.n = 0;
        v->n_tags = 0;
    } else if (v->protocol.n == 0) {
        v->protocol = v->best; /* the accepting model is the closest one */
    }
    for (size_t i = 0; i < v->n_tags; i++)
        if (str_is(&v->tags[i], FC_MODEL_TAG_MALICIOUS))
            v->alerted = true;
    return true;
}
