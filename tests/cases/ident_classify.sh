#!/usr/bin/env bash
# fc-classify on real flows: models trained from corpus captures name the DNS flows of
# demo.pcap, a verdict record (kind 5) comes as soon as the sample is complete and before
# the flow record, flow records carry the verdict fields, flows without payload get
# no_payload, unknown verdicts, --model overrides, colliding names refused, --explain.
source "$(dirname "$0")/../lib.sh"

shared_or_skip classify_models corpus/ndpi/alexa-app.pcapng || exit 0
C=$FC_SHARED/corpus/ndpi
mkdir -p "$TMP/models"
fc-read -f 'udp port 53' "$C/alexa-app.pcapng" "$C/1kxun.pcap" | fc-flow | fc-train -n DNS -o "$TMP/models/dns.fcp" 2>/dev/null
fc-read "$C/WebattackRCE.pcap" | fc-flow | fc-train -n HTTP -o "$TMP/models/http.fcp" 2>/dev/null
fc-read "$C/reddit.pcap" "$C/webex.pcap" | fc-flow | fc-train -n TLS -o "$TMP/models/tls.fcp" 2>/dev/null
fc-read "$C/quic_interop_V.pcapng" | fc-flow | fc-train -n QUIC -t malicious -o "$TMP/models/quic.fcp" 2>/dev/null
check_eq classify_lists_models_by_name "DNS HTTP QUIC TLS" \
    "$(fc-classify --models-dir "$TMP/models" --list-models | cut -f1 | tr '\n' ' ' | sed 's/ $//')"

json=$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-feat | fc-classify --models-dir "$TMP/models" | fc-emit --format Json)
dns=$(grep '^{"k":2,' <<<"$json" | jq -r 'select(.resp.port == 10053 and .proto == 17) | .verdict + ":" + .protocol' | sort | uniq -c | tr -s ' ')
check_eq classify_names_the_three_dns_flows " 3 identified:DNS" "$dns"
check_eq classify_every_flow_has_a_verdict "$(grep -c '^{"k":2,' <<<"$json")" "$(grep '^{"k":2,' <<<"$json" | grep -c '"verdict":')"
order=$(grep -E '^\{"k":[2345],' <<<"$json" | jq -r '"\(.k) \(.id)"' |
        awk '$1 == 5 { v[$2] = NR } $1 == 2 { if (!($2 in v)) bad++ } END { print bad + 0 }')
check_eq classify_verdict_record_before_flow_record 0 "$order"
first=$(grep '^{"k":5,' <<<"$json" | head -1)
check_contains verdict_record_has_flow_fields '"orig":{"ip":' "$first"
check_eq verdict_record_time_is_the_samples_last_packet "$(jq .end_us <<<"$first")" "$(jq .at_us <<<"$first")"
check_eq verdict_record_has_no_observations null "$(jq -c .obs <<<"$first")"

same=$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-classify --models-dir "$TMP/models" | fc-emit --format CSV)
check_eq classify_same_verdicts_without_fc_feat "$(fc-emit --format CSV < <(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-feat | fc-classify --models-dir "$TMP/models"))" "$same"

# flows without payload
vlan=$(fc-read "$FC_DATA/flow_vlan.pcap" | fc-flow | fc-classify --models-dir "$TMP/models" | fc-emit --format Json | grep '^{"k":2,')
check_eq classify_no_payload_flows "$(jq -c 'select(.orig.payload_bytes == 0 and .resp.payload_bytes == 0) | .verdict' <<<"$vlan" | sort -u)" '"no_payload"'

# unknown: only a UDP model loaded, so a TCP flow has no candidate
tcp=$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-classify --no-builtin --model "$TMP/models/dns.fcp" | fc-emit --format Json |
      grep '^{"k":2,' | jq -c 'select(.proto == 6) | [.verdict, .model]' | sort -u)
