#!/usr/bin/env bash
# Per-model acceptance thresholds on real traffic: fc-train learns one from its sessions'
# out-of-fold divergences, and the fewest direction changes (turns) its sessions reach, and
# writes them into the model file (format version 3); they survive merging (the looser
# wins); fc-classify names a flow after a MALICIOUS model only within the threshold times
# --acceptance and with at least the turns (other models are not tested); version 1 files
# (no threshold) and version 2 files (no turns) still load; a file with a hostile threshold
# is refused with a message naming it.
source "$(dirname "$0")/../lib.sh"

for t in fc-read fc-flow fc-feat fc-classify fc-train fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip threat_acceptance "$FC_BIN/$t not built yet"; exit 0; }
done
command -v tcpdump > /dev/null || { skip threat_acceptance "tcpdump is not installed"; exit 0; }
shared_or_skip threat_acceptance corpus/ndpi/1kxun.pcap || exit 0
shared_or_skip threat_acceptance corpus/ndpi/quickplay.pcap || exit 0

# model FILE: "version quantile divergence turns" of a model file (- when absent)
model() {
    /usr/bin/python3 - "$1" "$FC_ROOT/bench/accuracy" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import fcstream
m = next(fcstream.records(open(sys.argv[1], "rb").read()))[0]
a = m.get("acceptance") or {}
print(m["version"], a.get("quantile", "-"), a.get("divergence", "-"), a.get("turns", "-"))
PY
}
# rewrite IN OUT PYTHON-STATEMENTS: the model map `m` of IN changed by the statements, to OUT
rewrite() {
    /usr/bin/python3 - "$1" "$2" "$FC_ROOT/bench/accuracy" "$3" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
import fcstream
m = next(fcstream.records(open(sys.argv[1], "rb").read()))[0]
exec(sys.argv[4])
open(sys.argv[2], "wb").write(fcstream.encode(m))
PY
}
# identified CAPTURE MODEL [fc-classify options]: "identified unknown" counts of its flows
identified() {
    local cap=$1 m=$2
    shift 2
    fc-read "$cap" | fc-flow | fc-feat | fc-classify --no-builtin --model "$m" "$@" | fc-emit --format CSV |
        awk -F, 'NR > 1 { n[$18]++ } END { printf "%d %d\n", n["identified"], n["unknown"] }'
}

# HTTP sessions of two captures (other hosts, other days): one to train on, one to test
tcpdump -r "$FC_SHARED/corpus/ndpi/1kxun.pcap" -w - 'tcp port 80' 2>/dev/null > "$TMP/train.pcap"
tcpdump -r "$FC_SHARED/corpus/ndpi/quickplay.pcap" -w - 'tcp port 80' 2>/dev/null > "$TMP/test.pcap"
fc-read "$TMP/train.pcap" | fc-flow | fc-feat > "$TMP/train.fcr"
fc-train -n "Web RAT" -t MALICIOUS -o "$TMP/rat.fcp" < "$TMP/train.fcr" 2>/dev/null
fc-train -n "Web RAT" -t MALICIOUS -o "$TMP/again.fcp" < "$TMP/train.fcr" 2>/dev/null
fc-train -n "Web RAT" -t MALICIOUS --quantile 0.5 -o "$TMP/median.fcp" < "$TMP/train.fcr" 2>/dev/null

