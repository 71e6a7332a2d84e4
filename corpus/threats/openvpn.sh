#!/usr/bin/env bash
# corpus/threats/openvpn.sh OUTDIR: OpenVPN sessions (OpenVPN 2.6 server and clients, tun
# mode, over UDP) -> OUTDIR/OpenVPN/FC_BATCH/
#
# A PKI made per batch with openssl (CA, server and client certificates; EC P-256/P-384 or
# RSA 2048 keys, chosen by FC_SEED), static keys for --tls-auth / --tls-crypt and a
# tls-crypt-v2 server key and client key made with openvpn --genkey. Several openvpn servers
# in the server namespace (one per server-side setting, each on its own port and tunnel
# subnet 10.8.K.0/24, its own tun device), control channel
# protection none / tls-auth (SHA256, SHA512) / tls-crypt / tls-crypt-v2, compression stub or
# none, keepalive intervals, tun-mtu/mssfix or fragment on some. An nginx in the server
# namespace listens only on the servers' tunnel addresses (10.8.K.1:8080).
# Each session is one openvpn client in the client namespace (--nobind: its own source port,
# so one UDP 5-tuple a session) on its own tun device; the client
# chooses the data cipher (AES-256-GCM, AES-128-GCM, CHACHA20-POLY1305), TLS 1.2 or 1.3, its
# certificate, ping interval and explicit-exit-notify; once its log says "Initialization
# Sequence Completed" it sends 1-6 things through the tunnel (busybox ping of 56-1400
# bytes, curl fetches of pages 6 KB-1 MB and files 4 KB-2 MB, bound to its tun device, idle
# gaps of 2-12 s) and is stopped. The capture keeps only the servers' ports between the two
# namespaces' veth addresses (the outer OpenVPN packets).
# OpenVPN over TCP is not made: a model with TCP sessions (27 of 114 in a first run) sat so
# close to WhatsApp's TCP connections (both encrypted, in length-prefixed records) that the
# corpus's WhatsApp recall, left out by file, fell from 0.98 to 0.68 (bench/accuracy).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
access_init OpenVPN "${1:-}" 38
W=$ACCESS_WORK
P=$W/pki
mkdir -p "$P"
trap 'rm -rf "$W"' EXIT

# server K: port control-protection extra-options (; separated words)
SERVERS=(
    "1194 tls-crypt keepalive=10,60"
    "1195 tls-auth-sha256 keepalive=5,30;compress=stub-v2"
    "1196 none keepalive=15,120"
    "1197 tls-crypt-v2 keepalive=10,60;tun-mtu=1400;mssfix=1360"
    "1198 tls-auth-sha512 keepalive=20,120;fragment=1300;mssfix=1300"
    "1199 tls-crypt keepalive=$(pick 10 20 25),120;compress=stub"
)
# sessions pick a server from this list
SERVER_PICK=(0 0 1 1 2 2 3 3 4 5 5)

# the PKI: key types drawn per batch
pki_key() { # FILE TYPE
    case $2 in
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null ;;
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1" 2>/dev/null ;;
    esac
}
pki_make() {
    local ca_t srv_t k t
    ca_t=$(pick rsa p256 p384); srv_t=$(pick rsa p256 p384)
    pki_key "$P/ca.key" "$ca_t"
    openssl req -x509 -new -key "$P/ca.key" -sha256 -days 3650 -subj "/CN=FlowCarp VPN CA $FC_BATCH" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -out "$P/ca.crt" 2>/dev/null || return 1
    cat > "$P/srv.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage=serverAuth
EXT
    cat > "$P/cli.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyAgreement
extendedKeyUsage=clientAuth
EXT
    pki_key "$P/server.key" "$srv_t"
    openssl req -new -key "$P/server.key" -subj "/CN=vpn-server-$FC_BATCH" -out "$P/server.csr" 2>/dev/null &&
        openssl x509 -req -in "$P/server.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial -days 825 \
            -sha256 -extfile "$P/srv.ext" -out "$P/server.crt" 2>/dev/null || return 1
    for k in 0 1 2 3; do
        t=$(pick rsa p256 p256 p384)
        pki_key "$P/client$k.key" "$t"
        openssl req -new -key "$P/client$k.key" -subj "/CN=vpn-client-$k-$FC_BATCH" -out "$P/client$k.csr" 2>/dev/null &&
            openssl x509 -req -in "$P/client$k.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial -days 825 \
                -sha256 -extfile "$P/cli.ext" -out "$P/client$k.crt" 2>/dev/null || return 1
    done
    openvpn --genkey secret "$P/ta.key" >/dev/null &&
        openvpn --genkey tls-crypt-v2-server "$P/tc2-server.key" >/dev/null &&
        openvpn --tls-crypt-v2 "$P/tc2-server.key" --genkey tls-crypt-v2-client "$P/tc2-client.key" >/dev/null
}
pki_make || { netns_say "could not make the PKI"; exit 3; }

# server and client options for control-channel protection PROT (SIDE: server or client)
prot_opts() {
    case $1 in
    none) ;;
    tls-crypt) echo "--tls-crypt $P/ta.key" ;;
    tls-auth-sha256) echo "--tls-auth $P/ta.key $([ "$2" = server ] && echo 0 || echo 1) --auth SHA256" ;;
    tls-auth-sha512) echo "--tls-auth $P/ta.key $([ "$2" = server ] && echo 0 || echo 1) --auth SHA512" ;;
    tls-crypt-v2) if [ "$2" = server ]; then echo "--tls-crypt-v2 $P/tc2-server.key"; else echo "--tls-crypt-v2 $P/tc2-client.key"; fi ;;
    esac
}
# extra options (server side; fragment, mtu and compression apply on both ends)
extra_opts() { # EXTRA SIDE
    local o
    for o in ${1//;/ }; do
        case $o in
        keepalive=*) [ "$2" = server ] && echo "--keepalive ${o#*=}" | tr , ' ' ;;
        compress=*) echo "--compress ${o#*=}" ;;
        *) echo "--${o%%=*} ${o#*=}" ;;
        esac
    done
}

