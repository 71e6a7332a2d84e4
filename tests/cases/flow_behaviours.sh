#!/usr/bin/env bash
# fc-flow's flow rules on small crafted captures (tests/data/flow_*.pcap, made by
# tests/tools/flow_craft.c): VLAN keys, ICMP pairing, TCP reuse, idle timeouts, eviction,
# fragments, payload samples, retransmissions, damaged input, sample limits.
source "$(dirname "$0")/../lib.sh"

# flows FILE [fc-flow options...]: one compact JSON line per flow/sample/stats record
flows() {
    local f=$1; shift
    fc-read "$FC_DATA/$f" | fc-flow "$@" | fc-emit --format Json | grep -E '"k":(2|3|7)[,}]'
}
# pick JSON-LINES JQ-FILTER: applies a jq filter to every line, one result per line
pick() { jq -c "$2" <<<"$1" | tr '\n' ' ' | sed 's/ $//'; }

# VLAN: the same TCP tuple on VLAN 10, 20 and untagged gives three flows.
out=$(flows flow_vlan.pcap)
check_eq vlan_is_part_of_the_flow_key '10 20 null' "$(pick "$out" 'select(.k==2) | .vlan')"
check_eq vlan_flows_count_both_directions '"2/1" "2/1" "2/1"' \
    "$(pick "$out" 'select(.k==2) | "\(.orig.pkts)/\(.resp.pkts)"')"

# ICMP: echo request and reply meet in one flow; time exceeded is its own one-way flow.
out=$(flows flow_icmp.pcap)
check_eq icmp_echo_request_and_reply_meet '"8:0 2/2" "11:0 2/0" "8:0 1/0"' \
    "$(pick "$out" 'select(.k==2) | "\(.orig.port):\(.resp.port) \(.orig.pkts)/\(.resp.pkts)"')"
check_eq icmp_first_type_per_side '"8/0" "11/null" "8/null"' \
    "$(pick "$out" 'select(.k==2) | "\(.orig.icmp_type)/\(.resp.icmp_type)"')"
check_eq icmp_payload_after_8_byte_header '64' "$(pick "$out" 'select(.k==2 and .id==1) | .orig.payload_bytes')"

# A SYN after FIN both ways ends the old flow (tcp_reuse) and starts a new one.
out=$(flows flow_reuse.pcap)
check_eq syn_after_fin_starts_new_flow '"tcp_reuse SF ShADdFf 5/3" "shutdown S1 ShA 2/1"' \
    "$(pick "$out" 'select(.k==2) | "\(.reason) \(.conn_state) \(.history) \(.orig.pkts)/\(.resp.pkts)"')"
check_eq reused_flow_state_closed '"closed" "established"' "$(pick "$out" 'select(.k==2) | .state')"

# UDP idle for 99 s > the 60 s default: two flows; with a longer timeout, one.
out=$(flows flow_udp_idle.pcap)
check_eq udp_idle_timeout_splits_flow '"timeout SF 1/1" "shutdown S0 1/0"' \
    "$(pick "$out" 'select(.k==2) | "\(.reason) \(.conn_state) \(.orig.pkts)/\(.resp.pkts)"')"
out=$(flows flow_udp_idle.pcap --udp-timeout 100)
check_eq udp_timeout_option_keeps_flow '"2/1"' "$(pick "$out" 'select(.k==2) | "\(.orig.pkts)/\(.resp.pkts)"')"

# --max-flows 1: every new flow evicts the previous (reason forced), counted.
out=$(flows flow_vlan.pcap --max-flows 1)
check_eq max_flows_evicts_least_recent '"forced" "forced" "shutdown"' "$(pick "$out" 'select(.k==2) | .reason')"
check_eq max_flows_eviction_counted '2' "$(pick "$out" 'select(.k==7 and .stage=="fc-flow") | .counters.evicted')"

# Fragments: the 3 fragments of a UDP datagram count in its flow; an orphan counts apart.
out=$(flows flow_frags.pcap)
check_eq fragments_counted_in_first_fragments_flow '"5000:53 3/1 2068 2000"' \
    "$(pick "$out" 'select(.k==2 and .orig.port==5000) | "\(.orig.port):\(.resp.port) \(.orig.pkts)/\(.resp.pkts) \(.orig.ip_bytes) \(.orig.payload_bytes)"')"
