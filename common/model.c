/* \summary: loads (as hostile input), checks, merges and writes protocol model files (.fcp) */
#include "model.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <msgpack.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mpscan.h"
#include "proto_names.h"
#include "stream.h"
#include "xalloc.h"

/* File keys, in the order the writer puts them (man/flowcarp-model.5). */
#define K_FORMAT "format"
#define K_VERSION "version"
#define K_NAME "name"
#define K_TAGS "tags"
#define K_SET "meter_set"
#define K_SET_VERSION "meter_set_version"
#define K_SESSIONS "sessions"
#define K_TRANSPORTS "transports"
#define K_METERS "meters"
#define K_METER_NAME "name"
#define K_METER_VERSION "version"
#define K_MEASUREMENTS "measurements"
#define K_COUNTS "counts"
#define K_ACCEPTANCE "acceptance"
#define K_QUANTILE "quantile"
#define K_DIVERGENCE "divergence"
#define K_TURNS "turns"

static bool fail(char why[FC_MODEL_WHY], const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(char why[FC_MODEL_WHY], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, FC_MODEL_WHY, fmt, ap);
    va_end(ap);
    return false;
}

void fc_model_init(struct fc_model *m, const char *name, const char *meter_set, uint32_t meter_set_version,
                   uint32_t n_meters)
{
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", name);
    snprintf(m->meter_set, sizeof m->meter_set, "%s", meter_set);
    m->meter_set_version = meter_set_version;
    m->n_meters = n_meters;
    m->meter = n_meters ? fc_xcalloc(n_meters, sizeof *m->meter) : NULL;
}

void fc_model_free(struct fc_model *m)
{
    if (!m->meter_borrowed)
        free(m->meter);
    memset(m, 0, sizeof *m);
}

/* ---- checks shared by the loader and the builders ---- */

bool fc_model_name_ok(const char *name, size_t len, char why[FC_MODEL_WHY])
{
    if (len == 0)
        return fail(why, "the model name is empty");
    if (len > FC_MODEL_NAME_MAX)
        return fail(why, "the model name is %zu bytes long (at most %d)", len, FC_MODEL_NAME_MAX);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return fail(why, "the model name contains a control byte (0x%02x)", (unsigned char)name[i]);
    char slug[FC_SLUG_MAX];
    fc_slug(name, len, slug);
    if (!slug[0] || strcmp(slug, "failed") == 0 || strcmp(slug, "unknown") == 0)
        return fail(why, "the model name '%.*s' gives the output name '%s', which cannot name a protocol",
                    (int)len, name, slug[0] ? slug : "(empty)");
    return true;
}

static int compare_tags(const void *a, const void *b) { return strcmp(a, b); }

