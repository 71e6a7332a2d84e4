#!/usr/bin/env bash
# corpus/services/bgp.sh OUTDIR: BGP-4 sessions (class BGP; nDPI: BGP) between BIRD 2.0
# (bird2, passive, exporting its own routes) and the speakers ExaBGP 4.2 and GoBGP 3.10
# (gobgpd, routes added and withdrawn through its gobgp command line), in two network
# namespaces, TCP 179. Each session is one peering: OPEN with capabilities (4-octet AS,
# route refresh, multiprotocol IPv4 and sometimes IPv6 unicast, graceful restart, ADD-PATH),
# the two routing tables exchanged (1 to 400 prefixes a side, with AS paths, communities,
# MED, local preference), KEEPALIVEs at the negotiated interval (hold time 9-90 s), updates
# and withdrawals while it lasts, and its end (the speaker stopped: a Cease NOTIFICATION or
# the connection closed), after which BIRD's operator restarts the peering (a speaker that
# left without a Cease would otherwise be held until BIRD's hold time, and the next ones
# refused meanwhile). Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes
# OUTDIR/BGP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=179
dir=$(svc_class_dir BGP)
pcap=$dir/bgp-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP
cli=$NETNS_CLI_IP
srv_as=$(svc_pick 64512 65000 65100 4200000001)
cli_as=$(svc_pick 64600 65001 65222)

# prefixes: N IPv4 /16-/24 (or IPv6 /32-/48) prefixes drawn from the seed, one a line
prefixes() {
    $SVC_PYTHON - "$1" "$2" "$3" <<'PY'
import random, sys
rng, n, v6 = random.Random(int(sys.argv[1])), int(sys.argv[2]), sys.argv[3] == "6"
seen = set()
while len(seen) < n:
    if v6:
        seen.add("2001:db8:%x::/48" % rng.randrange(0x10000))
    else:
        l = rng.choice([16, 20, 22, 23, 24, 24, 24])
        a = rng.randrange(1, 223) << 24 | rng.randrange(1 << 24)
        a &= ~((1 << (32 - l)) - 1) & 0xffffffff
        seen.add("%d.%d.%d.%d/%d" % (a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255, l))
print("\n".join(sorted(seen)))
PY
}

{
    echo "router id $srv;"
    echo "log \"$W/bird.log\" all;"
    echo "protocol device {}"
    echo "protocol static own4 { ipv4;"
    prefixes "$FC_SEED" "$(svc_rand 1 300)" 4 | sed 's|.*|  route & blackhole;|'
    echo "}"
    echo "protocol static own6 { ipv6;"
    prefixes "$FC_SEED" "$(svc_rand 1 40)" 6 | sed 's|.*|  route & blackhole;|'
    echo "}"
    cat <<EOF
protocol bgp speaker {
  local $srv as $srv_as;
  neighbor $cli as $cli_as;
  passive on;
  hold time $(svc_pick 9 30 60);
  error wait time 1, 2;
  ipv4 { import all; export all; next hop self; };
  ipv6 { import all; export all; next hop address $srv; };
}
EOF
} > "$W/bird.conf"
bg_srv bird -f -c "$W/bird.conf" -s "$W/bird.ctl"
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

exabgp_session() {   # exabgp_session SEED SECONDS
    local conf=$W/exabgp-$1.conf v6=$(svc_rand 0 2)
    {
        echo "neighbor $srv {"
        echo "  router-id $cli; local-address $cli; local-as $cli_as; peer-as $srv_as;"
        echo "  hold-time $(svc_pick 9 30 90);"
        echo "  family { ipv4 unicast; $([ "$v6" -eq 0 ] && echo "ipv6 unicast;") }"
        echo "  capability { route-refresh; $(svc_pick "" "graceful-restart 120;" "add-path send/receive;") }"
        echo "  static {"
        prefixes "$1" "$(svc_rand 1 400)" 4 | while read -r p; do
            echo "    route $p next-hop $cli as-path [ $cli_as $(svc_rand 1000 64000) ] community [ $cli_as:$(svc_rand 1 999) ] med $(svc_rand 0 200);"
        done
        [ "$v6" -eq 0 ] && prefixes "$1" "$(svc_rand 1 20)" 6 | sed "s|.*|    route & next-hop 2001:db8::2;|"
        echo "  }"
        echo "}"
    } > "$conf"
    in_cli env exabgp.daemon.user=root exabgp.log.destination="$W/exabgp.log" exabgp.daemon.drop=false \
        timeout "$2" exabgp "$conf"
}

gobgp_session() {    # gobgp_session SEED SECONDS
    local conf=$W/gobgp-$1.toml api=127.0.0.1:$(( 50051 + $1 % 1000 )) end=$(( SECONDS + $2 ))
    cat > "$conf" <<EOF
[global.config]
  as = $cli_as
  router-id = "$cli"
  port = -1
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$srv"
    peer-as = $srv_as
  [neighbors.timers.config]
    hold-time = $(svc_pick 9 30 90)
    keepalive-interval = $(svc_pick 3 10 30)
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
EOF
    # not through in_cli: $! must be gobgpd itself (ip netns exec execs it), not a subshell
    # whose kill would leave a speaker behind that keeps reconnecting
    ip netns exec "$NETNS_CLI" gobgpd -f "$conf" --api-hosts="$api" --pprof-disable -l error >/dev/null 2>&1 &
    local pid=$!
    sleep 1
    prefixes "$1" "$(svc_rand 1 200)" 4 | while read -r p; do
        in_cli gobgp -u "${api%:*}" -p "${api#*:}" global rib add "$p" nexthop "$cli" \
            community "$cli_as:$(svc_rand 1 999)" med "$(svc_rand 0 100)" >/dev/null 2>&1
    done
    while [ $SECONDS -lt $end ]; do   # withdraw and re-announce now and then
        sleep "$(svc_rand 1 4)"
        p=$(prefixes "$1$SECONDS" 1 4)
        in_cli gobgp -u "${api%:*}" -p "${api#*:}" global rib add "$p" nexthop "$cli" >/dev/null 2>&1
        [ "$(svc_rand 0 1)" -eq 0 ] && in_cli gobgp -u "${api%:*}" -p "${api#*:}" global rib del "$p" >/dev/null 2>&1
    done
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}

sessions=45
for s in $(seq $sessions); do
    case $(svc_rand 0 2) in
    0|1) exabgp_session "$FC_SEED$s" "$(svc_rand 6 20)" ;;
    *)   gobgp_session "$s" "$(svc_rand 6 20)" ;;
    esac >/dev/null 2>&1
    # the operator resets the peering, so that BIRD does not hold a session whose speaker left
    # without a Cease until its hold time runs out (and refuse the next speaker meanwhile)
    in_srv birdc -s "$W/bird.ctl" restart speaker >/dev/null 2>&1
    sleep 3   # BIRD's error wait time (1-2 s) before the next speaker
done
capture_stop
svc_end BGP "$pcap" 40   # a speaker or two may end before BIRD takes it
