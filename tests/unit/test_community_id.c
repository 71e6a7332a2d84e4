/* \summary: Community ID v1 reproduces every entry of the Corelight baseline vectors */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "community_id.h"
#include "unit.h"

/*
 * The baseline files (../shared/vectors/community-id/baseline_*.json) are arrays of flat
 * objects {"proto":6,"saddr":"..","daddr":"..","sport":1,"dport":2,"communityid":".."}
 * (ports null for port-less protocols). For ICMP, sport is the type and dport already
 * the counterpart or code; the entry is one-way when the type has no counterpart.
 * A tiny reader for exactly that shape is enough here.
 */

struct vector {
    int proto;
    char saddr[64], daddr[64], cid[64];
    long sport, dport;     /* -1: null */
};

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t' || *p == ',')
        p++;
    return p;
}

/* Reads a JSON string without escapes into out; returns the position after it, or NULL. */
static const char *read_string(const char *p, char *out, size_t cap)
{
    if (*p != '"')
        return NULL;
    const char *end = strchr(p + 1, '"');
    if (!end || (size_t)(end - p - 1) >= cap)
        return NULL;
    memcpy(out, p + 1, (size_t)(end - p - 1));
    out[end - p - 1] = 0;
    return end + 1;
}

/* Parses one object at p into v; returns the position after it, or NULL. */
static const char *read_vector(const char *p, struct vector *v)
{
    memset(v, 0, sizeof *v);
    v->sport = v->dport = -1;
    p = skip_ws(p);
    if (*p != '{')
        return NULL;
    p = skip_ws(p + 1);
    while (*p && *p != '}') {
        char key[32], sval[64];
        p = read_string(p, key, sizeof key);
        if (!p || *(p = skip_ws(p)) != ':')
            return NULL;
        p = skip_ws(p + 1);
        long num = -1;
        bool is_str = *p == '"';
        if (is_str) {
            if (!(p = read_string(p, sval, sizeof sval)))
                return NULL;
        } else if (strncmp(p, "null", 4) == 0) {
            p += 4;
        } else {
            char *end;
            num = strtol(p, &end, 10);
            if (end == p)
                return NULL;
            p = end;
        }
        if (!strcmp(key, "proto"))
            v->proto = (int)num;
        else if (!strcmp(key, "sport"))
            v->sport = num;
        else if (!strcmp(key, "dport"))
            v->dport = num;
        else if (is_str && !strcmp(key, "saddr"))
            snprintf(v->saddr, sizeof v->saddr, "%s", sval);
        else if (is_str && !strcmp(key, "daddr"))
            snprintf(v->daddr, sizeof v->daddr, "%s", sval);
        else if (is_str && !strcmp(key, "communityid"))
            snprintf(v->cid, sizeof v->cid, "%s", sval);
        p = skip_ws(p);
    }
    return *p == '}' ? p + 1 : NULL;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[4096];
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    if (!buf)
        buf = calloc(1, 1);
    else
        buf[len] = 0;
    return buf;
}

/* Computes one vector's Community ID; false if the vector itself is unusable. */
static bool compute(const struct vector *v, const struct fc_cid_options *opt, char out[FC_COMMUNITY_ID_MAX])
{
    uint8_t sa[16], da[16];
    struct fc_cid_tuple t = { .proto = (uint8_t)v->proto, .saddr = sa, .daddr = da };
    if (inet_pton(AF_INET, v->saddr, sa) == 1 && inet_pton(AF_INET, v->daddr, da) == 1)
        t.ipv = 4;
    else if (inet_pton(AF_INET6, v->saddr, sa) == 1 && inet_pton(AF_INET6, v->daddr, da) == 1)
        t.ipv = 6;
    else
        return false;
    t.sport = v->sport < 0 ? 0 : (uint16_t)v->sport;
    t.dport = v->dport < 0 ? 0 : (uint16_t)v->dport;
    uint8_t counterpart;
    t.one_way = fc_proto_is_icmp(t.proto) && !fc_icmp_counterpart(t.proto, (uint8_t)t.sport, &counterpart);
    fc_community_id(&t, opt, out);
    return true;
}

