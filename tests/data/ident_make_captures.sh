#!/usr/bin/env bash
# \summary: makes tests/data/ident_*.pcap: real programs talking in a private network namespace
#
# Run as root from the source tree: bash tests/data/ident_make_captures.sh
# Everything happens inside `unshare -n` (a new, empty network namespace), so the host's
# loopback is untouched; there lo gets MTU 1500 and its offloads are turned off, so TCP
# segments look as on a real Ethernet network. Captures:
#   ident_web.pcap   TLS: curl fetching https://127.0.0.1:14433/ from `openssl s_server -www`
#                    4 times (TLS 1.3 twice, TLS 1.2 twice); HTTP: curl fetching 3 pages from
#                    nginx on port 18081; DNS: dig asking dnsmasq on port 10054 4 questions
#   ident_redis.pcap Redis (no built-in model knows it): redis-cli PING, SET, GET against
#                    redis-server on port 16380, one connection each
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" != inside ]; then
    exec unshare -n bash "$0" inside
fi
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ip link set lo up mtu 1500
ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 30 \
    -subj /CN=flowcarp.test >/dev/null 2>&1
mkdir -p "$work/www"
printf 'hello from nginx\n' > "$work/www/index.html"
head -c 6000 /usr/share/common-licenses/GPL-3 > "$work/www/licence.txt"
cat > "$work/nginx.conf" <<EOF
daemon off; worker_processes 1; pid $work/nginx.pid; error_log $work/error.log;
events { worker_connections 16; }
http { access_log off; server { listen 127.0.0.1:18081; root $work/www; } }
EOF
printf 'address=/flowcarp.test/10.1.2.3\nno-resolv\nno-hosts\n' > "$work/dnsmasq.conf"

nginx -c "$work/nginx.conf" &
openssl s_server -quiet -www -accept 14433 -cert "$work/cert.pem" -key "$work/key.pem" >/dev/null 2>&1 &
dnsmasq -k -C "$work/dnsmasq.conf" -p 10054 --listen-address=127.0.0.1 --bind-interfaces \
    --pid-file="$work/dnsmasq.pid" 2>/dev/null &
sleep 1

tcpdump -i lo -s 0 -U -w "$out/ident_web.pcap" 'port 14433 or port 18081 or port 10054' 2>/dev/null &
dump=$!
sleep 1
for v in --tlsv1.3 --tlsv1.3 "--tlsv1.2 --tls-max 1.2" "--tlsv1.2 --tls-max 1.2"; do
    curl -s -k $v -o /dev/null https://127.0.0.1:14433/ || true
done
for page in / /licence.txt /missing; do
    curl -s -o /dev/null "http://127.0.0.1:18081$page"
done
for q in "flowcarp.test A" "www.flowcarp.test A" "flowcarp.test AAAA" "mail.flowcarp.test MX"; do
    dig +short +tries=1 +time=2 -p 10054 @127.0.0.1 $q >/dev/null || true
done
sleep 1
kill $dump; wait $dump 2>/dev/null || true

redis-server --port 16380 --save '' --appendonly no --daemonize no >/dev/null &
sleep 1
tcpdump -i lo -s 0 -U -w "$out/ident_redis.pcap" 'port 16380' 2>/dev/null &
dump=$!
sleep 1
redis-cli -p 16380 PING >/dev/null
redis-cli -p 16380 SET flowcarp test >/dev/null
redis-cli -p 16380 GET flowcarp >/dev/null
sleep 1
kill $dump; wait $dump 2>/dev/null || true
