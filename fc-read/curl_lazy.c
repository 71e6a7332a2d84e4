/* \summary: libcurl, opened only when an http:// or https:// source is given */
#include "curl_lazy.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

struct curl_api curl_api;

static bool opened;

/* Debian's libcurl4 first (what fc-read is built against), then the GnuTLS build many
 * systems have for git and apt. */
static const char *const library_names[] = { "libcurl.so.4", "libcurl-gnutls.so.4" };

/* The functions of struct curl_api, one list for the table dlsym fills and the type checks. */
#define CURL_FUNCTIONS(X)                                                                   \
    X(global_init) X(global_cleanup) X(easy_init) X(easy_setopt) X(easy_getinfo) X(easy_pause) \
    X(easy_strerror) X(easy_cleanup) X(multi_init) X(multi_add_handle) X(multi_remove_handle) \
    X(multi_perform) X(multi_poll) X(multi_info_read) X(multi_cleanup)

#define CURL_FN(field) { "curl_" #field, offsetof(struct curl_api, field) },
static const struct {
    const char *symbol;
    size_t offset;
} functions[] = { CURL_FUNCTIONS(CURL_FN) };
/* every pointer of struct curl_api is in the list (one left out would stay NULL) */
_Static_assert(sizeof functions / sizeof *functions * sizeof(void (*)(void)) == sizeof(struct curl_api),
               "CURL_FUNCTIONS does not list every member of struct curl_api");

/* Each pointer has its function's very type (curl/curl.h's declarations): a call through a
 * pointer of another type would be undefined. */
#define SAME_TYPE(field)                                                                                   \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&curl_##field), __typeof__(curl_api.field)), \
                   "curl_api." #field " is not of curl_" #field "'s type");
CURL_FUNCTIONS(SAME_TYPE)

void curl_lazy_open(const char *source)
{
    if (opened)
        return;
    void *library = NULL;
    char why[512] = ""; /* the first name's reason: the one worth reading when none opens */
    for (size_t i = 0; i < sizeof library_names / sizeof *library_names && !library; i++) {
        library = dlopen(library_names[i], RTLD_NOW | RTLD_LOCAL);
        const char *error = library ? NULL : dlerror();
        if (error && !why[0])
            snprintf(why, sizeof why, "%s", error);
    }
    if (!library)
        fc_die(FC_EXIT_SYSTEM, "%s: http:// and https:// sources need libcurl (Debian: libcurl4): %s", source,
               why);
    for (size_t i = 0; i < sizeof functions / sizeof *functions; i++) {
        void *fn = dlsym(library, functions[i].symbol);
        if (!fn)
            fc_die(FC_EXIT_SYSTEM, "%s: libcurl lacks %s (version 7.66 or later is needed)", source,
                   functions[i].symbol);
        /* POSIX: a function's address converts to and from void * */
        memcpy((char *)&curl_api + functions[i].offset, &fn, sizeof fn);
    }
    CURLcode started = curl_api.global_init(CURL_GLOBAL_DEFAULT);
    if (started != CURLE_OK)
        fc_die(FC_EXIT_SYSTEM, "%s: libcurl did not start: %s", source, curl_api.easy_strerror(started));
    opened = true;
}

void curl_lazy_close(void)
{
    if (opened)
        curl_api.global_cleanup();
    opened = false;
}
