/* \summary: http:// and https:// sources: a capture downloaded and read as it streams in */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "curl_lazy.h"
#include "input_stop.h"
#include "log.h"
#include "sources.h"
#include "xalloc.h"

/*
 * libcurl (multi interface) is driven from inside the FILE libpcap reads: a read runs
 * the transfer until some body bytes have arrived, so the capture is read as it
 * streams in and never held whole. At most DOWNLOAD_BUFFER bytes wait in memory; when
 * they do, the transfer is paused until libpcap has taken them. An HTTP status of 400
 * or more fails the transfer (CURLOPT_FAILONERROR), and the message names the status.
 */

#define DOWNLOAD_BUFFER (1u << 20)
#define CONNECT_TIMEOUT_S 30L
#define STALL_TIMEOUT_S 60L     /* a transfer slower than 1 byte/s this long is given up */
#define MAX_REDIRECTS 20L       /* as browsers follow */

struct download {
    const char *url;
    CURL *easy;
    CURLM *multi;
    uint8_t *buf;
    size_t start, end;       /* unread bytes are buf[start, end) */
    bool paused, done;
    CURLcode result;
    char error[CURL_ERROR_SIZE];
};

static bool parse_url(const char *rest, struct source_arg *out)
{
    if (!rest[0]) {
        fc_warn("%s: no address after the scheme", out->arg);
        return false;
    }
    curl_lazy_open(out->arg);
    return true;
}

static size_t on_body(char *data, size_t size, size_t count, void *arg)
{
    struct download *d = arg;
    size_t n = size * count;
    if (d->start == d->end)
        d->start = d->end = 0;
    if (DOWNLOAD_BUFFER - d->end < n) {
        memmove(d->buf, d->buf + d->start, d->end - d->start);
        d->end -= d->start;
        d->start = 0;
    }
    if (DOWNLOAD_BUFFER - d->end < n) {
        d->paused = true;
        return CURL_WRITEFUNC_PAUSE;
    }
    memcpy(d->buf + d->end, data, n);
    d->end += n;
    return n;
}

/* Runs the transfer a little: until bytes arrive, it ends, or INPUT_POLL_MS pass. */
static void run_transfer(struct download *d)
{
    if (d->paused) {
        d->paused = false;
        curl_api.easy_pause(d->easy, CURLPAUSE_CONT);
    }
    int running = 0;
    curl_api.multi_perform(d->multi, &running);
    if (!running) {
        int left;
        CURLMsg *msg;
        while ((msg = curl_api.multi_info_read(d->multi, &left)) != NULL)
            if (msg->msg == CURLMSG_DONE)
                d->result = msg->data.result;
        d->done = true;
        return;
    }
    if (d->start == d->end)
        curl_api.multi_poll(d->multi, NULL, 0, 200, NULL);
}

static ssize_t download_read(void *cookie, char *out, size_t n)
{
    struct download *d = cookie;
    while (d->start == d->end) {
        if (d->done || input_stop_requested()) {
            if (d->result == CURLE_OK)
                return 0;
            errno = EIO;
            return -1;
        }
        run_transfer(d);
    }
    size_t take = d->end - d->start < n ? d->end - d->start : n;
    memcpy(out, d->buf + d->start, take);
    d->start += take;
    return (ssize_t)take;
}

static int download_close(void *cookie)
{
    (void)cookie; /* the download outlives the FILE: its result is looked at afterwards */
    return 0;
}

static bool download_start(struct download *d, const char *url)
{
    *d = (struct download){ .url = url, .buf = fc_xmalloc(DOWNLOAD_BUFFER) };
    d->easy = curl_api.easy_init();
    d->multi = curl_api.multi_init();
    if (!d->easy || !d->multi)
        return false;
    curl_api.easy_setopt(d->easy, CURLOPT_URL, url);
    curl_api.easy_setopt(d->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_api.easy_setopt(d->easy, CURLOPT_WRITEDATA, d);
    curl_api.easy_setopt(d->easy, CURLOPT_ERRORBUFFER, d->error);
    curl_api.easy_setopt(d->easy, CURLOPT_FAILONERROR, 1L);
    curl_api.easy_setopt(d->easy, CURLOPT_FOLLOWLOCATION, 1L);
    /* a redirect loop ends with libcurl's own clear message; unbounded (libcurl 7's default)
     * it went on until the headers of every hop made "Too large response headers" */
    curl_api.easy_setopt(d->easy, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
    curl_api.easy_setopt(d->easy, CURLOPT_NOSIGNAL, 1L);
    curl_api.easy_setopt(d->easy, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
    curl_api.easy_setopt(d->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_api.easy_setopt(d->easy, CURLOPT_LOW_SPEED_TIME, STALL_TIMEOUT_S);
    curl_api.easy_setopt(d->easy, CURLOPT_USERAGENT, "fc-read/" FC_VERSION);
    curl_api.multi_add_handle(d->multi, d->easy);
    return true;
}

static void download_finish(struct download *d)
{
    if (d->multi && d->easy)
        curl_api.multi_remove_handle(d->multi, d->easy);
    if (d->easy)
        curl_api.easy_cleanup(d->easy);
    if (d->multi)
        curl_api.multi_cleanup(d->multi);
    free(d->buf);
}

/* What went wrong with the transfer, as the user should read it. */
static void report_failure(const struct download *d)
{
    long status = 0;
    curl_api.easy_getinfo(d->easy, CURLINFO_RESPONSE_CODE, &status);
    if (d->result == CURLE_HTTP_RETURNED_ERROR)
        fc_warn("%s: download failed: HTTP status %ld", d->url, status);
    else
        fc_warn("%s: download failed: %s", d->url, d->error[0] ? d->error : curl_api.easy_strerror(d->result));
}

static bool read_url(const struct source_arg *src, struct sink *sink)
{
    struct download d;
    if (!download_start(&d, src->arg)) {
        fc_warn("%s: cannot start a download (libcurl)", src->arg);
        download_finish(&d);
        return false;
    }
    cookie_io_functions_t io = { .read = download_read, .close = download_close };
    FILE *stream = fopencookie(&d, "rb", io);
    if (!stream)
        fc_die(FC_EXIT_SYSTEM, "%s: %s", src->arg, strerror(errno));
    bool ok;
    int first = getc(stream); /* an HTTP error is known before libpcap is asked */
    if (first == EOF && d.result != CURLE_OK) {
        fclose(stream);
        ok = false;
    } else {
        ungetc(first, stream);
        ok = capture_read_stream(sink, stream, src->arg) == CAPTURE_OK;
    }
    if (d.result != CURLE_OK && !input_stop_requested()) {
        report_failure(&d);
        ok = false;
    }
    download_finish(&d);
    return ok;
}

const struct source_kind source_http = { "http://", false, parse_url, read_url };
const struct source_kind source_https = { "https://", false, parse_url, read_url };