read -r version quantile divergence turns <<<"$(model "$TMP/rat.fcp")"
check_eq acceptance_model_is_format_version_3 "3 0.99" "$version $quantile"
# the turns are the fewest of the training sessions' own (fewer than 101 of them: index 0)
fewest=$(fc-emit --format Json < "$TMP/train.fcr" | /usr/bin/python3 -c '
import json, sys
t = [r.get("turns") for r in map(json.loads, sys.stdin) if r.get("k") == 4]
print(min(t) if len(t) <= 100 and None not in t else "?")')
check_eq acceptance_turns_are_the_sessions_fewest "$fewest" "$turns"
if awk -v d="$divergence" 'BEGIN { exit !(d > 0.05 && d < 3) }'; then pass acceptance_threshold_is_a_plausible_divergence
else fail acceptance_threshold_is_a_plausible_divergence "divergence [$divergence], want a value between 0.05 and 3 bits"; fi
read -r _ q_median d_median <<<"$(model "$TMP/median.fcp")"
if [ "$q_median" = 0.5 ] && awk -v a="$d_median" -v b="$divergence" 'BEGIN { exit !(a < b) }'; then
    pass acceptance_quantile_option_sets_a_lower_threshold
else fail acceptance_quantile_option_sets_a_lower_threshold "q 0.5 gave [$q_median $d_median], q 0.99 gave $divergence"; fi
if cmp -s "$TMP/rat.fcp" "$TMP/again.fcp"; then pass acceptance_training_is_deterministic
else fail acceptance_training_is_deterministic "two trainings on the same sessions gave different files"; fi
run_status fc-train -n X --quantile 0.2 -o "$TMP/x.fcp" < "$TMP/train.fcr"
check_eq acceptance_quantile_out_of_range_is_a_usage_error 2 "$RC"

# The threshold decides: the unseen capture's sessions are named within it; with a factor
# that shrinks it to nothing every flow is unknown; factor 0 turns the test off, which is
# what a version 1 file without a threshold gets too.
read -r named unknown <<<"$(identified "$TMP/test.pcap" "$TMP/rat.fcp")"
if [ "$named" -ge 15 ]; then pass acceptance_default_names_most_unseen_sessions
else fail acceptance_default_names_most_unseen_sessions "$named identified, $unknown unknown (want >= 15 of 21)"; fi
check_eq acceptance_tiny_factor_makes_every_flow_unknown "0 $((named + unknown))" \
    "$(identified "$TMP/test.pcap" "$TMP/rat.fcp" --acceptance 0.000001)"
off=$(identified "$TMP/test.pcap" "$TMP/rat.fcp" --acceptance 0)
# Only a model whose verdicts raise alerts is held to its threshold: the same sessions as
# a model without MALICIOUS name as many flows with the tiny factor as with the test off.
fc-train -n "Web" -t REMOTEACCESS -o "$TMP/web.fcp" < "$TMP/train.fcr" 2>/dev/null
check_eq acceptance_applies_only_to_alerting_models "$off" \
    "$(identified "$TMP/test.pcap" "$TMP/web.fcp" --acceptance 0.000001)"
rewrite "$TMP/rat.fcp" "$TMP/v1.fcp" 'm["version"] = 1; del m["acceptance"]'
check_eq acceptance_version_1_file_loads_and_is_not_tested "$off" "$(identified "$TMP/test.pcap" "$TMP/v1.fcp")"

# The turns decide too: with the model asking for more direction changes than the fewest
# of the named flows make (the next of their counts), exactly the named flows with fewer
# turns become unknown.
fc-read "$TMP/test.pcap" | fc-flow | fc-feat | fc-classify --no-builtin --model "$TMP/rat.fcp" --keep-vectors |
    fc-emit --format Json > "$TMP/test.json"
read -r need named_below <<<"$(/usr/bin/python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
turns = {r["id"]: r["turns"] for r in recs if r.get("k") == 4}
named = [turns[r["id"]] for r in recs if r.get("k") == 5 and r.get("verdict") == "identified"]
t = sorted(set(named))
need = t[1] if len(t) > 1 else t[0] + 1
print(need, sum(1 for x in named if x < need))' "$TMP/test.json")"
rewrite "$TMP/rat.fcp" "$TMP/turns.fcp" "m['acceptance']['turns'] = $need"
read -r named_t unknown_t <<<"$(identified "$TMP/test.pcap" "$TMP/turns.fcp")"
if [ "$named_below" -gt 0 ] && [ "$named_t" -eq $((named - named_below)) ]; then
    pass acceptance_flows_with_fewer_turns_are_unknown
else fail acceptance_flows_with_fewer_turns_are_unknown "turns $need: $named_t named (before $named, $named_below of them below)"; fi
check_eq acceptance_factor_0_turns_the_turns_test_off "$off" \
    "$(identified "$TMP/test.pcap" "$TMP/turns.fcp" --acceptance 0)"
rewrite "$TMP/turns.fcp" "$TMP/v2.fcp" 'm["version"] = 2; del m["acceptance"]["turns"]'
check_eq acceptance_version_2_file_loads_without_turns "$named $unknown" "$(identified "$TMP/test.pcap" "$TMP/v2.fcp")"
rewrite "$TMP/turns.fcp" "$TMP/noturns.fcp" 'del m["acceptance"]["turns"]'
run_status fc-classify --no-builtin --model "$TMP/noturns.fcp" --list-models
check_contains acceptance_version_3_without_turns_refused "$TMP/noturns.fcp: acceptance: no \"turns\" field" "$ERR"
fc-read "$TMP/test.pcap" | fc-flow | fc-feat | fc-classify --no-builtin --model "$TMP/rat.fcp" --acceptance 0.000001 |
    fc-emit --format EveJsonAlert > "$TMP/alerts"
check_eq acceptance_flows_beyond_the_threshold_raise_no_alert 0 "$(wc -l < "$TMP/alerts")"

# Merging keeps the looser threshold; with a version 1 model the result has none
fc-train --merge -o "$TMP/merged.fcp" "$TMP/rat.fcp" "$TMP/median.fcp" 2>/dev/null
check_eq acceptance_merge_keeps_the_larger_threshold "3 0.99 $divergence $turns" "$(model "$TMP/merged.fcp")"
fc-train --merge -o "$TMP/merged_t.fcp" "$TMP/turns.fcp" "$TMP/rat.fcp" 2>/dev/null
check_eq acceptance_merge_keeps_the_fewer_turns "$turns" "$(model "$TMP/merged_t.fcp" | cut -d' ' -f4)"
fc-train --merge -o "$TMP/merged1.fcp" "$TMP/rat.fcp" "$TMP/v1.fcp" 2>/dev/null
check_eq acceptance_merge_with_version_1_has_none "3 - - -" "$(model "$TMP/merged1.fcp")"

# Hostile thresholds are refused, naming the file and the field
rewrite "$TMP/rat.fcp" "$TMP/nan.fcp" 'm["acceptance"]["divergence"] = float("nan")'
run_status fc-classify --no-builtin --model "$TMP/nan.fcp" --list-models
check_eq acceptance_nan_refused_exit_1 1 "$RC"
check_contains acceptance_nan_refused_says_why "$TMP/nan.fcp: acceptance: acceptance divergence nan is not in [0, 1000]" "$ERR"
rewrite "$TMP/rat.fcp" "$TMP/neg.fcp" 'm["acceptance"]["quantile"] = -1.0'
run_status fc-classify --no-builtin --model "$TMP/neg.fcp" --list-models
check_contains acceptance_negative_quantile_refused "$TMP/neg.fcp: acceptance: acceptance quantile -1 is not in (0, 1]" "$ERR"
rewrite "$TMP/rat.fcp" "$TMP/v4.fcp" 'm["version"] = 4'
run_status fc-classify --no-builtin --model "$TMP/v4.fcp" --list-models
check_contains acceptance_newer_format_refused "$TMP/v4.fcp: model format version 4; this FlowCarp reads versions 1 to 3" "$ERR"
rewrite "$TMP/rat.fcp" "$TMP/manyturns.fcp" 'm["acceptance"]["turns"] = 70000'
run_status fc-classify --no-builtin --model "$TMP/manyturns.fcp" --list-models
check_contains acceptance_turns_out_of_range_refused "$TMP/manyturns.fcp: acceptance: \"turns\" is 70000, more than 65535" "$ERR"