bool fc_model_add_tag(struct fc_model *m, const char *tag, size_t len, char why[FC_MODEL_WHY])
{
    if (len == 0 || len > FC_MODEL_TAG_MAX)
        return fail(why, "a tag must be 1 to %d bytes long", FC_MODEL_TAG_MAX);
    char up[FC_MODEL_TAG_MAX + 1];
    for (size_t i = 0; i < len; i++) {
        char c = tag[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return fail(why, "tag '%.*s' has a character other than letters, digits, '_' and '-'", (int)len, tag);
        up[i] = c;
    }
    up[len] = 0;
    for (uint32_t i = 0; i < m->n_tags; i++)
        if (strcmp(m->tags[i], up) == 0)
            return true;
    if (m->n_tags >= FC_MODEL_MAX_TAGS)
        return fail(why, "more than %d tags", FC_MODEL_MAX_TAGS);
    memcpy(m->tags[m->n_tags++], up, len + 1);
    qsort(m->tags, m->n_tags, sizeof m->tags[0], compare_tags);
    return true;
}

static bool add_l4_sessions(struct fc_model *m, uint8_t proto, uint64_t sessions, char why[FC_MODEL_WHY])
{
    uint32_t i = 0;
    while (i < m->n_l4 && m->l4[i].proto < proto)
        i++;
    if (i < m->n_l4 && m->l4[i].proto == proto) {
        if (m->l4[i].sessions > UINT64_MAX - sessions)
            return fail(why, "session count overflows");
        m->l4[i].sessions += sessions;
        return true;
    }
    if (m->n_l4 >= FC_MODEL_MAX_L4)
        return fail(why, "sessions of more than %d transports", FC_MODEL_MAX_L4);
    memmove(&m->l4[i + 1], &m->l4[i], (m->n_l4 - i) * sizeof m->l4[0]);
    m->l4[i] = (struct fc_model_l4){ proto, sessions };
    m->n_l4++;
    return true;
}

bool fc_model_add_session(struct fc_model *m, uint8_t proto, char why[FC_MODEL_WHY])
{
    if (!add_l4_sessions(m, proto, 1, why))
        return false;
    m->sessions++;
    return true;
}

bool fc_model_has_l4(const struct fc_model *m, uint8_t proto) { return fc_model_l4_sessions(m, proto) > 0; }

uint64_t fc_model_l4_sessions(const struct fc_model *m, uint8_t proto)
{
    for (uint32_t i = 0; i < m->n_l4; i++)
        if (m->l4[i].proto == proto)
            return m->l4[i].sessions;
    return 0;
}

bool fc_model_has_tag(const struct fc_model *m, const char *tag)
{
    for (uint32_t i = 0; i < m->n_tags; i++)
        if (strcmp(m->tags[i], tag) == 0)
            return true;
    return false;
}

bool fc_model_set_acceptance(struct fc_model *m, double quantile, double divergence, uint64_t turns,
                             char why[FC_MODEL_WHY])
{
    /* written as !(in range) so that NaN fails too */
    if (!(quantile > 0 && quantile <= 1))
        return fail(why, "acceptance quantile %g is not in (0, 1]", quantile);
    if (!(divergence >= 0 && divergence <= FC_MODEL_MAX_DIVERGENCE))
        return fail(why, "acceptance divergence %g is not in [0, %g]", divergence, FC_MODEL_MAX_DIVERGENCE);
    if (turns > FC_MODEL_MAX_TURNS)
        return fail(why, "acceptance turns %llu is above %u", (unsigned long long)turns, FC_MODEL_MAX_TURNS);
    m->acceptance = (struct fc_model_acceptance){ true, quantile, divergence, (uint32_t)turns };
    return true;
}

/* The merged model must accept what either part accepted, so the looser threshold wins;
 * a part without one (a version 1 file) leaves the merged model without one. */
static void merge_acceptance(struct fc_model_acceptance *dst, const struct fc_model_acceptance *src)
{
    if (!dst->known || !src->known) {
        dst->known = false;
        return;
    }
    dst->quantile = fmax(dst->quantile, src->quantile);
    dst->divergence = fmax(dst->divergence, src->divergence);
    dst->turns = dst->turns < src->turns ? dst->turns : src->turns;
}

bool fc_model_merge(struct fc_model *dst, const struct fc_model *src, char why[FC_MODEL_WHY])
{
    if (strcmp(dst->meter_set, src->meter_set) != 0 || dst->meter_set_version != src->meter_set_version ||
        dst->n_meters != src->n_meters)
        return fail(why, "made by meter set %s version %u (%u meters), not %s version %u (%u meters)", src->meter_set,
                    src->meter_set_version, src->n_meters, dst->meter_set, dst->meter_set_version, dst->n_meters);
    for (uint32_t k = 0; k < dst->n_meters; k++)
        if (strcmp(dst->meter[k].name, src->meter[k].name) != 0 || dst->meter[k].version != src->meter[k].version)
            return fail(why, "meter %u is %s version %u, not %s version %u", k, src->meter[k].name,
                        src->meter[k].version, dst->meter[k].name, dst->meter[k].version);
    if (dst->sessions > UINT64_MAX - src->sessions)
        return fail(why, "session count overflows");
    for (uint32_t k = 0; k < dst->n_meters; k++) {
        if (dst->meter[k].measurements > UINT64_MAX - src->meter[k].measurements)
            return fail(why, "measurement count of meter %s overflows", dst->meter[k].name);
        dst->meter[k].measurements += src->meter[k].measurements;
        for (unsigned b = 0; b < FC_MODEL_BINS; b++)
            dst->meter[k].counts[b] += src->meter[k].counts[b]; /* each <= its meter's sum, which did not overflow */
    }
    for (uint32_t i = 0; i < src->n_l4; i++)
        if (!add_l4_sessions(dst, src->l4[i].proto, src->l4[i].sessions, why))
            return false;
    for (uint32_t i = 0; i < src->n_tags; i++)
        if (!fc_model_add_tag(dst, src->tags[i], strlen(src->tags[i]), why))
            return false;
    if (dst->sessions == 0)
        dst->acceptance = src->acceptance; /* merging into an empty model: take src's as it is */
    else
        merge_acceptance(&dst->acceptance, &src->acceptance);
    dst->sessions += src->sessions;
    return true;
}

/* ---- loader ---- */

static bool get_uint(const msgpack_object *map, const char *key, uint64_t max, uint64_t *out,
                     char why[FC_MODEL_WHY])
{
    const msgpack_object *o = fc_map_get(map, key);
    if (!o)
        return fail(why, "no \"%s\" field", key);
    if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return fail(why, "\"%s\" is not a non-negative integer", key);
    if (o->via.u64 > max)
        return fail(why, "\"%s\" is %llu, more than %llu", key, (unsigned long long)o->via.u64,
                    (unsigned long long)max);
    *out = o->via.u64;
    return true;
}

/* A str field copied into out (cap includes the NUL); no NUL bytes inside. */
static bool get_str(const msgpack_object *map, const char *key, char *out, size_t cap, char why[FC_MODEL_WHY])
{
    const msgpack_object *o = fc_map_get(map, key);
    if (!o)
        return fail(why, "no \"%s\" field", key);
    if (o->type != MSGPACK_OBJECT_STR)
        return fail(why, "\"%s\" is not a string", key);
    if (o->via.str.size == 0 || o->via.str.size >= cap)
        return fail(why, "\"%s\" is %u bytes long (1 to %zu allowed)", key, o->via.str.size, cap - 1);
    if (memchr(o->via.str.ptr, 0, o->via.str.size))
        return fail(why, "\"%s\" contains a NUL byte", key);
    memcpy(out, o->via.str.ptr, o->via.str.size);
    out[o->via.str.size] = 0;
    return true;
}

/* Keys a map of a model file may have: a dozen are defined; the rest leaves room for keys of
 * later versions, and bounds the pairwise check below. */
#define MAP_MAX_KEYS 256

static bool same_str(const msgpack_object *a, const msgpack_object *b)
{
    return a->type == MSGPACK_OBJECT_STR && b->type == MSGPACK_OBJECT_STR && a->via.str.size == b->via.str.size &&
           (a->via.str.size == 0 || memcmp(a->via.str.ptr, b->via.str.ptr, a->via.str.size) == 0);
}

/* A map that names a key twice is refused: a reader taking the first and one taking the
 * last would read two different models from one file. */
static bool keys_unique(const msgpack_object *map, const char *where, char why[FC_MODEL_WHY])
{
    if (map->via.map.size > MAP_MAX_KEYS)
        return fail(why, "%s: %u keys (at most %d)", where, map->via.map.size, MAP_MAX_KEYS);
    const msgpack_object_kv *kv = map->via.map.ptr;
    for (uint32_t i = 1; i < map->via.map.size; i++)
        for (uint32_t j = 0; j < i; j++)
            if (same_str(&kv[i].key, &kv[j].key))
                return fail(why, "%s: key \"%.*s\" appears twice", where, (int)kv[i].key.via.str.size,
                            kv[i].key.via.str.ptr);
    return true;
}

static bool parse_header(const msgpack_object *top, struct fc_model *m, uint32_t *file_version,
                         char why[FC_MODEL_WHY])
{
    if (!keys_unique(top, "the model", why))
        return false;
    const msgpack_object *format = fc_map_get(top, K_FORMAT);
    if (!format || format->type != MSGPACK_OBJECT_STR || format->via.str.size != strlen(FC_MODEL_MAGIC) ||
        memcmp(format->via.str.ptr, FC_MODEL_MAGIC, format->via.str.size) != 0)
        return fail(why, "not a FlowCarp model (no \"format\": \"%s\")", FC_MODEL_MAGIC);
    uint64_t version;
    if (!get_uint(top, K_VERSION, UINT32_MAX, &version, why))
        return false;
    if (version < FC_MODEL_OLDEST_VERSION || version > FC_MODEL_FORMAT_VERSION)
        return fail(why, "model format version %llu; this FlowCarp reads versions %u to %u (a newer FlowCarp "
                    "wrote it?)", (unsigned long long)version, FC_MODEL_OLDEST_VERSION, FC_MODEL_FORMAT_VERSION);
    *file_version = (uint32_t)version;
    const msgpack_object *name = fc_map_get(top, K_NAME);
    if (!name || name->type != MSGPACK_OBJECT_STR)
        return fail(why, "no \"name\" string");
    if (!fc_model_name_ok(name->via.str.ptr, name->via.str.size, why))
        return false;
    memcpy(m->name, name->via.str.ptr, name->via.str.size);
    m->name[name->via.str.size] = 0;
    uint64_t set_version, sessions;
    if (!get_str(top, K_SET, m->meter_set, sizeof m->meter_set, why) ||
        !get_uint(top, K_SET_VERSION, UINT32_MAX, &set_version, why) ||
        !get_uint(top, K_SESSIONS, UINT64_MAX, &sessions, why))
        return false;
    if (sessions == 0)
        return fail(why, "\"sessions\" is 0; a model is made from sessions");
    m->meter_set_version = (uint32_t)set_version;
    m->sessions = sessions;
    return true;
}

static bool parse_tags(const msgpack_object *top, struct fc_model *m, char why[FC_MODEL_WHY])
{
    const msgpack_object *tags = fc_map_get(top, K_TAGS);
    if (!tags)
        return fail(why, "no \"tags\" field");
    if (tags->type != MSGPACK_OBJECT_ARRAY)
        return fail(why, "\"tags\" is not an array");
    if (tags->via.array.size > FC_MODEL_MAX_TAGS)
        return fail(why, "%u tags (at most %d)", tags->via.array.size, FC_MODEL_MAX_TAGS);
    for (uint32_t i = 0; i < tags->via.array.size; i++) {
        const msgpack_object *t = &tags->via.array.ptr[i];
        if (t->type != MSGPACK_OBJECT_STR)
            return fail(why, "tag %u is not a string", i);
        if (!fc_model_add_tag(m, t->via.str.ptr, t->via.str.size, why))
            return false;
    }
    return true;
}

static bool parse_transports(const msgpack_object *top, struct fc_model *m, char why[FC_MODEL_WHY])
{
    const msgpack_object *tr = fc_map_get(top, K_TRANSPORTS);
    if (!tr || tr->type != MSGPACK_OBJECT_ARRAY)
        return fail(why, "no \"transports\" array");
    if (tr->via.array.size == 0 || tr->via.array.size > FC_MODEL_MAX_L4)
        return fail(why, "%u transports (1 to %d allowed)", tr->via.array.size, FC_MODEL_MAX_L4);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < tr->via.array.size; i++) {
        const msgpack_object *e = &tr->via.array.ptr[i];
        if (e->type != MSGPACK_OBJECT_ARRAY || e->via.array.size != 2 ||
            e->via.array.ptr[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
            e->via.array.ptr[1].type != MSGPACK_OBJECT_POSITIVE_INTEGER || e->via.array.ptr[0].via.u64 > 255)
            return fail(why, "transport %u is not [IP protocol 0-255, sessions]", i);
        uint8_t proto = (uint8_t)e->via.array.ptr[0].via.u64;
        uint64_t n = e->via.array.ptr[1].via.u64;
        if (n == 0 || fc_model_has_l4(m, proto))
            return fail(why, "transport %u (IP protocol %u) is listed twice or with 0 sessions", i, proto);
        if (sum > UINT64_MAX - n)
            return fail(why, "transport session counts overflow");
        sum += n;
        if (!add_l4_sessions(m, proto, n, why))
            return false;
    }
    if (sum != m->sessions)
        return fail(why, "transports add up to %llu sessions, but \"sessions\" is %llu", (unsigned long long)sum,
                    (unsigned long long)m->sessions);
    return true;
}

static bool parse_meter(const msgpack_object *o, uint32_t k, struct fc_model_meter *mm, char why[FC_MODEL_WHY])
{
    char inner[FC_MODEL_WHY];
    if (o->type != MSGPACK_OBJECT_MAP)
        return fail(why, "meter %u is not a map", k);
    if (!keys_unique(o, "meter", inner))
        return fail(why, "meter %u: %s", k, inner);
    uint64_t version;
    if (!get_str(o, K_METER_NAME, mm->name, sizeof mm->name, inner) ||
        !get_uint(o, K_METER_VERSION, UINT32_MAX, &version, inner) ||
        !get_uint(o, K_MEASUREMENTS, UINT64_MAX, &mm->measurements, inner))
        return fail(why, "meter %u: %s", k, inner);
    mm->version = (uint32_t)version;
    const msgpack_object *counts = fc_map_get(o, K_COUNTS);
    if (!counts || counts->type != MSGPACK_OBJECT_ARRAY || counts->via.array.size != FC_MODEL_BINS)
        return fail(why, "meter %u (%s): \"counts\" is not an array of %d counters", k, mm->name, FC_MODEL_BINS);
    uint64_t sum = 0;
    for (unsigned b = 0; b < FC_MODEL_BINS; b++) {
        const msgpack_object *c = &counts->via.array.ptr[b];
        if (c->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
            return fail(why, "meter %u (%s): counter %u is not a non-negative integer", k, mm->name, b);
        if (sum > UINT64_MAX - c->via.u64)
            return fail(why, "meter %u (%s): counters overflow", k, mm->name);
        mm->counts[b] = c->via.u64;
        sum += c->via.u64;
    }
    if (sum != mm->measurements)
        return fail(why, "meter %u (%s): counters add up to %llu, but \"measurements\" is %llu", k, mm->name,
                    (unsigned long long)sum, (unsigned long long)mm->measurements);
    return true;
}

static bool get_double(const msgpack_object *map, const char *key, double *out, char why[FC_MODEL_WHY])
{
    const msgpack_object *o = fc_map_get(map, key);
    if (!o)
        return fail(why, "no \"%s\" field", key);
    if (o->type != MSGPACK_OBJECT_FLOAT64)
        return fail(why, "\"%s\" is not a float64", key);
    *out = o->via.f64;
    return true;
}

/* Version 2's optional acceptance threshold, with version 3's turns in it; a version 1 file
 * has none (its key, if any, is not version 1's and is ignored like every unknown key). */
static bool parse_acceptance(const msgpack_object *top, uint32_t file_version, struct fc_model *m,
                             char why[FC_MODEL_WHY])
{
    const msgpack_object *acc = fc_map_get(top, K_ACCEPTANCE);
    if (file_version < 2 || !acc)
        return true;
    char inner[FC_MODEL_WHY];
    double quantile, divergence;
    uint64_t turns = 0;
    if (acc->type != MSGPACK_OBJECT_MAP)
        return fail(why, "\"acceptance\" is not a map");
    if (!keys_unique(acc, "acceptance", why))
        return false;
    if (!get_double(acc, K_QUANTILE, &quantile, inner) || !get_double(acc, K_DIVERGENCE, &divergence, inner) ||
        (file_version >= 3 && !get_uint(acc, K_TURNS, FC_MODEL_MAX_TURNS, &turns, inner)) ||
        !fc_model_set_acceptance(m, quantile, divergence, turns, inner))
        return fail(why, "acceptance: %s", inner);
    return true;
}

static bool parse_meters(const msgpack_object *top, struct fc_model *m, char why[FC_MODEL_WHY])
{
    const msgpack_object *ms = fc_map_get(top, K_METERS);
    if (!ms || ms->type != MSGPACK_OBJECT_ARRAY)
        return fail(why, "no \"meters\" array");
    if (ms->via.array.size == 0 || ms->via.array.size > FC_MODEL_MAX_METERS)
        return fail(why, "%u meters (1 to %d allowed)", ms->via.array.size, FC_MODEL_MAX_METERS);
    m->n_meters = ms->via.array.size;
    m->meter = fc_xcalloc(m->n_meters, sizeof *m->meter);
    uint64_t measured = 0;
    for (uint32_t k = 0; k < m->n_meters; k++) {
        if (!parse_meter(&ms->via.array.ptr[k], k, &m->meter[k], why))
            return false;
        measured |= m->meter[k].measurements;
    }
    if (!measured) /* it would be equally far from every flow */
        return fail(why, "no meter has a single measurement: a model of nothing");
    return true;
}

bool fc_model_parse(const uint8_t *data, size_t len, struct fc_model *m, char why[FC_MODEL_WHY])
{
    memset(m, 0, sizeof *m);
    if (len == 0)
        return fail(why, "empty file");
    if (len > FC_MODEL_MAX_BYTES)
        return fail(why, "%zu bytes, larger than any model (%u)", len, FC_MODEL_MAX_BYTES);
    size_t object_len = 0;
    switch (fc_mpscan(data, len, FC_MODEL_MAX_BYTES, &object_len)) {
    case FC_MPSCAN_OK: break;
    case FC_MPSCAN_NEED_MORE: return fail(why, "truncated (the model ends inside its data)");
    default: return fail(why, "not a FlowCarp model (not a valid msgpack object)");
    }
    /* the stream's decoder, not msgpack-c's unpacker, whose zone takes a fresh block per
     * model: fc-classify's 71 models load 1.3 ms sooner (bench/README.md) */
    struct fc_mpdecoder d;
    fc_mpdecoder_init(&d);
    msgpack_object top;
    uint32_t file_version = 0;
    bool ok = fc_mpdecode(&d, data, object_len, &top);
    /* what the file is comes first: a pcap also starts with something msgpack can frame */
    if (!ok)
        fail(why, "not a FlowCarp model (msgpack data cannot be decoded)");
    else if (top.type != MSGPACK_OBJECT_MAP)
        ok = fail(why, "not a FlowCarp model (not a msgpack map)");
    else if (object_len != len)
        ok = parse_header(&top, m, &file_version, why) &&
             fail(why, "%zu bytes of trailing garbage after the model", len - object_len);
    else
        ok = parse_header(&top, m, &file_version, why) && parse_tags(&top, m, why) &&
             parse_transports(&top, m, why) && parse_meters(&top, m, why) &&
             parse_acceptance(&top, file_version, m, why);
    fc_mpdecoder_free(&d);
    if (!ok)
        fc_model_free(m);
    return ok;
}

bool fc_model_load(const char *path, struct fc_model *m, char why[FC_MODEL_WHY])
{
    memset(m, 0, sizeof *m);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return fail(why, "%s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(why, "not a regular file");
    }
    if (st.st_size > (off_t)FC_MODEL_MAX_BYTES) {
        close(fd);
        return fail(why, "%lld bytes, larger than any model (%u)", (long long)st.st_size, FC_MODEL_MAX_BYTES);
    }
    size_t len = (size_t)st.st_size, got = 0;
    uint8_t *buf = fc_xmalloc(len ? len : 1);
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    bool ok = got == len ? fc_model_parse(buf, len, m, why) : fail(why, "read error");
    free(buf);
    return ok;
}

/* ---- writer ---- */

static void pack_str(msgpack_packer *pk, const char *s)
{
    size_t n = strlen(s);
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, s, n);
}

uint8_t *fc_model_serialize(const struct fc_model *m, size_t *len)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 9 + m->acceptance.known);
    pack_str(&pk, K_FORMAT), pack_str(&pk, FC_MODEL_MAGIC);
    pack_str(&pk, K_VERSION), msgpack_pack_uint32(&pk, FC_MODEL_FORMAT_VERSION);
    pack_str(&pk, K_NAME), pack_str(&pk, m->name);
    pack_str(&pk, K_TAGS), msgpack_pack_array(&pk, m->n_tags);
    for (uint32_t i = 0; i < m->n_tags; i++)
        pack_str(&pk, m->tags[i]);
    pack_str(&pk, K_SET), pack_str(&pk, m->meter_set);
    pack_str(&pk, K_SET_VERSION), msgpack_pack_uint32(&pk, m->meter_set_version);
    pack_str(&pk, K_SESSIONS), msgpack_pack_uint64(&pk, m->sessions);
    pack_str(&pk, K_TRANSPORTS), msgpack_pack_array(&pk, m->n_l4);
    for (uint32_t i = 0; i < m->n_l4; i++) {
        msgpack_pack_array(&pk, 2);
        msgpack_pack_uint8(&pk, m->l4[i].proto);
        msgpack_pack_uint64(&pk, m->l4[i].sessions);
    }
    pack_str(&pk, K_METERS), msgpack_pack_array(&pk, m->n_meters);
    for (uint32_t k = 0; k < m->n_meters; k++) {
        const struct fc_model_meter *mm = &m->meter[k];
        msgpack_pack_map(&pk, 4);
        pack_str(&pk, K_METER_NAME), pack_str(&pk, mm->name);
        pack_str(&pk, K_METER_VERSION), msgpack_pack_uint32(&pk, mm->version);
        pack_str(&pk, K_MEASUREMENTS), msgpack_pack_uint64(&pk, mm->measurements);
        pack_str(&pk, K_COUNTS), msgpack_pack_array(&pk, FC_MODEL_BINS);
        for (unsigned b = 0; b < FC_MODEL_BINS; b++)
            msgpack_pack_uint64(&pk, mm->counts[b]);
    }
    if (m->acceptance.known) {
        pack_str(&pk, K_ACCEPTANCE), msgpack_pack_map(&pk, 3);
        pack_str(&pk, K_QUANTILE), msgpack_pack_double(&pk, m->acceptance.quantile);
        pack_str(&pk, K_DIVERGENCE), msgpack_pack_double(&pk, m->acceptance.divergence);
        pack_str(&pk, K_TURNS), msgpack_pack_uint32(&pk, m->acceptance.turns);
    }
    *len = sb.size;
    return (uint8_t *)sb.data;
}

