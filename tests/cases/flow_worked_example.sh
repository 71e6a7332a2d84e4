#!/usr/bin/env bash
# FORMATS.md §8: the TCP flow in vectors/community-id/pcaps/tcp.pcap.
source "$(dirname "$0")/../lib.sh"

shared_or_skip flow_worked_example vectors/community-id/pcaps/tcp.pcap || exit 0
out=$(fc-read "$FC_SHARED/vectors/community-id/pcaps/tcp.pcap" | fc-flow | fc-emit --format Json | grep '"k":2')
check_eq worked_example_history_and_conn_state '"ShADadfF" "SF"' "$(jq -c '.history, .conn_state' <<<"$out" | tr '\n' ' ' | sed 's/ $//')"
check_eq worked_example_orig_counters '6/816/496' "$(jq -r '"\(.orig.pkts)/\(.orig.ip_bytes)/\(.orig.payload_bytes)"' <<<"$out")"
check_eq worked_example_resp_counters '6/2051/1731' "$(jq -r '"\(.resp.pkts)/\(.resp.ip_bytes)/\(.resp.payload_bytes)"' <<<"$out")"
check_eq worked_example_client_is_syn_sender '34855 80' "$(jq -r '"\(.orig.port) \(.resp.port)"' <<<"$out")"
check_eq worked_example_flags_both_ways '27 27' "$(jq -r '"\(.orig.tcp_flags) \(.resp.tcp_flags)"' <<<"$out")"
check_eq worked_example_closed_timeout '"closed" "timeout"' "$(jq -c '.state, .reason' <<<"$out" | tr '\n' ' ' | sed 's/ $//')"
