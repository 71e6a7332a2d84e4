/* \summary: PPP's protocol field: how long it is, and which PPP protocols carry a network layer */
#ifndef FC_PPP_H
#define FC_PPP_H

#include <stdint.h>

#include "bytes.h"

/* Reads PPP's protocol field at c (1 byte when compressed, else 2) and returns the
 * ethertype of the network layer it names (IPv4, IPv6, MPLS), or 0 for any other PPP
 * protocol (LCP, IPCP, ...) and when the field is cut short. */
uint16_t fc_ppp_protocol_ethertype(struct fc_cursor *c);

#endif
