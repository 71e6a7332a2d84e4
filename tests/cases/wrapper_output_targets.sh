#!/usr/bin/env bash
# --output FILE writes the flows there; --output DIR writes a new file per run, named
# after the run's start time and the format, and never overwrites an existing file.
source "$(dirname "$0")/../lib.sh"

demo=$FC_DATA/demo.pcap
flowcarp=$FC_ROOT/flowcarp
for t in fc-read fc-flow fc-feat fc-classify fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip "wrapper_output_targets" "$FC_BIN/$t not built yet"; exit 0; }
done
"$flowcarp" --input "$demo" --output - > "$TMP/csv.expected"
"$flowcarp" --input "$demo" --output - --format ZeekConn > "$TMP/zeek.expected"

# FILE, created and then replaced
run_status "$flowcarp" --input "$demo" --output "$TMP/flows.csv"
check_eq "output_file_exit_status_0" 0 "$RC"
check_files_eq "output_file_holds_the_flows" "$TMP/csv.expected" "$TMP/flows.csv"
"$flowcarp" --input "$demo" --output "$TMP/flows.csv" --format ZeekConn
check_files_eq "output_file_is_replaced_by_the_next_run" "$TMP/zeek.expected" "$TMP/flows.csv"

run_status "$flowcarp" --input "$demo" --output "$TMP/no-such-dir/flows.csv"
check_eq "unwritable_output_file_exit_status_3" 3 "$RC"
check_contains "unwritable_output_file_is_named" "no-such-dir/flows.csv: cannot write" "$ERR"
run_status "$flowcarp" --input "$demo" --output "$TMP/no-such-dir/"
check_eq "missing_output_folder_exit_status_3" 3 "$RC"
check_contains "missing_output_folder_is_named" "no-such-dir/: no such folder" "$ERR"

# DIR: files already there for this second and the next few are never touched
out=$TMP/out; mkdir "$out"
now=$(date +%s)
for s in 0 1 2 3 4 5; do
    name=$out/flowcarp-$(date -d "@$((now + s))" +%Y%m%d-%H%M%S).csv
    echo "keep me" > "$name"
done
ls "$out" > "$TMP/before"
for run in 1 2 3; do "$flowcarp" --input "$demo" --output "$out" || fail "output_dir_run_$run" "exit status $?"; done
"$flowcarp" --input "$demo" --output "$out/" --format ZeekConn
new=$(ls "$out" | grep -vxF -f "$TMP/before")
check_eq "output_dir_makes_one_new_file_per_run" 4 "$(printf '%s\n' "$new" | grep -c .)"
check_eq "output_dir_keeps_existing_files" 6 "$(grep -lx 'keep me' "$out"/* | wc -l)"
bad_names=$(printf '%s\n' "$new" | grep -vE '^flowcarp-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.(csv|json)$' || true)
check_eq "output_dir_file_names_are_timestamped" "" "$bad_names"
check_eq "output_dir_extension_follows_format" "3 csv 1 json" \
    "$(printf '%s\n' "$new" | grep -c '\.csv$') csv $(printf '%s\n' "$new" | grep -c '\.json$') json"
same=1
for f in $(printf '%s\n' "$new" | grep '\.csv$'); do cmp -s "$out/$f" "$TMP/csv.expected" || same=0; done
check_eq "output_dir_files_hold_the_flows" 1 "$same"
json=$(printf '%s\n' "$new" | grep '\.json$')
check_files_eq "output_dir_json_file_holds_the_flows" "$TMP/zeek.expected" "$out/$json"

# A failed run leaves no empty file behind
"$flowcarp" --input "$demo" --output "$out" --format NoSuchFormat 2>/dev/null
check_eq "output_dir_failed_run_leaves_no_empty_file" 0 "$(find "$out" -empty | wc -l)"
