/* \summary: untrusted msgpack bytes: the extent of one object without decoding it, and decoding it once framed */
#ifndef FC_MPSCAN_H
#define FC_MPSCAN_H

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fc_mpscan_result { FC_MPSCAN_OK, FC_MPSCAN_NEED_MORE, FC_MPSCAN_INVALID, FC_MPSCAN_TOO_LARGE };

/* On FC_MPSCAN_OK, *len is the object's size in bytes. Iterative: no recursion on depth. */
enum fc_mpscan_result fc_mpscan(const uint8_t *p, size_t avail, size_t limit, size_t *len);

/*
 * Decoding an object fc_mpscan framed into the very msgpack_object tree msgpack-c's
 * msgpack_unpack_next builds (same types and values, strings pointing into the bytes,
 * even an empty string's pointer, and the same nesting limit of 32 containers), but
 * into an arena kept from record to record: no zone is made and freed per record. The
 * tree is valid until the next fc_mpdecode with the same decoder.
 */
#define FC_MPDECODE_MAX_DEPTH 32
#define FC_MPDECODE_CHUNKS 32

struct fc_mpdecoder {
    msgpack_object *chunk[FC_MPDECODE_CHUNKS]; /* chunk k holds cap[k] objects; later chunks are larger */
    size_t cap[FC_MPDECODE_CHUNKS];
    unsigned cur;                              /* chunk being filled */
    size_t used;                               /* objects of it taken */
};

void fc_mpdecoder_init(struct fc_mpdecoder *d);
void fc_mpdecoder_free(struct fc_mpdecoder *d);
/* False when the len bytes at p are not exactly one object, or it nests deeper than
 * msgpack-c accepts (where msgpack_unpack_next fails too). */
bool fc_mpdecode(struct fc_mpdecoder *d, const uint8_t *p, size_t len, msgpack_object *out);
/* Decodes the one object that starts at p and ends within avail bytes, its size in *len:
 * framing and decoding in one pass. False when it does not end within avail, is damaged
 * or nests too deep: fc_mpscan then tells which. */
bool fc_mpdecode_prefix(struct fc_mpdecoder *d, const uint8_t *p, size_t avail, msgpack_object *out, size_t *len);

#endif
