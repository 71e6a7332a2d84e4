/* \summary: the TCP flow of FORMATS.md §8 (vectors/community-id/pcaps/tcp.pcap), for unit tests */
#ifndef FC_TEST_WORKED_EXAMPLE_H
#define FC_TEST_WORKED_EXAMPLE_H

#include <string.h>

#include "flow_record.h"

static inline struct fc_flow worked_example_flow(void)
{
    struct fc_flow f;
    memset(&f, 0, sizeof f);
    f.id = 1;
    f.ipv = 4;
    f.proto = 6;
    f.has_ports = true;
    f.start_us = 1500000120000000;
    f.end_us = 1500000120454536;
    f.orig = (struct fc_flow_side){ .port = 34855, .pkts = 6, .ip_bytes = 816, .payload_bytes = 496, .tcp_flags = 0x1b };
    f.resp = (struct fc_flow_side){ .port = 80, .pkts = 6, .ip_bytes = 2051, .payload_bytes = 1731, .tcp_flags = 0x1b };
    memcpy(f.orig.ip, (uint8_t[]){ 128, 232, 110, 120 }, 4);
    memcpy(f.resp.ip, (uint8_t[]){ 66, 35, 250, 204 }, 4);
    f.state = FC_STATE_CLOSED;
    f.reason = FC_REASON_TIMEOUT;
    strcpy(f.conn_state, "SF");
    strcpy(f.history, "ShADadfF");
    return f;
}

#endif
