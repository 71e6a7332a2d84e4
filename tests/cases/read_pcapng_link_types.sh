#!/usr/bin/env bash
# pcapng files whose interfaces differ in link type or snapshot length (libpcap gives
# them up at the first such interface; fc-read reads on with its own pcapng reader),
# as Wireshark's merges and multi-interface captures are: every packet read as
# tshark reads it, each by its own interface's link type, whether the interfaces are
# described up front (dumpcap, mergecap) or in later sections; their time stamp
# resolutions and offsets, simple packet blocks, big-endian sections, a BPF filter over
# both link types, damage after the switch. A real two-interface dumpcap capture (Redis
# on lo, UDP datagrams on any) when root.
source "$(dirname "$0")/../lib.sh"

relink=$FC_TESTBIN/relink
section=$FC_ROOT/tests/cases/pcapng_section.py
demo=$FC_DATA/demo.pcap
ip_packets() { fc-read "$@" | packet_entries | awk '$2 == 0 && ($4 == "0800" || $4 == "86dd")' | wc -l; }
tshark_ip_packets() { tshark -r "$1" -Y 'ip or ipv6' 2>/dev/null | wc -l; }
# microsecond time stamps of the IP packets, as fc-read and as tshark read them
fc_times() { fc-read "$1" | packet_entries | awk '$2 == 0 {print $8}'; }
tshark_times() { tshark -r "$1" -Y 'ip or ipv6' -T fields -e frame.time_epoch 2>/dev/null |
    awk '{split($1, t, "."); printf "%s%s\n", t[1], substr(t[2] "000000000", 1, 6)}' | sed 's/^0*//'; }

"$relink" wlan "$demo" "$TMP/wlan.pcap" 2> "$TMP/relink.err"
"$relink" radiotap "$demo" "$TMP/radiotap.pcap" 2>/dev/null
without_ip=$(sed -n 's/.*packets, \([0-9]*\) frames without one$/\1/p' "$TMP/relink.err")

# ---- 1. two interfaces described up front (mergecap: Ethernet and 802.11) ----
mergecap -F pcapng -w "$TMP/merged.pcapng" "$demo" "$TMP/wlan.pcap"
check_eq merged_interfaces_every_ip_packet_as_tshark "$(tshark_ip_packets "$TMP/merged.pcapng")" \
    "$(ip_packets "$TMP/merged.pcapng")"
check_eq merged_interfaces_frames_without_ip_are_other_link "$without_ip" \
    "$(fc-read "$TMP/merged.pcapng" | fc-flow -v 2>&1 >/dev/null | sed -n 's/^fc-flow: other_link: //p')"
flows_agree_with_tshark merged_interfaces_flows_as_tshark "$TMP/merged.pcapng"
check_contains merged_interfaces_read_on_by_the_pcapng_reader "read on from packet 0 by the pcapng reader" \
    "$(fc-read -v "$TMP/merged.pcapng" 2>&1 >/dev/null)"

# ---- 2. sections of other link types after libpcap's packets; resolutions, offsets ----
"$relink" radiotap "$FC_DATA/ident_web.pcap" "$TMP/web-radiotap.pcap" 2>/dev/null
"$relink" wlan "$FC_DATA/ident_redis.pcap" "$TMP/redis-wlan.pcap" 2>/dev/null
/usr/bin/python3 "$section" "$demo" "$TMP/s1.pcapng"
/usr/bin/python3 "$section" "$TMP/web-radiotap.pcap" "$TMP/s2.pcapng" --tsresol 9 --tsoffset 1000
/usr/bin/python3 "$section" "$TMP/redis-wlan.pcap" "$TMP/s3.pcapng" --tsresol $((0x80 | 20)) --big-endian
cat "$TMP/s1.pcapng" "$TMP/s2.pcapng" "$TMP/s3.pcapng" > "$TMP/sections.pcapng"
want=$(tshark_ip_packets "$TMP/sections.pcapng")
check_eq sections_every_ip_packet_as_tshark "$want" "$(ip_packets "$TMP/sections.pcapng")"
check_contains sections_libpcap_reads_the_first_then_the_pcapng_reader "read on from packet 118 by the pcapng reader" \
    "$(fc-read -v "$TMP/sections.pcapng" 2>&1 >/dev/null)"
check_files_eq sections_time_stamps_as_tshark <(tshark_times "$TMP/sections.pcapng") <(fc_times "$TMP/sections.pcapng")
flows_agree_with_tshark sections_flows_as_tshark "$TMP/sections.pcapng"
# simple packet blocks (no time stamp, interface 0)
/usr/bin/python3 "$section" "$TMP/redis-wlan.pcap" "$TMP/s4.pcapng" --spb
cat "$TMP/s1.pcapng" "$TMP/s4.pcapng" > "$TMP/spb.pcapng"
want=$(tshark_ip_packets "$TMP/spb.pcapng")
check_eq simple_packet_blocks_every_ip_packet "$want" "$(ip_packets "$TMP/spb.pcapng")"

