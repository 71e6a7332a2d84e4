# corpus/lib/seeded.sh: numbers drawn from a seed, the same in every run, inside $( ) too.
#
# Sourced by the capture generators, so that the same FC_SEED makes the same sessions (the
# same commands, sizes, options and pauses). Bash gives each $( ) subshell a freshly seeded
# $RANDOM and does not advance the parent's, so a generator drawing $(rand ...) from
# $RANDOM would follow no seed at all: here the draw count is kept in a file, and each
# number is a hash (splitmix64's finaliser) of the seed and the count.
#
#   seeded_start SEED FILE   starts a sequence for this shell and the processes it starts:
#                            SEED an integer, FILE where its draw count is kept (both
#                            exported, and seeded_draw too, so that a function run by a
#                            bash of its own, as in `ip netns exec`, draws from it as well)
#   seeded_draw              prints the sequence's next number, 0 .. 2^31-1

seeded_start() {
    export SEEDED_SEED=$1 SEEDED_DRAWS=$2
    echo 0 > "$SEEDED_DRAWS"
}

seeded_draw() {
    local n x
    n=$(< "$SEEDED_DRAWS")
    echo $(( n + 1 )) > "$SEEDED_DRAWS"
    x=$(( SEEDED_SEED * 1000003 + n * 0x9E3779B97F4A7C15 ))
    x=$(( (x ^ ((x >> 30) & 0x3FFFFFFFF)) * 0xBF58476D1CE4E5B9 ))
    x=$(( (x ^ ((x >> 27) & 0x1FFFFFFFFF)) * 0x94D049BB133111EB ))
    echo $(( (x ^ ((x >> 31) & 0x1FFFFFFFF)) & 0x7FFFFFFF ))
}
export -f seeded_draw
