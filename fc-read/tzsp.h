/* \summary: the TZSP datagram parser (TaZmen Sniffer Protocol, as MikroTik streams it) */
#ifndef FC_READ_TZSP_H
#define FC_READ_TZSP_H

/*
 * A TZSP datagram (UDP, port 37008 by convention): version (1 byte, must be 1), type
 * (1 byte), encapsulation (2 bytes, big-endian), then tagged fields, then the captured
 * frame. Tags: 0 is one byte of padding, 1 ends the tags, every other tag is followed
 * by a length byte and that many bytes of value. Types 0 (received) and 1 (to
 * transmit) carry a frame; the others (keep-alive, port opener, configuration) carry
 * none. The encapsulation names the frame's link layer (1 = Ethernet), mapped to its
 * DLT. Every byte is read through a bounds-checked cursor: hostile datagrams are
 * refused with a reason, never read past their end.
 */
#include <stddef.h>
#include <stdint.h>

enum tzsp_result {
    TZSP_FRAME,       /* *out describes the frame */
    TZSP_NO_FRAME,    /* a well-formed datagram that carries no frame */
    TZSP_MALFORMED,   /* *why says what is wrong */
};

struct tzsp_frame {
    uint8_t type;
    uint16_t encapsulation;
    int dlt;                 /* the DLT of the encapsulation */
    const uint8_t *frame;    /* points into the datagram */
    size_t len;
};

enum tzsp_result tzsp_parse(const uint8_t *datagram, size_t len, struct tzsp_frame *out, const char **why);

#endif
