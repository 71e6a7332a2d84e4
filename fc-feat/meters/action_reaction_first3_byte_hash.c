/* \summary: meter ActionReactionFirst3ByteHash: first 3 bytes of action and reaction at each direction change */
#include "meter.h"

/*
 * At each of the first 5 direction changes, the "action" is the last packet
 * before the change and the "reaction" the first packet after it. Their first
 * 3 bytes (fewer if the packet kept fewer) are hashed three times with different
 * salts, so one change lights three bins: CRC-32(salt, action bytes, reaction
 * bytes) mod 256. Several salts make a collision in one variant matter less.
 */
#define CHANGES 5
#define PREFIX 3
#define SALTS 3

void meter_action_reaction_first3_byte_hash(const struct meter_session *s, struct meter_acc *acc)
{
    unsigned changes = 0;
    for (uint32_t i = 1; i < s->n && changes < CHANGES; i++) {
        const struct meter_obs *action = &s->obs[i - 1], *reaction = &s->obs[i];
        if (action->dir == reaction->dir)
            continue;
        changes++;
        uint8_t key[2 * PREFIX + 2] = { 0 };
        uint32_t na = meter_min_u32(action->kept, PREFIX), nr = meter_min_u32(reaction->kept, PREFIX);
        for (uint32_t k = 0; k < na; k++)
            key[1 + k] = action->bytes[k];
        key[1 + PREFIX] = (uint8_t)(na << 4 | nr); /* lengths too: "AB" then "C" differs from "A" then "BC" */
        for (uint32_t k = 0; k < nr; k++)
            key[2 + PREFIX + k] = reaction->bytes[k];
        for (uint8_t salt = 0; salt < SALTS; salt++) {
            key[0] = salt;
            meter_emit(acc, meter_crc32(0, key, sizeof key) & 0xFF);
        }
    }
}
