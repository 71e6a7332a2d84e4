/* \summary: libFuzzer harness: bytes as one record, written by every fc-emit format, the text checked */
/*
 * The record stream fc-emit reads comes from anyone, and what it writes goes into other
 * people's tools (a SIEM taking Eve JSON, a CSV import). Each input is one msgpack object,
 * handed as a record to every format the way fc-emit hands it (emit_record), after the
 * format's header (begin). Checks on the text, per format:
 *   - the JSON formats (Eve, Zeek, the Json view): every line one JSON value (RFC 8259,
 *     strict: UTF-8, escapes, numbers), and an object but in the Json view, which shows a
 *     record that is not a map (the stream carries any object on) as the value it is;
 *   - TSV: every line as many fields as the header row, no control byte but the tabs;
 *   - CSV: read as RFC 4180 (quotes may hold line breaks), every row as many fields as the
 *     header, and valid UTF-8.
 * This validator is written from the RFCs here, not taken from the code under test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../fc-emit/emit.h"
#include "mpscan.h"
#include "record.h"

static struct emit_ctx ctx;
static struct fc_mpdecoder decoder;

/* ---- the checks ---- */

static _Noreturn void bad_text(const char *format, const char *what, const char *text, size_t n)
{
    fprintf(stderr, "%s wrote text that is not valid: %s\n%.*s\n", format, what, (int)(n > 2000 ? 2000 : n), text);
    abort();
}

/* Length of the UTF-8 sequence at p (RFC 3629: shortest form, no surrogates, <= U+10FFFF), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return 1;
    size_t len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || p[0] > 0xF4 || n < len)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0) || (p[0] == 0xF0 && p[1] < 0x90) ||
        (p[0] == 0xF4 && p[1] >= 0x90))
        return 0;
    return len;
}

static bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(p + i, n - i);
        if (!l)
            return false;
        i += l;
    }
    return true;
}

struct json_in {
    const char *p, *end;
    int depth;
};

static void json_ws(struct json_in *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t'))
        j->p++;
}

static bool json_value(struct json_in *j);

static bool json_literal(struct json_in *j, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
        return false;
    j->p += n;
    return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool json_number(struct json_in *j)
{
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (j->p >= j->end || !is_digit(*j->p))
        return false;
    if (*j->p == '0')
        j->p++;
    else
        while (j->p < j->end && is_digit(*j->p))
            j->p++;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (j->p >= j->end || !is_digit(*j->p))
            return false;
        while (j->p < j->end && is_digit(*j->p))
            j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (j->p >= j->end || !is_digit(*j->p))
            return false;
        while (j->p < j->end && is_digit(*j->p))
            j->p++;
    }
    return true;
}

static bool json_string(struct json_in *j)
{
    if (j->p >= j->end || *j->p != '"')
        return false;
    j->p++;
    while (j->p < j->end) {
        unsigned char c = (unsigned char)*j->p;
        if (c == '"') {
            j->p++;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            if (j->end - j->p < 2)
                return false;
            char e = j->p[1];
            if (e == 'u') {
                if (j->end - j->p < 6)
                    return false;
                for (int i = 2; i < 6; i++)
                    if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
                        return false;
                j->p += 6;
            } else if (strchr("\"\\/bfnrt", e) && e) {
                j->p += 2;
            } else {
                return false;
            }
            continue;
        }
        size_t l = utf8_len((const unsigned char *)j->p, (size_t)(j->end - j->p));
        if (!l)
            return false;
        j->p += l;
    }
    return false;
}

static bool json_members(struct json_in *j, char close, bool object)
{
    j->p++;
    json_ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return true;
    }
    for (;;) {
        json_ws(j);
        if (object) {
            if (!json_string(j))
                return false;
            json_ws(j);
            if (j->p >= j->end || *j->p != ':')
                return false;
            j->p++;
            json_ws(j);
        }
        if (!json_value(j))
            return false;
        json_ws(j);
        if (j->p >= j->end)
            return false;
        if (*j->p == close) {
            j->p++;
            return true;
        }
        if (*j->p != ',')
            return false;
        j->p++;
    }
}

static bool json_value(struct json_in *j)
{
    if (j->p >= j->end || ++j->depth > 200)
        return false;
    bool ok;
    switch (*j->p) {
    case '{': ok = json_members(j, '}', true); break;
    case '[': ok = json_members(j, ']', false); break;
    case '"': ok = json_string(j); break;
    case 't': ok = json_literal(j, "true"); break;
    case 'f': ok = json_literal(j, "false"); break;
    case 'n': ok = json_literal(j, "null"); break;
    default: ok = json_number(j); break;
    }
    j->depth--;
    return ok;
}

/* Every line one JSON value, and an object unless any value may stand for a record (the Json view). */
static void check_json_lines(const char *format, const char *text, size_t n, bool objects)
{
    for (const char *p = text, *end = text + n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            bad_text(format, "the last line has no newline", p, (size_t)(end - p));
        struct json_in j = { p, nl, 0 };
        if (!json_value(&j) || j.p != nl)
            bad_text(format, "a line is not one JSON value", p, (size_t)(nl - p));
        if (objects && *p != '{')
            bad_text(format, "a line is not a JSON object", p, (size_t)(nl - p));
        p = nl + 1;
    }
}

static size_t tsv_fields(const char *p, const char *nl)
{
    size_t n = 1;
    for (; p < nl; p++)
        n += *p == '\t';
    return n;
}

