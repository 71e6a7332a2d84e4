/* \summary: telling AddressSanitizer which bytes of our own pools are not in use */
#ifndef FC_SANITIZER_H
#define FC_SANITIZER_H

/*
 * Memory handed out from a block of our own (a slab, the rounding of a huge block) is one
 * allocation to ASan, so an overflow from one piece into the next would go unseen. Under
 * ASan, FC_POISON marks bytes that are not in use and FC_UNPOISON those that are handed
 * out; elsewhere both are nothing.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FC_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FC_ASAN 1
#endif

#ifdef FC_ASAN
#include <sanitizer/asan_interface.h>
#define FC_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define FC_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define FC_POISON(p, n) ((void)(p), (void)(n))
#define FC_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#endif