check_eq orphan_fragment_in_portless_flow '"0:0 1 220"' \
    "$(pick "$out" 'select(.k==2 and .orig.port==0) | "\(.orig.port):\(.resp.port) \(.orig.pkts) \(.orig.ip_bytes)"')"
check_eq fragment_counters '"4 1"' "$(pick "$out" 'select(.k==7 and .stage=="fc-flow") | "\(.counters.fragments) \(.counters.orphan_fragments)"')"

# Time that jumps back: a second capture of an earlier period read after the first (a
# directory of two sensors' files) still makes whole flows, the same flows as each capture
# alone. fc-flow once measured idle time from each flow's own last timestamp, so every
# packet older than the clock by more than a timeout started a flow timed out at once.
if command -v editcap >/dev/null; then
    editcap -F pcap -t -86400 "$FC_DATA/ident_web.pcap" "$TMP/web-a-day-earlier.pcap" >/dev/null
    # per flow: endpoints and packets each way, sorted
    flow_set() { fc-read "$@" 2>/dev/null | fc-flow | fc-emit --format CSV |
                 awk -F, 'NR > 1 { print $5, $7, $8, $9, $10, $11, $14 }' | sort; }
    alone=$( { flow_set "$FC_DATA/demo.pcap"; flow_set "$TMP/web-a-day-earlier.pcap"; } | sort)
    together=$(flow_set "$FC_DATA/demo.pcap" "$TMP/web-a-day-earlier.pcap")
    # 27 flows: 16 of demo.pcap, 11 of ident_web.pcap (the old fc-flow made 137 together)
    check_eq time_jumping_back_keeps_flows_whole "27 $alone" "$(grep -c . <<<"$together") $together"
    # and a later fragment still finds its first fragment's flow (fragments.c times them
    # on the same clock)
    editcap -F pcap -t -86400 "$FC_DATA/flow_frags.pcap" "$TMP/frags-a-day-earlier.pcap" >/dev/null
    orphans() { fc-read "$@" 2>/dev/null | fc-flow -v 2>&1 >/dev/null | sed -n 's/^fc-flow: orphan_fragments: //p'; }
    # flow_frags.pcap alone has 1 orphan (fragment_counters above; the old fc-flow: 3 here)
    check_eq time_jumping_back_keeps_fragments_with_their_flow "1 1" \
        "$(orphans "$TMP/frags-a-day-earlier.pcap") $(orphans "$FC_DATA/demo.pcap" "$TMP/frags-a-day-earlier.pcap")"
else
    skip time_jumping_back_keeps_flows_whole "editcap (Debian wireshark-common) missing"
    skip time_jumping_back_keeps_fragments_with_their_flow "editcap (Debian wireshark-common) missing"
fi

# Samples: the retransmitted segment is left out; observations in order with direction.
out=$(flows flow_rexmit.pcap)
check_eq sample_leaves_out_retransmission '3 [[0,100],[0,50],[1,200]]' \
    "$(pick "$out" 'select(.k==3) | "\(.payload_pkts) \([.obs[] | [.[0], .[1]]] | tojson)"' | tr -d '"' | sed 's/\\//g')"
check_eq sample_time_since_start '[3000,301000,302000]' "$(pick "$out" 'select(.k==3) | [.obs[][2]]')"
check_eq sample_keeps_payload_bytes '100' "$(pick "$out" 'select(.k==3) | .obs[0][3]["$bin"] | length / 2')"
check_eq retransmission_history_T '"ShADTdFf" 150 0' \
    "$(pick "$out" 'select(.k==2) | .history, .orig.payload_bytes, .missed_bytes')"
