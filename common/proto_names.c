/* \summary: protocol names in outputs: IP protocol names, model-name slugs and aliases, signature ids */
#include "proto_names.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct ip_proto_name {
    uint8_t number;
    const char *name;
} ip_proto_names[] = {
    { 1, "ICMP" }, { 2, "IGMP" }, { 6, "TCP" }, { 17, "UDP" }, { 41, "IPv6" }, { 46, "RSVP" },
    { 47, "GRE" }, { 50, "ESP" }, { 51, "AH" }, { 58, "IPv6-ICMP" }, { 89, "OSPF" }, { 103, "PIM" },
    { 112, "VRRP" }, { 115, "L2TP" }, { 132, "SCTP" }, { 136, "UDPLite" },
};

const char *fc_ip_proto_name(uint8_t proto, char buf[FC_IP_PROTO_NAME_MAX])
{
    for (size_t i = 0; i < sizeof ip_proto_names / sizeof ip_proto_names[0]; i++)
        if (ip_proto_names[i].number == proto)
            return ip_proto_names[i].name;
    snprintf(buf, FC_IP_PROTO_NAME_MAX, "%u", proto);
    return buf;
}

/* Model names Suricata and Zeek already know under their own spelling. */
static const struct proto_alias {
    const char *names[2];       /* matched case-insensitively */
    const char *eve;            /* Eve app_proto */
    const char *zeek_udp;       /* Zeek service over UDP (and anything but TCP) */
    const char *zeek_tcp;       /* Zeek service over TCP */
} proto_aliases[] = {
    { { "TLS", "SSL" }, "tls", "ssl", "ssl" },
    { { "Kerberos", "KRB5" }, "krb5", "krb", "krb_tcp" },
    { { "PostgreSQL", "PGSQL" }, "pgsql", "postgresql", "postgresql" },
    { { "DCE-RPC", "DCERPC" }, "dcerpc", "dce_rpc", "dce_rpc" },
    { { "SMB", "SMB2" }, "smb", "smb", "smb" },
};

static const struct proto_alias *find_alias(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof proto_aliases / sizeof proto_aliases[0]; i++)
        for (size_t k = 0; k < 2; k++) {
            const char *a = proto_aliases[i].names[k];
            if (strlen(a) == len && strncasecmp(a, name, len) == 0)
                return &proto_aliases[i];
        }
    return NULL;
}

static bool slug_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

void fc_slug(const char *name, size_t len, char out[FC_SLUG_MAX])
{
    size_t n = 0;
    bool in_run = false;
    for (size_t i = 0; i < len && n < FC_SLUG_MAX - 1; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (slug_byte(c)) {
            out[n++] = (char)c;
            in_run = false;
        } else if (!in_run) {
            out[n++] = '-';
            in_run = true;
        }
    }
    size_t start = 0;
    while (start < n && out[start] == '-')
        start++;
    while (n > start && out[n - 1] == '-')
        n--;
    memmove(out, out + start, n - start);
    out[n - start] = 0;
}

static void copy_name(const char *s, char out[FC_SLUG_MAX])
{
    snprintf(out, FC_SLUG_MAX, "%s", s);
}

void fc_eve_app_proto(const char *name, size_t len, char out[FC_SLUG_MAX])
{
    const struct proto_alias *a = find_alias(name, len);
    if (a)
        copy_name(a->eve, out);
    else
        fc_slug(name, len, out);
}

void fc_zeek_service(const char *name, size_t len, uint8_t ip_proto, char out[FC_SLUG_MAX])
{
    const struct proto_alias *a = find_alias(name, len);
    if (a)
        copy_name(ip_proto == 6 ? a->zeek_tcp : a->zeek_udp, out);
    else
        fc_slug(name, len, out);
}

uint32_t fc_signature_id(const char *slug)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)slug; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return 1000000000u + h % 1000000000u;
}
