/* Signal flags for an orderly stop and for reopening outputs; see stop_signal.h. */
#include "stop_signal.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>

/* Lock-free atomics rather than volatile sig_atomic_t: threads read them too (fc-read's
 * source threads, fc-emit's sender), and only atomics make that well defined; a lock-free
 * atomic store is safe in a signal handler. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal flags must be lock-free atomics");
static atomic_int stop_signal;
static atomic_int hangup_seen;

static void on_stop(int sig) { atomic_store(&stop_signal, sig); }
static void on_hangup(int sig) { (void)sig; atomic_store(&hangup_seen, 1); }

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

int fc_stop_requested(void) { return atomic_load(&stop_signal); }

int fc_hangup_take(void) { return atomic_exchange(&hangup_seen, 0); }