static bool write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Writes straight into a target that exists and is not a regular file (/dev/null, a FIFO,
 * a terminal): renaming a file over it would replace the device itself. */
static bool save_into(const char *path, const uint8_t *data, size_t len, char why[FC_MODEL_WHY])
{
    int fd = open(path, O_WRONLY | O_TRUNC);
    if (fd < 0)
        return fail(why, "%s", strerror(errno));
    bool ok = write_all(fd, data, len) || fail(why, "%s", strerror(errno));
    return (close(fd) == 0 || fail(why, "%s", strerror(errno))) && ok;
}

bool fc_model_save(const char *path, const struct fc_model *m, char why[FC_MODEL_WHY])
{
    size_t len;
    uint8_t *data = fc_model_serialize(m, &len);
    bool ok;
    struct stat st;
    if (strcmp(path, "-") == 0) {
        ok = write_all(STDOUT_FILENO, data, len) || fail(why, "%s", strerror(errno));
    } else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        ok = save_into(path, data, len, why);
    } else {
        /* A temporary file beside the target, renamed into place: a reader never sees half a model. */
        size_t n = strlen(path) + 16;
        char *tmp = fc_xmalloc(n);
        snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ok = fd >= 0 || fail(why, "%s", strerror(errno));
        if (ok) {
            ok = write_all(fd, data, len) || fail(why, "%s", strerror(errno));
            ok = (close(fd) == 0 || fail(why, "%s", strerror(errno))) && ok;
            ok = ok && (rename(tmp, path) == 0 || fail(why, "%s", strerror(errno)));
            if (!ok)
                unlink(tmp);
        }
        free(tmp);
    }
    free(data);
    return ok;
}
