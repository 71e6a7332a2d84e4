/* \summary: the record stream's vocabulary: record kinds and field keys, fixed in one place */
#ifndef FC_RECORD_H
#define FC_RECORD_H

/*
 * A FlowCarp record stream is a sequence of msgpack maps (man/flowcarp-records.5).
 * The first is the stream header; every later map has FC_KEY_KIND with one of the
 * record kinds below. Field keys are short strings so that `fc-emit --format Json`
 * shows a readable record; they are listed here and nowhere else.
 *
 * Compatibility: a reader ignores fields it does not know and passes records of
 * kinds it does not handle through untouched. A minor version adds kinds or fields;
 * a major version changes the meaning of existing ones and is refused by older readers.
 */

#define FC_STREAM_MAGIC "FlowCarp"
#define FC_STREAM_MAJOR 1
#define FC_STREAM_MINOR 0

/* Header fields */
#define FC_KEY_MAGIC     "magic"      /* str FC_STREAM_MAGIC */
#define FC_KEY_VERSION   "version"    /* [major, minor] */
#define FC_KEY_PRODUCER  "producer"   /* str: tool that started the stream */
#define FC_KEY_STAGES    "stages"     /* array of str: each stage's command line, in order */
#define FC_KEY_SAMPLE    "sample"     /* header: map of payload-sample limits fc-read applied */
#define FC_KEY_LIVE      "live"       /* header: true when a source is live (clock records follow) */

/* Every record */
#define FC_KEY_KIND      "k"

enum fc_record_kind {
    FC_REC_PACKETS = 1,   /* a batch of packets (fixed binary layout, packet_batch.h) */
    FC_REC_FLOW = 2,      /* a finished (or reported) flow with its counters */
    FC_REC_SAMPLE = 3,    /* a flow's payload sample, sent as soon as it is complete */
    FC_REC_FEATURES = 4,  /* a flow's feature vector (fc-feat) */
    FC_REC_VERDICT = 5,   /* a flow's verdict, sent as soon as it exists (fc-classify) */
    FC_REC_SOURCE = 6,    /* fc-read opened / finished an input source */
    FC_REC_STATS = 7,     /* a stage's counters at end of input */
    FC_REC_CLOCK = 8,     /* live input: the wall clock, at least once a second while no
                             packets flow, so idle flows expire when traffic stops */
};

/* Packet batch */
#define FC_KEY_BATCH     "b"          /* bin: concatenated packet entries */
#define FC_KEY_COUNT     "n"          /* number of packet entries in the batch */

/* Source record */
#define FC_KEY_NAME      "name"       /* str: file name or source URI */
#define FC_KEY_EVENT     "event"      /* str: "open" or "end" */
#define FC_KEY_LINKTYPE  "linktype"   /* uint: DLT_ value */
#define FC_KEY_SNAPLEN   "snaplen"
#define FC_KEY_SOURCE    "source"     /* uint: source number, as in packet entries */
#define FC_KEY_PACKETS   "packets"
#define FC_KEY_ERROR     "error"      /* str: what went wrong, when it did */

/* Flow and sample records share the flow fields */
#define FC_KEY_ID        "id"         /* uint: flow number within this stream, from 1 */
#define FC_KEY_IPV       "ipv"        /* 4 or 6 */
#define FC_KEY_PROTO     "proto"      /* IP protocol number */
#define FC_KEY_VLAN      "vlan"       /* outer VLAN id (absent or 0 = untagged) */
#define FC_KEY_VLAN2     "vlan2"      /* inner VLAN id (QinQ) */
#define FC_KEY_TUNNEL    "tunnel"     /* str: the outermost tunnel the flow's packets came out of
                                         (common/tunnel.h: "GRE", "VXLAN", ...); absent = none */
