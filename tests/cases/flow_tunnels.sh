#!/usr/bin/env bash
# Flows inside tunnels are keyed by their inner packets, as tshark, Zeek and Suricata see
# them (common/tunnel.h).
#  1. Real tunnels: the Linux kernel's GRE, IP-in-IP, 6in4 (sit), VXLAN and Geneve between
#     two network namespaces, a real redis-server and redis-cli talking through each, the
#     underlay captured with tcpdump. fc-flow's flows are tshark's conversations (the inner
#     TCP connections; for the UDP tunnels also the tunnel's own UDP flow), every inner
#     flow says which tunnel it came out of, and fc-classify names each inner connection
#     Redis from its behaviour, as it does without a tunnel.
#  2. Captures of the shared corpus with GTP-U, Teredo, VXLAN, GRE, IP-in-IP and CAPWAP traffic:
#     fc-flow agrees with tshark's conversations.
source "$(dirname "$0")/../lib.sh"

# ---- 2. shared corpus ----
command -v tshark >/dev/null || { skip flow_tunnels "tshark not installed"; exit 0; }
for c in ipv6_in_gtp rtmp teredo vxlan gre 4in4tunnel 6in4tunnel capwap; do
    f=$(ls "$FC_SHARED/corpus/ndpi/$c".pcap* 2>/dev/null | head -1)
    shared_or_skip "tunnel_flows_agree_with_tshark_$c" "corpus/ndpi/${f##*/}" || continue
    flows_agree_with_tshark "tunnel_flows_agree_with_tshark_$c" "$f"
done
# A UDP tunnel's own flow is not sampled, so it is never named after the inner traffic its
# payload holds (before, one of vxlan.pcap's was called Zoom): unknown, its inner flows named.
if f=$FC_SHARED/corpus/ndpi/vxlan.pcap && shared_or_skip tunnel_own_flows_not_named corpus/ndpi/vxlan.pcap; then
    check_eq tunnel_vxlan_own_flows_unknown_inner_flows_named "true 0 true" \
        "$(fc-read "$f" | fc-flow | fc-classify | fc-emit --format Json | jq -rs '[.[] | select(.k == 2)] |
            [.[] | select(.proto == 17 and (.resp.port == 4789 or .orig.port == 4789))] as $own |
            "\($own | length > 0) \($own | map(select(.protocol != null)) | length) \(
              [.[] | select(.tunnel == "VXLAN" and .protocol != null)] | length > 0)"')"
fi
if f=$FC_SHARED/corpus/ndpi/ipv6_in_gtp.pcap && shared_or_skip tunnel_gtp_u_flows_named corpus/ndpi/ipv6_in_gtp.pcap; then
    check_eq tunnel_gtp_u_inner_flows_say_gtp_u "GTP-U GTP-U" \
        "$(fc-read "$f" | fc-flow | fc-emit --format Json | jq -r 'select(.k == 2 and .ipv == 6) | .tunnel' | paste -sd ' ')"
fi

# ---- 1. real tunnels ----
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
    skip tunnel_real_kernel_tunnels "needs root and iproute2 (network namespaces)"
    exit 0
fi
for tool in redis-server redis-cli tcpdump jq; do
    command -v "$tool" >/dev/null || { skip tunnel_real_kernel_tunnels "$tool not installed"; exit 0; }