# Interfaces of one link type but different snapshot lengths, which libpcap also gives up.
/usr/bin/python3 "$section" "$FC_DATA/ident_web.pcap" "$TMP/s5.pcapng" --snaplen 128
cat "$TMP/s1.pcapng" "$TMP/s5.pcapng" > "$TMP/snaplens.pcapng"
check_contains snapshot_lengths_differ_read_on_by_the_pcapng_reader "read on from packet 118 by the pcapng reader" \
    "$(fc-read -v "$TMP/snaplens.pcapng" 2>&1 >/dev/null)"
flows_agree_with_tshark snapshot_lengths_differ_flows_as_tshark "$TMP/snaplens.pcapng"

# A BPF filter is compiled for each interface's link type: it selects in each section what
# libpcap's own filter selects in that capture (tcpdump -r).
want=0
for f in "$demo" "$TMP/web-radiotap.pcap" "$TMP/redis-wlan.pcap"; do
    want=$((want + $(tcpdump -r "$f" tcp 2>/dev/null | wc -l)))
done
check_eq filter_over_interfaces_of_three_link_types "$want" "$(ip_packets -f tcp "$TMP/sections.pcapng")"
check_eq filter_selects_packets true "$([ "$want" -ge 150 ] && echo true || echo "false: $want")"

# Damage after the switch: the packets before it, the block's offset, exit status 1.
size=$(stat -c %s "$TMP/sections.pcapng")
head -c $((size - 700)) "$TMP/sections.pcapng" > "$TMP/cut.pcapng"
run_status_to "$TMP/cut.fcr" fc-read "$TMP/cut.pcapng"
check_eq cut_section_exit_status 1 "$RC"
check_contains cut_section_offset_named "$TMP/cut.pcapng: offset " "$ERR"
check_eq cut_section_packets_before_the_damage_as_tshark "$(tshark_ip_packets "$TMP/cut.pcapng")" \
    "$(packet_entries < "$TMP/cut.fcr" | awk '$2 == 0' | wc -l)"

# ---- 3. a real two-interface capture: dumpcap on lo (Ethernet) and any (Linux cooked) ----
if [ "$(id -u)" -ne 0 ]; then
    skip dumpcap_two_link_types "needs root (a network namespace to capture in)"
    exit 0
fi
for tool in dumpcap unshare redis-server redis-cli; do
    command -v "$tool" >/dev/null || { skip dumpcap_two_link_types "$tool not installed"; exit 0; }
done
cat > "$TMP/dumpcap.sh" <<'EOF'
set -e
ip link set lo up
redis-server --port 16391 --save '' --appendonly no --daemonize no >/dev/null 2>&1 &
redis=$!
for _ in $(seq 50); do redis-cli -p 16391 ping >/dev/null 2>&1 && break; sleep 0.1; done
dumpcap -q -i lo -f 'tcp port 16391' -i any -f 'udp port 10057' -w "$1/two.pcapng" 2>/dev/null &
dump=$!
sleep 2   # both interfaces open
for s in 1 2 3; do printf 'set k%s v%s\nget k%s\n' $s $s $s | redis-cli -p 16391 >/dev/null; done
for n in 1 2 3 4; do echo "datagram $n" > /dev/udp/127.0.0.1/10057; done
sleep 1
kill -INT $dump; wait $dump 2>/dev/null || true
kill $redis 2>/dev/null || true
EOF
if ! unshare -n bash "$TMP/dumpcap.sh" "$TMP" > "$TMP/dumpcap.log" 2>&1 || [ ! -s "$TMP/two.pcapng" ]; then
    skip dumpcap_two_link_types "no two-interface capture here: $(tail -1 "$TMP/dumpcap.log")"
    exit 0
fi
check_eq dumpcap_two_link_types_interfaces "2" \
    "$(tshark -r "$TMP/two.pcapng" -T fields -e frame.encap_type 2>/dev/null | sort -u | wc -l)"
check_eq dumpcap_two_link_types_every_ip_packet_as_tshark "$(tshark_ip_packets "$TMP/two.pcapng")" \
    "$(ip_packets "$TMP/two.pcapng")"
flows_agree_with_tshark dumpcap_two_link_types_flows_as_tshark "$TMP/two.pcapng"
check_eq dumpcap_two_link_types_redis_and_datagram_flows "3 Redis,4 udp" \
    "$(fc-read "$TMP/two.pcapng" | fc-flow | fc-classify | fc-emit --format CSV |
        awk -F, '$10 == 16391 {print $19} $10 == 10057 {print "udp"}' | sort | uniq -c | sed 's/^ *//' | paste -sd ',')"
