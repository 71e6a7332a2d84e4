/* Signal flags for an orderly stop and for reopening outputs; see stop_signal.h. */
#include "stop_signal.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t hangup_seen;

static void on_stop(int sig) { stop_signal = sig; }
static void on_hangup(int sig) { (void)sig; hangup_seen = 1; }

static void install(int sig, void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;    /* no SA_RESTART: blocking calls return EINTR so the flag is seen */
    sigaction(sig, &sa, NULL);
}

void fc_stop_signals_install(void)
{
    install(SIGINT, on_stop);
    install(SIGTERM, on_stop);
    install(SIGHUP, on_hangup);
}

int fc_stop_requested(void) { return stop_signal; }

int fc_hangup_take(void)
{
    if (!hangup_seen)
        return 0;
    hangup_seen = 0;
    return 1;
}
