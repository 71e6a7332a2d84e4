/* \summary: meter DirectionPacketLengthDistribution: payload length per direction on a compressed scale */
#include <math.h>

#include "meter.h"

/*
 * Bin (dir ? 128 : 0) + min(127, floor(len ^ (ln 128 / ln 1500))): the exponent
 * maps 1500 bytes (an Ethernet MTU) to 128, so small lengths keep fine steps and
 * large ones share bins. The scale is computed once as a table of the smallest
 * length for each step, so no floating-point rounding differs between machines
 * at run time.
 */
#define STEPS 128

static uint32_t step_start[STEPS]; /* smallest length whose step is i */
static bool steps_ready;

static void steps_fill(void)
{
    double inverse = log(1500.0) / log(128.0); /* length = step ^ inverse */
    for (unsigned i = 0; i < STEPS; i++)
        step_start[i] = i == 0 ? 0 : (uint32_t)ceil(pow((double)i, inverse) - 1e-9);
    steps_ready = true;
}

static unsigned length_step(uint32_t len)
{
    if (!steps_ready)
        steps_fill();
    unsigned lo = 0, hi = STEPS - 1;
    while (lo < hi) { /* the last step whose start is <= len */
        unsigned mid = (lo + hi + 1) / 2;
        if (step_start[mid] <= len)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

void meter_direction_packet_length_distribution(const struct meter_session *s, struct meter_acc *acc)
{
    for (uint32_t i = 0; i < s->n; i++)
        meter_emit(acc, (s->obs[i].dir ? 128u : 0u) + length_step(s->obs[i].len));
}
