/* \summary: fc-web's requests: a POSTed capture streamed into its pipeline, the flows or an error back */
#include "web.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "monotonic.h"
#include "xalloc.h"

/*
 * A request's life: the first call (headers only) checks path, method, format and
 * Content-Length, starts the pipeline and the watchdog's clock; each later call with
 * bytes writes them into fc-read (for multipart, libmicrohttpd's post processor hands
 * over the first part's bytes); the call after the last byte waits for the pipeline and
 * answers. Whoever answers first (this thread or the watchdog) claims the request, so a
 * request is answered once. The completion callback kills and reaps what still runs.
 */
#define POST_BUFFER (64u << 10)
#define MESSAGE_MAX 2048

struct web_request {
    struct watched watch;
    struct pipeline pipeline;
    struct MHD_PostProcessor *post;     /* multipart bodies only */
    char part_key[128];                 /* the multipart field taken as the capture */
    uint64_t body_bytes;
    unsigned char magic[4];             /* the capture's first bytes */
    size_t magic_len;
    uint64_t capture_bytes;             /* of the capture, fed to fc-read */
    char format[40];
};

/* What libpcap reads: pcap (microseconds, nanoseconds, either byte order) and pcapng. */
static const uint32_t capture_magics[] = {
    0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0xa1b2cd34, 0x34cdb2a1, 0x0a0d0d0a,
};

/* Whether the body begins with a whole capture file header (pcap's 24 bytes, or the 28 of
 * a pcapng section header block): a capture, though perhaps damaged further on (200 with a
 * warning); anything shorter is not one (400). */
static bool looks_like_capture(const struct web_request *r)
{
    if (r->magic_len < 4)
        return false;
    uint32_t m = (uint32_t)r->magic[0] << 24 | (uint32_t)r->magic[1] << 16 | (uint32_t)r->magic[2] << 8 | r->magic[3];
    for (size_t i = 0; i < sizeof capture_magics / sizeof capture_magics[0]; i++)
        if (m == capture_magics[i])
            return r->capture_bytes >= (m == 0x0a0d0d0a ? 28u : 24u);
    return false;
}

/* The Content-Type of each format's output; JSON lines for the rest. */
static const struct {
    const char *format, *content_type;
} content_types[] = {
    { "csv", "text/csv; charset=utf-8" },
    { "tsv", "text/tab-separated-values; charset=utf-8" },
};

static const char *content_type_of(const char *format)
{
    for (size_t i = 0; i < sizeof content_types / sizeof content_types[0]; i++)
        if (strcasecmp(format, content_types[i].format) == 0)
            return content_types[i].content_type;
    return "application/x-ndjson; charset=utf-8";
}

enum MHD_Result web_answer_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void feed_capture(struct web_request *r, const char *data, size_t n)
{
    for (size_t i = 0; i < n && r->magic_len < sizeof r->magic; i++)
        r->magic[r->magic_len++] = (unsigned char)data[i];
    r->capture_bytes += n;
    pipeline_write(&r->pipeline, data, n);   /* when fc-read gave up, the rest is dropped; it said why */
}

