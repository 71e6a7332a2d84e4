#!/usr/bin/env bash
# bench/accuracy/other_sources.py, the evaluation on captures from other sources, on a
# folder of committed captures: it counts every flow with payload that the tools see, lists
# exactly the flows flowcarp alerts on, joins nDPI's labels (HTTP and TLS flows named
# right, MQTT, which no built-in model knows, counted apart and called unknown), and says
# which captures and models it used. Each count is checked against the tools run apart.
source "$(dirname "$0")/../lib.sh"

command -v ndpiReader >/dev/null || { skip other_sources "ndpiReader (libndpi-bin) not installed"; exit 0; }
ls "$FC_ROOT"/models/*.fcp >/dev/null 2>&1 || { skip other_sources "no built-in models (make models)"; exit 0; }
script=$FC_ROOT/bench/accuracy/other_sources.py
dir=$TMP/captures
mkdir -p "$dir/nested"
cp "$FC_DATA/ident_web.pcap" "$FC_DATA/threats/reverse-shell.pcap" "$dir/"
cp "$FC_DATA/services/mqtt_heldout.pcap" "$dir/nested/"

/usr/bin/python3 "$script" --bin "$FC_BIN" --models "$FC_ROOT/models" --jobs 2 --out "$TMP/report.md" \
    "$dir=committed test captures" > "$TMP/stdout" 2> "$TMP/stderr"
check_eq exit_status 0 "$?"
check_eq nothing_on_stderr "" "$(cat "$TMP/stderr")"
check_files_eq stdout_is_the_report "$TMP/report.md" "$TMP/stdout"
report=$(cat "$TMP/report.md")
check_contains section_named_by_description "## committed test captures" "$report"

# the flows with payload, counted by the tools themselves
payload_flows=0
for f in "$dir"/*.pcap "$dir"/nested/*.pcap; do
    n=$(fc-read "$f" | fc-flow | fc-classify --models-dir "$FC_ROOT/models" | fc-emit --format CSV |
        awk -F, 'NR > 1 && $18 != "no_payload"' | wc -l)
    payload_flows=$((payload_flows + n))
done
check_contains every_capture_and_flow_counted "3 captures, $payload_flows flows with payload" "$report"

# the alerts: as many rows as flowcarp's EveJsonAlert has alerts, each a ReverseShell flow
alerts=0
for f in "$dir"/*.pcap "$dir"/nested/*.pcap; do
    alerts=$((alerts + $("$FC_ROOT/flowcarp" --input "$f" --output - --format EveJsonAlert 2>/dev/null | wc -l)))
done
check_eq reverse_shell_sample_alerts "3" "$alerts"
check_contains alert_count_line "$alerts alert(s) over $payload_flows flows" "$report"
check_eq alert_rows_are_the_shell_flows "$alerts" \
    "$(grep -c '^| reverse-shell.pcap | TCP .* | ReverseShell | ' <<<"$report")"

# nDPI's labels joined: HTTP and TLS flows of ident_web named as nDPI names them
http=$(grep '^| HTTP |' <<<"$report" | tail -1)
check_contains http_named_as_ndpi_names_them "| 100.0 % |" "$http"
tls=$(grep '^| TLS |' <<<"$report" | tail -1)
check_contains tls_named_as_ndpi_names_them "| 100.0 % |" "$tls"
# MQTT: nDPI labels it, no built-in model names it: counted apart, and unknown
mqtt=$(ndpiReader -q -i "$dir/nested/mqtt_heldout.pcap" -C "$TMP/mqtt.csv" >/dev/null 2>&1; grep -c ',MQTT' "$TMP/mqtt.csv")
check_eq ndpi_labels_ten_or_more_mqtt_flows yes "$([ "$mqtt" -ge 10 ] && echo yes || echo "only $mqtt")"
check_contains mqtt_counted_apart_and_unknown "$mqtt flows: $mqtt called unknown (100.0 %)" "$report"

# a folder without captures is refused by name
run_status /usr/bin/python3 "$script" --bin "$FC_BIN" "$TMP/empty-does-not-exist"
check_eq no_captures_exit_status 1 "$RC"
check_contains no_captures_says_which_folder "no .pcap, .pcapng or .cap file under $TMP/empty-does-not-exist" "$ERR"
