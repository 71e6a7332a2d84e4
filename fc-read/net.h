/* \summary: the sockets the network sources share: listening, connecting, naming peers */
#ifndef FC_READ_NET_H
#define FC_READ_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* A socket bound to `port` on every address (IPv6 and IPv4 where the host has IPv6),
 * listening when type is SOCK_STREAM; -1 after saying why, naming `what`. */
int net_bind_any(int type, uint16_t port, const char *what);

/* Connects to host:port, giving up when input is to end; -1 with *why set. */
int net_connect(const char *host, uint16_t port, const char **why);

/* "IP:PORT" (IPv6 as [IP]:PORT) of an address, for messages and source names. */
void net_peer_name(const struct sockaddr_storage *addr, char *out, size_t cap);

/* Sleeps `seconds`, waking early when input is to end; false then. */
bool net_wait(unsigned seconds);

#endif
