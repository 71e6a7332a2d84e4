#!/usr/bin/env bash
# corpus/threats/vmess.sh OUTDIR: VMess sessions (V2Ray server and client, VMess over TCP)
# -> OUTDIR/VMess/FC_BATCH/
#
# A V2Ray server (VMess inbound, freedom outbound) in the server namespace relays to an
# nginx that only it can reach (on the server's loopback); V2Ray clients in the client
# namespace (SOCKS inbound on the client's loopback, VMess outbound) carry curl's requests.
# Only the VMess connections cross the link. The clients differ in VMess header version
# (AEAD with alterId 0, legacy with alterId 16), body security (aes-128-gcm,
# chacha20-poly1305, none) and multiplexing (mux); the client, page and file sizes,
# requests per session and think times vary with FC_SEED.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
access_init VMess "${1:-}" 36
W=$ACCESS_WORK
ID_AEAD=5f1c2e4a-8b7d-4c3e-9a61-2d0f4b8e7c15
ID_LEGACY=a3e8d1b6-42c7-4f95-b0d2-7e61c9f83a40
# client: port of the server inbound, user id, alterId, body security, mux
CLIENTS=(
    "10086 $ID_AEAD 0 aes-128-gcm false"
    "10086 $ID_AEAD 0 chacha20-poly1305 false"
    "10086 $ID_AEAD 0 aes-128-gcm true"
    "10086 $ID_AEAD 0 none false"
    "10087 $ID_LEGACY 16 aes-128-gcm false"
    "10087 $ID_LEGACY 16 chacha20-poly1305 true"
)

access_web_site

cat > "$W/server.json" <<CFG
{
  "log": { "loglevel": "warning" },
  "inbounds": [
    { "listen": "$NETNS_SRV_IP", "port": 10086, "protocol": "vmess",
      "settings": { "clients": [ { "id": "$ID_AEAD", "alterId": 0 } ] } },
    { "listen": "$NETNS_SRV_IP", "port": 10087, "protocol": "vmess",
      "settings": { "clients": [ { "id": "$ID_LEGACY", "alterId": 16 } ] } }
  ],
  "outbounds": [ { "protocol": "freedom" } ]
}
CFG
for k in "${!CLIENTS[@]}"; do
    read -r port id alter security mux <<<"${CLIENTS[k]}"
    cat > "$W/client$k.json" <<CFG
{
  "log": { "loglevel": "warning" },
  "inbounds": [ { "listen": "127.0.0.1", "port": $((1080 + k)), "protocol": "socks",
                  "settings": { "udp": false } } ],
  "outbounds": [ { "protocol": "vmess", "mux": { "enabled": $mux },
    "settings": { "vnext": [ { "address": "$NETNS_SRV_IP", "port": $port,
      "users": [ { "id": "$id", "alterId": $alter, "security": "$security" } ] } ] } } ]
}
CFG
done

netns_up
bg_srv nginx -c "$W/nginx.conf" -g 'daemon off;'
bg_srv v2ray -config "$W/server.json" >>"$W/v2ray.log" 2>&1
for k in "${!CLIENTS[@]}"; do
    bg_cli v2ray -config "$W/client$k.json" >>"$W/v2ray.log" 2>&1
done
wait_tcp_port 8080 && wait_tcp_port 10086 && wait_tcp_port 10087 || exit 1
sleep 2
capture_start "$ACCESS_OUT/vmess-$FC_BATCH.pcap" "tcp portrange 10086-10087"

session() { access_socks_session ${#CLIENTS[@]}; }

run_sessions 4 session
capture_stop
access_done
