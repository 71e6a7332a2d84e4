/* \summary: the flow record: one struct, packed by fc-flow and read by every later stage */
#include "flow_record.h"

#include <string.h>

#include "record.h"
#include "stream.h"
#include "tunnel.h"

/* Names with their lengths: every record's state and reason are looked up among them. */
struct name {
    const char *text;
    size_t len;
};
#define NAME(s) { s, sizeof s - 1 }
static const struct name state_names[] = { NAME("new"), NAME("established"), NAME("closed") };
static const struct name reason_names[] = {
    NAME("timeout"), NAME("shutdown"), NAME("tcp_reuse"), NAME("forced"), NAME("preview"), NAME("flush"),
};
#define STATE_COUNT (int)(sizeof state_names / sizeof state_names[0])
#define REASON_COUNT (int)(sizeof reason_names / sizeof reason_names[0])

const char *fc_flow_state_name(enum fc_flow_state s) { return state_names[s].text; }
const char *fc_flow_reason_name(enum fc_flow_reason r) { return reason_names[r].text; }
bool fc_flow_reason_is_interim(enum fc_flow_reason r) { return r == FC_REASON_PREVIEW || r == FC_REASON_FLUSH; }

bool fc_proto_has_ports(uint8_t proto)
{
    return proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58;
}

static size_t ip_size(const struct fc_flow *f) { return f->ipv == 6 ? 16 : 4; }

static uint32_t side_field_count(const struct fc_flow *f, const struct fc_flow_side *s)
{
    return 5 + (f->has_ports ? 1 : 0) + (f->proto == 6 ? 1 : 0) + (s->has_icmp ? 2 : 0);
}

static void pack_side(msgpack_packer *pk, const struct fc_flow *f, const struct fc_flow_side *s)
{
    msgpack_pack_map(pk, side_field_count(f, s));
    fc_pack_str(pk, FC_KEY_SIDE_IP);
    msgpack_pack_bin(pk, ip_size(f));
    msgpack_pack_bin_body(pk, s->ip, ip_size(f));
    if (f->has_ports)
        fc_pack_kv_uint(pk, FC_KEY_SIDE_PORT, s->port);
    fc_pack_kv_uint(pk, FC_KEY_SIDE_PKTS, s->pkts);
    fc_pack_kv_uint(pk, FC_KEY_SIDE_IP_BYTES, s->ip_bytes);
    fc_pack_kv_uint(pk, FC_KEY_SIDE_PAYLOAD, s->payload_bytes);
    fc_pack_kv_uint(pk, FC_KEY_SIDE_WIRE, s->wire_bytes);
    if (f->proto == 6)
        fc_pack_kv_uint(pk, FC_KEY_SIDE_FLAGS, s->tcp_flags);
    if (s->has_icmp) {
        fc_pack_kv_uint(pk, FC_KEY_SIDE_ICMP_TYPE, s->icmp_type);
        fc_pack_kv_uint(pk, FC_KEY_SIDE_ICMP_CODE, s->icmp_code);
    }
}

uint32_t fc_flow_field_count(const struct fc_flow *f)
{
    return 11 + (f->vlan ? 1 : 0) + (f->vlan2 ? 1 : 0) + (f->tunnel ? 1 : 0) + (f->history[0] ? 1 : 0);
}

void fc_flow_pack_fields(msgpack_packer *pk, const struct fc_flow *f)
{
    fc_pack_kv_uint(pk, FC_KEY_ID, f->id);
    fc_pack_kv_uint(pk, FC_KEY_IPV, f->ipv);
    fc_pack_kv_uint(pk, FC_KEY_PROTO, f->proto);
    if (f->vlan)
        fc_pack_kv_uint(pk, FC_KEY_VLAN, f->vlan);
    if (f->vlan2)
        fc_pack_kv_uint(pk, FC_KEY_VLAN2, f->vlan2);
    if (f->tunnel)
        fc_pack_kv_str(pk, FC_KEY_TUNNEL, fc_tunnel_name((enum fc_tunnel_kind)f->tunnel));
    fc_pack_kv_int(pk, FC_KEY_START, f->start_us);
    fc_pack_kv_int(pk, FC_KEY_END, f->end_us);
    fc_pack_str(pk, FC_KEY_ORIG);
    pack_side(pk, f, &f->orig);
    fc_pack_str(pk, FC_KEY_RESP);
    pack_side(pk, f, &f->resp);
    fc_pack_kv_str(pk, FC_KEY_STATE, fc_flow_state_name(f->state));
    fc_pack_kv_str(pk, FC_KEY_REASON, fc_flow_reason_name(f->reason));
    fc_pack_kv_str(pk, FC_KEY_CONN_STATE, f->conn_state);
    if (f->history[0])
        fc_pack_kv_str(pk, FC_KEY_HISTORY, f->history);
    fc_pack_kv_uint(pk, FC_KEY_MISSED, f->missed_bytes);
}

