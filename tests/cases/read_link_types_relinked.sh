#!/usr/bin/env bash
# Captures of wireless monitors (802.11, radiotap, PPI, Prism, AVS), firewall logs
# (pflog, NFLOG) and old rings (FDDI, Token Ring): real traffic behind each of these link
# types (tests/tools/relink.c) gives the flows and verdicts it gives on Ethernet, and
# tshark's conversations; the frames a monitor also captures without an IP packet
# (beacons, ACKs, encrypted data) are counted as other link, never as flows. NFLOG is
# captured for real from nftables in a network namespace.
source "$(dirname "$0")/../lib.sh"

relink=$FC_TESTBIN/relink
verdicts() { fc-read "$1" | fc-flow | fc-classify | fc-emit --format CSV; }
other_link() { fc-read "$1" | fc-flow -v 2>&1 >/dev/null | sed -n 's/^fc-flow: other_link: //p'; }

# ---- 1. real loopback captures behind each link type (tests/tools/relink.c) ----
for src in demo ident_web; do
    verdicts "$FC_ROOT/tests/data/$src.pcap" > "$TMP/$src.csv"
    named=$(grep -c ',identified,' "$TMP/$src.csv")
    check_eq "${src}_ethernet_original_has_named_flows" true "$([ "$named" -ge 10 ] && echo true || echo "false: $named")"
    for kind in $("$relink" -l); do
        out=$TMP/$src-$kind.pcap
        "$relink" "$kind" "$FC_ROOT/tests/data/$src.pcap" "$out" 2> "$TMP/relink.err" ||
            { fail "${kind}_${src}_relinked" "$(cat "$TMP/relink.err")"; continue; }
        check_files_eq "${kind}_${src}_flows_and_verdicts_as_on_ethernet" "$TMP/$src.csv" <(verdicts "$out")
        without_ip=$(sed -n 's/.*packets, \([0-9]*\) frames without one$/\1/p' "$TMP/relink.err")
        check_eq "${kind}_${src}_frames_without_ip_are_other_link" "$without_ip" "$(other_link "$out")"
        flows_agree_with_tshark "${kind}_${src}_flows_as_tshark" "$out"
    done
done

# ---- 2. a real PPI capture (802.3 frames behind PPI headers) ----
if shared_or_skip ppi_corpus_capture corpus/ndpi/someip_sd_sample.pcap; then
    f=$FC_SHARED/corpus/ndpi/someip_sd_sample.pcap
    check_eq ppi_corpus_capture_ip_packets_as_tshark "$(tshark -r "$f" -Y 'ip or ipv6' 2>/dev/null | wc -l)" \
        "$(fc-read "$f" | packet_entries | awk '$2 == 0 && ($4 == "0800" || $4 == "86dd")' | wc -l)"
    flows_agree_with_tshark ppi_corpus_capture_flows_as_tshark "$f"
fi

# ---- 3. NFLOG for real: nftables logs a namespace's loopback traffic to group 7 ----
if [ "$(id -u)" -ne 0 ]; then
    skip nflog_real_capture "needs root (a network namespace and nftables)"
    exit 0
fi
for tool in nft unshare tcpdump redis-server redis-cli dnsmasq dig; do
    command -v "$tool" >/dev/null || { skip nflog_real_capture "$tool not installed"; exit 0; }
done
cat > "$TMP/nflog.sh" <<'EOF'
set -e
ip link set lo up
nft add table inet fctest
nft add chain inet fctest out '{ type filter hook output priority 0; }'
nft add rule inet fctest out log group 7
redis-server --port 16390 --save '' --appendonly no --daemonize no >/dev/null 2>&1 &
redis=$!
dnsmasq --keep-in-foreground --port 10056 --listen-address 127.0.0.1 --bind-interfaces --no-resolv \
    --no-hosts --address=/flowcarp.test/192.0.2.7 --pid-file= >/dev/null 2>&1 &
dns=$!
for _ in $(seq 50); do redis-cli -p 16390 ping >/dev/null 2>&1 && break; sleep 0.1; done
tcpdump -U -i nflog:7 -w "$1/nflog.pcap" 2>/dev/null &
dump=$!
sleep 1   # tcpdump's nflog handle is open
for s in 1 2 3; do
    printf 'set k%s "value %s"\nget k%s\nincr hits\nlpush l %s\nlrange l 0 -1\n' $s $s $s $s | redis-cli -p 16390 >/dev/null
done
for n in a b c; do dig +tries=1 +timeout=2 -p 10056 @127.0.0.1 $n.flowcarp.test >/dev/null; done
sleep 1
kill -INT $dump; wait $dump 2>/dev/null || true
kill $redis $dns 2>/dev/null || true
EOF
if ! unshare -n bash "$TMP/nflog.sh" "$TMP" > "$TMP/nflog.log" 2>&1 || [ ! -s "$TMP/nflog.pcap" ]; then
    skip nflog_real_capture "no nftables logging to NFLOG here: $(tail -1 "$TMP/nflog.log")"
    exit 0
fi
check_eq nflog_real_capture_is_nflog "nflog" "$(capinfos -T -E "$TMP/nflog.pcap" | awk -F'\t' 'NR == 2 {print $2}')"
check_eq nflog_real_capture_every_frame_ip "0 0" \
    "$(fc-read "$TMP/nflog.pcap" | fc-flow -v 2>&1 >/dev/null | sed -n 's/^fc-flow: \(other_link\|non_ip\): //p' | paste -sd ' ')"
flows_agree_with_tshark nflog_real_capture_flows_as_tshark "$TMP/nflog.pcap"
check_eq nflog_real_capture_redis_and_dns_named "3 DNS,3 Redis" \
    "$(verdicts "$TMP/nflog.pcap" | awk -F, '$10 == 16390 || $10 == 10056 {print $19}' | sort | uniq -c |
        sed 's/^ *//' | paste -sd ',')"
