#!/usr/bin/env bash
# Alerts on real traffic: a model tagged MALICIOUS, trained with fc-train on the HTTP
# sessions of one capture, fires on the HTTP sessions of another capture. EveJson writes
# each alert (when the verdict is made) before its flow line (when the flow ends), both
# with the same flow_id and community_id; EveJsonAlert writes the alerts alone, ZeekNotice
# one notice per alert; flows that are not identified as the MALICIOUS model never alert.
source "$(dirname "$0")/../lib.sh"

for t in fc-read fc-flow fc-feat fc-classify fc-train fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip emit_alerts "$FC_BIN/$t not built yet"; exit 0; }
done
command -v tcpdump > /dev/null || { skip emit_alerts "tcpdump is not installed"; exit 0; }
shared_or_skip emit_alerts corpus/ndpi/1kxun.pcap || exit 0
shared_or_skip emit_alerts corpus/ndpi/quickplay.pcap || exit 0

# Training: the 82 HTTP sessions of 1kxun.pcap; test: the 21 of quickplay.pcap (other
# hosts, other day). Only this model is loaded, so no built-in model can take a flow away.
tcpdump -r "$FC_SHARED/corpus/ndpi/1kxun.pcap" -w - 'tcp port 80' 2>/dev/null > "$TMP/train.pcap"
tcpdump -r "$FC_SHARED/corpus/ndpi/quickplay.pcap" -w - 'tcp port 80' 2>/dev/null > "$TMP/test.pcap"
fc-read "$TMP/train.pcap" | fc-flow | fc-feat | fc-train -n "Example RAT" -t MALICIOUS,REMOTEACCESS -o "$TMP/rat.fcp" 2>/dev/null
fc-read "$TMP/test.pcap" | fc-flow | fc-feat | fc-classify --no-builtin --model "$TMP/rat.fcp" > "$TMP/test.fcr"
for f in EveJson EveJsonAlert EveJsonFlow ZeekNotice ZeekConn CSV; do
    fc-emit --format "$f" < "$TMP/test.fcr" > "$TMP/out.$f"
done

identified=$(jq -c 'select(.flow.alerted)' "$TMP/out.EveJsonFlow" | wc -l)
flows=$(wc -l < "$TMP/out.EveJsonFlow")
if [ "$identified" -ge 15 ]; then pass alerts_model_identifies_most_unseen_sessions
else fail alerts_model_identifies_most_unseen_sessions "only $identified of $flows flows alerted (want >= 15 of the 21 HTTP sessions)"; fi

# EveJsonAlert: only alert events, one per alerted flow, each flow once
check_eq evejsonalert_writes_only_alerts "alert" "$(jq -r .event_type "$TMP/out.EveJsonAlert" | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_eq evejsonalert_one_alert_per_alerted_flow "$identified" "$(wc -l < "$TMP/out.EveJsonAlert")"
check_eq evejsonalert_no_flow_alerts_twice "$identified" "$(jq -r .flow_id "$TMP/out.EveJsonAlert" | sort -u | wc -l)"
check_eq alert_names_the_model "FlowCarp: Example RAT (MALICIOUS) detected|Malware Command and Control Activity Detected|1|example-rat|MALICIOUS,REMOTEACCESS|Example RAT" \
    "$(jq -r '[.alert.signature, .alert.category, .alert.severity, .app_proto, (.alert.metadata.tag | join(",")), .alert.metadata.flowcarp_protocol[0]] | join("|")' "$TMP/out.EveJsonAlert" | sort -u)"

# EveJson: the alert lines and flow lines, the alert of a flow first, sharing its ids
check_eq evejson_alert_lines_are_evejsonalert "$(cat "$TMP/out.EveJsonAlert")" "$(grep '"event_type":"alert"' "$TMP/out.EveJson")"
check_eq evejson_flow_lines_are_evejsonflow "$(cat "$TMP/out.EveJsonFlow")" "$(grep '"event_type":"flow"' "$TMP/out.EveJson")"
order=$(jq -r '[.event_type, .flow_id, .community_id, .timestamp, (.flow.alerted // "")] | @tsv' "$TMP/out.EveJson" | awk -F'\t' '
    $1 == "alert" { alert[$2] = $3; at[$2] = $4; next }
    $5 == "true" { if (!($2 in alert)) { print "flow " $2 " alerted without an alert line before it"; exit }
                   if (alert[$2] != $3) { print "flow " $2 " community_id differs from its alert"; exit }
                   if (at[$2] > $4) { print "flow " $2 " alert time " at[$2] " after the flow end " $4; exit }
                   n++; delete alert[$2]; next }
    $2 in alert { print "flow " $2 " has an alert but alerted is not true"; exit }
    END { for (id in alert) { print "alert " id " has no flow line"; exit } }')
check_eq evejson_alert_precedes_its_flow_with_same_ids "" "$order"

# ZeekNotice: one notice per alert, on the same connections (uid, community_id)
check_eq zeeknotice_one_notice_per_alert "$identified" "$(wc -l < "$TMP/out.ZeekNotice")"
check_eq zeeknotice_same_connections_as_alerts \
    "$(jq -r .community_id "$TMP/out.EveJsonAlert" | sort)" "$(jq -r .community_id "$TMP/out.ZeekNotice" | sort)"
check_eq zeeknotice_uids_are_the_conn_uids_of_the_model \
    "$(jq -r 'select(.service == "example-rat") | .uid' "$TMP/out.ZeekConn" | sort)" "$(jq -r .uid "$TMP/out.ZeekNotice" | sort)"
check_eq zeeknotice_fields "FlowCarp::Malicious_Protocol|FlowCarp: Example RAT (MALICIOUS) detected|tcp|Notice::ACTION_LOG" \
    "$(jq -r '[.note, .msg, .proto, .actions[0]] | join("|")' "$TMP/out.ZeekNotice" | sort -u)"

# The same model without the MALICIOUS tag: identified all the same, no alert at all
fc-read "$TMP/train.pcap" | fc-flow | fc-feat | fc-train -n "Example RAT" -t REMOTEACCESS -o "$TMP/plain.fcp" 2>/dev/null
fc-read "$TMP/test.pcap" | fc-flow | fc-feat | fc-classify --no-builtin --model "$TMP/plain.fcp" > "$TMP/plain.fcr"
check_eq untagged_model_identifies_the_same_flows "$identified" "$(fc-emit --format CSV < "$TMP/plain.fcr" | grep -c ',identified,Example RAT,')"
check_eq untagged_model_raises_no_alert "0 0" "$(fc-emit --format EveJsonAlert < "$TMP/plain.fcr" | wc -l) $(fc-emit --format ZeekNotice < "$TMP/plain.fcr" | wc -l)"

# Without fc-classify there are no verdict records: no alerts, EveJson = EveJsonFlow
fc-read "$TMP/test.pcap" | fc-flow > "$TMP/noclass.fcr"
check_eq no_classifier_no_alerts "" "$(fc-emit --format EveJsonAlert < "$TMP/noclass.fcr")"
check_eq no_classifier_evejson_is_flows "$(fc-emit --format EveJsonFlow < "$TMP/noclass.fcr")" "$(fc-emit --format EveJson < "$TMP/noclass.fcr")"
