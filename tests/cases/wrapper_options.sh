#!/usr/bin/env bash
# -h, --version, --key, --clearcache, -v, --debug, --logtime and -f do what the usage says.
source "$(dirname "$0")/../lib.sh"
export FLOWCARP_MODELS=$FC_ROOT/models   # the hand pipelines below use the wrapper's models

demo=$FC_DATA/demo.pcap
flowcarp=$FC_ROOT/flowcarp

# -h works before anything is built
run_status "$flowcarp" -h
check_eq "help_exit_status_0" 0 "$RC"
check_contains "help_starts_with_usage" "Usage: flowcarp --input SOURCE" "$OUT"
for opt in --input --output --format --verbose --debug --logtime --key --clearcache --filter --version --help --model \
           --list-models --explain --realtime --preview --flush --timeout; do
    check_contains "help_lists_${opt#--}" "$opt" "$OUT"
done
run_status "$flowcarp" --help
check_eq "long_help_same_as_h" "$("$flowcarp" -h)" "$OUT"

for t in fc-read fc-flow fc-feat fc-classify fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip "wrapper_options" "$FC_BIN/$t not built yet"; exit 0; }
done

run_status "$flowcarp" --version
check_eq "version_exit_status_0" 0 "$RC"
check_eq "version_is_the_source_version" "flowcarp $(cat "$FC_ROOT/VERSION")" "$OUT"

"$flowcarp" --input "$demo" --output - > "$TMP/plain.csv"

run_status "$flowcarp" --key ABCD-1234 --input "$demo" --output -
check_eq "key_exit_status_0" 0 "$RC"
check_contains "key_says_every_model_is_free" "flowcarp: note: --key is not needed: FlowCarp has no licence keys or limits, every model is already free" "$ERR"
check_eq "key_changes_no_output" "$(cat "$TMP/plain.csv")" "$OUT"

# --clearcache: nothing is cached, which it says; alone it quits, with an input it changes nothing
clearcache_note="flowcarp: note: --clearcache: FlowCarp keeps no cache; models are read afresh every run, so there is nothing to clear"
run_status "$flowcarp" --clearcache
check_eq "clearcache_alone_exit_status_0" 0 "$RC"
check_eq "clearcache_alone_says_why_and_writes_nothing" "$clearcache_note|" "$ERR|$OUT"
run_status "$flowcarp" --clearcache --input "$demo" --output -
check_eq "clearcache_with_input_exit_status_0" 0 "$RC"
check_contains "clearcache_with_input_says_so" "$clearcache_note" "$ERR"
check_eq "clearcache_changes_no_output" "$(cat "$TMP/plain.csv")" "$OUT"
run_status "$flowcarp" --clearcache --format CSV
check_eq "clearcache_with_format_but_no_input_is_bad_usage" 2 "$RC"

run_status "$flowcarp" -v --input "$demo" --output -
check_eq "verbose_exit_status_0" 0 "$RC"
check_contains "verbose_shows_the_pipeline" "flowcarp: running: " "$ERR"
check_contains "verbose_reaches_the_stages" "fc-flow --verbose" "$ERR"
check_eq "verbose_changes_no_output" "$(cat "$TMP/plain.csv")" "$OUT"

run_status "$flowcarp" --debug --input "$demo" --output -
check_eq "debug_exit_status_0" 0 "$RC"
check_contains "debug_reaches_the_stages" "fc-emit --debug" "$ERR"

run_status "$flowcarp" --logtime -v --input "$demo" --output -
check_eq "logtime_exit_status_0" 0 "$RC"
unstamped=$(grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{4} ' <<<"$ERR" || true)
check_eq "logtime_stamps_every_log_line" "" "$unstamped"
check_contains "logtime_keeps_the_message" "flowcarp: running: " "$ERR"
run_status "$flowcarp" --logtime --input "$TMP/missing.pcap" --output -
check_eq "logtime_keeps_the_exit_status" 1 "$RC"
check_contains "logtime_stamps_stage_messages" "fc-read failed with exit status 1" "$(grep -E '^[0-9]{4}-' <<<"$ERR")"

fc-read -f udp "$demo" | fc-flow | fc-feat | fc-classify | fc-emit --format ZeekConn > "$TMP/udp.expected"
run_status "$flowcarp" -f udp --input "$demo" --format ZeekConn
printf '%s\n' "$OUT" > "$TMP/udp.out"
check_files_eq "filter_equals_fc_read_filter" "$TMP/udp.expected" "$TMP/udp.out"
check_eq "filter_keeps_only_matching_flows" "udp" "$(jq -r .proto "$TMP/udp.out" | sort -u | tr '\n' ' ' | sed 's/ $//')"
run_status "$flowcarp" --filter 'tcp port 16379' --input "$demo" --format ZeekConn
check_eq "long_filter_keeps_the_6_redis_flows" 6 "$(grep -c '"id.resp_p":16379' <<<"$OUT")"
