# corpus/lib/netns.sh: two network namespaces joined by a veth pair, for making captures
# of real programs talking over something that looks like a real network.
#
# Sourced by the capture generators (corpus/threats/, corpus/services/). Needs root.
#
#   netns_up [DELAY_MS [JITTER_MS]]   server namespace "$NETNS_SRV" (10.77.0.1) and client
#                                     namespace "$NETNS_CLI" (10.77.0.2) joined by a veth
#                                     pair, MTU 1500, segmentation offloads off (so TCP
#                                     segments are MTU-sized as on a wire, not 64 KB
#                                     loopback super-packets); optional netem delay and
#                                     jitter on both ends so timings are not all
#                                     loopback-fast
#   in_srv CMD... / in_cli CMD...     run a command in one namespace, in the foreground
#   bg_srv CMD... / bg_cli CMD...     the same in the background; stopped by netns_down
#   capture_start FILE [FILTER]       tcpdump on the server's veth end into FILE
#   capture_stop                      ends the capture, waiting until FILE is complete
#   wait_port tcp|udp PORT [NS]       waits until something listens on PORT in namespace NS
#                                     (default the server's)
#   wait_tcp_port PORT                wait_port tcp PORT: in the server
#   netns_down                        stops every process started here, removes both
#                                     namespaces (also run on exit)
#
# Names carry the shell's PID, so two generators can run at once without meeting.

NETNS_SRV=fcgen-srv-$$
NETNS_CLI=fcgen-cli-$$
NETNS_SRV_IP=10.77.0.1
NETNS_CLI_IP=10.77.0.2
NETNS_PIDS=()
NETNS_CAPTURE_PID=""

netns_say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

netns_up() {
    local delay=${1:-0} jitter=${2:-0} ns dev
    [ "$(id -u)" -eq 0 ] || { netns_say "needs root (network namespaces, tcpdump)"; exit 3; }
    ip netns add "$NETNS_SRV" && ip netns add "$NETNS_CLI" || exit 3
    trap netns_down EXIT
    trap 'exit 130' INT TERM
    ip link add fcsrv$$ netns "$NETNS_SRV" type veth peer name fccli$$ netns "$NETNS_CLI" || exit 3
    for ns in "$NETNS_SRV" "$NETNS_CLI"; do
        if [ "$ns" = "$NETNS_SRV" ]; then dev=fcsrv$$; else dev=fccli$$; fi
        ip -n "$ns" link set lo up
        # IPv4 only: no router solicitations or MLD reports mixed into the captures
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        ip -n "$ns" link set "$dev" mtu 1500 up
        ip netns exec "$ns" ethtool -K "$dev" tso off gso off gro off tx off rx off >/dev/null 2>&1 ||
            netns_say "ethtool could not turn offloads off on $dev: segments may exceed the MTU"
        if [ "$delay" != 0 ]; then
            ip netns exec "$ns" tc qdisc add dev "$dev" root netem delay "${delay}ms" "${jitter}ms" ||
                netns_say "netem unavailable in this kernel (sch_netem): no added delay"
        fi
    done
    ip -n "$NETNS_SRV" addr add "$NETNS_SRV_IP/24" dev fcsrv$$
    ip -n "$NETNS_CLI" addr add "$NETNS_CLI_IP/24" dev fccli$$
    NETNS_SRV_DEV=fcsrv$$
    NETNS_CLI_DEV=fccli$$
}

in_srv() { ip netns exec "$NETNS_SRV" "$@"; }
in_cli() { ip netns exec "$NETNS_CLI" "$@"; }
bg_srv() { ip netns exec "$NETNS_SRV" "$@" & NETNS_PIDS+=($!); }
bg_cli() { ip netns exec "$NETNS_CLI" "$@" & NETNS_PIDS+=($!); }

capture_start() {
    local file=$1 filter=${2:-}
    # -U and --immediate-mode: each packet written at once, so capture_stop loses nothing
    ip netns exec "$NETNS_SRV" tcpdump -q -n -U --immediate-mode -s 0 -i "$NETNS_SRV_DEV" -w "$file" $filter 2>/dev/null &
    NETNS_CAPTURE_PID=$!
    sleep 1     # tcpdump needs a moment before it sees packets
}

capture_stop() {
    [ -n "$NETNS_CAPTURE_PID" ] || return 0
    sleep 0.5   # the last packets of a session still on their way
    kill -INT "$NETNS_CAPTURE_PID" 2>/dev/null
    wait "$NETNS_CAPTURE_PID" 2>/dev/null
    NETNS_CAPTURE_PID=""
}

wait_port() {
    local proto=$1 port=$2 ns=${3:-$NETNS_SRV} flag i
    case $proto in
    tcp) flag=t ;;
    udp) flag=u ;;
    *) netns_say "wait_port: tcp or udp, not '$proto'"; return 1 ;;
    esac
    for i in $(seq 100); do
        ip netns exec "$ns" ss -Hl${flag}n "sport = :$port" 2>/dev/null | grep -q . && return 0
        sleep 0.1
    done
    netns_say "nothing listens on $proto port $port after 10 s"
    return 1
}

wait_tcp_port() { wait_port tcp "$1"; }

netns_down() {
    local p
    capture_stop
    for p in "${NETNS_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    # processes that daemonised themselves inside the namespaces
    for p in $(ip netns pids "$NETNS_SRV" 2>/dev/null) $(ip netns pids "$NETNS_CLI" 2>/dev/null); do
        kill "$p" 2>/dev/null
    done
    sleep 0.3
    for p in $(ip netns pids "$NETNS_SRV" 2>/dev/null) $(ip netns pids "$NETNS_CLI" 2>/dev/null); do
        kill -9 "$p" 2>/dev/null
    done
    ip netns del "$NETNS_SRV" 2>/dev/null
    ip netns del "$NETNS_CLI" 2>/dev/null
    NETNS_PIDS=()
}
