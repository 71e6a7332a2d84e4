/* \summary: the one question every source loop asks: should input end now? */
#include "input_stop.h"

#include <stdatomic.h>

#include "stop_signal.h"

static atomic_bool stop_from_inside;

bool input_stop_requested(void)
{
    return fc_stop_requested() || atomic_load_explicit(&stop_from_inside, memory_order_relaxed);
}

void input_stop(void)
{
    atomic_store(&stop_from_inside, true);
}
