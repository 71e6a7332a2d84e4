/* \summary: how many bytes of each packet fc-read sends on (payload trimming policy) */
#include "trim.h"

#include "decode.h"

void trim_init(struct trim *t, bool all_bytes, const struct sample_limits *limits)
{
    t->all_bytes = all_bytes;
    t->limits = *limits;
    t->tracker = all_bytes ? NULL : sample_tracker_new(limits);
    t->counters = (struct trim_counters){ 0, 0, 0, 0 };
}

void trim_free(struct trim *t)
{
    sample_tracker_free(t->tracker);
    t->tracker = NULL;
}

static size_t at_most(size_t len, size_t limit) { return len < limit ? len : limit; }

/* Bytes of an IP packet to send: decided by the flow's payload sample when the headers
 * are sound, else erring towards sending more. */
static size_t ip_packet_bytes(struct trim *t, const struct fc_packet *p)
{
    struct fc_decoded d;
    switch (fc_decode(p->proto, p->data, p->data_len, &d)) {
    case FC_DEC_OK:
        break;
    case FC_DEC_NOT_IP:
        t->counters.not_ip++;
        return at_most(p->data_len, TRIM_NOT_IP_BYTES);
    case FC_DEC_FRAGMENT:
        t->counters.fragments++;
        return p->data_len;
    case FC_DEC_BAD_IP:
    case FC_DEC_BAD_L4:
    default:
        t->counters.undecodable++;
        return at_most(p->data_len, TRIM_DOUBT_BYTES);
    }
    if (d.is_fragment) { /* the first fragment: its payload continues elsewhere */
        t->counters.fragments++;
        return p->data_len;
    }
    switch (sample_tracker_note(t->tracker, &d, p->vlan, p->vlan2, p->source, p->ts_us)) {
    case SAMPLE_NEEDS_ALL:
        return at_most(p->data_len, d.payload_offset + t->limits.full_bytes);
    case SAMPLE_NEEDS_BYTES:
        return at_most(p->data_len, d.payload_offset + t->limits.bytes);
    case SAMPLE_NEEDS_HEADERS:
    default:
        return at_most(p->data_len, d.payload_offset);
    }
}

void trim_packet(struct trim *t, struct fc_packet *p)
{
    size_t keep;
    if (t->all_bytes) {
        keep = p->data_len;
    } else if (p->link != FC_LINK_NETWORK) {
        keep = at_most(p->data_len, TRIM_NOT_IP_BYTES);
    } else {
        keep = ip_packet_bytes(t, p);
    }
    keep = at_most(keep, FC_ENTRY_MAX_DATA);
    if (keep < p->data_len) {
        p->flags |= FC_PKT_CUT;
        p->data_len = keep;
        t->counters.cut++;
    }
}
