#!/usr/bin/env bash
# Turning a tag's alerts off: fc-emit --no-alert-tag TAG (flowcarp --no-alerts TAG) drops the
# alerts of flows whose model carries TAG, in every alert format, while the flows keep their
# protocol and tags; other tags still alert; a malformed tag is a usage error. The alerts
# that remain carry their evidence (divergence, runner-up) as FORMATS.md asks.
source "$(dirname "$0")/../lib.sh"

for t in fc-read fc-flow fc-feat fc-classify fc-train fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip threat_alert_off "$FC_BIN/$t not built yet"; exit 0; }
done
command -v tcpdump > /dev/null || { skip threat_alert_off "tcpdump is not installed"; exit 0; }
shared_or_skip threat_alert_off corpus/ndpi/1kxun.pcap || exit 0
shared_or_skip threat_alert_off corpus/ndpi/quickplay.pcap || exit 0

# A MALICIOUS,REMOTEACCESS model of HTTP sessions, and HTTP sessions of another capture
tcpdump -r "$FC_SHARED/corpus/ndpi/1kxun.pcap" -w - 'tcp port 80' 2>/dev/null > "$TMP/train.pcap"
tcpdump -r "$FC_SHARED/corpus/ndpi/quickplay.pcap" -w - 'tcp port 80' 2>/dev/null > "$TMP/test.pcap"
fc-read "$TMP/train.pcap" | fc-flow | fc-feat | fc-train -n "Web RAT" -t MALICIOUS,REMOTEACCESS -o "$TMP/rat.fcp" 2>/dev/null
fc-read "$TMP/test.pcap" | fc-flow | fc-feat | fc-classify --no-builtin --model "$TMP/rat.fcp" > "$TMP/test.fcr"
# count FORMAT [fc-emit options]: lines written
count() {
    local f=$1
    shift
    fc-emit --format "$f" "$@" < "$TMP/test.fcr" | wc -l
}

alerts=$(count EveJsonAlert)
if [ "$alerts" -ge 10 ]; then pass alert_off_model_alerts_without_the_option
else fail alert_off_model_alerts_without_the_option "$alerts alerts (want >= 10 of the 21 HTTP sessions)"; fi
check_eq alert_off_alerts_carry_divergence_and_runner_up "$alerts" "$(fc-emit --format EveJsonAlert < "$TMP/test.fcr" |
    jq -c '.metadata.flowvars | add | select(.["flowcarp.divergence"] and (.["flowcarp.runner_up"] // "none"))' | wc -l)"

check_eq alert_off_evejsonalert_writes_none "0" "$(count EveJsonAlert --no-alert-tag remoteaccess)"
check_eq alert_off_zeeknotice_writes_none "0" "$(count ZeekNotice --no-alert-tag REMOTEACCESS)"
check_eq alert_off_evejson_has_flows_but_no_alert_event "0 $(count EveJsonFlow)" \
    "$(fc-emit --format EveJson --no-alert-tag REMOTEACCESS < "$TMP/test.fcr" | grep -c '"event_type":"alert"') \
$(fc-emit --format EveJson --no-alert-tag REMOTEACCESS < "$TMP/test.fcr" | grep -c '"event_type":"flow"')"
check_eq alert_off_eve_flows_say_not_alerted "0" \
    "$(fc-emit --format EveJsonFlow --no-alert-tag REMOTEACCESS < "$TMP/test.fcr" | jq -c 'select(.flow.alerted)' | wc -l)"
check_eq alert_off_flows_keep_protocol_and_tags \
    "$(fc-emit --format CSV < "$TMP/test.fcr")" "$(fc-emit --format CSV --no-alert-tag REMOTEACCESS < "$TMP/test.fcr")"
check_eq alert_off_silencing_malicious_itself_works "0" "$(count EveJsonAlert --no-alert-tag MALICIOUS)"
check_eq alert_off_other_tags_still_alert "$alerts $alerts" \
    "$(count EveJsonAlert --no-alert-tag COINMINER --no-alert-tag TUNNEL) $(count ZeekNotice --no-alert-tag COINMINER)"
run_status fc-emit --format EveJsonAlert --no-alert-tag 'BAD TAG' < "$TMP/test.fcr"
check_eq alert_off_bad_tag_is_a_usage_error "2" "$RC"
check_contains alert_off_bad_tag_says_why "--no-alert-tag: 'BAD TAG'" "$ERR"

# The wrapper: --no-alerts TAG (only the model made here is loaded)
mkdir "$TMP/no-models"
export FLOWCARP_MODELS=$TMP/no-models
flowcarp=$FC_ROOT/flowcarp
run_status "$flowcarp" --input "$TMP/test.pcap" --model "$TMP/rat.fcp" --output - --format EveJsonAlert
check_eq alert_off_wrapper_alerts_without_the_option "0 $alerts" "$RC $(grep -c . <<<"$OUT")"
run_status "$flowcarp" --input "$TMP/test.pcap" --model "$TMP/rat.fcp" --no-alerts REMOTEACCESS --output - --format ZeekNotice
check_eq alert_off_wrapper_no_alerts_option "0 " "$RC $OUT"
