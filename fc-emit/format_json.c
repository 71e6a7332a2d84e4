/* \summary: Json: every record of any kind, the header included, as one compact JSON object (FORMATS.md §7) */
#include <inttypes.h>
#include <math.h>

#include "emit.h"
#include "formats.h"

/*
 * A lossless debugging view: nothing is renamed or added. msgpack types JSON lacks get
 * a tagged object (bin -> {"$bin":"hex"}, ext -> {"$ext":type,"$bin":"hex"}); non-string
 * map keys become their own JSON text, as a string. Nesting depth is bounded by the
 * stream reader (msgpack-c refuses deeper objects), so plain recursion is safe.
 *
 * One exception keeps the text linear in the record's size: a map or array that is a key
 * inside another key's text is written as "$map" or "$array". Each key level escapes the
 * text of the levels below it once more, so a hostile record of nested keys would
 * otherwise double its output per level (a 500-byte record, gigabytes). Stream records
 * have string or integer keys.
 */

static void json_view_value(struct fc_out *o, const msgpack_object *v, bool in_key);

static void json_view_hex(struct fc_out *o, const char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    fc_out_char(o, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)p[i];
        char pair[2] = { digits[b >> 4], digits[b & 15] };
        fc_out_write(o, pair, 2);
    }
    fc_out_char(o, '"');
}

/* %.17g round-trips every double; JSON has no NaN or infinity, so those are strings. */
static void json_view_float(struct fc_out *o, double d)
{
    if (isnan(d))
        fc_out_str(o, "\"nan\"");
    else if (isinf(d))
        fc_out_str(o, d < 0 ? "\"-inf\"" : "\"inf\"");
    else
        fc_out_printf(o, "%.17g", d);
}

/* A map key; in_key: the map is itself part of a key's text. */
static void json_view_key(struct fc_out *o, const msgpack_object *k, bool in_key)
{
    if (k->type == MSGPACK_OBJECT_STR) {
        fc_out_json_str(o, k->via.str.ptr, k->via.str.size);
        return;
    }
    if (in_key && (k->type == MSGPACK_OBJECT_MAP || k->type == MSGPACK_OBJECT_ARRAY)) {
        fc_out_str(o, k->type == MSGPACK_OBJECT_MAP ? "\"$map\"" : "\"$array\"");
        return;
    }
    struct fc_out text;
    fc_out_open(&text, -1, "key");
    json_view_value(&text, k, true);
    fc_out_json_str(o, text.buf, text.len);
    fc_out_close(&text);
}

static void json_view_value(struct fc_out *o, const msgpack_object *v, bool in_key)
{
    switch (v->type) {
    case MSGPACK_OBJECT_NIL: fc_out_str(o, "null"); break;
    case MSGPACK_OBJECT_BOOLEAN: fc_out_str(o, v->via.boolean ? "true" : "false"); break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER: fc_out_u64(o, v->via.u64); break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER: fc_out_i64(o, v->via.i64); break;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64: json_view_float(o, v->via.f64); break;
    case MSGPACK_OBJECT_STR: fc_out_json_str(o, v->via.str.ptr, v->via.str.size); break;
    case MSGPACK_OBJECT_BIN:
        fc_out_str(o, "{\"$bin\":");
        json_view_hex(o, v->via.bin.ptr, v->via.bin.size);
        fc_out_char(o, '}');
        break;
    case MSGPACK_OBJECT_EXT:
        fc_out_printf(o, "{\"$ext\":%d,\"$bin\":", v->via.ext.type);
        json_view_hex(o, v->via.ext.ptr, v->via.ext.size);
        fc_out_char(o, '}');
        break;
    case MSGPACK_OBJECT_ARRAY:
        fc_out_char(o, '[');
        for (uint32_t i = 0; i < v->via.array.size; i++) {
            if (i)
                fc_out_char(o, ',');
            json_view_value(o, &v->via.array.ptr[i], in_key);
        }
        fc_out_char(o, ']');
        break;
    case MSGPACK_OBJECT_MAP:
        fc_out_char(o, '{');
        for (uint32_t i = 0; i < v->via.map.size; i++) {
            if (i)
                fc_out_char(o, ',');
            json_view_key(o, &v->via.map.ptr[i].key, in_key);
            fc_out_char(o, ':');
            json_view_value(o, &v->via.map.ptr[i].val, in_key);
        }
        fc_out_char(o, '}');
        break;
    }
}

static void json_view_line(struct fc_out *o, const msgpack_object *v)
{
    json_view_value(o, v, false);
    fc_out_char(o, '\n');
}

static void json_begin(struct emit_ctx *c) { json_view_line(&c->out, &c->reader.header.raw.data); }
static void json_record(struct emit_ctx *c, const struct fc_record *rec) { json_view_line(&c->out, &rec->obj); }

const struct emit_format format_json = {
    .name = "Json",
    .summary = "every input record as one JSON object (debugging view, not a stable interface)",
    .begin = json_begin,
    .record = json_record,
};
