#!/usr/bin/env bash
# TZSP on loopback: the frames of a capture sent as TZSP datagrams (tests/tools/tzsp_send)
# to fc-read tzsp:PORT give the flows of the capture itself; tshark, watching the same
# datagrams with tcpdump, decodes them as TZSP; malformed datagrams are counted and
# skipped, with no crash and nothing else lost. A wireless sniffer's datagrams (IEEE 802.11
# frames) give the same flows.
source "$(dirname "$0")/../lib.sh"

demo=$FC_DATA/demo.pcap
send=$FC_TESTBIN/tzsp_send
port=$(free_port)
wait_for_text() {
    for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

have_tcpdump=false
if [ "$(id -u)" -eq 0 ] && command -v tcpdump >/dev/null && command -v tshark >/dev/null; then
    # only the datagrams carrying frames (the malformed ones are all shorter than 60 bytes)
    # (-c: tcpdump ends by itself once it has written them all)
    timeout 20 tcpdump -i lo --immediate-mode -c 118 -U -w "$TMP/wire.pcap" "udp dst port $port and greater 60" \
        2> "$TMP/tcpdump.err" &
    dump=$!
    wait_for_text "$TMP/tcpdump.err" "listening on" && have_tcpdump=true
fi
timeout 30 fc-read -v --timeout 3 "tzsp:$port" > "$TMP/tzsp.fcr" 2> "$TMP/tzsp.err" &
reader=$!
wait_for_text "$TMP/tzsp.err" "listening for TZSP"
check_eq sender_sent_every_frame 118 "$("$send" 127.0.0.1 "$port" "$demo")"
check_eq sender_sent_malformed_and_keepalive 8 "$("$send" --malformed 127.0.0.1 "$port")"
wait "$reader"
check_eq tzsp_exit_status 0 "$?"
if $have_tcpdump; then
    wait "$dump"
    # per datagram: the TZSP encapsulation, and the ethertypes of the outer (loopback) and the
    # inner (carried) Ethernet header: the carried frame is decoded only if tshark read TZSP
    tshark -r "$TMP/wire.pcap" -d "udp.port==$port,tzsp" -T fields -e tzsp.encap -e eth.type \
        > "$TMP/tshark.txt" 2>/dev/null
    # (tcpdump on a machine busy enough to starve it can miss datagrams that fc-read got:
    # then what it caught, at least half, must all decode)
    seen=$(wc -l < "$TMP/tshark.txt")
    decoded=$(grep -c -E '^1	0x0800,0x(0800|86dd)$' "$TMP/tshark.txt")
    if [ "$seen" -ge 59 ] && [ "$decoded" -eq "$seen" ]; then
        pass tshark_decodes_the_datagrams_as_tzsp_ethernet
    else
        fail tshark_decodes_the_datagrams_as_tzsp_ethernet "of $seen datagrams caught (118 sent), $decoded decode as TZSP Ethernet"
    fi
else
    skip tshark_decodes_the_datagrams_as_tzsp_ethernet "needs root, tcpdump and tshark"
fi

stream_json=$(fc-emit --format Json < "$TMP/tzsp.fcr")
check_eq tzsp_source_record "tzsp:$port 0 118" \
    "$(jq -r 'select(.k == 6 and .event == "end") | "\(.name) \(.source) \(.packets)"' <<<"$stream_json")"
check_eq tzsp_malformed_counted_keepalive_ignored "7 1" \
    "$(jq -r 'select(.k == 7) | "\(.counters.tzsp_malformed) \(.counters.tzsp_ignored)"' <<<"$stream_json")"
check_contains tzsp_malformed_reported_with_sender_and_reason \
    "tzsp:$port: datagram from 127.0.0.1:" "$(grep 'not TZSP version 1' "$TMP/tzsp.err")"
check_contains tzsp_clock_records_in_live_stream '"k":8' "$(grep -m1 '"k":8' <<<"$stream_json")"

# TZSP carries no capture time (packets get their arrival time), so flows are compared
# on everything but times and the identifiers made from the start time.
flow_fields() { fc-flow | fc-emit --format CSV | cut -d, -f4-17,25 | sort; }
check_files_eq tzsp_flows_equal_file_flows <(fc-read "$demo" | flow_fields) <(flow_fields < "$TMP/tzsp.fcr")

# A wireless sniffer's TZSP (encapsulation 18): the demo's packets as 802.11 data frames,
# among beacons, ACKs and encrypted frames (tests/tools/relink.c), give the same flows;
# the frames without an IP packet are counted as other link.
"$FC_TESTBIN/relink" wlan "$demo" "$TMP/wlan.pcap" 2> "$TMP/relink.err"
without_ip=$(sed -n 's/.*packets, \([0-9]*\) frames without one$/\1/p' "$TMP/relink.err")
port=$(free_port)
timeout 30 fc-read -v --timeout 3 "tzsp:$port" > "$TMP/tzsp-wlan.fcr" 2> "$TMP/tzsp-wlan.err" &
reader=$!
wait_for_text "$TMP/tzsp-wlan.err" "listening for TZSP"
check_eq sender_sent_every_wlan_frame $((118 + without_ip)) "$("$send" 127.0.0.1 "$port" "$TMP/wlan.pcap")"
wait "$reader"
check_files_eq tzsp_wlan_flows_equal_file_flows <(fc-read "$demo" | flow_fields) <(flow_fields < "$TMP/tzsp-wlan.fcr")
check_eq tzsp_wlan_frames_without_ip_are_other_link "$without_ip" \
    "$(fc-flow -v < "$TMP/tzsp-wlan.fcr" 2>&1 >/dev/null | sed -n 's/^fc-flow: other_link: //p')"