void fc_flow_pack_record(msgpack_packer *pk, const struct fc_flow *f)
{
    msgpack_pack_map(pk, 1 + fc_flow_field_count(f));
    fc_pack_kv_uint(pk, FC_KEY_KIND, FC_REC_FLOW);
    fc_flow_pack_fields(pk, f);
}

/* ---- reading ---- */

/* The keys are listed in the order fc_flow_pack_fields writes them: every later stage
 * reads some twenty fields of every flow record, found in one pass each (fc_map_get_many). */

static bool obj_uint_max(const msgpack_object *o, uint64_t max, uint64_t *out)
{
    return fc_obj_uint(o, out) && *out <= max;
}

static int name_index(const msgpack_object *o, const struct name *names, int count)
{
    if (!o || o->type != MSGPACK_OBJECT_STR)
        return -1;
    for (int i = 0; i < count; i++)
        if (o->via.str.size == names[i].len && memcmp(o->via.str.ptr, names[i].text, names[i].len) == 0)
            return i;
    return -1;
}

bool fc_flow_map_is_interim(const msgpack_object *map)
{
    int rs = name_index(fc_map_get(map, FC_KEY_REASON), reason_names, REASON_COUNT);
    return rs >= 0 && fc_flow_reason_is_interim((enum fc_flow_reason)rs);
}

enum side_field { S_IP, S_PORT, S_PKTS, S_IP_BYTES, S_PAYLOAD, S_WIRE, S_FLAGS, S_ICMP_TYPE, S_ICMP_CODE, S_COUNT };
static const struct fc_map_key side_keys[S_COUNT] = {
    [S_IP] = FC_MAP_KEY(FC_KEY_SIDE_IP), [S_PORT] = FC_MAP_KEY(FC_KEY_SIDE_PORT),
    [S_PKTS] = FC_MAP_KEY(FC_KEY_SIDE_PKTS), [S_IP_BYTES] = FC_MAP_KEY(FC_KEY_SIDE_IP_BYTES),
    [S_PAYLOAD] = FC_MAP_KEY(FC_KEY_SIDE_PAYLOAD), [S_WIRE] = FC_MAP_KEY(FC_KEY_SIDE_WIRE),
    [S_FLAGS] = FC_MAP_KEY(FC_KEY_SIDE_FLAGS), [S_ICMP_TYPE] = FC_MAP_KEY(FC_KEY_SIDE_ICMP_TYPE),
    [S_ICMP_CODE] = FC_MAP_KEY(FC_KEY_SIDE_ICMP_CODE),
};

