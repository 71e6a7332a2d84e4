#!/usr/bin/env bash
# corpus/threats/wireguard.sh OUTDIR: WireGuard sessions (wireguard-go interfaces configured
# with wg from wireguard-tools) -> OUTDIR/WireGuard/FC_BATCH/
#
# This kernel has no WireGuard module (`ip link add ... type wireguard`: "Unknown device
# type"), so both ends are wireguard-go, the userspace implementation on /dev/net/tun, run in
# the foreground inside the namespaces and configured with `wg setconf` and ip(8). The server
# namespace has 1-3 WireGuard interfaces (listen port, MTU and keys per batch), each with one
# peer per client session (AllowedIPs its tunnel address, a preshared key for some) and tunnel
# addresses that an nginx listens on: the web site is reachable only through the tunnel. A
# session is a fresh client interface in the client namespace with keys of its own, a
# ListenPort of its own (or none: a random port), brought up, used, and deleted, so every
# session handshakes afresh and is one UDP flow. Through the tunnel: pings of 0-1472 bytes
# (busybox ping), curl fetches of pages and 4 KB-2 MB files, pings from the server back to
# the client, idle gaps. What varies with FC_SEED: the server interfaces and ports,
# persistent-keepalive (off or 1-25 s), the client MTU (1420 default or lower), preshared
# key, who starts the handshake (the client; or, one session in seven, the server, as on a
# site-to-site link with both endpoints configured), the traffic and the session length
# (4-45 s, one in twenty 125-140 s, long enough to rekey). The capture keeps only the WireGuard ports.
# Batch t (the small test sample, never training data) makes light sessions: 3-6 s of
# small pings and idle gaps, a few fetches only of the smallest page and file.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
access_init WireGuard "${1:-}" 40
W=$ACCESS_WORK
export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 LOG_LEVEL=error
LIGHT=0; [ "$FC_BATCH" = t ] && LIGHT=1
SLOTS=8         # tunnel addresses per server interface: one per session running at a time

# the server interfaces of this batch: 1-3, the first on 51820 or another usual port
G=$(rand 1 3)
SPORT=() SMTU=() SPRIV=() SPUB=()
for ((g = 0; g < G; g++)); do
    if [ $g -eq 0 ]; then SPORT[g]=$(pick 51820 51820 51820 443 4500 51821); else SPORT[g]=$(pick 51821 51822 1194 $(rand 10000 49000)); fi
    for ((k = 0; k < g; k++)); do [ "${SPORT[g]}" = "${SPORT[k]}" ] && SPORT[g]=$((SPORT[g] + 7 + g)); done
    SMTU[g]=$(pick 1420 1420 1420 1400 1380)
    SPRIV[g]=$(wg genkey); SPUB[g]=$(wg pubkey <<<"${SPRIV[g]}")
done
# each session's server interface, keys and preshared key (or none)
SG=() CPRIV=() CPUB=() PSK=()
for ((i = 1; i <= ACCESS_SESSIONS; i++)); do
    SG[i]=$(($(seeded_draw) % G))
    CPRIV[i]=$(wg genkey); CPUB[i]=$(wg pubkey <<<"${CPRIV[i]}")
    PSK[i]=""; [ $(($(seeded_draw) % 3)) -eq 0 ] && PSK[i]=$(wg genpsk)
done

# nginx on every tunnel address of the server (and its loopback): only the tunnel reaches it
listen=""
for ((g = 0; g < G; g++)); do
    for ((s = 1; s <= SLOTS; s++)); do listen+="listen 10.66.$g.$s:8080; "; done
done
access_web_site "server { $listen root $W/www; }"

netns_up
wg_cleanup() {
    netns_down
    rm -f /var/run/wireguard/fws$$-*.sock /var/run/wireguard/fwc$$-*.sock
    rm -rf "$ACCESS_WORK"
}
trap 'kill $(jobs -p) 2>/dev/null; wg_cleanup' EXIT

# wait_sock DEV: until wireguard-go has made its control socket
wait_sock() {
    local k
    for k in $(seq 50); do [ -S "/var/run/wireguard/$1.sock" ] && return 0; sleep 0.1; done
    netns_say "wireguard-go made no interface $1"; return 1
}

for ((g = 0; g < G; g++)); do
    dev=fws$$-$g
    bg_srv wireguard-go -f "$dev" >>"$W/wg-server.log" 2>&1
    wait_sock "$dev" || exit 1
    { printf '[Interface]\nPrivateKey = %s\nListenPort = %s\n' "${SPRIV[g]}" "${SPORT[g]}"
      for ((i = 1; i <= ACCESS_SESSIONS; i++)); do
          [ "${SG[i]}" = "$g" ] || continue
          printf '\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.66.%s.%s/32\n' "${CPUB[i]}" "$g" $((10 + i))
          [ -n "${PSK[i]}" ] && printf 'PresharedKey = %s\n' "${PSK[i]}"
      done; } > "$W/server$g.conf"
    in_srv wg setconf "$dev" "$W/server$g.conf" || exit 1
    in_srv ip addr add "10.66.$g.1/24" dev "$dev"
    for ((s = 2; s <= SLOTS; s++)); do in_srv ip addr add "10.66.$g.$s/32" dev "$dev"; done
    in_srv ip link set "$dev" mtu "${SMTU[g]}" up
    wait_port udp "${SPORT[g]}" || exit 1
done
bg_srv nginx -c "$W/nginx.conf" -g 'daemon off;'
wait_tcp_port 8080 || exit 1
sleep 1

