#!/usr/bin/env bash
# The threat pack on its committed held-out samples (tests/data/threats, tests/data/services:
# batch "t" of corpus/make-captures, never training data), with the built-in models only:
# each sample's sessions are identified as its class (a class whose model is optional,
# models/optional/, or a background model, models/background/, with that model loaded to name
# flows); every MALICIOUS class raises alerts in EveJson, EveJsonAlert and ZeekNotice, naming
# the model, and its Eve lines validate against Suricata's schema; samples of classes without
# MALICIOUS, and the other benign captures of tests/data, raise no alert at all; and a sample
# of a background class raises none because of its background model (with --no-background
# the shell model takes some of its flows).
source "$(dirname "$0")/../lib.sh"

for t in fc-read fc-flow fc-feat fc-classify fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip threat_samples "$FC_BIN/$t not built yet"; exit 0; }
done
M=$FC_ROOT/models
# the built-in models, and the optional ones (models/optional/: trained from the same data, but
# too close to everyday traffic to be built in; a sample of such a class is checked with it loaded)
optional=()
for m in "$M"/optional/*.fcp; do [ -e "$m" ] && optional+=(--model "$m"); done
fc-classify --models-dir "$M" "${optional[@]}" --list-models > "$TMP/models.tsv" 2> "$TMP/background.txt"
# the background models, as the list's lines (name, tags, sessions, -, file): they name no flow
# unless loaded with --model, as an optional one
sed -nE 's/^fc-classify: background model (.*) \(.*\) from (.*) never names a flow.*/\1\t-\t-\t-\t\2/p' \
    "$TMP/background.txt" > "$TMP/background.tsv"
cat "$TMP/background.tsv" >> "$TMP/models.tsv"
samples=()
for group in threats services; do
    while IFS= read -r f; do samples+=("$f"); done < <(find "$FC_DATA/$group" -name '*.pcap' 2>/dev/null | sort)
