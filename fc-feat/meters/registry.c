/* \summary: the meter registry: the default SPID meter set, one line per meter */
#include "meter.h"

/*
 * Order matters: a vector record and a model list their meters in this order.
 * Adding, removing or changing a meter means bumping METER_SET_VERSION (meter.h)
 * and retraining the models (make models).
 */
const struct meter_def meters[] = {
    { "AccumulatedDirectionBytes", 1, 0, meter_accumulated_direction_bytes },
    { "ActionReactionFirst3ByteHash", 1, 1, meter_action_reaction_first3_byte_hash },
    { "ByteFrequency", 1, 1, meter_byte_frequency },
    { "ByteFrequencyOfFirstPacketBytes", 1, 1, meter_byte_frequency_of_first_packet_bytes },
    { "BytePairsReoccurringCountIn32FirstBytes", 1, 1, meter_byte_pairs_reoccurring_count },
    { "ByteValueOffsetHashOfFirst32BytesInFirst4Packets", 1, 1, meter_byte_value_offset_hash },
    { "DirectionPacketLengthDistribution", 1, 1, meter_direction_packet_length_distribution },
    { "First2OrderedFirstBitPositions", 1, 1, meter_first2_ordered_first_bit_positions },
    { "First2PacketsFirst8ByteHashDirectionCounts", 1, 1, meter_first2_packets_first8_byte_hash_direction_counts },
    { "First4OrderedDirectionFirstNByteNibbles", 1, 1, meter_first4_ordered_direction_first_nbyte_nibbles },
    { "First4PacketsByteFrequency", 1, 1, meter_first4_packets_byte_frequency },
    { "First4PacketsFirst32BytesEquality", 1, 1, meter_first4_packets_first32_bytes_equality },
    { "FirstBitPositions", 1, 1, meter_first_bit_positions },
    { "FirstServerPacketFirstBitPositions", 1, 1, meter_first_server_packet_first_bit_positions },
    { "NibblePositionPopularity", 1, 1, meter_nibble_position_popularity },
};

const unsigned meter_count = sizeof meters / sizeof meters[0];
