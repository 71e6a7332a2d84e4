/* \summary: the sockets the network sources share: listening, connecting, naming peers */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "input_stop.h"
#include "log.h"

static int bind_family(int family, int type, uint16_t port)
{
    int fd = socket(family, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1, zero = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (family == AF_INET6) {
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero); /* IPv4 too */
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_any;
        a->sin6_port = htons(port);
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_ANY);
        a->sin_port = htons(port);
        len = sizeof *a;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 || (type == SOCK_STREAM && listen(fd, 16) != 0)) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

int net_bind_any(int type, uint16_t port, const char *what)
{
    int fd = bind_family(AF_INET6, type, port);
    if (fd < 0 && (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL))
        fd = bind_family(AF_INET, type, port);
    if (fd < 0)
        fc_warn("%s: cannot listen on port %u: %s", what, port, strerror(errno));
    return fd;
}

/* A non-blocking connect, waited for in short steps so that a stop is not delayed. */
static int connect_one(const struct addrinfo *ai, const char **why)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
        *why = strerror(errno);
        return -1;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
        *why = strerror(errno);
        close(fd);
        return -1;
    }
    for (;;) {
        struct pollfd p = { fd, POLLOUT, 0 };
        int ready = poll(&p, 1, INPUT_POLL_MS);
        if (input_stop_requested()) {
            *why = "input ended";
            close(fd);
            return -1;
        }
        if (ready > 0)
            break;
    }
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) {
        *why = strerror(err);
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

int net_connect(const char *host, uint16_t port, const char **why)
{
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *list;
    int rc = getaddrinfo(host, service, &hints, &list);
    if (rc != 0) {
        *why = gai_strerror(rc);
        return -1;
    }
    int fd = -1;
    for (const struct addrinfo *ai = list; ai && fd < 0; ai = ai->ai_next)
        fd = connect_one(ai, why);
    freeaddrinfo(list);
    return fd;
}

void net_peer_name(const struct sockaddr_storage *addr, char *out, size_t cap)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    if (addr->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)addr;
        if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) /* an IPv4 client of a dual-stack socket */
            inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], ip, sizeof ip);
        else
            inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
        snprintf(out, cap, strchr(ip, ':') ? "[%s]:%u" : "%s:%u", ip, ntohs(a->sin6_port));
    } else {
        const struct sockaddr_in *a = (const struct sockaddr_in *)addr;
        inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
        snprintf(out, cap, "%s:%u", ip, ntohs(a->sin_port));
    }
}

bool net_wait(unsigned seconds)
{
    const struct timespec step = { 0, INPUT_POLL_MS * 1000000L };
    for (unsigned i = 0; i < seconds * (1000 / INPUT_POLL_MS); i++) {
        if (input_stop_requested())
            return false;
        nanosleep(&step, NULL);
    }
    return !input_stop_requested();
}