/* libmicrohttpd's multipart parser: the first field is the capture, others are ignored. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *content_type, const char *transfer_encoding, const char *data,
                               uint64_t off, size_t size)
{
    (void)kind, (void)filename, (void)content_type, (void)transfer_encoding, (void)off;
    struct web_request *r = cls;
    if (!r->part_key[0])
        snprintf(r->part_key, sizeof r->part_key, "%s", key && *key ? key : "?");
    if (strcmp(r->part_key, key && *key ? key : "?") == 0 && size)
        feed_capture(r, data, size);
    return MHD_YES;
}

static bool format_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof((struct web_request *)0)->format)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]))
            return false;
    return true;
}

static bool path_is_prefix(const char *url, const char *prefix)
{
    size_t n = strlen(prefix);
    return strcmp(url, prefix) == 0 || (n > 1 && strncmp(url, prefix, n - 1) == 0 && url[n - 1] == 0);
}

/* The first call: headers are in, no body yet. */
static enum MHD_Result begin_request(struct MHD_Connection *conn, const struct web_config *cfg, const char *url,
                                     const char *method, void **con_cls)
{
    if (!path_is_prefix(url, cfg->prefix))
        return web_answer_text(conn, MHD_HTTP_NOT_FOUND, "not found: POST captures to the service's prefix\n");
    if (strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0)
        return web_usage_page(conn, cfg);
    if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
        return web_answer_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET (this usage) and POST (a capture)\n");
    const char *format = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "format");
    if (!format)
        format = "EveJson";
    if (!format_name_ok(format))
        return web_answer_text(conn, MHD_HTTP_BAD_REQUEST, "format: expected a format name such as EveJson\n");
    const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length && strtoull(length, NULL, 10) > cfg->max_body) {
        char text[128];
        snprintf(text, sizeof text, "the capture is larger than this service takes (%llu bytes)\n",
                 (unsigned long long)cfg->max_body);
        return web_answer_text(conn, MHD_HTTP_CONTENT_TOO_LARGE, text);
    }

    struct web_request *r = fc_xcalloc(1, sizeof *r);
    snprintf(r->format, sizeof r->format, "%s", format);
    char why[256];
    if (!pipeline_start(&r->pipeline, cfg, r->format, why, sizeof why)) {
        fc_warn("%s", why);
        free(r);
        return web_answer_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "the pipeline could not be started\n");
    }
    const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (type && strncasecmp(type, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
                            strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)) == 0) {
        r->post = MHD_create_post_processor(conn, POST_BUFFER, on_part, r);
        if (!r->post) {
            pipeline_discard(&r->pipeline);
            free(r);
            return web_answer_text(conn, MHD_HTTP_BAD_REQUEST, "multipart/form-data without a boundary\n");
        }
    }
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    r->watch.sock_fd = info ? info->connect_fd : -1;
    int64_t deadline = watchdog_headers_in(conn);   /* the time limit counts from the connection's watch */
    r->watch.deadline_ms = deadline ? deadline : fc_monotonic_ms() + (int64_t)cfg->time_limit_s * 1000;
    r->watch.pipeline = &r->pipeline;
    watchdog_add(&r->watch);
    *con_cls = r;
    return MHD_YES;
}

/* An error while the body still comes: answered straight on the socket, then closed. */
static enum MHD_Result refuse_upload(struct web_request *r, unsigned status, const char *reason, const char *text)
{
    if (watchdog_claim_answer(&r->watch)) {
        pipeline_kill(&r->pipeline);
        web_raw_error(r->watch.sock_fd, status, reason, text);
    }
    return MHD_NO;
}

static enum MHD_Result take_body(struct web_request *r, const struct web_config *cfg, const char *data, size_t n)
{
    if (watchdog_answered(&r->watch))
        return MHD_NO;   /* the watchdog answered 408 */
    if (fc_monotonic_ms() > r->watch.deadline_ms)
        return refuse_upload(r, 408, "Request Timeout", "the request was not received within the time limit\n");
    r->body_bytes += n;
    if (r->body_bytes > cfg->max_body)
        return refuse_upload(r, 413, "Content Too Large", "the capture is larger than this service takes\n");
    if (r->post) {
        if (MHD_post_process(r->post, data, n) != MHD_YES)
            return refuse_upload(r, 400, "Bad Request", "malformed multipart/form-data body\n");
    } else {
        feed_capture(r, data, n);
    }
    return MHD_YES;
}

/* One line of text fit for an HTTP header: control bytes become spaces. */
static void header_safe(char *s)
{
    char *nl = strchr(s, '\n');
    if (nl)
        *nl = 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = ' ';
}