# nginx only on the tunnel addresses (the servers' tun devices come up before nginx starts)
sites=""
for k in "${!SERVERS[@]}"; do sites+="server { listen 10.8.$k.1:8080; root $W/www; } "; done
access_web_site "$sites"

netns_up
# on an error or interrupt: the session subshells too, then the namespaces
trap 'kill $(jobs -p) 2>/dev/null; netns_down; rm -rf "$W"' EXIT
# clients share tunnel subnets on separate tun devices: no reverse-path filtering
in_cli sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
ports=()
for k in "${!SERVERS[@]}"; do
    read -r port prot extra <<<"${SERVERS[k]}"
    # shellcheck disable=SC2046
    bg_srv openvpn --mode server --tls-server --dev fcvs$k --dev-type tun --proto udp \
        --local "$NETNS_SRV_IP" --port "$port" --topology subnet --server "10.8.$k.0" 255.255.255.0 \
        --ca "$P/ca.crt" --cert "$P/server.crt" --key "$P/server.key" --dh none \
        --data-ciphers AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305 --tls-version-min 1.2 \
        --duplicate-cn --max-clients 64 --persist-key --verb 3 --log "$W/server$k.log" \
        $(prot_opts "$prot" server) $(extra_opts "$extra" server) &
    ports+=("udp port $port")
done
for k in "${!SERVERS[@]}"; do
    for i in $(seq 100); do grep -q "Initialization Sequence Completed" "$W/server$k.log" 2>/dev/null && break; sleep 0.1; done
    grep -q "Initialization Sequence Completed" "$W/server$k.log" 2>/dev/null ||
        { netns_say "openvpn server $k did not start:"; tail -5 "$W/server$k.log" >&2; exit 1; }
done
bg_srv nginx -c "$W/nginx.conf" -g 'daemon off;'
wait_tcp_port 8080 || exit 1
sleep 1
filter="host $NETNS_SRV_IP and host $NETNS_CLI_IP and ("
for k in "${!ports[@]}"; do [ "$k" -gt 0 ] && filter+=" or "; filter+="(${ports[k]})"; done
filter+=")"
capture_start "$ACCESS_OUT/openvpn-$FC_BATCH.pcap" "$filter"

# session I: one openvpn client on its own tun device fcvc<slot>
session() {
    local i=$1 k slot dev port prot extra log pid n what try ok=0
    k=${SERVER_PICK[$(seeded_draw) % ${#SERVER_PICK[@]}]}
    read -r port prot extra <<<"${SERVERS[k]}"
    local cipher tlsmax cert ping_opt exit_opt
    cipher=$(pick AES-256-GCM AES-256-GCM AES-128-GCM CHACHA20-POLY1305)
    tlsmax=$(pick "" "" "--tls-version-max 1.2")
    cert=$(rand 0 3)
    ping_opt=$(pick "" "" "--ping $(rand 5 15)")
    exit_opt=$(pick "" "--explicit-exit-notify 1" "--explicit-exit-notify 2")
    # the actions, drawn before the client starts so they do not depend on its timing
    local actions=() m
    for ((m = $(rand 1 6); m > 0; m--)); do
        case $(pick ping ping curl curl curl idle) in
        ping) actions+=("ping $(rand 1 8) $(pick 56 56 64 100 200 512 1000 1200 1400) $(pick 0.2 0.5 1 1)") ;;
        curl) actions+=("curl $(access_web_path) $(access_user_agent | tr ' ' '_')") ;;
        idle) actions+=("idle $(rand 2 12)") ;;
        esac
    done
    slot=$(access_take_slot)
    dev=fcvc$slot
    for try in 1 2; do
        log=$W/client$i.$try.log
        # shellcheck disable=SC2046
        ip netns exec "$NETNS_CLI" openvpn --client --dev "$dev" --dev-type tun --proto udp --remote "$NETNS_SRV_IP" "$port" \
            --nobind --ca "$P/ca.crt" --cert "$P/client$cert.crt" --key "$P/client$cert.key" \
            --remote-cert-tls server --data-ciphers "$cipher" $tlsmax $ping_opt $exit_opt \
            --connect-retry-max 1 --resolv-retry 0 --route-noexec --verb 3 --log "$log" \
            $(prot_opts "$prot" client) $(extra_opts "$extra" client) &
        pid=$!
        for n in $(seq 200); do
            grep -q "Initialization Sequence Completed" "$log" 2>/dev/null && { ok=1; break; }
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        [ $ok = 1 ] && break
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
        netns_say "session $i: client did not connect (try $try):"; grep -v "^$" "$log" | tail -4 >&2
    done
    if [ $ok = 1 ]; then
        sleep "0.$(rand 2 9)"
        for what in "${actions[@]}"; do
            set -- $what
            case $1 in
            ping) in_cli busybox ping -q -c "$2" -s "$3" -i "$4" -W 3 -I "$dev" "10.8.$k.1" >/dev/null 2>&1 ;;
            curl) in_cli timeout 60 curl -s -o /dev/null --interface "$dev" -A "${3//_/ }" "http://10.8.$k.1:8080/$2" ;;
            idle) sleep "$2" ;;
            esac
            sleep "$(rand 0 2).$(rand 0 9)"
        done
        kill "$pid" 2>/dev/null
        for n in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    rmdir "$ACCESS_WORK/slot.$slot"
}

run_sessions 4 session
capture_stop
access_done
trap netns_down EXIT