static void check_file(const char *dir, const char *file, const struct fc_cid_options *opt)
{
    char path[1024], name[320];
    snprintf(path, sizeof path, "%s/vectors/community-id/%s", dir, file);
    char *text = slurp(path);
    if (!text) {
        printf("skip community_id_%s: %s not present (../shared is needed for this check)\n", file, path);
        return;
    }
    const char *p = strchr(text, '[');
    int count = 0, good = 0;
    struct vector v;
    while (p && (p = read_vector(p + 1, &v)) != NULL) {
        char got[FC_COMMUNITY_ID_MAX] = "";
        count++;
        snprintf(name, sizeof name, "community_id_%s_entry_%d_proto_%d_%s_%s", file, count, v.proto, v.saddr,
                 v.daddr);
        if (compute(&v, opt, got) && strcmp(got, v.cid) == 0)
            good++;
        else
            CHECK_STR(name, v.cid, got);
        p = skip_ws(p) - 1; /* read_vector skips the separator itself */
    }
    snprintf(name, sizeof name, "community_id_%s_reproduces_all_%d_entries", file, count);
    CHECK(name, count > 0 && good == count);
    free(text);
}

int main(void)
{
    const char *shared = getenv("FC_SHARED");
    char dir[900];
    if (shared)
        snprintf(dir, sizeof dir, "%s", shared);
    else
        snprintf(dir, sizeof dir, "%s/../shared", getenv("FC_ROOT") ? getenv("FC_ROOT") : ".");

    check_file(dir, "baseline_deflt.json", &(struct fc_cid_options){ .seed = 0, .base64 = true });
    check_file(dir, "baseline_nob64.json", &(struct fc_cid_options){ .seed = 0, .base64 = false });
    check_file(dir, "baseline_seed1.json", &(struct fc_cid_options){ .seed = 1, .base64 = true });

    /* FORMATS.md §2 worked example, both directions (needs no ../shared). */
    uint8_t a[4] = { 128, 232, 110, 120 }, b[4] = { 66, 35, 250, 204 };
    struct fc_cid_tuple fwd = { .ipv = 4, .proto = 6, .saddr = a, .daddr = b, .sport = 34855, .dport = 80 };
    struct fc_cid_tuple rev = { .ipv = 4, .proto = 6, .saddr = b, .daddr = a, .sport = 80, .dport = 34855 };
    struct fc_cid_options dflt = { 0, true };
    char out[FC_COMMUNITY_ID_MAX];
    fc_community_id(&fwd, &dflt, out);
    CHECK_STR("community_id_formats_example_forward", "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", out);
    fc_community_id(&rev, &dflt, out);
    CHECK_STR("community_id_formats_example_reverse_is_same", "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", out);

    /* One-way ICMP keeps packet order: swapping endpoints changes the id. */
    struct fc_cid_tuple ttl = { .ipv = 4, .proto = 1, .saddr = b, .daddr = a, .sport = 11, .dport = 0, .one_way = true };
    char one[FC_COMMUNITY_ID_MAX], other[FC_COMMUNITY_ID_MAX];
    fc_community_id(&ttl, &dflt, one);
    ttl.saddr = a;
    ttl.daddr = b;
    fc_community_id(&ttl, &dflt, other);
    CHECK("community_id_one_way_icmp_keeps_packet_order", strcmp(one, other) != 0);

    uint16_t pa, pb;
    CHECK("icmp_echo_request_ports_are_type_and_counterpart",
          !fc_icmp_ports(1, 8, 0, &pa, &pb) && pa == 8 && pb == 0);
    CHECK("icmp_time_exceeded_is_one_way_with_code", fc_icmp_ports(1, 11, 1, &pa, &pb) && pa == 11 && pb == 1);
    CHECK("icmp6_neighbor_advert_counterpart_is_solicit",
          !fc_icmp_ports(58, 136, 0, &pa, &pb) && pa == 136 && pb == 135);
    CHECK("icmp6_type_146_is_one_way", fc_icmp_ports(58, 146, 0, &pa, &pb) && pb == 0);
    UNIT_DONE();
}