check_eq classify_unknown_without_candidates_on_the_transport '["unknown",null]' "$tcp"
# unknown: a ceiling nothing passes keeps the best model and the runner-up for the record
low=$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-classify --models-dir "$TMP/models" --max-divergence 0.01 | fc-emit --format Json |
      grep '^{"k":2,' | jq -c 'select(.proto == 17 and .resp.port == 10053) | [.verdict, .model, (.runner_up != null)]' | sort -u)
check_eq classify_unknown_above_ceiling_keeps_best '["unknown","DNS",true]' "$low"

# MALICIOUS tag travels on the verdict record for alerts
mal=$(fc-read "$C/quic_interop_V.pcapng" | fc-flow | fc-classify --models-dir "$TMP/models" | fc-emit --format Json |
      grep '^{"k":5,' | jq -c 'select(.verdict == "identified" and .protocol == "QUIC") | .tags' | sort -u)
check_eq classify_verdict_record_carries_tags '["MALICIOUS"]' "$mal"

# --model replaces a built-in model of the same name; colliding output names are refused
cp "$TMP/models/dns.fcp" "$TMP/dns-copy.fcp"
check_eq classify_model_overrides_builtin "DNS $TMP/dns-copy.fcp" \
    "$(fc-classify --models-dir "$TMP/models" --model "$TMP/dns-copy.fcp" --list-models | grep '^DNS' | cut -f1,5 | tr '\t' ' ')"
fc-train --merge -n 'dns' -o "$TMP/dns-lower.fcp" "$TMP/models/dns.fcp" 2>/dev/null
run_status fc-classify --models-dir "$TMP/models" --model "$TMP/dns-lower.fcp" --list-models
check_contains classify_refuses_colliding_slugs "has the output name 'dns', as model 'DNS'" "$ERR"
check_eq classify_refuses_colliding_slugs_status 1 "$RC"
run_status fc-classify --no-builtin --model "$TMP/dns-copy.fcp" --model "$TMP/models/dns.fcp" --list-models
check_contains classify_refuses_two_models_of_one_name "a model named 'DNS' was already loaded" "$ERR"

# --list-models says on stderr which models of the folder's optional/ are not loaded
mkdir -p "$TMP/models/optional"
fc-train --merge -n 'Slow DNS' -t MALICIOUS,TUNNEL -o "$TMP/models/optional/slow-dns.fcp" "$TMP/models/dns.fcp" 2>/dev/null
fc-train --merge -n 'Plain TLS' -o "$TMP/models/optional/plain-tls.fcp" "$TMP/models/tls.fcp" 2>/dev/null
fc-train --merge -n 'HTTP' -o "$TMP/models/optional/http.fcp" "$TMP/models/http.fcp" 2>/dev/null
run_status fc-classify --models-dir "$TMP/models" --list-models
check_eq classify_list_models_stdout_only_loaded "DNS HTTP QUIC TLS" "$(cut -f1 <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
sessions() { cut -f3 <<<"$(grep "^$1"$'\t' <<<"$OUT")"; }
plain_tls="fc-classify: optional model Plain TLS ($(sessions TLS) sessions) is not loaded; load it with --model $(realpath "$TMP/models/optional/plain-tls.fcp")"
check_eq classify_list_models_tells_optional_not_loaded "$plain_tls
fc-classify: optional model Slow DNS (MALICIOUS,TUNNEL; $(sessions DNS) sessions) is not loaded; load it with --model $(realpath "$TMP/models/optional/slow-dns.fcp")" "$ERR"
run_status fc-classify --models-dir "$TMP/models" --model "$TMP/models/optional/slow-dns.fcp" --list-models
check_eq classify_list_models_loaded_optional_not_told "$plain_tls" "$ERR"
check_eq classify_list_models_loaded_optional_listed "Slow DNS|MALICIOUS,TUNNEL" "$(grep '^Slow' <<<"$OUT" | cut -f1,2 | tr '\t' '|')"
run_status fc-classify --no-builtin --model "$TMP/models/dns.fcp" --list-models
check_eq classify_list_models_no_builtin_tells_nothing "" "$ERR"
rm -r "$TMP/models/optional"