static bool unpack_side(const msgpack_object *m, const struct fc_flow *f, struct fc_flow_side *s,
                        const char **why)
{
    memset(s, 0, sizeof *s);
    if (!m || m->type != MSGPACK_OBJECT_MAP)
        return *why = "missing orig/resp map", false;
    const msgpack_object *v[S_COUNT];
    fc_map_get_many(m, side_keys, S_COUNT, v);
    const msgpack_object *ip = v[S_IP];
    if (!ip || ip->type != MSGPACK_OBJECT_BIN || ip->via.bin.size != ip_size(f))
        return *why = "address is not a 4- or 16-byte bin matching ipv", false;
    memcpy(s->ip, ip->via.bin.ptr, ip->via.bin.size);
    uint64_t n;
    if (f->has_ports) {
        if (!obj_uint_max(v[S_PORT], 65535, &n))
            return *why = "missing or invalid port", false;
        s->port = (uint16_t)n;
    }
    if (!fc_obj_uint(v[S_PKTS], &s->pkts) || !fc_obj_uint(v[S_IP_BYTES], &s->ip_bytes) ||
        !fc_obj_uint(v[S_PAYLOAD], &s->payload_bytes))
        return *why = "missing packet or byte counter", false;
    if (!fc_obj_uint(v[S_WIRE], &s->wire_bytes))
        s->wire_bytes = 0;
    if (obj_uint_max(v[S_FLAGS], 255, &n))
        s->tcp_flags = (uint8_t)n;
    uint64_t t, c;
    if (obj_uint_max(v[S_ICMP_TYPE], 255, &t) && obj_uint_max(v[S_ICMP_CODE], 255, &c)) {
        s->has_icmp = true;
        s->icmp_type = (uint8_t)t;
        s->icmp_code = (uint8_t)c;
    }
    return true;
}

static const struct fc_map_key flow_keys[FC_FLOW_FIELD_COUNT] = { FC_FLOW_FIELD_KEYS };

bool fc_flow_unpack(const msgpack_object *map, struct fc_flow *f, const char **why)
{
    const msgpack_object *v[FC_FLOW_FIELD_COUNT];
    fc_map_get_many(map, flow_keys, FC_FLOW_FIELD_COUNT, v);
    return fc_flow_unpack_found(v, f, why);
}

bool fc_flow_unpack_found(const msgpack_object *const v[FC_FLOW_FIELD_COUNT], struct fc_flow *f, const char **why)
{
    memset(f, 0, sizeof *f);
    uint64_t n;
    if (!fc_obj_uint(v[FC_FLOW_ID], &f->id))
        return *why = "missing flow id", false;
    if (!obj_uint_max(v[FC_FLOW_IPV], 6, &n) || (n != 4 && n != 6))
        return *why = "ipv is not 4 or 6", false;
    f->ipv = (uint8_t)n;
    if (!obj_uint_max(v[FC_FLOW_PROTO], 255, &n))
        return *why = "missing or invalid proto", false;
    f->proto = (uint8_t)n;
    f->has_ports = fc_proto_has_ports(f->proto);
    if (obj_uint_max(v[FC_FLOW_VLAN], 4095, &n))
        f->vlan = (uint16_t)n;
    if (obj_uint_max(v[FC_FLOW_VLAN2], 4095, &n))
        f->vlan2 = (uint16_t)n;
    char tunnel[16];
    if (fc_obj_str(v[FC_FLOW_TUNNEL], tunnel, sizeof tunnel))
        f->tunnel = (uint8_t)fc_tunnel_kind_named(tunnel); /* a name this version does not know: none */
    int64_t span; /* every stage takes end - start as the duration: it must be a number */
    if (!fc_obj_int(v[FC_FLOW_START], &f->start_us) || !fc_obj_int(v[FC_FLOW_END], &f->end_us) ||
        f->end_us < f->start_us || __builtin_sub_overflow(f->end_us, f->start_us, &span))
        return *why = "missing or inconsistent start_us/end_us", false;
    if (!unpack_side(v[FC_FLOW_ORIG], f, &f->orig, why) || !unpack_side(v[FC_FLOW_RESP], f, &f->resp, why))
        return false;
    int st = name_index(v[FC_FLOW_STATE], state_names, STATE_COUNT);
    int rs = name_index(v[FC_FLOW_REASON], reason_names, REASON_COUNT);
    if (st < 0 || rs < 0)
        return *why = "missing or unknown state/reason", false;
    f->state = (enum fc_flow_state)st;
    f->reason = (enum fc_flow_reason)rs;
    if (!fc_obj_str(v[FC_FLOW_CONN_STATE], f->conn_state, sizeof f->conn_state))
        return *why = "missing conn_state", false;
    if (!fc_obj_str(v[FC_FLOW_HISTORY], f->history, sizeof f->history))
        f->history[0] = 0;
    if (!fc_obj_uint(v[FC_FLOW_MISSED], &f->missed_bytes))
        f->missed_bytes = 0;
    return true;
}
