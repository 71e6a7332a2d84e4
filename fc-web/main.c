/* \summary: fc-web: the web service behind `flowcarp --webservice URL`: POST a capture, get its flows */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "web.h"

#define DEFAULT_URL "http://127.0.0.1:57080/"
#define DEFAULT_MAX_BODY (256ull << 20)
#define DEFAULT_TIME_LIMIT_S 60
#define DEFAULT_MAX_REQUESTS 32

static const char usage_text[] =
    "usage: fc-web [--tools DIR] [--model FILE]... [--background FILE]... [--max-body BYTES]\n"
    "              [--time-limit SECONDS]\n"
    "              [--max-requests N] [-v] [--debug] [URL]\n"
    "Serves FlowCarp over HTTP: POST a pcap or pcapng capture (raw body, or multipart/form-data\n"
    "as curl -F sends it) to URL and get its flows and alerts, Eve JSON unless ?format=NAME.\n"
    "Each request runs fc-read - | fc-flow | fc-classify --drop-samples | fc-emit.\n"
    "  URL                    http://IP:PORT/PREFIX/ to listen on; + or * for every address\n"
    "                         (default " DEFAULT_URL ")\n"
    "      --tools DIR        folder holding fc-read ... fc-emit (default: fc-web's own)\n"
    "      --model FILE       also load this protocol model in fc-classify; repeatable\n"
    "      --background FILE  also load this model in fc-classify as a background model;\n"
    "                         repeatable\n"
    "      --max-body BYTES   largest capture taken; larger ones get 413 (default %llu)\n"
    "      --time-limit SECONDS  time to receive a request; slower ones get 408 (default %u)\n"
    "      --max-requests N   connections served at once; more are closed (default %u)\n"
    "  -v, --verbose          log more to stderr\n"
    "      --debug            log debug information\n"
    "  -h, --help             print this help and exit\n"
    "      --version          print the version and exit\n";

enum {
    OPT_TOOLS = 256, OPT_MODEL, OPT_BACKGROUND, OPT_MAX_BODY, OPT_TIME_LIMIT, OPT_MAX_REQUESTS, OPT_DEBUG, OPT_VERSION
};

static const struct option long_options[] = {
    { "tools", required_argument, NULL, OPT_TOOLS },
    { "model", required_argument, NULL, OPT_MODEL },
    { "background", required_argument, NULL, OPT_BACKGROUND },
    { "max-body", required_argument, NULL, OPT_MAX_BODY },
    { "time-limit", required_argument, NULL, OPT_TIME_LIMIT },
    { "max-requests", required_argument, NULL, OPT_MAX_REQUESTS },
    { "verbose", no_argument, NULL, 'v' },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { NULL, 0, NULL, 0 },
};

/* The folder this program was started from: the stage tools are built and installed beside it. */
static const char *own_folder(void)
{
    static char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        fc_die(FC_EXIT_SYSTEM, "cannot tell where fc-web is (%s); name the tools' folder with --tools",
               strerror(errno));
    path[n] = 0;
    char *slash = strrchr(path, '/');
    if (slash)
        *slash = 0;
    return path;
}

