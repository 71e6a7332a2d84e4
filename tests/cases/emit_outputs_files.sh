#!/usr/bin/env bash
# fc-emit -o DIR makes a new timestamped file per run, never overwriting one, and removes
# it again when the run fails before writing; SIGHUP reopens a FILE that was moved away
# (log rotation) and starts the next file of a DIR; lines arriving after the signal go
# to the new file, each file a complete log with its header row.
source "$(dirname "$0")/../lib.sh"

for t in fc-read fc-flow fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip emit_outputs_files "$FC_BIN/$t not built yet"; exit 0; }
done
args=(); for i in $(seq 20); do args+=("$FC_DATA/demo.pcap"); done
fc-read "${args[@]}" 2>/dev/null | fc-flow > "$TMP/flows" 2>/dev/null
fc-emit < "$TMP/flows" > "$TMP/expected.csv"
fc-emit --format ZeekConn < "$TMP/flows" > "$TMP/expected.json"

# DIR, twice in the same second (and a file of this second already there): two new files
out=$TMP/out; mkdir "$out"
echo "keep me" > "$out/flowcarp-$(date +%Y%m%d-%H%M%S).csv"
ls "$out" > "$TMP/before"
fc-emit -o "$out" < "$TMP/flows"; rc1=$?
fc-emit -o "$out/" --format ZeekConn < "$TMP/flows"; rc2=$?
check_eq "dir_runs_exit_status_0" "0 0" "$rc1 $rc2"
new=$(ls "$out" | grep -vxF -f "$TMP/before")
check_eq "dir_makes_one_new_file_per_run" 2 "$(grep -c . <<<"$new")"
check_eq "dir_keeps_the_file_already_there" 1 "$(grep -lx 'keep me' "$out"/* | wc -l)"
check_eq "dir_file_names_are_timestamped_with_the_format_extension" "" \
    "$(grep -vE '^flowcarp-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.(csv|json)$' <<<"$new")"
check_files_eq "dir_csv_file_holds_the_flows" "$TMP/expected.csv" "$out/$(grep '\.csv$' <<<"$new")"
check_files_eq "dir_json_file_holds_the_flows" "$TMP/expected.json" "$out/$(grep '\.json$' <<<"$new")"

# A run whose input is not a record stream leaves no empty file behind
echo "not a record stream" | fc-emit -o "$out" 2>/dev/null
check_eq "dir_failed_run_leaves_no_empty_file" 0 "$(find "$out" -empty | wc -l)"
# A stage before fc-emit that failed says so in its stats record (exit_status): a new file
# that got no flow, only the CSV header, is removed too; one that got flows is kept.
ls "$out" > "$TMP/before"
fc-read "$TMP/no-such.pcap" 2>/dev/null | fc-flow 2>/dev/null | fc-emit -o "$out"; rc=$?
check_eq "upstream_failure_fc_emit_itself_exits_0" 0 "$rc"
check_eq "upstream_failure_leaves_no_header_only_file" "" "$(ls "$out" | grep -vxF -f "$TMP/before")"
check_eq "stats_record_carries_the_exit_status" "1 0" \
    "$(fc-read "$TMP/no-such.pcap" 2>/dev/null | fc-flow 2>/dev/null | fc-emit --format Json |
       jq -r 'select(.k == 7) | .exit_status' | paste -sd ' ')"
size=$(stat -c %s "$FC_DATA/demo.pcap")
head -c $((size * 2 / 3)) "$FC_DATA/demo.pcap" > "$TMP/cut.pcap"
fc-read "$TMP/cut.pcap" 2>/dev/null | fc-flow 2>/dev/null | fc-emit -o "$out"
kept=$(ls "$out" | grep -vxF -f "$TMP/before")
check_eq "upstream_failure_keeps_a_file_with_flows" 1 "$(grep -c . <<<"$kept")"
check_eq "upstream_failure_file_holds_the_flows_before_the_damage" \
    "$(fc-read "$TMP/cut.pcap" 2>/dev/null | fc-flow 2>/dev/null | fc-emit | wc -l)" "$(wc -l < "$out/$kept")"

run_status fc-emit -o "$TMP/no-such-dir/" < "$TMP/flows"
check_eq "missing_dir_exit_status_3" 3 "$RC"
check_contains "missing_dir_is_named" "no-such-dir/: no such folder" "$ERR"
run_status fc-emit -o "$TMP/no-such-dir/flows.csv" < "$TMP/flows"
check_eq "unwritable_file_exit_status_3" 3 "$RC"
check_contains "unwritable_file_is_named" "no-such-dir/flows.csv: cannot write" "$ERR"

# SIGHUP after the file was moved away: the first half of the stream is in the moved
# file, the rest in a new file of the old name, which starts with the header row.
half=$(($(wc -c < "$TMP/flows") / 2))
head -c "$half" "$TMP/flows" > "$TMP/first-half"
tail -c +"$((half + 1))" "$TMP/flows" > "$TMP/second-half"
mkfifo "$TMP/pipe"
timeout 20 fc-emit -o "$TMP/log.csv" < "$TMP/pipe" &
emit_pid=$!
exec 5> "$TMP/pipe"
cat "$TMP/first-half" >&5
# the lines of the first half are written as soon as the input pauses
for i in $(seq 50); do [ "$(wc -l < "$TMP/log.csv" 2>/dev/null || echo 0)" -gt 1 ] && break; sleep 0.1; done
mv "$TMP/log.csv" "$TMP/log.csv.1"
kill -HUP "$emit_pid"
sleep 0.3
cat "$TMP/second-half" >&5
exec 5>&-
wait "$emit_pid"; rc=$?
check_eq "sighup_run_exit_status_0" 0 "$rc"
check_eq "sighup_new_file_starts_with_the_header_row" "$(head -1 "$TMP/expected.csv")" "$(head -1 "$TMP/log.csv" 2>/dev/null)"
check_eq "sighup_moved_file_and_new_file_hold_every_line_once" "$(cat "$TMP/expected.csv")" \
    "$(cat "$TMP/log.csv.1"; tail -n +2 "$TMP/log.csv" 2>/dev/null)"
check_eq "sighup_both_files_have_flows" "1 1" \
    "$([ "$(wc -l < "$TMP/log.csv.1")" -gt 1 ] && echo 1 || echo 0) $([ "$(wc -l < "$TMP/log.csv")" -gt 1 ] && echo 1 || echo 0)"

# SIGHUP with a DIR target starts its next new file
rm -rf "$out"; mkdir "$out"
timeout 20 fc-emit -o "$out" --format ZeekConn < "$TMP/pipe" &
emit_pid=$!
exec 5> "$TMP/pipe"
cat "$TMP/first-half" >&5
for i in $(seq 50); do [ -s "$(ls -d "$out"/* 2>/dev/null | head -1)" ] && break; sleep 0.1; done
sleep 1.1   # the next file gets the next second's name
kill -HUP "$emit_pid"
sleep 0.3
cat "$TMP/second-half" >&5
exec 5>&-
wait "$emit_pid"; rc=$?
check_eq "sighup_dir_run_exit_status_0" 0 "$rc"
check_eq "sighup_dir_makes_a_second_file" 2 "$(ls "$out" | wc -l)"
check_eq "sighup_dir_files_hold_every_line_once" "$(cat "$TMP/expected.json")" "$(cat "$out"/*)"
