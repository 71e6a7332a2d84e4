/* \summary: protocol names in outputs: IP protocol names, model-name slugs and aliases, signature ids */
#ifndef FC_PROTO_NAMES_H
#define FC_PROTO_NAMES_H

/*
 * FORMATS.md §1 and §2. Suricata's app_proto and Zeek's service only ever hold
 * lower-case names, and filters compare exact strings, so a model name is turned
 * into a slug (njRAT -> njrat) after a small alias table maps names both tools
 * already know (TLS -> tls / ssl). fc-classify's model loading uses the same
 * functions to refuse model sets whose slugs or signature ids collide.
 */
#include <stddef.h>
#include <stdint.h>

/* Longest slug kept; model loading refuses longer model names. */
#define FC_SLUG_MAX 256
/* Room for any IP protocol name, with NUL. */
#define FC_IP_PROTO_NAME_MAX 12

/* Suricata's spelling of an IP protocol ("TCP", "IPv6-ICMP"), or its decimal number. */
const char *fc_ip_proto_name(uint8_t proto, char buf[FC_IP_PROTO_NAME_MAX]);

/* The slug rule: ASCII lower-case, each run of bytes outside [a-z0-9_-] becomes one '-',
 * leading and trailing '-' stripped. Writes at most FC_SLUG_MAX-1 bytes plus NUL. */
void fc_slug(const char *name, size_t len, char out[FC_SLUG_MAX]);
/* Eve app_proto of an identified model: alias table, else the slug. */
void fc_eve_app_proto(const char *name, size_t len, char out[FC_SLUG_MAX]);
/* Zeek service of an identified model for an IP protocol: alias table, else the slug. */
void fc_zeek_service(const char *name, size_t len, uint8_t ip_proto, char out[FC_SLUG_MAX]);
/* Eve signature_id of a slug: 1000000000 + FNV-1a-32(slug) mod 1000000000. */
uint32_t fc_signature_id(const char *slug);

#endif
