#!/usr/bin/env bash
# fc-flow and the wall clock: with live input, clock records (k = 8, sent by fc-read while
# no packets come) move the flow clock on, so idle flows end and --flush reports come
# while the input is still open and silent. The clock moves by the wall time that passed
# since the first clock record after the last packet, not to the wall time itself:
# demo.pcap's packets were captured hours before the clock records written here, and its
# closed TCP flows must still wait their closed-timeout (2 s here), not end at the first record.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/live_flow_lib.bash"

demo=$FC_DATA/demo.pcap
fc-read "$demo" 2>/dev/null > "$TMP/demo.stream"
# json FILE: the stream written so far as JSON lines (fc-flow writes whole records)
json() { cp "$1" "$TMP/snapshot"; fc-emit --format Json < "$TMP/snapshot"; }

# demo.pcap's real packets, then a clock record every 0.25 s for 2.75 s, the input held open
mkfifo "$TMP/in"
{ cat "$TMP/demo.stream"; clock_records 12 0.25 6; exec sleep 20; } > "$TMP/in" 2>/dev/null &
writer=$!
fc-flow --udp-timeout 1 --closed-timeout 2 --flush 1 < "$TMP/in" > "$TMP/out" 2>"$TMP/err" &
flow=$!

# wait_for_clocks N: until the writer has written N clock records, and fc-flow took them
wait_for_clocks() {
    local i
    for ((i = 0; i < 100; i++)); do
        [ "$(cat "$TMP/clocks.written" 2>/dev/null)" = "$1" ] && break
        sleep 0.1
    done
    sleep 0.3
}
# demo.pcap spans 0.29 s; the first clock record anchors the wall clock to its last packet
wait_for_clocks 6   # 1.25 s of wall time passed since the first: the flow clock is at 1.54 s
json "$TMP/out" > "$TMP/at3.json"
touch "$TMP/clocks.go"
check_eq udp_flows_end_by_wall_clock_while_input_open "timeout timeout timeout timeout" \
    "$(jq -r 'select(.k == 2 and .proto == 17 and .reason != "flush") | .reason' "$TMP/at3.json" | xargs)"
check_eq closed_tcp_flows_wait_their_timeout_despite_clock_offset 0 \
    "$(jq -s '[.[] | select(.k == 2 and .proto == 6 and .reason != "flush")] | length' "$TMP/at3.json")"
check_eq clock_records_passed_on 6 "$(jq -s '[.[] | select(.k == 8)] | length' "$TMP/at3.json")"
# a flush at 1 s of the flow clock (from the first packet, at the 4th clock record):
# interim records of the flows open and not closed then: the ICMP one and the UDP ones
# but flow 2, whose 1 s idle timeout ran out at that same record (expiry goes first)
flushes=$(jq -r 'select(.k == 2 and .reason == "flush") | "\(.id):\(.state)"' "$TMP/at3.json" | sort | uniq -c |
          awk '{ print $2 "x" $1 }' | xargs)
check_eq flush_by_wall_clock_reports_open_flows "13:newx1 14:newx1 15:establishedx1 5:establishedx1" "$flushes"
check_eq flush_skips_closed_tcp_flows 0 \
    "$(jq -s '[.[] | select(.k == 2 and .reason == "flush" and .state == "closed")] | length' "$TMP/at3.json")"

wait_for_clocks 12   # 2.75 s passed: the closed TCP flows' 2 s too
kill "$writer"
wait "$flow"; rc=$?
check_eq ends_clean_at_end_of_input 0 "$rc"
json "$TMP/out" > "$TMP/end.json"
check_eq closed_tcp_flows_end_by_wall_clock 11 \
    "$(jq -s '[.[] | select(.k == 2 and .proto == 6 and .reason == "timeout")] | length' "$TMP/end.json")"
check_eq every_flow_ends_once "$(seq 1 16 | xargs)" \
    "$(jq -r 'select(.k == 2 and .reason != "flush") | .id' "$TMP/end.json" | sort -n | xargs)"
check_eq stats_count_clock_records_and_flushes "12 3" \
    "$(jq -r 'select(.k == 7 and .stage == "fc-flow") | "\(.counters.clock_records) \(.counters.flushes)"' "$TMP/end.json")"
# the final records are those of the file read at once, except for when idle flows ended
check_eq final_counters_as_from_the_file \
    "$(fc-flow < "$TMP/demo.stream" | fc-emit --format Json | flow_counts)" "$(flow_counts < "$TMP/end.json")"

# A clock record without its time: said, passed on, the rest still processed, exit 1.
{ cat "$TMP/demo.stream"; printf '\x81\xa1k\x08'; } | fc-flow > "$TMP/bad.out" 2>"$TMP/bad.err"
check_eq clock_record_without_time_exit_1 1 "$?"
check_contains clock_record_without_time_said 'clock record without an integer "now_us"' "$(cat "$TMP/bad.err")"
check_eq clock_record_without_time_still_all_flows 16 \
    "$(json "$TMP/bad.out" | jq -s '[.[] | select(.k == 2)] | length')"
