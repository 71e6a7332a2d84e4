#!/usr/bin/env bash
# Learning a new protocol from 10 sessions (issue 3): a model trained with the real tools
# from 10 MQTT sessions (mosquitto, tests/data/services/mqtt_train.pcap) identifies the 20
# held-out sessions of the same capture run (mqtt_heldout.pcap), names them nothing else,
# and neither claims nor renames a flow of the other committed captures. The same through
# the wrapper (--output model:, --model). bench/accuracy/learn-new-protocol is the full
# experiment (50 unseen sessions, the shared corpus).
source "$(dirname "$0")/../lib.sh"

M=$FC_ROOT/models
S=$FC_DATA/services

# "count verdict:protocol" of the flows with payload, with the built-in models and the
# extra arguments given (e.g. --model FILE)
verdicts() {
    local pcap=$1; shift
    fc-read "$pcap" | fc-flow | fc-feat | timeout 60 fc-classify --models-dir "$M" "$@" | fc-emit --format CSV |
        awk -F, 'NR > 1 && $13 + $16 > 0 { print $18 ":" $19 }' | sort | uniq -c | tr -s ' '
}
sessions() { fc-read "$1" | fc-flow | fc-emit --format CSV | awk -F, 'NR > 1 && $13 + $16 > 0' | wc -l; }

check_eq learn_new_training_sample_has_10_sessions 10 "$(sessions "$S/mqtt_train.pcap")"
check_eq learn_new_heldout_sample_has_20_sessions 20 "$(sessions "$S/mqtt_heldout.pcap")"

fc-read "$S/mqtt_train.pcap" | fc-flow | fc-feat | timeout 60 fc-train --name MQTT -o "$TMP/mqtt.fcp" 2>"$TMP/train.err"
check_eq learn_new_trains_from_10_sessions "0" "$?"
check_contains learn_new_training_warns_of_the_few_session_test "its --few-sessions test" "$(cat "$TMP/train.err")"
check_contains learn_new_model_lists_name_and_10_sessions "MQTT	-	10	" \
    "$(fc-classify --no-builtin --model "$TMP/mqtt.fcp" --list-models)"

# the 20 held-out sessions: at least 16 called MQTT, none another protocol. The issue's
# target is 90 % of 50; the full experiment's five draws find 245 of 250 (the worst 45 of
# 50). On this older 20-session sample fc-classify's few-session test (a model of fewer
# than 70 sessions must also win with its prior scaled to its sessions) turns 4 sessions
# unknown that add-one smoothing alone names, the price of the model no longer claiming
# the 4 corpus flows of other protocols it took before (bench/accuracy/few-sessions.md;
# 3 until the ReverseShell model was built in, 29 Nov 2026: it wins one session's scaled
# ranking): with the test off all 20 are found, with it at least 16 must be.
held=$(verdicts "$S/mqtt_heldout.pcap" --model "$TMP/mqtt.fcp")
hit=$(awk '$2 == "identified:MQTT" { print $1 }' <<<"$held")
check_eq learn_new_finds_80pct_of_heldout_sessions "yes" "$([ "${hit:-0}" -ge 16 ] && echo yes || echo "no: $held")"
check_eq learn_new_names_heldout_nothing_else "" "$(grep -v -e 'identified:MQTT' -e 'unknown:' <<<"$held")"
hit=$(verdicts "$S/mqtt_heldout.pcap" --model "$TMP/mqtt.fcp" --few-sessions 0 | awk '$2 == "identified:MQTT" { print $1 }')
check_eq learn_new_without_few_session_test_finds_all_heldout "20" "${hit:-0}"
# --explain shows the few-session test's divergence for every listed model of fewer than
# 70 sessions of the flows' transport, TCP (the MQTT model's 10 among them; also a model of
# more sessions but few over TCP), and for no other (background models left out: the list
# does not give their transports)
fc-classify --models-dir "$M" --model "$TMP/mqtt.fcp" --list-models 2>/dev/null |
    awk -F'\t' '{ n = 0; k = split($4, l4, ","); for (i = 1; i <= k; i++) if (l4[i] ~ /^6:/) n = substr(l4[i], 3); print $1 "\t" n }' > "$TMP/sessions"
fc-read "$S/mqtt_heldout.pcap" | fc-flow | fc-classify --models-dir "$M" --no-background --model "$TMP/mqtt.fcp" --explain 4 |
    fc-emit --format Json | grep '^{"k":5,' | jq -r '.explain[] | [.model, has("few_session_divergence")] | @tsv' |
    sort -u > "$TMP/explained"
check_contains learn_new_explain_shows_few_session_divergence "MQTT	true" "$(cat "$TMP/explained")"
check_eq learn_new_explain_few_session_divergence_only_below_70_sessions "" \
    "$(awk -F'\t' 'NR == FNR { n[$1] = $2; next } (n[$1] < 70) != ($2 == "true")' "$TMP/sessions" "$TMP/explained")"

# the other committed captures (HTTP, DNS, TLS, ICMP, Redis): the new model names none of
# their flows MQTT, and gives no flow a name other than the one the built-in models give it.
# (It may turn a named flow unknown: a close MQTT runner-up trips the ratio test on 2 of
# demo.pcap's loopback Redis sessions; bench/accuracy/learn-new-protocol.md.)
names() {   # "client-server protocol" of every flow with payload, "-" for unknown
    local pcap=$1; shift
    fc-read "$pcap" | fc-flow | fc-feat | timeout 60 fc-classify --models-dir "$M" "$@" | fc-emit --format CSV |
        awk -F, 'NR > 1 && $13 + $16 > 0 { print $7 ":" $8 "-" $9 ":" $10, ($19 == "" ? "-" : $19) }' | sort
}
for pcap in demo.pcap ident_web.pcap; do
    names "$FC_DATA/$pcap" > "$TMP/before"
    names "$FC_DATA/$pcap" --model "$TMP/mqtt.fcp" > "$TMP/after"
    check_eq "learn_new_model_calls_no_flow_of_${pcap}_mqtt" "0" "$(grep -c ' MQTT$' "$TMP/after")"
    check_eq "learn_new_model_renames_no_flow_of_$pcap" "" "$(join "$TMP/before" "$TMP/after" | awk '$2 != "-" && $3 != "-" && $2 != $3')"
    check_eq "learn_new_model_keeps_every_flow_of_$pcap" "$(wc -l < "$TMP/before")" "$(join "$TMP/before" "$TMP/after" | wc -l)"
done

# the product's way: flowcarp --output model:PROTO:TAGS:FILE, then --model
mkdir -p "$TMP/train"
cp "$S/mqtt_train.pcap" "$TMP/train/"
timeout 60 "$FC_ROOT/flowcarp" --input "directory:Once:$TMP/train" --output "model:MQTT:IOT:$TMP/wrapper.fcp" 2>"$TMP/wrap.err"
check_eq learn_new_wrapper_trains "0" "$?"
out=$(timeout 60 "$FC_ROOT/flowcarp" --input "$S/mqtt_heldout.pcap" --model "$TMP/wrapper.fcp" --output - --format CSV |
      awk -F, 'NR > 1 && $19 == "MQTT" && $24 == "IOT"' | wc -l)
check_eq learn_new_wrapper_model_names_and_tags_heldout "yes" "$([ "$out" -ge 16 ] && echo yes || echo "no: $out of 20")"
