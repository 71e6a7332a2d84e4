#!/usr/bin/env bash
# Real-time behaviour: --realtime under a consumer that does not read for a while drops
# and counts packets instead of waiting, and still ends with a complete stream; --timeout
# ends a quiet input; SIGTERM while fc-read waits for input ends it cleanly; a live
# source with no traffic still writes a clock record every second.
source "$(dirname "$0")/../lib.sh"

demo=$FC_DATA/demo.pcap
# demo.pcap's packets 2048 times over (241664 packets, 76 MB), as one pcap, read from a file
# at full speed into a reader that waits 3 s before it reads: more than the hub's ring and
# the pipe hold, so packets must be dropped, and fc-read must still end on its own.
tail -c +25 "$demo" > "$TMP/body.pcap"
for _ in $(seq 11); do cat "$TMP/body.pcap" "$TMP/body.pcap" > "$TMP/body2.pcap"; mv "$TMP/body2.pcap" "$TMP/body.pcap"; done
head -c 24 "$demo" | cat - "$TMP/body.pcap" > "$TMP/big.pcap"
total=$((2048 * 118))
timeout 60 fc-read --realtime "$TMP/big.pcap" 2> "$TMP/rt.err" | { sleep 3; cat > "$TMP/rt.fcr"; }
check_eq realtime_exit_status 0 "${PIPESTATUS[0]}"
# fc-flow reads the whole stream (it refuses a damaged one) and passes fc-read's records on.
fc-flow < "$TMP/rt.fcr" | fc-emit --format Json > "$TMP/rt.json"
check_eq realtime_stream_is_read_whole_by_fc_flow 0 "${PIPESTATUS[0]}"
counters=$(jq -r 'select(.k == 7 and .stage == "fc-read") | "\(.counters.packets) \(.counters.dropped_packets)"' "$TMP/rt.json")
read -r passed dropped <<<"$counters"
if [ "${dropped:-0}" -gt 0 ] && [ $((passed + dropped)) -eq $total ]; then
    pass realtime_drops_counted_and_nothing_else_lost
else
    fail realtime_drops_counted_and_nothing_else_lost "expected drops and passed + dropped = $total, got [$counters]"
fi
check_contains realtime_drops_reported_on_stderr "fc-read: --realtime: $dropped packets dropped because the output was behind" \
    "$(cat "$TMP/rt.err")"
check_eq realtime_stream_has_source_records_and_stats "open end 7" \
    "$(jq -r 'if .k == 6 then .event elif .k == 7 and .stage == "fc-read" then .k else empty end' "$TMP/rt.json" | paste -sd ' ')"
check_eq realtime_passed_packets_all_in_batches "$passed" \
    "$(jq -r 'select(.k == 7 and .stage == "fc-flow") | .counters.packets' "$TMP/rt.json")"

# --timeout on a pipe that goes quiet after the capture: ends after about 1 s, exit 0.
start=$(date +%s%N)
timeout 30 fc-read --timeout 1 - > "$TMP/to.fcr" < <(cat "$demo"; exec sleep 20)
check_eq timeout_exit_status 0 "$?"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
if [ "$elapsed_ms" -lt 10000 ]; then pass timeout_ends_quiet_input; else fail timeout_ends_quiet_input "took $elapsed_ms ms"; fi
check_eq timeout_everything_read_is_written 118 \
    "$(fc-emit --format Json < "$TMP/to.fcr" | jq -r 'select(.k == 6 and .event == "end") | .packets')"
check_eq timeout_stdin_is_not_live null "$(fc-emit --format Json < "$TMP/to.fcr" | head -1 | jq -r .live)"

# SIGTERM while fc-read (reading in order, no hub) waits on a quiet pipe.
mkfifo "$TMP/fifo"
(cat "$demo"; exec sleep 20) > "$TMP/fifo" &
writer=$!
timeout 30 fc-read "$TMP/fifo" > "$TMP/term.fcr" &
reader=$!
for _ in $(seq 50); do [ -s "$TMP/term.fcr" ] && break; sleep 0.1; done
sleep 0.3
kill -TERM "$reader"
wait "$reader"
check_eq sigterm_on_waiting_reader_exit_status 0 "$?"
kill "$writer" 2>/dev/null
check_eq sigterm_on_waiting_reader_stream_complete "open end 7 118" \
    "$(fc-emit --format Json < "$TMP/term.fcr" | jq -r 'if .k == 6 then .event elif .k == 7 then "\(.k) \(.counters.packets)" else empty end' | paste -sd ' ')"

# A live source with no traffic: a clock record at least every second of wall time.
port=$(free_port)
timeout 30 fc-read --timeout 3 "tzsp:$port" > "$TMP/clock.fcr"
clocks=$(fc-emit --format Json < "$TMP/clock.fcr" | jq -r 'select(.k == 8) | .now_us')
gaps=$(awk 'NR > 1 { print $1 - prev } { prev = $1 }' <<<"$clocks" | sort -n | tail -1)
if [ "$(wc -l <<<"$clocks")" -ge 3 ] && [ "${gaps:-9999999}" -le 1300000 ]; then
    pass clock_record_every_second_without_traffic
else
    fail clock_record_every_second_without_traffic "clock records: $(paste -sd ' ' <<<"$clocks")"
fi
now_us=$(($(date +%s%N) / 1000))
last=$(tail -1 <<<"$clocks")
if [ $((now_us - last)) -lt 60000000 ] && [ $((now_us - last)) -ge 0 ]; then pass clock_record_is_wall_clock_us
else fail clock_record_is_wall_clock_us "now_us $last, wall clock $now_us"; fi

run_status_to "$TMP/bad.fcr" fc-read --timeout soon "$demo"
check_eq bad_timeout_is_usage_error 2 "$RC"