# background models (the folder's background/): never name a flow; a MALICIOUS model must
# stand out from them. Copies of the QUIC and DNS models: the MALICIOUS QUIC model's flows are
# then as close to a background model as to it, so unknown, with no alert; the DNS flows keep
# their name (a model without MALICIOUS need not stand out from them), and --no-background
# (or --no-builtin) leaves them out.
mkdir -p "$TMP/models/background"
fc-read "$C/quic_interop_V.pcapng" | fc-flow | fc-train -n 'Benign QUIC' -o "$TMP/models/background/benign-quic.fcp" 2>/dev/null
fc-train --merge -n 'Benign DNS' -o "$TMP/models/background/benign-dns.fcp" "$TMP/models/dns.fcp" 2>/dev/null
run_status fc-classify --models-dir "$TMP/models" --list-models
check_eq classify_list_models_stdout_leaves_background_out "DNS HTTP QUIC TLS" "$(cut -f1 <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
check_eq classify_list_models_tells_background "fc-classify: background model Benign DNS ($(sessions DNS) sessions) from $(realpath "$TMP/models/background/benign-dns.fcp") never names a flow; a MALICIOUS model must stand out from it (--no-background leaves it out)
fc-classify: background model Benign QUIC ($(sessions QUIC) sessions) from $(realpath "$TMP/models/background/benign-quic.fcp") never names a flow; a MALICIOUS model must stand out from it (--no-background leaves it out)" "$ERR"
quic() {
    fc-read "$C/quic_interop_V.pcapng" | fc-flow | fc-classify --models-dir "$TMP/models" "$@" | fc-emit --format Json |
        grep '^{"k":5,' | jq -r 'select(.model == "QUIC") | [.verdict, .protocol // "-", .runner_up // "-"] | join(" ")' |
        sort | uniq -c | tr -s ' '
}
with_bg=$(quic)
without_bg=$(quic --no-background)
if [[ $with_bg =~ ^\ [0-9]+\ unknown\ -\ Benign\ QUIC$ ]] && [[ $without_bg =~ identified\ QUIC ]]; then
    pass classify_background_model_stops_the_alerting_model
else fail classify_background_model_stops_the_alerting_model "with it: [$with_bg]; --no-background: [$without_bg]"; fi
check_eq classify_background_no_alert "0" "$(fc-read "$C/quic_interop_V.pcapng" | fc-flow | fc-classify --models-dir "$TMP/models" |
    fc-emit --format EveJsonAlert | wc -l)"
check_eq classify_background_leaves_other_models_alone "$dns" "$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-classify --models-dir "$TMP/models" |
    fc-emit --format Json | grep '^{"k":2,' | jq -r 'select(.resp.port == 10053 and .proto == 17) | .verdict + ":" + .protocol' | sort | uniq -c | tr -s ' ')"
check_eq classify_background_never_names_a_flow 0 "$(fc-read "$C/quic_interop_V.pcapng" "$FC_DATA/demo.pcap" | fc-flow |
    fc-classify --models-dir "$TMP/models" | fc-emit --format CSV | awk -F, '$19 ~ /^Benign/' | wc -l)"
explained=$(fc-read "$C/quic_interop_V.pcapng" | fc-flow | fc-classify --models-dir "$TMP/models" --explain 3 | fc-emit --format Json |
    grep '^{"k":5,' | head -1 | jq -c '[.explain[] | select(.background) | .model]')
