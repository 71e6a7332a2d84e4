/* \summary: finds the extent of one msgpack object in untrusted bytes without decoding it */
#ifndef FC_MPSCAN_H
#define FC_MPSCAN_H

#include <stddef.h>
#include <stdint.h>

enum fc_mpscan_result { FC_MPSCAN_OK, FC_MPSCAN_NEED_MORE, FC_MPSCAN_INVALID, FC_MPSCAN_TOO_LARGE };

/* On FC_MPSCAN_OK, *len is the object's size in bytes. Iterative: no recursion on depth. */
enum fc_mpscan_result fc_mpscan(const uint8_t *p, size_t avail, size_t limit, size_t *len);

#endif
