#!/usr/bin/env bash
# corpus/threats/shadowsocks.sh OUTDIR: Shadowsocks sessions (shadowsocks-libev ss-server and
# ss-local) -> OUTDIR/Shadowsocks/FC_BATCH/
#
# ss-server in the server namespace relays to an nginx that only it can reach (on the
# server's loopback); ss-local in the client namespace is a SOCKS5 proxy on the client's
# loopback that curl fetches pages and files through. Only the ss-local <-> ss-server
# connections cross the link. The AEAD cipher (one server per cipher), page and file
# sizes, requests per session and think times vary with FC_SEED.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
access_init Shadowsocks "${1:-}" 36
W=$ACCESS_WORK
CIPHERS=(chacha20-ietf-poly1305 aes-256-gcm aes-128-gcm aes-192-gcm xchacha20-ietf-poly1305)

access_web_site

netns_up
bg_srv nginx -c "$W/nginx.conf" -g 'daemon off;'
for k in "${!CIPHERS[@]}"; do
    bg_srv ss-server -s "$NETNS_SRV_IP" -p $((8388 + k)) -k "fc-ss-pass-$k" -m "${CIPHERS[k]}" -t 60 >>"$W/ss.log" 2>&1
    bg_cli ss-local -s "$NETNS_SRV_IP" -p $((8388 + k)) -l $((1080 + k)) -b 127.0.0.1 -k "fc-ss-pass-$k" -m "${CIPHERS[k]}" -t 60 >>"$W/ss.log" 2>&1
done
wait_tcp_port 8080 && wait_tcp_port 8388 || exit 1
sleep 1
capture_start "$ACCESS_OUT/shadowsocks-$FC_BATCH.pcap" "tcp portrange 8388-8399"

session() { access_socks_session ${#CIPHERS[@]}; }

run_sessions 4 session
capture_stop
access_done
