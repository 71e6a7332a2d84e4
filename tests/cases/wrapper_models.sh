#!/usr/bin/env bash
# flowcarp builds a model from a folder of captures (--output model:PROTO:[TAGS]:FILE),
# lists it (--list-models), loads it (--model) and alerts with it, with the product's
# command lines verbatim; fc-train's refusal of too few sessions comes through; --explain
# shows why each flow got its name; meaningless combinations are refused.
source "$(dirname "$0")/../lib.sh"

flowcarp=$FC_ROOT/flowcarp
demo=$FC_DATA/demo.pcap
for t in fc-read fc-flow fc-feat fc-classify fc-train fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip wrapper_models "$FC_BIN/$t not built yet"; exit 0; }
done

# Too few sessions: fc-train's message and status, named by the wrapper, no file
run_status "$flowcarp" --input "$demo" -f udp --output model:Few::"$TMP/few.fcp"
check_eq model_from_too_few_sessions_exit_status_1 1 "$RC"
check_contains model_from_too_few_sessions_says_why "fc-train: only 4 sessions with payload in the input; a model needs at least 10" "$ERR"
check_contains model_from_too_few_sessions_names_fc_train "flowcarp: fc-train failed with exit status 1" "$ERR"
[ -e "$TMP/few.fcp" ] && fail model_from_too_few_sessions_writes_no_file "$TMP/few.fcp exists" || pass model_from_too_few_sessions_writes_no_file

# Usage: exit 2 and a message saying what is wrong
while IFS='|' read -r name needle args; do
    # shellcheck disable=SC2086  # args are plain words
    run_status "$flowcarp" $args
    check_eq "${name}_exit_status_2" 2 "$RC"
    check_contains "${name}_says_why" "$needle" "$ERR"
done <<LINES
rejects_model_target_without_file|expected model:PROTO:[TAGS]:FILE|--input $demo --output model:RAT
rejects_model_target_with_empty_name|the protocol name PROTO is empty|--input $demo --output model::MALICIOUS:x.fcp
rejects_format_with_model_target|--format has no meaning with --output model:|--input $demo --output model:RAT::x.fcp --format CSV
rejects_explain_with_other_format|--explain shows the Json view|--input $demo --explain --format CSV
rejects_list_models_with_input|--list-models takes only --model|--list-models --input $demo
rejects_background_with_model_target|--background has no meaning with --output model:|--input $demo --output model:RAT::x.fcp --background y.fcp
rejects_background_without_file|--background needs a value|--input $demo --background
LINES
run_status "$flowcarp" --input "$demo" --model "$TMP/missing.fcp"
check_eq missing_model_file_exit_status_1 1 "$RC"
check_eq missing_model_file_is_named_once "flowcarp: --model $TMP/missing.fcp: no such readable file" "$ERR"
run_status "$flowcarp" --input "$demo" --background "$TMP/missing.fcp"
check_eq missing_background_file_exit_status_1 1 "$RC"
check_eq missing_background_file_is_named_once "flowcarp: --background $TMP/missing.fcp: no such readable file" "$ERR"

# --background: a model that stops alerts without naming flows. The committed reverse-shell
# sample alerts with the built-in models; a background model as close to its sessions (a
# copy of the built-in ReverseShell model, by another name) stops every alert, and the flows
# are then unknown with it as runner-up.
shell=$FC_DATA/threats/reverse-shell.pcap
fc-train --merge -n 'Shell-like' -o "$TMP/shell-like.fcp" "$FC_ROOT/models/reverseshell.fcp" 2>/dev/null
n=$("$flowcarp" --input "$shell" --format EveJsonAlert | wc -l)
if [ "$n" -gt 0 ]; then pass background_sample_alerts_without_it
else fail background_sample_alerts_without_it "no alert for $shell"; fi
check_eq background_option_stops_the_alerts 0 "$("$flowcarp" --input "$shell" --background "$TMP/shell-like.fcp" --format EveJsonAlert | wc -l)"
check_eq background_option_leaves_the_runner_up "$n unknown Shell-like" "$("$flowcarp" --input "$shell" --background "$TMP/shell-like.fcp" |
    awk -F, '$20 == "ReverseShell" { n++; v = $18; r = $22 } END { print n, v, r }')"

