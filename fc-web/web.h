/* \summary: fc-web's table of contents: the web service that turns an uploaded capture into flows */
#ifndef FC_WEB_H
#define FC_WEB_H

#define WEB_MAX_MODELS 64                /* --model and --background files */

/*
 * fc-web serves `flowcarp --webservice URL`: a POST of a pcap or pcapng capture (the raw
 * body, or the first part of a multipart/form-data body as `curl -F file=@x.pcap` sends
 * it) is answered with its flows and alerts, by default as Eve JSON. Each request runs
 * the real pipeline as child processes,
 *
 *     fc-read - | fc-flow | fc-classify --drop-samples | fc-emit --format F
 *
 * writing the body into fc-read's stdin chunk by chunk as libmicrohttpd hands it over
 * (never the whole body in memory). fc-emit writes into an unlinked temporary file, so
 * the pipeline never waits for the client and the client never waits inside the
 * pipeline; once every stage has ended, the answer is that file (sent with sendfile) or
 * an error: 400 with fc-read's own message for a body that is not a capture, 413 for a
 * body over the size limit, 408 for a request not received within the time limit.
 *
 * libmicrohttpd runs one thread per connection (each blocks writing into its pipeline,
 * which throttles that upload only); the watchdog thread (watchdog.c) answers 408 for
 * uploads that stall. Children are spawned with posix_spawn from these threads, every
 * descriptor we hold is close-on-exec, and every child is waited for, by its request.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <microhttpd.h>

enum web_stage { STAGE_READ, STAGE_FLOW, STAGE_CLASSIFY, STAGE_EMIT, WEB_STAGES };

struct web_config {
    struct sockaddr_storage addr;        /* where to listen */
    socklen_t addr_len;
    char prefix[256];                    /* URL path prefix, starts and ends with '/' */
    char url[300];                       /* as given, for messages */
    const char *tools;                   /* folder of fc-read ... fc-emit */
    const char **model_args;             /* fc-classify's model options in pairs: "--model" or
                                            "--background", then the FILE; at most
                                            2 * WEB_MAX_MODELS */
    size_t n_model_args;
    uint64_t max_body;                   /* bytes; larger bodies get 413 */
    unsigned time_limit_s;               /* to receive a request; slower ones get 408 */
    unsigned max_requests;               /* connections at once */
};

/* listen_url.c: "http://127.0.0.1:57080/", "http://+:57080/", "http://[::1]:8080/x/" */
bool web_url_parse(const char *url, struct web_config *cfg, const char **why);

/* pipeline.c: the five stages of one request */
struct pipeline {
    pid_t pids[WEB_STAGES];
    int status[WEB_STAGES];              /* wait status once reaped */
    bool reaped[WEB_STAGES];
    int body_fd;                         /* fc-read's stdin; -1 once closed */
    int out_fd;                          /* fc-emit's output (unlinked temporary file) */
    int read_err_fd;                     /* fc-read's stderr (temporary file) */
    int stages_err_fd;                   /* the other stages' stderr (temporary file) */
};
extern const char *const web_stage_names[WEB_STAGES];
/* Starts the stages; false (with a message in why) when it cannot. */
bool pipeline_start(struct pipeline *p, const struct web_config *cfg, const char *format, char *why, size_t why_size);
/* Writes body bytes to fc-read; false once fc-read stopped reading (the rest is discarded). */
bool pipeline_write(struct pipeline *p, const void *data, size_t n);
/* Ends fc-read's input and waits for every stage (killing them if the service stops). */
void pipeline_finish(struct pipeline *p);
/* Sends SIGKILL to the stages not yet reaped; safe from another thread. */
void pipeline_kill(struct pipeline *p);
/* Kills what still runs (SIGKILL), waits for it, closes every descriptor. Idempotent. */
void pipeline_discard(struct pipeline *p);
/* The exit status of stage i (128 + signal when killed). */
int pipeline_exit_status(const struct pipeline *p, int i);
/* Up to size-1 bytes of a temporary file's text, NUL-terminated. */
void pipeline_read_text(int fd, char *buf, size_t size);

/* request.c: the handler libmicrohttpd calls, and its completion callback */
enum MHD_Result web_handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                           const char *version, const char *upload_data, size_t *upload_data_size,
                           void **con_cls);
void web_request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                           enum MHD_RequestTerminationCode toe);
/* Answers with a small text page and the given status. */
enum MHD_Result web_answer_text(struct MHD_Connection *conn, unsigned status, const char *text);
/* usage_page.c: the page GET on the prefix returns */
enum MHD_Result web_usage_page(struct MHD_Connection *conn, const struct web_config *cfg);

/* watchdog.c: requests still receiving their body, and the 408 for the ones too slow */
struct watched {
    struct watched *prev, *next;
    int64_t deadline_ms;                 /* monotonic */
    int sock_fd;
    bool answered;                       /* a response (or a raw error) went out */
    struct pipeline *pipeline;           /* killed on timeout */
};
void watchdog_start(void);
void watchdog_stop(void);
void watchdog_add(struct watched *w);
void watchdog_remove(struct watched *w);
/* Claims the right to answer (false when the watchdog already did). */
bool watchdog_claim_answer(struct watched *w);
/* True once someone answered. */
bool watchdog_answered(struct watched *w);
/*
 * A connection's own watch, from its first byte until its request's headers are in, and again
 * from the end of each request until the next one's are (keep-alive): libmicrohttpd calls no
 * handler before the headers are whole, and its own timeout counts only idleness, so a client
 * sending its headers a byte at a time would hold a connection for ever. The
 * MHD_OPTION_NOTIFY_CONNECTION callback (cls: the web_config) makes and frees it.
 */
void web_connection_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                           enum MHD_ConnectionNotificationCode code);
/* The request's headers are in: its own watch takes over from the connection's. Returns the
 * connection's deadline, which the request keeps (0 when the connection has no watch). */
int64_t watchdog_headers_in(struct MHD_Connection *conn);
/* A request ended: the connection's watch runs again until the next request's headers. */
void watchdog_request_done(struct MHD_Connection *conn, const struct web_config *cfg);
/* Writes a complete minimal HTTP error response straight to the socket and shuts it. */
void web_raw_error(int sock_fd, unsigned status, const char *reason, const char *text);
/* On SIGINT/SIGTERM: kills the pipelines of uploads not yet answered, so their threads end;
 * requests past their upload see web_stopping() and kill their own. */
void watchdog_kill_all(void);
bool web_stopping(void);

#endif