static enum MHD_Result answer_flows(struct MHD_Connection *conn, struct web_request *r, const char *warning)
{
    struct stat st;
    if (fstat(r->pipeline.out_fd, &st) != 0)
        return web_answer_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "the flows were lost\n");
    struct MHD_Response *resp = MHD_create_response_from_fd((size_t)st.st_size, r->pipeline.out_fd);
    if (!resp)
        return MHD_NO;
    r->pipeline.out_fd = -1;   /* the response closes it */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type_of(r->format));
    /* One capture per connection: an idle keep-alive connection would hold a thread and a slot. */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    if (warning)
        MHD_add_response_header(resp, "X-FlowCarp-Warning", warning);
    enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}

/*
 * After the last byte: fc-emit refusing its options (a bad ?format=) is the client's
 * mistake, 400 with fc-emit's words; fc-read failing on a body that does not even start
 * like a capture is 400 with fc-read's words; fc-read failing later (damage in the
 * middle) still answers the flows before the damage, with fc-read's words in a header;
 * any other failure is ours, 500.
 */
static enum MHD_Result finish_request(struct MHD_Connection *conn, struct web_request *r)
{
    if (!watchdog_claim_answer(&r->watch))
        return MHD_NO;
    if (r->post) {
        bool complete = MHD_destroy_post_processor(r->post) == MHD_YES;
        r->post = NULL;
        if (!complete || !r->part_key[0]) {
            pipeline_kill(&r->pipeline);
            return web_answer_text(conn, MHD_HTTP_BAD_REQUEST,
                                   complete ? "the multipart/form-data body holds no part\n"
                                            : "malformed multipart/form-data body\n");
        }
    }
    pipeline_finish(&r->pipeline);
    char message[MESSAGE_MAX];
    int read_status = pipeline_exit_status(&r->pipeline, STAGE_READ);
    if (pipeline_exit_status(&r->pipeline, STAGE_EMIT) == FC_EXIT_USAGE) {
        pipeline_read_text(r->pipeline.stages_err_fd, message, sizeof message);
        return web_answer_text(conn, MHD_HTTP_BAD_REQUEST, message);
    }
    if (read_status != 0 && !looks_like_capture(r)) {
        pipeline_read_text(r->pipeline.read_err_fd, message, sizeof message);
        return web_answer_text(conn, MHD_HTTP_BAD_REQUEST, message);
    }
    for (int i = read_status == FC_EXIT_BAD_INPUT ? STAGE_FLOW : STAGE_READ; i < WEB_STAGES; i++) {
        int status = pipeline_exit_status(&r->pipeline, i);
        if (status == 0)
            continue;
        pipeline_read_text(i == STAGE_READ ? r->pipeline.read_err_fd : r->pipeline.stages_err_fd, message, sizeof message);
        fc_warn("%s failed with exit status %d: %s", web_stage_names[i], status, message);
        return web_answer_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "the pipeline failed; the server's log says why\n");
    }
    if (read_status == FC_EXIT_BAD_INPUT) {
        pipeline_read_text(r->pipeline.read_err_fd, message, sizeof message);
        header_safe(message);
        return answer_flows(conn, r, message);
    }
    return answer_flows(conn, r, NULL);
}

enum MHD_Result web_handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    (void)version;
    const struct web_config *cfg = cls;
    struct web_request *r = *con_cls;
    if (!r)
        return begin_request(conn, cfg, url, method, con_cls);
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        return take_body(r, cfg, upload_data, n);
    }
    return finish_request(conn, r);
}

void web_request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                           enum MHD_RequestTerminationCode toe)
{
    watchdog_request_done(conn, cls);   /* a keep-alive connection's next request is watched too */
    struct web_request *r = *con_cls;
    if (!r)
        return;
    *con_cls = NULL;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        fc_info("a request ended early (libmicrohttpd termination code %d)", (int)toe);
    watchdog_remove(&r->watch);
    if (r->post)
        MHD_destroy_post_processor(r->post);
    pipeline_discard(&r->pipeline);
    free(r);
}
