/* \summary: fc-web's watchdog: answers 408 to uploads not received within the time limit */
#include "web.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "monotonic.h"
#include "xalloc.h"

/*
 * libmicrohttpd calls the request handler only when bytes arrive, so a client that sends
 * half a body and waits would never hear from us. The watchdog looks at every request
 * still receiving its body four times a second; one past its deadline gets a complete
 * 408 response written straight to its socket, which is then shut down: the connection
 * thread sees the end, libmicrohttpd closes the connection and calls the completion
 * callback, which kills and reaps the pipeline. The list and each `answered` flag are
 * guarded by one mutex, so the watchdog and the handler never both answer.
 */
#define WATCH_INTERVAL_MS 250

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct watched head = { .prev = &head, .next = &head };
static bool stopping;
static pthread_t thread;


void web_raw_error(int sock_fd, unsigned status, const char *reason, const char *text)
{
    char response[512];
    int n = snprintf(response, sizeof response,
                     "HTTP/1.1 %u %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s",
                     status, reason, strlen(text), text);
    if (n > 0 && (size_t)n < sizeof response)
        (void)!send(sock_fd, response, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
    shutdown(sock_fd, SHUT_RDWR);
}

static void time_out_late_requests(int64_t now)
{
    char text[128];
    for (struct watched *w = head.next; w != &head; w = w->next) {
        if (w->answered || now < w->deadline_ms)
            continue;
        w->answered = true;
        snprintf(text, sizeof text, "the request was not received within the time limit\n");
        web_raw_error(w->sock_fd, 408, "Request Timeout", text);
        if (w->pipeline)
            pipeline_kill(w->pipeline);
    }
}

static void *watch(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    while (!stopping) {
        time_out_late_requests(fc_monotonic_ms());
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WATCH_INTERVAL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&wake, &mu, &until);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

void watchdog_start(void)
{
    int err = pthread_create(&thread, NULL, watch, NULL);
    if (err) {
        fprintf(stderr, "fc-web: cannot start the watchdog thread: %s\n", strerror(err));
        _exit(3);
    }
}

void watchdog_stop(void)
{
    pthread_mutex_lock(&mu);
    stopping = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&mu);
    pthread_join(thread, NULL);
}

void watchdog_add(struct watched *w)
{
    pthread_mutex_lock(&mu);
    w->next = &head;
    w->prev = head.prev;
    head.prev->next = w;
    head.prev = w;
    pthread_mutex_unlock(&mu);
}

void watchdog_remove(struct watched *w)
{
    pthread_mutex_lock(&mu);
    if (w->next) {
        w->prev->next = w->next;
        w->next->prev = w->prev;
        w->next = w->prev = NULL;
    }
    pthread_mutex_unlock(&mu);
}

bool watchdog_claim_answer(struct watched *w)
{
    pthread_mutex_lock(&mu);
    bool mine = !w->answered;
    w->answered = true;
    pthread_mutex_unlock(&mu);
    return mine;
}

bool watchdog_answered(struct watched *w)
{
    pthread_mutex_lock(&mu);
    bool answered = w->answered;
    pthread_mutex_unlock(&mu);
    return answered;
}

static void watch_connection(struct watched *w, const struct web_config *cfg)
{
    watchdog_remove(w);
    if (watchdog_answered(w))   /* under the lock: the watchdog thread sets it */
        return;                 /* timed out already: the connection is closing */
    w->deadline_ms = fc_monotonic_ms() + (int64_t)cfg->time_limit_s * 1000;
    watchdog_add(w);
}

void web_connection_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                           enum MHD_ConnectionNotificationCode code)
{
    struct watched *w = *socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!info)
            return;
        w = fc_xcalloc(1, sizeof *w);
        w->sock_fd = info->connect_fd;
        *socket_context = w;
        watch_connection(w, cls);
    } else if (w) {
        watchdog_remove(w);
        free(w);
        *socket_context = NULL;
    }
}

static struct watched *connection_watch(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

int64_t watchdog_headers_in(struct MHD_Connection *conn)
{
    struct watched *w = connection_watch(conn);
    if (!w)
        return 0;
    watchdog_remove(w);
    return w->deadline_ms;
}

void watchdog_request_done(struct MHD_Connection *conn, const struct web_config *cfg)
{
    struct watched *w = connection_watch(conn);
    if (w)
        watch_connection(w, cfg);
}

static atomic_bool service_stopping;

bool web_stopping(void) { return atomic_load(&service_stopping); }

void watchdog_kill_all(void)
{
    atomic_store(&service_stopping, true);
    pthread_mutex_lock(&mu);
    for (struct watched *w = head.next; w != &head; w = w->next)
        if (w->pipeline && !w->answered)
            pipeline_kill(w->pipeline);
    pthread_mutex_unlock(&mu);
}
