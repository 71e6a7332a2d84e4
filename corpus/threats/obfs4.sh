#!/usr/bin/env bash
# corpus/threats/obfs4.sh OUTDIR: obfs4 sessions (obfs4proxy server and client, the Tor
# pluggable transport, driven without Tor) -> OUTDIR/obfs4/FC_BATCH/
#
# obfs4proxy speaks the pluggable-transport protocol (pt-spec) to whoever starts it, here
# this script: a server is configured by TOR_PT_SERVER_* variables and relays the
# deobfuscated stream of each obfs4 connection to its "ORPort", which is an nginx that only
# it can reach (on the server's loopback), so a client's bytes after the obfs4 handshake
# are plain HTTP to nginx; the client prints "CMETHOD obfs4 socks5 ADDR" and takes SOCKS5
# connections whose user name and password, joined, are the bridge's arguments
# (cert=...;iat-mode=N, cert from the server's obfs4_bridgeline.txt). curl fetches pages
# and files through it. Only the obfs4 connections cross the link.
#
# Five bridges, one obfs4proxy server each (own keys, made per batch): inter-arrival-time
# obfuscation off, on, paranoid (iat-mode 0, 1, 2), and iat-mode 0 and 1 with the biased
# ScrambleSuit-like length distributions (-obfs4-distBias, on both ends). A session uses
# one bridge: either 1-4 fetches, one connection each, with think times, or one connection
# carrying 2-5 keep-alive requests paced by curl --rate (idle gaps of 3-20 s inside the
# connection, as a long-lived tunnel has). The bridge, page and file sizes, requests and
# pauses vary with FC_SEED.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
access_init obfs4 "${1:-}" 36
W=$ACCESS_WORK
# bridge: port, iat-mode, extra obfs4proxy option
BRIDGES=(
    "9401 0 -"
    "9402 1 -"
    "9403 2 -"
    "9404 0 -obfs4-distBias"
    "9405 1 -obfs4-distBias"
)

access_web_site "keepalive_timeout 120s;"

netns_up
bg_srv nginx -c "$W/nginx.conf" -g 'daemon off;'
for k in "${!BRIDGES[@]}"; do
    read -r port iat opt <<<"${BRIDGES[k]}"
    [ "$opt" = - ] && opt=""
    mkdir -p "$W/srv$k" "$W/cli$k"
    bg_srv env TOR_PT_MANAGED_TRANSPORT_VER=1 TOR_PT_STATE_LOCATION="$W/srv$k" \
        TOR_PT_SERVER_TRANSPORTS=obfs4 TOR_PT_SERVER_BINDADDR="obfs4-$NETNS_SRV_IP:$port" \
        TOR_PT_SERVER_TRANSPORT_OPTIONS="obfs4:iat-mode=$iat" TOR_PT_ORPORT=127.0.0.1:8080 \
        obfs4proxy $opt >"$W/srv$k.out" 2>&1
    # one client per bridge: -obfs4-distBias is a process-wide option of obfs4proxy
    bg_cli env TOR_PT_MANAGED_TRANSPORT_VER=1 TOR_PT_STATE_LOCATION="$W/cli$k" \
        TOR_PT_CLIENT_TRANSPORTS=obfs4 obfs4proxy $opt >"$W/cli$k.out" 2>&1
done
wait_tcp_port 8080 || exit 1
for k in "${!BRIDGES[@]}"; do
    read -r port iat opt <<<"${BRIDGES[k]}"
    wait_tcp_port "$port" || exit 1
    for _ in $(seq 100); do
        grep -q '^CMETHODS DONE' "$W/cli$k.out" && [ -s "$W/srv$k/obfs4_bridgeline.txt" ] && break
        sleep 0.1
    done
    # the client's SOCKS5 port (it picks one) and the bridge's certificate
    socks=$(sed -n 's/^CMETHOD obfs4 socks5 //p' "$W/cli$k.out")
    cert=$(sed -n 's/^Bridge obfs4 .* cert=\([^ ]*\) .*/\1/p' "$W/srv$k/obfs4_bridgeline.txt")
    [ -n "$socks" ] && [ -n "$cert" ] || { netns_say "obfs4proxy bridge $k did not start: $(cat "$W/cli$k.out" "$W/srv$k.out")"; exit 1; }
    # the SOCKS5 user name and password are joined into the bridge's arguments
    echo "$port $socks cert=$cert ;iat-mode=$iat" > "$W/bridge$k"
done
sleep 1
capture_start "$ACCESS_OUT/obfs4-$FC_BATCH.pcap" "tcp portrange 9401-9405"

url() { echo "http://$NETNS_SRV_IP:$1/$(access_web_path)"; }

session() {
    local k=$(($(seeded_draw) % ${#BRIDGES[@]})) port socks user pass n urls agent
    read -r port socks user pass < "$W/bridge$k"
    agent=$(access_user_agent)
    if [ $(($(seeded_draw) % 3)) -eq 0 ]; then
        # one connection, keep-alive requests at most N a minute: idle gaps inside the tunnel
        urls=()
        for ((n = $(rand 2 5); n > 0; n--)); do urls+=(-o /dev/null "$(url "$port")"); done
        in_cli timeout 120 curl -s --socks5 "$socks" -U "$user:$pass" -A "$agent" --rate "$(rand 3 20)/m" "${urls[@]}"
    else
        for ((n = $(rand 1 4); n > 0; n--)); do
            in_cli timeout 45 curl -s -o /dev/null --socks5 "$socks" -U "$user:$pass" -A "$agent" "$(url "$port")"
            sleep "$(rand 0 2).$(rand 0 9)"
        done
    fi
}

run_sessions 4 session
capture_stop
access_done