done
srv=fctun-srv-$$ cli=fctun-cli-$$
cleanup() {
    [ -n "${redis_pid:-}" ] && kill "$redis_pid" 2>/dev/null
    ip netns del "$srv" 2>/dev/null
    ip netns del "$cli" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
if ! ip netns add "$srv" 2>/dev/null || ! ip netns add "$cli" ||
   ! ip link add tsrv$$ netns "$srv" type veth peer name tcli$$ netns "$cli"; then
    skip tunnel_real_kernel_tunnels "cannot make network namespaces and a veth pair here"
    exit 0
fi
for ns in "$srv" "$cli"; do
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
done
ip -n "$srv" addr add 10.99.0.1/24 dev tsrv$$ && ip -n "$srv" link set tsrv$$ up
ip -n "$cli" addr add 10.99.0.2/24 dev tcli$$ && ip -n "$cli" link set tcli$$ up
# segments as a wire carries them, not the veth's 64 KB offload super-packets
ip netns exec "$srv" ethtool -K tsrv$$ tso off gso off gro off tx off rx off >/dev/null 2>&1
ip netns exec "$cli" ethtool -K tcli$$ tso off gso off gro off tx off rx off >/dev/null 2>&1

# tunnel KIND INNER-SERVER-ADDRESS INNER-CLIENT-ADDRESS PREFIX TYPE-AND-OPTIONS...: the same
# tunnel device in both namespaces, the local and remote ends swapped.
tunnel() {
    local kind=$1 a=$2 b=$3 len=$4; shift 4
    local spec=("$@") sspec cspec
    sspec=("${spec[@]//LOCAL/10.99.0.1}"); sspec=("${sspec[@]//REMOTE/10.99.0.2}")
    cspec=("${spec[@]//LOCAL/10.99.0.2}"); cspec=("${cspec[@]//REMOTE/10.99.0.1}")
    ip -n "$srv" link add "t$kind" "${sspec[@]}" 2>/dev/null && ip -n "$cli" link add "t$kind" "${cspec[@]}" ||
        return 1
    local nodad=(); [[ $a == *:* ]] && nodad=(nodad)   # usable at once, not after duplicate detection
    # MTU 1400: room for every tunnel's headers in the underlay's 1500, as deployments set
    # it, so the kernel does not fragment the outer packets (fc-flow, unlike tshark, does
    # not reassemble fragments, so it cannot open a fragmented tunnel packet)
    ip -n "$srv" addr add "$a/$len" dev "t$kind" "${nodad[@]}" && ip -n "$srv" link set "t$kind" mtu 1400 up &&
        ip -n "$cli" addr add "$b/$len" dev "t$kind" "${nodad[@]}" && ip -n "$cli" link set "t$kind" mtu 1400 up
}
declare -A inner_addr name_of ipv_of
made=()
add() {   # KIND NAME-IN-RECORDS SERVER CLIENT PREFIX SPEC...
    local kind=$1 name=$2 a=$3
    shift 2
    if tunnel "$kind" "$@"; then
        made+=("$kind"); inner_addr[$kind]=$a; name_of[$kind]=$name
        [[ $a == *:* ]] && ipv_of[$kind]=6 || ipv_of[$kind]=4
    else
        skip "tunnel_real_$kind" "this kernel cannot make a $kind tunnel"
    fi
}
add gre GRE 192.168.51.1 192.168.51.2 24 type gre local LOCAL remote REMOTE key 7
add ipip IP-in-IP 192.168.52.1 192.168.52.2 24 type ipip local LOCAL remote REMOTE
add sit IP-in-IP fd00:53::1 fd00:53::2 64 type sit local LOCAL remote REMOTE
add vxlan VXLAN 192.168.54.1 192.168.54.2 24 type vxlan id 42 local LOCAL remote REMOTE dstport 4789
add geneve Geneve 192.168.55.1 192.168.55.2 24 type geneve id 9 remote REMOTE
[ ${#made[@]} -gt 0 ] || exit 0

binds=()
for k in "${made[@]}"; do binds+=("${inner_addr[$k]}"); done
ip netns exec "$srv" redis-server --port 6379 --bind "${binds[@]}" --save '' --appendonly no \
    --protected-mode no --daemonize no > "$TMP/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 100); do
    ip netns exec "$srv" redis-cli -h "${binds[0]}" ping >/dev/null 2>&1 && break
    sleep 0.1
done
ip netns exec "$srv" tcpdump -i tsrv$$ -w "$TMP/underlay.pcap" -U -s 0 2>/dev/null &
dump_pid=$!
sleep 1
for k in "${made[@]}"; do   # two client sessions of a few commands each through every tunnel
    for s in 1 2; do
        printf 'set key:%s:%s "value %s over %s"\nget key:%s:%s\nincr hits\nlpush list:%s %s\nlrange list:%s 0 -1\n' \
            "$k" "$s" "$s" "$k" "$k" "$s" "$k" "$s" "$k" | ip netns exec "$cli" redis-cli -h "${inner_addr[$k]}" >/dev/null
    done
done
sleep 1
kill -INT "$dump_pid"
wait "$dump_pid" 2>/dev/null

flows_agree_with_tshark tunnel_real_flows_agree_with_tshark "$TMP/underlay.pcap"
fc-read "$TMP/underlay.pcap" | fc-flow | fc-classify | fc-emit --format Json | jq -c 'select(.k == 2)' \
    > "$TMP/verdicts.json"
for k in "${made[@]}"; do
    got=$(jq -r --arg t "${name_of[$k]}" --argjson v "${ipv_of[$k]}" \
        'select(.resp.port == 6379 and .tunnel == $t and .ipv == $v) | .protocol // .verdict' "$TMP/verdicts.json" |
        sort | uniq -c | sed 's/^ *//' | paste -sd ',')
    check_eq "tunnel_real_${k}_inner_redis_sessions_named_redis" "2 Redis" "$got"
done
# The UDP tunnels' own flows (the kernel picks the outer source port from a hash of the
# inner flow, so there are one or two per inner connection): of no tunnel themselves, and
# counting every packet of the tunnel, as many as tshark sees on its port.
for k in vxlan geneve; do
    [ -n "${inner_addr[$k]:-}" ] || continue
    port=$([ $k = vxlan ] && echo 4789 || echo 6081)
    want=$(tshark -r "$TMP/underlay.pcap" -Y "udp.port == $port" 2>/dev/null | wc -l)
    check_eq "tunnel_real_${k}_udp_flows_count_every_tunnel_packet" "$want true" \
        "$(jq -rs --argjson p "$port" '[.[] | select(.proto == 17 and (.resp.port == $p or .orig.port == $p))]
            | "\(map(.orig.pkts + .resp.pkts) | add) \(all(.tunnel == null))"' "$TMP/verdicts.json")"
done
