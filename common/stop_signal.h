#ifndef FC_STOP_SIGNAL_H
#define FC_STOP_SIGNAL_H
/*
 * SIGINT and SIGTERM ask a stage to finish, not to die: stop reading, report every flow
 * it holds, flush its output and exit 0. SIGHUP asks a stage writing to a file to reopen
 * it (log rotation). The handlers only set flags; the stage looks at them between records.
 *
 * The handlers are installed without SA_RESTART, so a blocking read, accept or poll
 * returns EINTR at once and the stage sees the flag without waiting for more input.
 */

/* Installs the handlers for SIGINT, SIGTERM and SIGHUP. */
void fc_stop_signals_install(void);

/* Non-zero once SIGINT or SIGTERM has arrived; the number of the signal. */
int fc_stop_requested(void);

/* Non-zero when SIGHUP arrived since the previous call (and clears it). */
int fc_hangup_take(void);

#endif