#define FC_KEY_START     "start_us"   /* int: microseconds since the epoch */
#define FC_KEY_END       "end_us"
#define FC_KEY_ORIG      "orig"       /* map: originator side (FC_KEY_SIDE_*) */
#define FC_KEY_RESP      "resp"       /* map: responder side */
#define FC_KEY_STATE     "state"      /* str: new / established / closed */
#define FC_KEY_REASON    "reason"     /* str: timeout / shutdown / tcp_reuse / forced; or, in an
                                         interim flow record (the flow still open, counters so far,
                                         the final record follows), preview / flush (fc-flow) */
#define FC_KEY_CONN_STATE "conn_state" /* str: Zeek conn_state */
#define FC_KEY_HISTORY   "history"    /* str: Zeek history */
#define FC_KEY_MISSED    "missed_bytes"
#define FC_KEY_PAYLOAD_PKTS "payload_pkts" /* sample: packets in the sample */
#define FC_KEY_TURNS     "turns"      /* vector: direction changes among the observations measured */
#define FC_KEY_OBS       "obs"        /* sample: array of [dir, len, dt_us, bin bytes] */

/* Verdict fields: added to flow (and sample) records by fc-classify (FORMATS.md §1) */
#define FC_KEY_VERDICT   "verdict"    /* str: identified / unknown / no_payload */
#define FC_KEY_PROTOCOL  "protocol"   /* str: the identified model's name (identified only) */
#define FC_KEY_MODEL     "model"      /* str: best (closest) model */
#define FC_KEY_DIVERGENCE "divergence" /* float: best model's divergence, >= 0, lower is closer */
#define FC_KEY_RUNNER_UP "runner_up"  /* str: second-closest model */
#define FC_KEY_RUNNER_UP_DIVERGENCE "runner_up_divergence" /* float */
#define FC_KEY_TAGS      "tags"       /* array of str: identified model's tags */
#define FC_KEY_USED_PKTS "used_pkts"  /* uint: payload packets the verdict was made from */

/* Feature vector record (kind 4, fc-feat): the sample's flow fields plus these */
#define FC_KEY_METER_SET "meter_set"  /* str: name of the meter set, e.g. "spid-default" */
#define FC_KEY_METER_SET_VERSION "meter_set_version" /* uint */
#define FC_KEY_BINS      "bins"       /* array, one bin per meter: entries (u8 bin, u16le count) */

/* Verdict record (kind 5, fc-classify): the sample's flow fields, the verdict fields, and */
#define FC_KEY_AT        "at_us"      /* int: time of the packet that completed the sample */
#define FC_KEY_EXPLAIN   "explain"    /* array: closest models with per-meter divergences */

/* Per side of a flow */
#define FC_KEY_SIDE_IP       "ip"         /* bin 4 or 16 */
#define FC_KEY_SIDE_PORT     "port"       /* TCP/UDP/SCTP port, ICMP type or counterpart */
#define FC_KEY_SIDE_PKTS     "pkts"
#define FC_KEY_SIDE_IP_BYTES "ip_bytes"
#define FC_KEY_SIDE_PAYLOAD  "payload_bytes"
#define FC_KEY_SIDE_WIRE     "wire_bytes" /* whole frames as captured on the wire */
#define FC_KEY_SIDE_FLAGS    "tcp_flags"  /* OR of TCP flag bytes */
#define FC_KEY_SIDE_ICMP_TYPE "icmp_type" /* first ICMP message of this side */
#define FC_KEY_SIDE_ICMP_CODE "icmp_code"

/* The name issue 5's clock contract uses for FC_REC_CLOCK */
#define FC_KIND_CLOCK    FC_REC_CLOCK

/* Clock record */
#define FC_KEY_NOW       "now_us"     /* int: wall clock, microseconds since the epoch */

/* Stats record */
#define FC_KEY_STAGE     "stage"      /* str: which tool */
#define FC_KEY_EXIT_STATUS "exit_status" /* uint: the status the stage exits with (log.h) */
#define FC_KEY_COUNTERS  "counters"   /* map str -> uint */

#endif