filter="udp and host $NETNS_SRV_IP and host $NETNS_CLI_IP and ("
for ((g = 0; g < G; g++)); do [ $g -gt 0 ] && filter+=" or "; filter+="port ${SPORT[g]}"; done
capture_start "$ACCESS_OUT/wireguard-$FC_BATCH.pcap" "$filter)"

ping_size() {
    if [ $LIGHT = 1 ]; then pick 0 8 56 64 100 248; else pick 0 8 56 56 56 64 100 248 500 1000 1200 1372 1400 1472; fi
}

# one thing sent through the tunnel from the client (or, srvping, from the server)
tunnel_action() {
    local what=$1 dst=$2 cli=$3 k
    local count=$(rand 1 10) path=$(access_web_path)
    [ $LIGHT = 1 ] && { count=$(rand 1 2); path=$(pick page1.html file1.bin); }
    case $what in
    ping) in_cli timeout 30 busybox ping -q -c "$count" -s "$(ping_size)" -i "$(pick 0.2 0.5 1 1 1)" -W 3 "$dst" >/dev/null 2>&1 ;;
    srvping) in_srv timeout 30 busybox ping -q -c "$(rand 1 $((5 - 2 * LIGHT)))" -s "$(ping_size)" -W 3 -I "$dst" "$cli" >/dev/null 2>&1 ;;
    fetch) for ((k = $(rand 1 $((3 - 2 * LIGHT))); k > 0; k--)); do
               in_cli timeout 45 curl -s -o /dev/null -A "$(access_user_agent)" "http://$dst:8080/$path"
               sleep "0.$(rand 1 9)"; path=$(access_web_path)
           done ;;
    idle) sleep "$(rand 2 20).$(rand 0 9)" ;;
    esac
}

session() {
    local i=$1 g=${SG[$1]} s dst cli dev port="" ka=0 mtu s2s=0 pid len start what
    s=$(access_take_slot)
    dst=10.66.$g.$((1 + s)); cli=10.66.$g.$((10 + i)); dev=fwc$$-$i
    # the client's own port: a fixed ListenPort unique in the batch, or (one in three) none
    [ $(($(seeded_draw) % 3)) -ne 0 ] && port=$((20000 + ($(seeded_draw) % 560) * 64 + i))
    [ $(($(seeded_draw) % 7)) -eq 0 ] && { s2s=1; [ -n "$port" ] || port=$((20000 + ($(seeded_draw) % 560) * 64 + i)); }
    [ $(($(seeded_draw) % 2)) -eq 0 ] && ka=$(pick 1 5 10 15 20 25 25 25 $(rand 1 25))
    mtu=$(pick 1420 1420 1420 1420 1412 1400 1380 1360 1320 1280)
    case $(rand 0 19) in
    0) len=$(rand 125 140) ;;
    1|2|3|4|5|6|7) len=$(rand 4 15) ;;
    *) len=$(rand 12 45) ;;
    esac
    [ $LIGHT = 1 ] && len=$(rand 3 6)
    { printf '[Interface]\nPrivateKey = %s\n' "${CPRIV[i]}"
      [ -n "$port" ] && printf 'ListenPort = %s\n' "$port"
      printf '\n[Peer]\nPublicKey = %s\nEndpoint = %s:%s\nAllowedIPs = %s/32\n' "${SPUB[g]}" "$NETNS_SRV_IP" "${SPORT[g]}" "$dst"
      [ -n "${PSK[i]}" ] && printf 'PresharedKey = %s\n' "${PSK[i]}"
      [ "$ka" != 0 ] && printf 'PersistentKeepalive = %s\n' "$ka"; } > "$W/client$i.conf"
    in_cli wireguard-go -f "$dev" >>"$W/wg-client.log" 2>&1 &
    pid=$!
    if wait_sock "$dev" && in_cli wg setconf "$dev" "$W/client$i.conf"; then
        in_cli ip addr add "$cli/32" dev "$dev"
        in_cli ip link set "$dev" mtu "$mtu" up
        in_cli ip route add "$dst/32" dev "$dev" src "$cli"
        start=$SECONDS
        if [ $s2s = 1 ]; then
            # site-to-site: the server knows the client's endpoint and speaks first
            in_srv wg set "fws$$-$g" peer "${CPUB[i]}" endpoint "$NETNS_CLI_IP:$port"
            tunnel_action srvping "$dst" "$cli"
        else
            what=$(pick ping fetch fetch); [ $LIGHT = 1 ] && what=ping
            tunnel_action "$what" "$dst" "$cli"
        fi
        while [ $((SECONDS - start)) -lt "$len" ]; do
            what=$(pick ping ping fetch fetch fetch idle idle srvping)
            [ $LIGHT = 1 ] && what=$(pick ping ping idle idle srvping fetch)
            if [ "$what" = idle ]; then
                sleep "$(rand 1 $((len - (SECONDS - start) + 1))).$(rand 0 9)"
            else
                tunnel_action "$what" "$dst" "$cli"
            fi
        done
        # a last exchange before the interface goes down, sometimes
        [ $(($(seeded_draw) % 2)) -eq 0 ] && tunnel_action ping "$dst" "$cli"
        # and in one session of two the tunnel stays up a little longer (its passive
        # keepalive answers the server's last data); otherwise it goes down at once, and the
        # server, having sent data that got no answer, retries handshakes for 90 s
        [ $(($(seeded_draw) % 2)) -eq 0 ] && [ $LIGHT = 0 ] && sleep "$(rand 11 15).$(rand 0 9)"
    fi
    in_cli ip link del "$dev" 2>/dev/null
    for k in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    rm -f "/var/run/wireguard/$dev.sock"
    rmdir "$W/slot.$s"
}

run_sessions 5 session
capture_stop
access_done
