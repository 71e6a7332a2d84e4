/* \summary: SHA-1 (FIPS 180-4), for Community ID and the deterministic flow identifiers */
#ifndef FC_SHA1_H
#define FC_SHA1_H

/*
 * Our own small implementation so the tools need no crypto library: SHA-1 is used
 * here only as a well-specified, stable hash (Community ID v1 requires it), never
 * for security.
 */
#include <stddef.h>
#include <stdint.h>

#define FC_SHA1_LEN 20

struct fc_sha1 {
    uint32_t h[5];
    uint64_t total;        /* bytes hashed so far */
    uint8_t block[64];     /* the partial block */
    size_t used;           /* bytes in block */
};

void fc_sha1_init(struct fc_sha1 *c);
void fc_sha1_update(struct fc_sha1 *c, const void *data, size_t len);
void fc_sha1_final(struct fc_sha1 *c, uint8_t digest[FC_SHA1_LEN]);
/* One-shot convenience. */
void fc_sha1(const void *data, size_t len, uint8_t digest[FC_SHA1_LEN]);

#endif
