#!/usr/bin/env bash
# Every Eve line fc-emit writes for real captures (EveJsonFlow flow events; EveJson alert
# and flow events of flows identified by MALICIOUS models) validates against Suricata's
# Eve JSON schema (../shared/vectors/suricata/eve-schema.json), as Suricata's own CI does.
source "$(dirname "$0")/../lib.sh"

py=/usr/bin/python3
if ! "$py" -c 'import jsonschema' 2>/dev/null; then
    skip eve_flow_lines_validate_against_schema "$py has no jsonschema module"
    exit 0
fi
shared_or_skip eve_flow_lines_validate_against_schema vectors/suricata/eve-schema.json || exit 0

# Prints "N lines" when all are valid, else the first errors with their line numbers.
validate() {
    "$py" -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft7Validator(schema)
n, bad = 0, []
for n, line in enumerate(sys.stdin, 1):
    for e in validator.iter_errors(json.loads(line)):
        bad.append("line %d: %s at %s" % (n, e.message, "/".join(map(str, e.path))))
print("%d lines" % n if not bad else "; ".join(bad[:3]))
' "$FC_SHARED/vectors/suricata/eve-schema.json"
}

for path in vectors/community-id/pcaps/tcp.pcap vectors/community-id/pcaps/icmp.pcap \
            vectors/community-id/pcaps/icmp6.pcap vectors/community-id/pcaps/sctp.pcap \
            vectors/community-id/pcaps/rsvp.pcap corpus/ndpi/ossfuzz_seed_fake_traces_1.pcapng \
            corpus/ndpi/dns_doh.pcap corpus/ndpi/443-chrome.pcap corpus/ndpi/quic.pcap \
            corpus/ndpi/ipv6_in_gtp.pcap; do
    name=eve_flow_lines_of_$(basename "${path%.*}")_validate_against_schema
    shared_or_skip "$name" "$path" || continue
    fc-read "$FC_SHARED/$path" 2>/dev/null | fc-flow 2>/dev/null | fc-emit --format EveJsonFlow > "$TMP/eve.json"
    result=$(validate < "$TMP/eve.json")
    if [[ $result =~ ^[1-9][0-9]*\ lines$ ]]; then pass "$name"; else fail "$name" "${result:-no flow lines}"; fi
done

# Alert events too, and the flow events of identified flows: MALICIOUS models trained on
# real TCP (HTTP) and UDP (DNS) sessions, applied to other captures through EveJson.
for t in fc-feat fc-classify fc-train; do
    [ -x "$FC_BIN/$t" ] || { skip eve_alert_lines_validate_against_schema "$FC_BIN/$t not built yet"; exit 0; }
done
command -v tcpdump > /dev/null || { skip eve_alert_lines_validate_against_schema "tcpdump is not installed"; exit 0; }
shared_or_skip eve_alert_lines_validate_against_schema corpus/ndpi/1kxun.pcap || exit 0
shared_or_skip eve_alert_lines_validate_against_schema corpus/ndpi/alexa-app.pcapng || exit 0
# train NAME TAGS FILTER CAPTURE: a model from the sessions of CAPTURE that match FILTER
train() {
    tcpdump -r "$FC_SHARED/corpus/ndpi/$4" -w - "$3" 2>/dev/null | fc-read - | fc-flow | fc-feat |
        fc-train -n "$1" -t "$2" -o "$TMP/$1.fcp" 2>/dev/null
}
train rat MALICIOUS,REMOTEACCESS 'tcp port 80' 1kxun.pcap
train miner MALICIOUS,COINMINER 'udp port 53' alexa-app.pcapng
for path in corpus/ndpi/quickplay.pcap corpus/ndpi/teams.pcap corpus/ndpi/starcraft_battle.pcap; do
    name=eve_alert_and_flow_lines_of_$(basename "${path%.*}")_validate_against_schema
    shared_or_skip "$name" "$path" || continue
    fc-read "$FC_SHARED/$path" 2>/dev/null | fc-flow 2>/dev/null | fc-feat | fc-classify --no-builtin \
        --model "$TMP/rat.fcp" --model "$TMP/miner.fcp" | fc-emit --format EveJson > "$TMP/eve.json"
    alerts=$(grep -c '"event_type":"alert"' "$TMP/eve.json")
    result=$(validate < "$TMP/eve.json")
    if [ "$alerts" -eq 0 ]; then fail "$name" "no alert lines to validate"
    elif [[ $result =~ ^[1-9][0-9]*\ lines$ ]]; then pass "$name"; else fail "$name" "$result"; fi
done