out=$(flows flow_rexmit.pcap --sample-packets 2 --sample-full-packets 0 --sample-bytes 10)
# The sample record comes as soon as 2 observations exist: before fc-read's stats record (7),
# which passes through when input ends, and before the flow record.
check_eq sample_complete_written_before_flow_ends '3 7 2 7 2' "$(pick "$out" '.k') $(pick "$out" 'select(.k==3) | .payload_pkts')"
check_eq sample_bytes_limit '[10,10]' "$(pick "$out" 'select(.k==3) | [.obs[][3]["$bin"] | length / 2]')"
# A TCP flow's sample goes out when the flow closes (FIN both ways here), not when the flow
# ends after --closed-timeout: before fc-read's stats record, which comes at end of input.
out=$(flows flow_rexmit.pcap)
check_eq sample_written_when_tcp_flow_closes '3 7 2 7 "closed"' "$(pick "$out" '.k') $(pick "$out" 'select(.k==3) | .state')"
# Full packets keep at most --sample-full-bytes; fc-read's cap travels in the header.
out=$(flows flow_rexmit.pcap --sample-full-bytes 40)
check_eq sample_full_bytes_limit '[40,40,40]' "$(pick "$out" 'select(.k==3) | [.obs[][3]["$bin"] | length / 2]')"
out=$(fc-read --sample-full-bytes 60 "$FC_DATA/flow_rexmit.pcap" | fc-flow | fc-emit --format Json | grep '"k":3')
check_eq fc_read_sample_full_bytes_cuts_full_packets '[60,50,60]' "$(pick "$out" '[.obs[][3]["$bin"] | length / 2]')"
run_status fc-flow --sample-full-bytes 100 < <(fc-read --sample-full-bytes 60 "$FC_DATA/flow_rexmit.pcap")
check_contains sample_full_bytes_from_header_bounds_option "exceeds the 60 fc-read kept" "$ERR"
out=$(flows flow_vlan.pcap)
check_eq no_sample_without_payload '0' "$(grep -c '"k":3' <<<"$out")"

# Sample limits may be lowered, not raised above what fc-read kept.
fc-read "$FC_DATA/flow_rexmit.pcap" > "$TMP/rexmit.fcr"
run_status fc-flow --sample-packets 30 < "$TMP/rexmit.fcr"
check_eq sample_limit_above_header_is_usage_error 2 "$RC"
check_contains sample_limit_error_says_raise_fc_read "raise fc-read's --sample-packets" "$ERR"

# Damage: a malformed packet batch after valid ones; earlier flows still come out, exit 1.
cp "$TMP/rexmit.fcr" "$TMP/damaged.fcr"
printf '\x83\xa1k\x01\xa1n\x01\xa1b\xc4\x18\xc8\x00\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' >> "$TMP/damaged.fcr"
fc-flow < "$TMP/damaged.fcr" > "$TMP/damaged.out" 2> "$TMP/damaged.err"; rc=$?
check_eq damaged_batch_exit_status 1 "$rc"
json=$(fc-emit --format Json < "$TMP/damaged.out")
check_eq damaged_batch_earlier_flows_still_out 1 "$(grep -c '"k":2' <<<"$json")"
check_eq damaged_batch_counted 1 "$(pick "$json" 'select(.k==7 and .stage=="fc-flow") | .counters.malformed_entries')"
check_contains damaged_batch_message_names_offset "stdin: offset " "$(cat "$TMP/damaged.err")"
# A stream cut inside a record.
head -c $(( $(stat -c %s "$TMP/rexmit.fcr") - 40 )) "$TMP/rexmit.fcr" > "$TMP/cut.fcr"
fc-flow < "$TMP/cut.fcr" > "$TMP/cut.out" 2>/dev/null; rc=$?
check_eq cut_stream_exit_status 1 "$rc"
check_contains cut_stream_stats_still_written '"stage":"fc-flow"' "$(fc-emit --format Json < "$TMP/cut.out")"

# Options.
run_status fc-flow --tcp-timeout 0
check_eq timeout_below_one_second_refused 2 "$RC"
# Every number option's message names the option; signs, spaces and fractions are refused
run_status fc-flow --tcp-timeout -1
check_contains negative_count_names_its_option "fc-flow: --tcp-timeout: -1: must be an integer from 1 to" "$ERR"
run_status fc-flow --udp-timeout ' 5'
check_eq count_with_leading_space_refused 2 "$RC"
run_status fc-classify --explain 2.5 < /dev/null
check_contains fraction_for_a_count_refused "fc-classify: --explain: 2.5: must be an integer from 0 to 16" "$ERR"
run_status fc-flow --version
check_eq version_option "fc-flow $(cat "$FC_ROOT/VERSION")" "$OUT"