static void parse_options(int argc, char **argv, struct web_config *cfg)
{
    static const char *model_args[2 * WEB_MAX_MODELS];
    cfg->model_args = model_args;
    cfg->max_body = DEFAULT_MAX_BODY;
    cfg->time_limit_s = DEFAULT_TIME_LIMIT_S;
    cfg->max_requests = DEFAULT_MAX_REQUESTS;
    int c;
    while ((c = getopt_long(argc, argv, "vh", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_TOOLS: cfg->tools = optarg; break;
        case OPT_MODEL:
        case OPT_BACKGROUND: {
            const char *option = c == OPT_MODEL ? "--model" : "--background";
            if (cfg->n_model_args == 2 * WEB_MAX_MODELS)
                fc_usage_error("%s: at most %d models", option, WEB_MAX_MODELS);
            if (access(optarg, R_OK) != 0)
                fc_die(FC_EXIT_BAD_INPUT, "%s %s: %s", option, optarg, strerror(errno));
            model_args[cfg->n_model_args++] = option;
            model_args[cfg->n_model_args++] = optarg;
            break;
        }
        case OPT_MAX_BODY: cfg->max_body = fc_parse_count(optarg, "max-body", 1, UINT64_MAX / 2); break;
        case OPT_TIME_LIMIT: cfg->time_limit_s = (unsigned)fc_parse_count(optarg, "time-limit", 1, 86400); break;
        case OPT_MAX_REQUESTS: cfg->max_requests = (unsigned)fc_parse_count(optarg, "max-requests", 1, 1000); break;
        case 'v': fc_verbosity = fc_verbosity > 1 ? fc_verbosity : 1; break;
        case OPT_DEBUG: fc_verbosity = 2; break;
        case 'h':
            printf(usage_text, (unsigned long long)DEFAULT_MAX_BODY, DEFAULT_TIME_LIMIT_S, DEFAULT_MAX_REQUESTS);
            exit(FC_EXIT_OK);
        case OPT_VERSION: printf("fc-web %s\n", FC_VERSION); exit(FC_EXIT_OK);
        default: fc_usage_error("unknown option");
        }
    }
    const char *url = DEFAULT_URL, *why;
    if (optind < argc)
        url = argv[optind++];
    if (optind < argc)
        fc_usage_error("unexpected argument '%s'; fc-web serves one URL", argv[optind]);
    if (!web_url_parse(url, cfg, &why))
        fc_usage_error("%s: %s", url, why);
    if (!cfg->tools)
        cfg->tools = own_folder();
    for (int i = 0; i < WEB_STAGES; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", cfg->tools, web_stage_names[i]);
        if (access(path, X_OK) != 0)
            fc_die(FC_EXIT_SYSTEM, "cannot run %s (%s); name the tools' folder with --tools", path, strerror(errno));
    }
}

static struct MHD_Daemon *start_daemon(struct web_config *cfg)
{
    /* ITC: MHD_quiesce_daemon (stop accepting, first thing on SIGTERM) needs it in this mode. */
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC;
    const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&cfg->addr;
    if (cfg->addr.ss_family == AF_INET6)   /* every address (+, *) means IPv4 as well */
        flags |= IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr) ? MHD_USE_DUAL_STACK : MHD_USE_IPv6;
    if (fc_verbosity)
        flags |= MHD_USE_ERROR_LOG;
    uint16_t port = ntohs(((struct sockaddr_in *)&cfg->addr)->sin_port);
    /* libmicrohttpd's own idle timeout only backs up the watchdog, which answers 408 first. */
    return MHD_start_daemon(flags, port, NULL, NULL, web_handle, cfg,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&cfg->addr,
                            MHD_OPTION_NOTIFY_COMPLETED, web_request_completed, cfg,
                            MHD_OPTION_NOTIFY_CONNECTION, web_connection_notify, cfg,
                            MHD_OPTION_CONNECTION_LIMIT, cfg->max_requests,
                            MHD_OPTION_CONNECTION_TIMEOUT, cfg->time_limit_s + 5,
                            MHD_OPTION_END);
}

int main(int argc, char **argv)
{
    fc_log_init(argv[0]);
    static struct web_config cfg;
    parse_options(argc, argv, &cfg);

    /* Every thread libmicrohttpd starts inherits this mask: the stop signals come to sigwait. */
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stops, NULL);
    signal(SIGPIPE, SIG_IGN);   /* a client or fc-read that went away is an error return, not a death */

    watchdog_start();
    struct MHD_Daemon *daemon = start_daemon(&cfg);
    if (!daemon)
        fc_die(FC_EXIT_SYSTEM, "%s: cannot listen: %s", cfg.url, strerror(errno));
    fc_warn("serving %s (tools in %s)", cfg.url, cfg.tools);

    int sig = 0;
    while (sigwait(&stops, &sig) == 0 && sig == SIGHUP)
        ;   /* nothing to reopen */
    fc_info("%s: stopping", strsignal(sig));
    MHD_quiesce_daemon(daemon);
    watchdog_kill_all();
    MHD_stop_daemon(daemon);
    watchdog_stop();
    return FC_EXIT_OK;
}
