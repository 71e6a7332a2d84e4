/* \summary: the address part of tcp: and tcpconnect: targets: PORT, IP:PORT or [IPv6]:PORT, numeric only */
#include "output.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A port is 1 to 65535 in decimal digits, nothing else. */
static bool parse_port(const char *s, uint16_t *port)
{
    unsigned long v = 0;
    if (!*s || strlen(s) > 5)
        return false;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v < 1 || v > 65535)
        return false;
    *port = (uint16_t)v;
    return true;
}

static bool parse_ip(const char *ip, uint16_t port, struct net_address *a)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)&a->sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a->sa;
    memset(&a->sa, 0, sizeof a->sa);
    if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        a->len = sizeof *v4;
        return true;
    }
    if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        a->len = sizeof *v6;
        return true;
    }
    return false;
}

bool net_address_parse(const char *spec, bool ip_required, struct net_address *a, const char **why)
{
    char ip[INET6_ADDRSTRLEN + 2];
    const char *port_text;
    memset(a, 0, sizeof *a);
    if (spec[0] == '[') {                       /* [IPv6]:PORT */
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof ip) {
            *why = "expected [IPv6]:PORT";
            return false;
        }
        memcpy(ip, spec + 1, (size_t)(close - spec - 1));
        ip[close - spec - 1] = 0;
        port_text = close + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (!colon) {
            if (ip_required) {
                *why = "expected IP:PORT";
                return false;
            }
            ip[0] = 0;
            port_text = spec;
        } else if (strchr(spec, ':') != colon || (size_t)(colon - spec) >= sizeof ip) {
            *why = "an IPv6 address goes in brackets: [IPv6]:PORT";
            return false;
        } else {
            memcpy(ip, spec, (size_t)(colon - spec));
            ip[colon - spec] = 0;
            port_text = colon + 1;
        }
    }
    uint16_t port;
    if (!parse_port(port_text, &port)) {
        *why = "the port must be a number from 1 to 65535";
        return false;
    }
    if (!ip[0]) {                               /* every address: IPv6 any, which takes IPv4 too */
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a->sa;
        v6->sin6_family = AF_INET6;
        v6->sin6_addr = in6addr_any;
        v6->sin6_port = htons(port);
        a->len = sizeof *v6;
        a->any = true;
        return true;
    }
    if (!parse_ip(ip, port, a)) {
        *why = "not a numeric IPv4 or IPv6 address";
        return false;
    }
    return true;
}

void net_address_format(const struct sockaddr *sa, char *buf, size_t size)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &v4->sin_addr, ip, sizeof ip);
        port = ntohs(v4->sin_port);
        snprintf(buf, size, "%s:%u", ip, port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)sa;
        port = ntohs(v6->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {   /* an IPv4 client of a dual-stack service */
            inet_ntop(AF_INET, &v6->sin6_addr.s6_addr[12], ip, sizeof ip);
            snprintf(buf, size, "%s:%u", ip, port);
            return;
        }
        inet_ntop(AF_INET6, &v6->sin6_addr, ip, sizeof ip);
        snprintf(buf, size, "[%s]:%u", ip, port);
    } else {
        snprintf(buf, size, "?");
    }
}