done
[ ${#samples[@]} -gt 0 ] || skip threat_samples "no samples in tests/data/threats or tests/data/services"

slug() { tr 'A-Z' 'a-z' <<<"$1" | sed -E 's/[^a-z0-9_-]+/-/g; s/^-+//; s/-+$//'; }
squash() { tr 'A-Z' 'a-z' <<<"$1" | tr -cd 'a-z0-9'; }
# The threat pack's classes (corpus/GROUP/*.tsv); other captures in these folders (e.g. the
# learn-a-new-protocol samples) are not this test's.
cut -f1 "$FC_ROOT"/corpus/threats/*.tsv "$FC_ROOT"/corpus/services/*.tsv 2>/dev/null | grep -v '^class$' | sort -u > "$TMP/classes"
# class_of FILE: the class a sample belongs to: its folder's name when the sample lies in
# tests/data/GROUP/CLASS/, else the class whose letters and digits begin the file name's
# letters and digits (reverse-shell-tls.pcap -> ReverseShell-TLS, not ReverseShell); empty
# when none
class_of() {
    local f=$1 dir base best="" name s
    dir=$(basename "$(dirname "$f")")
    if grep -Fxq -- "$dir" "$TMP/classes"; then printf '%s\n' "$dir"; return; fi
    base=$(squash "$(basename "${f%.pcap}")")
    while IFS= read -r name; do
        s=$(squash "$name")
        if [[ $base == "$s"* ]] && [ ${#s} -gt ${#best} ]; then best=$name; fi
    done < "$TMP/classes"
    [ -z "$best" ] || printf '%s\n' "$best"
}
tags_of() { awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$TMP/models.tsv"; }

py=/usr/bin/python3
schema=$FC_SHARED/vectors/suricata/eve-schema.json
validate() {
    "$py" -c '
import json, sys, jsonschema
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
bad = [e.message for line in sys.stdin for e in v.iter_errors(json.loads(line))]
print("valid" if not bad else "; ".join(bad[:3]))
' "$schema"
}

for f in "${samples[@]}"; do
    rel=${f#"$FC_DATA"/}
    name=sample_$(slug "${rel%.pcap}")
    cls=$(class_of "$f")
    [ -n "$cls" ] || continue
    if ! cut -f1 "$TMP/models.tsv" | grep -Fxq -- "$cls"; then
        fail "${name}_has_a_builtin_model" "no built-in model named $cls for $rel"
        continue
    fi
    extra=()
    origin=$(awk -F'\t' -v n="$cls" '$1 == n { print $5 }' "$TMP/models.tsv")
    [[ $origin != */optional/* && $origin != */background/* ]] || extra=(--model "$origin")
    timeout 60 fc-read "$f" 2>/dev/null | fc-flow | fc-feat | fc-classify --models-dir "$M" "${extra[@]}" > "$TMP/s.fcr"
    fc-emit --format CSV < "$TMP/s.fcr" > "$TMP/s.csv"
    # payload flows (verdict not no_payload) and those identified as the class
    read -r n named <<<"$(awk -F, -v c="$cls" 'NR > 1 && $18 != "no_payload" { n++; if ($18 == "identified" && $19 == c) k++ }
                             END { printf "%d %d\n", n, k }' "$TMP/s.csv")"
    # The proxies' streams are encrypted from the first byte and leave-one-batch-out finds
    # only half (Shadowsocks) to three quarters (VMess) of their flows, the rest unknown
    # (bench/accuracy/results.md): half is their bar; 80 % for every other class, obfs4
    # included (86 % of its flows found left out of one batch at a time, corpus/threats/README.md).
    want=8
    case $cls in Shadowsocks | VMess) want=5 ;; esac
    if [ "$n" -gt 0 ] && [ $((named * 10)) -ge $((n * want)) ]; then pass "${name}_identified_as_$(slug "$cls")"
    else fail "${name}_identified_as_$(slug "$cls")" "$named of $n payload flows identified as $cls (want >= ${want}0 %); answers: $(
        awk -F, 'NR > 1 && $18 != "no_payload" { print $18 ":" $19 }' "$TMP/s.csv" | sort | uniq -c | sort -rn | head -5 | tr -s ' ' | tr '\n' ';')"; fi
    check_eq "${name}_no_flow_named_as_another_protocol" 0 \
        "$(awk -F, -v c="$cls" 'NR > 1 && $18 == "identified" && $19 != c { k++ } END { print k + 0 }' "$TMP/s.csv")"
    if [[ ,$(tags_of "$cls"), == *,MALICIOUS,* ]]; then
        fc-emit --format EveJsonAlert < "$TMP/s.fcr" > "$TMP/a.json"
        fc-emit --format EveJson < "$TMP/s.fcr" > "$TMP/e.json"
        fc-emit --format ZeekNotice < "$TMP/s.fcr" > "$TMP/z.json"
        check_eq "${name}_alerts_name_the_model_in_evejsonalert" "$named FlowCarp: $cls (MALICIOUS) detected" \
            "$(grep -c . "$TMP/a.json") $(jq -r .alert.signature "$TMP/a.json" | sort -u | tr '\n' '|' | sed 's/|$//')"
        check_eq "${name}_evejson_alert_events_are_the_alerts" "$(cat "$TMP/a.json")" "$(grep '"event_type":"alert"' "$TMP/e.json")"
        check_eq "${name}_zeeknotice_one_per_alert" "$named FlowCarp: $cls (MALICIOUS) detected" \
            "$(grep -c . "$TMP/z.json") $(jq -r .msg "$TMP/z.json" | sort -u | tr '\n' '|' | sed 's/|$//')"
        if ! "$py" -c 'import jsonschema' 2>/dev/null || [ ! -e "$schema" ]; then
            skip "${name}_eve_lines_validate_against_schema" "python3-jsonschema or ../shared's Eve schema missing"
        else
            check_eq "${name}_eve_lines_validate_against_schema" valid "$(validate < "$TMP/e.json")"
        fi
    else
        check_eq "${name}_benign_class_raises_no_alert" "0 0" \
            "$(fc-emit --format EveJsonAlert < "$TMP/s.fcr" | wc -l) $(fc-emit --format ZeekNotice < "$TMP/s.fcr" | wc -l)"
    fi
    if [[ $origin == */background/* ]]; then
        for bg in "" --no-background; do
            fc-read "$f" 2>/dev/null | fc-flow | fc-classify --models-dir "$M" $bg | fc-emit --format EveJsonAlert |
                jq -r .alert.signature | sort | uniq -c | tr -s ' ' > "$TMP/bg$bg.txt"
        done
        check_eq "${name}_no_alert_with_the_background_models" "" "$(cat "$TMP/bg.txt")"
        if grep -q 'FlowCarp: ReverseShell (MALICIOUS) detected' "$TMP/bg--no-background.txt"; then
            pass "${name}_the_shell_model_alerts_without_them"
        else fail "${name}_the_shell_model_alerts_without_them" "alerts with --no-background: [$(cat "$TMP/bg--no-background.txt")]"; fi
    fi
done

# The other captures of tests/data are benign (tests/data/README.md): no alert with every built-in model
for f in "$FC_DATA"/*.pcap; do
    name=benign_$(slug "$(basename "${f%.pcap}")")_raises_no_alert
    alerts=$(timeout 60 fc-read "$f" 2>/dev/null | fc-flow 2>/dev/null | fc-feat | fc-classify --models-dir "$M" |
             fc-emit --format EveJsonAlert | jq -r '.alert.signature + " " + .src_ip + ":" + (.src_port|tostring) + " -> " + .dest_ip + ":" + (.dest_port|tostring)')
    check_eq "$name" "" "$alerts"
done