static void check_tsv(const char *format, const char *text, size_t n)
{
    size_t header = 0;
    for (const char *p = text, *end = text + n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            bad_text(format, "the last line has no newline", p, (size_t)(end - p));
        for (const char *q = p; q < nl; q++)
            if ((unsigned char)*q < 0x20 && *q != '\t')
                bad_text(format, "a control byte inside a line", p, (size_t)(nl - p));
        size_t fields = tsv_fields(p, nl);
        if (!header)
            header = fields;
        else if (fields != header)
            bad_text(format, "a row has another field count than the header", p, (size_t)(nl - p));
        p = nl + 1;
    }
    if (!utf8_valid(text, n))
        bad_text(format, "not valid UTF-8", text, n);
}

/* RFC 4180: returns the field count of the row at *p and moves *p past its line break. */
static size_t csv_row(const char *format, const char **at, const char *end)
{
    const char *p = *at;
    size_t fields = 1;
    for (;;) {
        if (p < end && *p == '"') {
            for (p++;; p++) {
                if (p >= end)
                    bad_text(format, "a quoted field is not closed", *at, (size_t)(end - *at));
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"')
                        p++;
                    else
                        break;
                }
            }
            p++;
            if (p < end && *p != ',' && *p != '\n')
                bad_text(format, "text after a quoted field", *at, (size_t)(end - *at));
        } else {
            while (p < end && *p != ',' && *p != '\n') {
                if (*p == '"' || *p == '\r')
                    bad_text(format, "a quote or CR in an unquoted field", *at, (size_t)(end - *at));
                p++;
            }
        }
        if (p >= end)
            bad_text(format, "the last row has no line break", *at, (size_t)(end - *at));
        if (*p == '\n') {
            *at = p + 1;
            return fields;
        }
        p++; /* ',' */
        fields++;
    }
}

static void check_csv(const char *format, const char *text, size_t n)
{
    size_t header = 0;
    for (const char *p = text, *end = text + n; p < end;) {
        const char *row = p;
        size_t fields = csv_row(format, &p, end);
        if (!header)
            header = fields;
        else if (fields != header)
            bad_text(format, "a row has another field count than the header", row, (size_t)(p - row));
    }
    if (!utf8_valid(text, n))
        bad_text(format, "not valid UTF-8", text, n);
}

/* ---- the formats ---- */

enum text_kind { TEXT_CSV, TEXT_TSV, TEXT_JSON, TEXT_JSON_VIEW };

/* Every format of fc-emit's registry, so one registered later is fuzzed too. All but CSV, TSV
 * and the Json view write JSON lines (FORMATS.md); a new format of another kind fails here
 * until its check is written. */
#define MAX_FORMATS 32

static struct {
    const struct emit_format *fmt;
    enum text_kind kind;
} formats[MAX_FORMATS];
static size_t n_formats;

static enum text_kind text_kind_of(const char *name)
{
    return strcmp(name, "CSV") == 0 ? TEXT_CSV
         : strcmp(name, "TSV") == 0 ? TEXT_TSV
         : strcmp(name, "Json") == 0 ? TEXT_JSON_VIEW
                                      : TEXT_JSON;
}

/* The registry's names, from emit_format_names ("CSV, TSV, ..."). */
static void list_formats(void)
{
    char names[256];
    snprintf(names, sizeof names, "%s", emit_format_names());
    for (char *name = strtok(names, ", "); name && n_formats < MAX_FORMATS; name = strtok(NULL, ", ")) {
        formats[n_formats].fmt = emit_format_find(name);
        formats[n_formats].kind = text_kind_of(name);
        if (!formats[n_formats++].fmt)
            abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fc_out_open(&ctx.out, -1, "out");
    fc_out_open(&ctx.scratch, -1, "scratch");
    fc_json_init(&ctx.json, &ctx.out);
    ctx.reader.name = "fuzz input";
    /* the Json view's header line shows the stream header: a small real one */
    static const unsigned char header[] = { 0x81, 0xa5, 'm', 'a', 'g', 'i', 'c', 0xa8, 'F', 'l', 'o', 'w', 'C', 'a', 'r', 'p' };
    msgpack_unpacked_init(&ctx.reader.header.raw);
    if (msgpack_unpack_next(&ctx.reader.header.raw, (const char *)header, sizeof header, NULL) != MSGPACK_UNPACK_SUCCESS)
        abort();
    fc_mpdecoder_init(&decoder);
    list_formats();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fc_record rec = { .raw = data, .raw_len = size };
    if (!fc_mpdecode(&decoder, data, size, &rec.obj))
        return 0;
    rec.kind = fc_record_kind_of(&rec.obj);
    for (size_t i = 0; i < n_formats; i++) {
        const struct emit_format *fmt = formats[i].fmt;
        ctx.out.len = 0;
        fc_json_init(&ctx.json, &ctx.out);
        if (fmt->begin)
            fmt->begin(&ctx);
        emit_record(&ctx, fmt, &rec);
        if (fmt->end)
            fmt->end(&ctx);
        switch (formats[i].kind) {
        case TEXT_CSV: check_csv(fmt->name, ctx.out.buf, ctx.out.len); break;
        case TEXT_TSV: check_tsv(fmt->name, ctx.out.buf, ctx.out.len); break;
        case TEXT_JSON: check_json_lines(fmt->name, ctx.out.buf, ctx.out.len, true); break;
        case TEXT_JSON_VIEW: check_json_lines(fmt->name, ctx.out.buf, ctx.out.len, false); break;
        }
    }
    return 0;
}