# Built-in models on the benign demo capture: no alert (when some built-in model is MALICIOUS)
builtin=$("$flowcarp" --list-models)
if grep -q MALICIOUS <<<"$builtin"; then
    run_status "$flowcarp" --input "$demo" --output - --format EveJsonAlert
    check_eq benign_demo_with_builtin_models_exit_status_0 0 "$RC"
    check_eq benign_demo_with_builtin_models_raises_no_alert "" "$OUT"
else
    skip benign_demo_with_builtin_models_raises_no_alert "no built-in model is tagged MALICIOUS yet"
fi

command -v tcpdump > /dev/null || { skip wrapper_models_training "tcpdump is not installed"; exit 0; }
shared_or_skip wrapper_models_training corpus/ndpi/1kxun.pcap || exit 0
shared_or_skip wrapper_models_training corpus/ndpi/quickplay.pcap || exit 0

# A folder holding only HTTP sessions (those of 1kxun.pcap), and another capture of HTTP.
# Only the model made here is loaded, so no built-in model can take a flow away from it.
mkdir "$TMP/pcaps" "$TMP/no-models"
tcpdump -r "$FC_SHARED/corpus/ndpi/1kxun.pcap" -w - 'tcp port 80' 2>/dev/null > "$TMP/pcaps/1kxun-http.pcap"
tcpdump -r "$FC_SHARED/corpus/ndpi/quickplay.pcap" -w - 'tcp port 80' 2>/dev/null > "$TMP/malware.pcap"
export FLOWCARP_MODELS=$TMP/no-models
cd "$TMP" || exit 1

run_status "$flowcarp" --input directory:Once:"$TMP/pcaps/" --output model:"Example RAT":MALICIOUS:myExampleRAT.fcp
check_eq product_model_command_exit_status_0 0 "$RC"
check_eq product_model_command_writes_no_flows "" "$OUT"
check_contains product_model_command_warns_below_100_sessions "model 'Example RAT' is made from only 82 sessions" "$ERR"
check_eq list_models_shows_name_tags_sessions "Example RAT|MALICIOUS|82|6:82|myExampleRAT.fcp" \
    "$("$flowcarp" --list-models --model myExampleRAT.fcp | tr '\t' '|')"

run_status "$flowcarp" --input malware.pcap --model myExampleRAT.fcp --output - --format EveJsonAlert
check_eq product_alert_command_exit_status_0 0 "$RC"
printf '%s\n' "$OUT" > "$TMP/alerts.json"
alerts=$(grep -c '"event_type":"alert","src_ip"' "$TMP/alerts.json")
if [ "$alerts" -ge 15 ] && [ "$alerts" -eq "$(wc -l < "$TMP/alerts.json")" ]; then pass product_alert_command_alerts_on_the_http_sessions
else fail product_alert_command_alerts_on_the_http_sessions "$alerts alert lines (want >= 15 of 21, and nothing else): $(head -c 300 "$TMP/alerts.json")"; fi
check_eq product_alert_command_names_the_model "FlowCarp: Example RAT (MALICIOUS) detected" "$(jq -r .alert.signature "$TMP/alerts.json" | sort -u)"

# The wrapper runs exactly the stages of the product's pipeline
FLOWCARP_MODELS=$TMP/no-models fc-read malware.pcap | fc-flow | fc-feat | fc-classify --model myExampleRAT.fcp |
    fc-emit --format ZeekNotice > "$TMP/notice.expected"
"$flowcarp" --input malware.pcap --model myExampleRAT.fcp --format ZeekNotice > "$TMP/notice.out"
check_files_eq zeeknotice_equals_hand_pipeline "$TMP/notice.expected" "$TMP/notice.out"
check_eq zeeknotice_one_per_alert "$alerts" "$(wc -l < "$TMP/notice.out")"

# --explain: every verdict record lists the closest models with per-meter divergences
run_status "$flowcarp" --input malware.pcap --model myExampleRAT.fcp --explain
check_eq explain_exit_status_0 0 "$RC"
printf '%s\n' "$OUT" > "$TMP/explain.json"
verdicts=$(jq -c 'select(.k == 5)' "$TMP/explain.json" | wc -l)
explained=$(jq -c 'select(.k == 5 and (.explain | length) >= 1 and .explain[0].model == .model
                   and (.explain[0].meters | length) >= 5)' "$TMP/explain.json" | wc -l)
if [ "$verdicts" -ge 15 ] && [ "$explained" -eq "$verdicts" ]; then pass explain_shows_candidates_and_meter_divergences
else fail explain_shows_candidates_and_meter_divergences "$explained of $verdicts verdict records explained"; fi
