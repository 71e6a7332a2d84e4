/* \summary: the one question every source loop asks: should input end now? */
#ifndef FC_READ_INPUT_STOP_H
#define FC_READ_INPUT_STOP_H

/*
 * Input ends on SIGINT or SIGTERM (stop_signal.h), or when the hub decides so
 * (--timeout passed without packets). Sources ask between packets and inside every
 * wait, which is never longer than INPUT_POLL_MS, so a stop is seen within that time.
 */
#include <stdbool.h>

#define INPUT_POLL_MS 200

bool input_stop_requested(void);
/* Ends the input from inside (the hub's --timeout). */
void input_stop(void);

#endif
