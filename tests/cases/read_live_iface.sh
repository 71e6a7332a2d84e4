#!/usr/bin/env bash
# iface:NAME / -i NAME: live capture in a private network namespace (its own loopback, so
# nothing else is on the wire): curl fetches pages from nginx and dig asks dnsmasq while
# fc-read -i lo and tcpdump watch the interface. fc-read's flows are those of tcpdump's
# capture read as a file, and as many as tshark finds conversations; the BPF filter
# option applies to the interface.
source "$(dirname "$0")/../lib.sh"

if [ "${1:-}" != inside ]; then
    if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
        skip read_live_iface "needs root and network namespaces (unshare -n)"
        exit 0
    fi
    for tool in nginx dnsmasq curl dig tcpdump tshark; do
        command -v "$tool" >/dev/null || { skip read_live_iface "$tool not installed"; exit 0; }
    done
    exec timeout 60 unshare -n bash "$0" inside
fi

ip link set lo up
wait_for_text() {
    for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
mkdir -p "$TMP/www" "$TMP/nginx"
chmod 755 "$TMP" "$TMP/www"
head -c 30000 /dev/urandom | base64 > "$TMP/www/big.txt"
echo "hello" > "$TMP/www/index.html"
chmod 644 "$TMP/www"/*
cat > "$TMP/nginx/nginx.conf" <<CONF
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx; proxy_temp_path $TMP/nginx; fastcgi_temp_path $TMP/nginx;
    uwsgi_temp_path $TMP/nginx; scgi_temp_path $TMP/nginx;
    server { listen 127.0.0.1:18080; root $TMP/www; }
}
CONF
nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" 2> "$TMP/nginx.err" &
web=$!
dnsmasq --no-daemon --port=10053 --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
    --address=/flowcarp.test/10.1.2.3 2> "$TMP/dnsmasq.err" &
dns=$!

for _ in $(seq 100); do ss -ltn | grep -q '127.0.0.1:18080 ' && ss -lun | grep -q '127.0.0.1:10053 ' && break; sleep 0.1; done

# The captures are ended by SIGTERM once the traffic is over (fc-read then still reads what
# the kernel has caught), so a slow machine cannot end them early.
fc-read -v -i lo > "$TMP/live.fcr" 2> "$TMP/live.err" &
reader=$!
fc-read -v -f 'udp' iface:lo > "$TMP/udp.fcr" 2> "$TMP/udp.err" &
udp_reader=$!
tcpdump -i lo --immediate-mode -U -w "$TMP/wire.pcap" 2> "$TMP/tcpdump.err" &
dump=$!
wait_for_text "$TMP/tcpdump.err" "listening on"
wait_for_text "$TMP/live.err" "source 0"
wait_for_text "$TMP/udp.err" "source 0"
dig +short +tries=1 +time=2 -p 10053 @127.0.0.1 flowcarp.test > /dev/null
dig +short +tries=1 +time=2 -p 10053 @127.0.0.1 other.flowcarp.test > /dev/null
curl -s -o /dev/null http://127.0.0.1:18080/
curl -s -o /dev/null http://127.0.0.1:18080/big.txt
curl -s -o /dev/null http://127.0.0.1:18080/missing
# tcpdump drops what it has not written when interrupted: wait until its file stops growing
size=-1
for _ in $(seq 100); do
    sleep 0.3
    [ "$(wc -c < "$TMP/wire.pcap")" -eq "$size" ] && break
    size=$(wc -c < "$TMP/wire.pcap")
done
kill -INT "$dump"; wait "$dump"
kill -TERM "$reader" "$udp_reader"
wait "$reader"
check_eq iface_exit_status_after_sigterm 0 "$?"
wait "$udp_reader"
kill "$web" "$dns" 2>/dev/null; wait "$web" "$dns" 2>/dev/null

flows_csv() { fc-flow | fc-emit --format CSV; }
flows_csv < "$TMP/live.fcr" > "$TMP/live.csv"
# Each packet socket stamps its own copy, so times differ by a microsecond or two: flows
# are compared on everything but times and the identifiers made from the start time.
# Flows are sorted: live, fc-flow also ends flows by the wall clock (clock records), so
# they may come out in another order than from the file.
check_files_eq iface_flows_equal_tcpdump_capture_flows <(fc-read "$TMP/wire.pcap" | flows_csv | cut -d, -f4-17,25 | sort) \
    <(cut -d, -f4-17,25 "$TMP/live.csv" | sort)
check_eq iface_flow_count_matches_tshark_conversations \
    "$(tshark -r "$TMP/wire.pcap" -q -z conv,tcp -z conv,udp 2>/dev/null | grep -c '<->')" \
    "$(sed 1d "$TMP/live.csv" | grep -c -E ',(TCP|UDP),')"
check_eq iface_saw_three_http_and_two_dns_flows "3 2" \
    "$(grep -c ',TCP,127.0.0.1,[0-9]*,127.0.0.1,18080,' "$TMP/live.csv") $(grep -c ',UDP,127.0.0.1,[0-9]*,127.0.0.1,10053,' "$TMP/live.csv")"
check_eq iface_source_named "iface:lo 1" \
    "$(fc-emit --format Json < "$TMP/live.fcr" | jq -r 'select(.k == 6 and .event == "open") | "\(.name) \(.linktype)"')"
check_eq iface_filter_keeps_only_udp_flows 2 "$(flows_csv < "$TMP/udp.fcr" | sed 1d | grep -c ',UDP,')"
check_eq iface_filter_no_tcp_flows 0 "$(flows_csv < "$TMP/udp.fcr" | sed 1d | grep -c ',TCP,')"

run_status_to "$TMP/none.fcr" fc-read --timeout 1 iface:no-such-interface
check_eq iface_missing_interface_status 1 "$RC"
check_contains iface_missing_interface_named "iface:no-such-interface: cannot capture" "$ERR"