check_eq classify_explain_marks_background_models '["Benign QUIC"]' "$explained"
run_status fc-classify --models-dir "$TMP/models" --no-builtin --model "$TMP/models/quic.fcp" --list-models
check_eq classify_no_builtin_no_background "" "$ERR"
rm -r "$TMP/models/background"
# the same from a --background file, and a --background file named as a built-in model
# replaces it (QUIC then names no flow)
fc-read "$C/quic_interop_V.pcapng" | fc-flow | fc-train -n 'Benign QUIC' -o "$TMP/bq.fcp" 2>/dev/null
with_file=$(quic --background "$TMP/bq.fcp")
check_eq classify_background_file_stops_the_alerting_model "$with_bg" "$with_file"
check_eq classify_background_file_replaces_a_builtin_model 0 "$(fc-read "$C/quic_interop_V.pcapng" | fc-flow |
    fc-classify --models-dir "$TMP/models" --background "$TMP/models/quic.fcp" | fc-emit --format CSV | awk -F, '$19 == "QUIC"' | wc -l)"

# --explain lists the closest models with per-meter divergences (the 14 meters that count:
# AccumulatedDirectionBytes has weight 0, see fc-feat --list-meters)
ex=$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-classify --models-dir "$TMP/models" --explain 2 | fc-emit --format Json |
     grep '^{"k":5,' | jq -c 'select(.proto == 17 and .resp.port == 10053) | [(.explain | length), .explain[0].model, (.explain[0].meters | length)]' | sort -u)
check_eq classify_explain_top2_with_meters '[2,"DNS",14]' "$ex"

# bounded pending verdicts: every flow still comes out
n_flows=$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-classify --models-dir "$TMP/models" --max-pending 1 | fc-emit | wc -l)
check_eq classify_max_pending_keeps_every_flow "$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-emit | wc -l)" "$n_flows"

run_status bash -c "fc-read '$FC_DATA/demo.pcap' | fc-flow | fc-classify --no-builtin > /dev/null"
check_contains classify_warns_without_models "no protocol models loaded" "$ERR"
check_eq classify_without_models_exits_0 0 "$RC"

# --no-verdict-records: no verdict record, and the flow records carry the same verdicts
both=$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-classify --models-dir "$TMP/models" | fc-emit --format Json)
lean=$(fc-read "$FC_DATA/demo.pcap" | fc-flow | fc-classify --models-dir "$TMP/models" --no-verdict-records |
       fc-emit --format Json)
check_eq classify_no_verdict_records_has_none 0 "$(grep -c '^{"k":5,' <<<"$lean")"
check_eq classify_no_verdict_records_same_flows "$(grep '^{"k":2,' <<<"$both" | md5sum)" \
    "$(grep '^{"k":2,' <<<"$lean" | md5sum)"
check_eq classify_no_verdict_records_only_verdicts_left_out "$(grep -vc '^{"k":5,' <<<"$both")" \
    "$(wc -l <<<"$lean")"

# Where the built-in models are not: said, not silent (every flow would be unknown). A copy
# of fc-classify outside the source tree finds no models folder beside it; a --models-dir
# or FLOWCARP_MODELS that is not a folder is refused.
mkdir -p "$TMP/elsewhere/x/bin"
cp "$FC_BIN/fc-classify" "$TMP/elsewhere/x/bin/"
fc-read "$FC_DATA/demo.pcap" | fc-flow > "$TMP/demo-flows"
run_status env -u FLOWCARP_MODELS "$TMP/elsewhere/x/bin/fc-classify" < "$TMP/demo-flows"
check_eq classify_without_models_folder_exit_status_0 0 "$RC"
check_contains classify_without_models_folder_says_where_it_looked \
    "no built-in models: FLOWCARP_MODELS is not set, and there is no ../share/flowcarp/models or ../../models beside this binary" "$ERR"
run_status fc-classify --models-dir "$TMP/missing" < "$TMP/demo-flows"
check_eq classify_models_dir_missing_exit_status_1 1 "$RC"
check_eq classify_models_dir_missing_says_so "fc-classify: $TMP/missing: not a folder of built-in models (--models-dir)" "$ERR"
FLOWCARP_MODELS=$TMP/missing run_status fc-classify < "$TMP/demo-flows"
check_eq classify_models_env_missing_says_so "fc-classify: $TMP/missing: not a folder of built-in models (FLOWCARP_MODELS)" "$ERR"
