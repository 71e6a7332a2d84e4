/* \summary: fc-web's listening URL: http://IP:PORT/PREFIX/, with + or * for every address */
#include "web.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/*
 * As on the product page: http://127.0.0.1:57080/ listens on loopback only, http://+:57080/
 * on every address (a host of * too); localhost means 127.0.0.1. Names are not looked
 * up: a service should not bind where a resolver happens to point. The path after the
 * port is the prefix requests must start with; "/" when there is none.
 */
static bool parse_port(const char *s, size_t n, uint16_t *port)
{
    unsigned v = 0;
    if (n == 0 || n > 5)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v < 1 || v > 65535)
        return false;
    *port = (uint16_t)v;
    return true;
}

static bool set_address(struct web_config *cfg, const char *host, uint16_t port)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)&cfg->addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&cfg->addr;
    memset(&cfg->addr, 0, sizeof cfg->addr);
    if (strcmp(host, "+") == 0 || strcmp(host, "*") == 0) {
        v6->sin6_family = AF_INET6;     /* with IPv4 too (dual stack) */
        v6->sin6_addr = in6addr_any;
        v6->sin6_port = htons(port);
        cfg->addr_len = sizeof *v6;
        return true;
    }
    if (strcmp(host, "localhost") == 0)
        host = "127.0.0.1";
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        cfg->addr_len = sizeof *v4;
        return true;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        cfg->addr_len = sizeof *v6;
        return true;
    }
    return false;
}

bool web_url_parse(const char *url, struct web_config *cfg, const char **why)
{
    static const char scheme[] = "http://";
    if (strncmp(url, scheme, sizeof scheme - 1) != 0) {
        *why = strncmp(url, "https://", 8) == 0 ? "https is not served; put a TLS proxy in front"
                                                : "expected http://IP:PORT/";
        return false;
    }
    if (strlen(url) >= sizeof cfg->url) {
        *why = "too long";
        return false;
    }
    snprintf(cfg->url, sizeof cfg->url, "%s", url);
    const char *host = url + sizeof scheme - 1, *host_end, *port;
    if (*host == '[') {
        host_end = strchr(host, ']');
        if (!host_end || host_end[1] != ':') {
            *why = "expected http://[IPv6]:PORT/";
            return false;
        }
        port = host_end + 2;
        host++;
    } else {
        host_end = strchr(host, ':');
        if (!host_end) {
            *why = "the port is missing: expected http://IP:PORT/";
            return false;
        }
        port = host_end + 1;
    }
    char host_text[INET6_ADDRSTRLEN];
    if ((size_t)(host_end - host) >= sizeof host_text || host_end == host) {
        *why = "expected an IP address, + or * before the port";
        return false;
    }
    memcpy(host_text, host, (size_t)(host_end - host));
    host_text[host_end - host] = 0;
    const char *path = strchr(port, '/');
    size_t port_len = path ? (size_t)(path - port) : strlen(port);
    uint16_t port_number;
    if (!parse_port(port, port_len, &port_number)) {
        *why = "the port must be a number from 1 to 65535";
        return false;
    }
    if (!set_address(cfg, host_text, port_number)) {
        *why = "the host must be a numeric IPv4 or IPv6 address, localhost, + or *";
        return false;
    }
    if (!path || !*path)
        path = "/";
    size_t n = strlen(path);
    if (strpbrk(path, "?#")) {
        *why = "the path prefix may not hold a query or fragment";
        return false;
    }
    snprintf(cfg->prefix, sizeof cfg->prefix, "%s%s", path, path[n - 1] == '/' ? "" : "/");
    return true;
}
