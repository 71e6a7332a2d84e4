# corpus/services/common.bash: what every service generator shares (sourced, not run;
# not named *.sh so that corpus/make-captures does not take it for a generator).
#
#   svc_begin OUTDIR        checks FC_BATCH/FC_SEED, seeds $RANDOM from FC_SEED and the
#                           generator's name, makes a private work folder $SVC_WORK,
#                           brings the two namespaces up (corpus/lib/netns.sh)
#   svc_class_dir CLASS     OUTDIR/CLASS/FC_BATCH, emptied of earlier captures; echoes it
#   svc_rand LO HI          a random integer in [LO, HI] (from the seeded $RANDOM)
#   svc_pick WORD...        one of the words, at random
#   svc_think               sleeps a random "think time" between sessions (0-400 ms), so
#                           that the captures' timings are not all back-to-back
#   svc_count_sessions PCAP prints how many TCP connections with payload PCAP holds
#   svc_end CLASS PCAP N    says how many sessions were made; fails when fewer than N
#
# The kernel here has no netem, so timing varies through the clients themselves: think
# times between sessions and between commands inside a session, and varied sizes.

SVC_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/netns.sh
source "$SVC_LIB/../lib/netns.sh"

# The clients written in Python use Debian's interpreter and standard library only.
SVC_PYTHON=/usr/bin/python3
[ -x "$SVC_PYTHON" ] || SVC_PYTHON=python3

svc_begin() {
    SVC_OUT=${1:?usage: ${0##*/} OUTDIR (with FC_BATCH and FC_SEED set)}
    : "${FC_BATCH:?FC_BATCH (b1, b2, b3) must be set}" "${FC_SEED:?FC_SEED (a number) must be set}"
    local name=${0##*/}
    # the same seed gives the same sessions; each generator draws its own sequence
    RANDOM=$(( (FC_SEED + $(printf '%s' "$name" | cksum | cut -d' ' -f1)) % 32768 ))
    SVC_WORK=$(mktemp -d "/tmp/fcsvc-${name%.sh}-XXXXXX")
    chmod 755 "$SVC_WORK"
    netns_up
    trap 'netns_down; rm -rf "$SVC_WORK"' EXIT
}

svc_class_dir() {
    local dir=$SVC_OUT/$1/$FC_BATCH
    mkdir -p "$dir"
    rm -f "$dir"/*.pcap
    echo "$dir"
}

svc_rand() { echo $(( $1 + RANDOM % ($2 - $1 + 1) )); }

svc_pick() { shift $(( RANDOM % $# )); echo "$1"; }

svc_think() { sleep "0.$(printf '%03d' $(( RANDOM % 400 )))"; }

svc_count_sessions() {
    # a session: a TCP connection whose handshake is in the capture and that carried payload
    tcpdump -nn -r "$1" 'tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0' 2>/dev/null | wc -l
}

svc_end() {
    local class=$1 pcap=$2 want=$3 got
    got=$(svc_count_sessions "$pcap")
    netns_say "$class $FC_BATCH: $got connections in ${pcap#"$SVC_OUT"/}"
    [ "$got" -ge "$want" ] || { netns_say "$class $FC_BATCH: expected at least $want"; return 1; }
}
