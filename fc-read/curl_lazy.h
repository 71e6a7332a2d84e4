/* \summary: libcurl, opened only when an http:// or https:// source is given */
#ifndef FC_READ_CURL_LAZY_H
#define FC_READ_CURL_LAZY_H

/*
 * libcurl brings some thirty libraries with it (TLS, Kerberos, LDAP, SSH...), and loading
 * and starting them made every run of fc-read cost about 12 ms more of CPU (16.5-26.5 ms
 * against 4.3-6.1 ms for `fc-read --version`, 15 runs each, 29 Nov 2026), though only URI
 * sources use it: fc-web runs a pipeline per request, and the tests run fc-read thousands
 * of times. So fc-read is not linked with it; it is opened with dlopen when the first URI
 * source is parsed (before any thread starts: curl_global_init is not thread-safe
 * everywhere), and the few functions source_http.c needs are called through curl_api.
 */
#include <curl/curl.h>

struct curl_api {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *easy, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *easy, CURLINFO info, ...);
    CURLcode (*easy_pause)(CURL *easy, int bitmask);
    const char *(*easy_strerror)(CURLcode code);
    void (*easy_cleanup)(CURL *easy);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_add_handle)(CURLM *multi, CURL *easy);
    CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *easy);
    CURLMcode (*multi_perform)(CURLM *multi, int *running);
    CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd *extra, unsigned int n_extra, int timeout_ms,
                            int *ready);
    CURLMsg *(*multi_info_read)(CURLM *multi, int *left);
    CURLMcode (*multi_cleanup)(CURLM *multi);
};

/* Filled by curl_lazy_open. */
extern struct curl_api curl_api;

/* Opens and initialises libcurl, once; `source` names the argument that needs it in the
 * message fc-read dies with when libcurl cannot be opened. */
void curl_lazy_open(const char *source);
/* curl_global_cleanup, when libcurl was opened. */
void curl_lazy_close(void);

#endif
