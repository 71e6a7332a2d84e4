/* \summary: IEEE 802.2 LLC with a SNAP header: the ethertype it names */
#ifndef FC_LLC_H
#define FC_LLC_H

/*
 * Link layers without an ethertype of their own (802.11, FDDI, Token Ring, 802.3 frames
 * that give a length where Ethernet II gives a type) carry IP behind an 802.2 LLC header
 * with a SNAP extension: DSAP and SSAP 0xaa, control 0x03 (UI), an OUI of 00-00-00
 * (RFC 1042) or 00-00-f8 (802.1H bridge tunnel), then an ethertype.
 */
#include <stdint.h>

#include "bytes.h"

/* Reads an LLC/SNAP header at c: the ethertype it names, c just after it; 0 when the
 * LLC header is not SNAP with one of those OUIs, or is cut (c is then left anywhere). */
uint16_t fc_llc_snap_ethertype(struct fc_cursor *c);

#endif
