/* \summary: the flow record: one struct, packed by fc-flow and read by every later stage */
#include "flow_record.h"

#include <string.h>

#include "record.h"
#include "stream.h"

static const char *const state_names[] = { "new", "established", "closed" };
static const char *const reason_names[] = { "timeout", "shutdown", "tcp_reuse", "forced" };

const char *fc_flow_state_name(enum fc_flow_state s) { return state_names[s]; }
const char *fc_flow_reason_name(enum fc_flow_reason r) { return reason_names[r]; }

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
    return 11 + (f->vlan ? 1 : 0) + (f->vlan2 ? 1 : 0) + (f->history[0] ? 1 : 0);
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

static bool get_uint(const msgpack_object *map, const char *key, uint64_t max, uint64_t *out)
{
    return fc_obj_uint(fc_map_get(map, key), out) && *out <= max;
}

static int name_index(const msgpack_object *o, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (fc_obj_str_eq(o, names[i]))
            return i;
    return -1;
}

static bool unpack_side(const msgpack_object *m, const struct fc_flow *f, struct fc_flow_side *s,
                        const char **why)
{
    memset(s, 0, sizeof *s);
    if (!m || m->type != MSGPACK_OBJECT_MAP)
        return *why = "missing orig/resp map", false;
    const msgpack_object *ip = fc_map_get(m, FC_KEY_SIDE_IP);
    if (!ip || ip->type != MSGPACK_OBJECT_BIN || ip->via.bin.size != ip_size(f))
        return *why = "address is not a 4- or 16-byte bin matching ipv", false;
    memcpy(s->ip, ip->via.bin.ptr, ip->via.bin.size);
    uint64_t v;
    if (f->has_ports) {
        if (!get_uint(m, FC_KEY_SIDE_PORT, 65535, &v))
            return *why = "missing or invalid port", false;
        s->port = (uint16_t)v;
    }
    if (!get_uint(m, FC_KEY_SIDE_PKTS, UINT64_MAX, &s->pkts) ||
        !get_uint(m, FC_KEY_SIDE_IP_BYTES, UINT64_MAX, &s->ip_bytes) ||
        !get_uint(m, FC_KEY_SIDE_PAYLOAD, UINT64_MAX, &s->payload_bytes))
        return *why = "missing packet or byte counter", false;
    if (!get_uint(m, FC_KEY_SIDE_WIRE, UINT64_MAX, &s->wire_bytes))
        s->wire_bytes = 0;
    if (get_uint(m, FC_KEY_SIDE_FLAGS, 255, &v))
        s->tcp_flags = (uint8_t)v;
    uint64_t t, c;
    if (get_uint(m, FC_KEY_SIDE_ICMP_TYPE, 255, &t) && get_uint(m, FC_KEY_SIDE_ICMP_CODE, 255, &c)) {
        s->has_icmp = true;
        s->icmp_type = (uint8_t)t;
        s->icmp_code = (uint8_t)c;
    }
    return true;
}

bool fc_flow_unpack(const msgpack_object *map, struct fc_flow *f, const char **why)
{
    memset(f, 0, sizeof *f);
    uint64_t v;
    if (!get_uint(map, FC_KEY_ID, UINT64_MAX, &f->id))
        return *why = "missing flow id", false;
    if (!get_uint(map, FC_KEY_IPV, 6, &v) || (v != 4 && v != 6))
        return *why = "ipv is not 4 or 6", false;
    f->ipv = (uint8_t)v;
    if (!get_uint(map, FC_KEY_PROTO, 255, &v))
        return *why = "missing or invalid proto", false;
    f->proto = (uint8_t)v;
    f->has_ports = fc_proto_has_ports(f->proto);
    if (get_uint(map, FC_KEY_VLAN, 4095, &v))
        f->vlan = (uint16_t)v;
    if (get_uint(map, FC_KEY_VLAN2, 4095, &v))
        f->vlan2 = (uint16_t)v;
    if (!fc_obj_int(fc_map_get(map, FC_KEY_START), &f->start_us) ||
        !fc_obj_int(fc_map_get(map, FC_KEY_END), &f->end_us) || f->end_us < f->start_us)
        return *why = "missing or inconsistent start_us/end_us", false;
    if (!unpack_side(fc_map_get(map, FC_KEY_ORIG), f, &f->orig, why) ||
        !unpack_side(fc_map_get(map, FC_KEY_RESP), f, &f->resp, why))
        return false;
    int st = name_index(fc_map_get(map, FC_KEY_STATE), state_names, 3);
    int rs = name_index(fc_map_get(map, FC_KEY_REASON), reason_names, 4);
    if (st < 0 || rs < 0)
        return *why = "missing or unknown state/reason", false;
    f->state = (enum fc_flow_state)st;
    f->reason = (enum fc_flow_reason)rs;
    if (!fc_obj_str(fc_map_get(map, FC_KEY_CONN_STATE), f->conn_state, sizeof f->conn_state))
        return *why = "missing conn_state", false;
    if (!fc_obj_str(fc_map_get(map, FC_KEY_HISTORY), f->history, sizeof f->history))
        f->history[0] = 0;
    if (!get_uint(map, FC_KEY_MISSED, UINT64_MAX, &f->missed_bytes))
        f->missed_bytes = 0;
    return true;
}
