# corpus/services/common.bash: what every service generator shares (sourced, not run;
# not named *.sh so that corpus/make-captures does not take it for a generator).
#
#   svc_begin OUTDIR        checks FC_BATCH/FC_SEED, seeds $RANDOM and the svc_rand
#                           sequence from FC_SEED and the generator's name, makes a private
#                           work folder $SVC_WORK, brings the two namespaces up
#                           (corpus/lib/netns.sh)
#   svc_class_dir CLASS     OUTDIR/CLASS/FC_BATCH, emptied of earlier captures; echoes it
#   svc_rand LO HI          a random integer in [LO, HI], the next of the seeded sequence
#   svc_pick WORD...        one of the words, at random (the same sequence)
#   svc_think               sleeps a random "think time" between sessions (0-400 ms), so
#                           that the captures' timings are not all back-to-back
#   svc_count_sessions PCAP prints how many sessions PCAP holds: TCP connections and UDP
#                           endpoint pairs
#   svc_end CLASS PCAP N    says how many sessions were made; fails when fewer than N
#
# The kernel here has no netem, so timing varies through the clients themselves: think
# times between sessions and between commands inside a session, and varied sizes.

SVC_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/netns.sh
source "$SVC_LIB/../lib/netns.sh"
# shellcheck source=../lib/seeded.sh
source "$SVC_LIB/../lib/seeded.sh"

# The clients written in Python use Debian's interpreter and standard library only.
SVC_PYTHON=/usr/bin/python3
[ -x "$SVC_PYTHON" ] || SVC_PYTHON=python3

svc_begin() {
    SVC_OUT=${1:?usage: ${0##*/} OUTDIR (with FC_BATCH and FC_SEED set)}
    : "${FC_BATCH:?FC_BATCH (b1, b2, b3) must be set}" "${FC_SEED:?FC_SEED (a number) must be set}"
    local name=${0##*/}
    # the same seed gives the same sessions; each generator draws its own sequence
    SVC_SEED=$(( FC_SEED + $(printf '%s' "$name" | cksum | cut -d' ' -f1) ))
    RANDOM=$(( SVC_SEED % 32768 ))
    SVC_WORK=$(mktemp -d "/tmp/fcsvc-${name%.sh}-XXXXXX")
    chmod 755 "$SVC_WORK"
    seeded_start "$SVC_SEED" "$SVC_WORK/.draws"
    netns_up
    trap 'netns_down; rm -rf "$SVC_WORK"' EXIT
}

svc_class_dir() {
    local dir=$SVC_OUT/$1/$FC_BATCH
    mkdir -p "$dir"
    rm -f "$dir"/*.pcap
    echo "$dir"
}

svc_rand() { echo $(( $1 + $(seeded_draw) % ($2 - $1 + 1) )); }

svc_pick() { shift $(( $(seeded_draw) % $# )); echo "$1"; }

svc_think() { sleep "0.$(printf '%03d' $(( RANDOM % 400 )))"; }

svc_count_sessions() {
    # a session: a TCP connection whose handshake is in the capture, or the UDP packets
    # between one pair of address:port endpoints (either way; later IP fragments, which
    # carry no ports, left out)
    local tcp udp
    tcp=$(tcpdump -nn -r "$1" 'tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0' 2>/dev/null | wc -l)
    udp=$(tcpdump -nn -q -r "$1" 'udp and ip[6:2] & 0x1fff = 0' 2>/dev/null | awk '{
        a = $3; b = $5; sub(/:$/, "", b)
        key = (a < b) ? a " " b : b " " a
        if (!(key in seen)) { seen[key] = 1; n++ } } END { print n + 0 }')
    echo $(( tcp + udp ))
}

svc_end() {
    local class=$1 pcap=$2 want=$3 got
    got=$(svc_count_sessions "$pcap")
    netns_say "$class $FC_BATCH: $got connections in ${pcap#"$SVC_OUT"/}"
    [ "$got" -ge "$want" ] || { netns_say "$class $FC_BATCH: expected at least $want"; return 1; }
}
