#!/usr/bin/env bash
# --preview and --flush on live traffic, checked record by record: real programs talk in a
# private network namespace (an echo session of 14 lines 0.25 s apart through ncat, a curl
# fetch from nginx, a UDP datagram to a closed port), tcpdump captures them, and flowcarp
# reads tcpdump's stream as the product page says (--input - --realtime --preview), with
# --flush 1, writing Eve flow events. Interim records must come while the flows are open,
# say state new/established with reason preview or flush, and grow; the final records,
# after SIGTERM, must match tshark's conversations of the very packets flowcarp read.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/live_flow_lib.bash"
in_private_network

for p in tcpdump ncat nginx curl; do
    command -v "$p" >/dev/null || { skip live_flow_interim "$p is not installed"; exit 0; }
done
mkdir -p "$TMP/www"
printf 'hello\n' > "$TMP/www/index.html"
cat > "$TMP/nginx.conf" <<EOF
daemon off; worker_processes 1; pid $TMP/nginx.pid; error_log $TMP/nginx.log;
events { worker_connections 16; }
http { access_log off; server { listen 127.0.0.1:18095; root $TMP/www; } }
EOF
nginx -c "$TMP/nginx.conf" & nginx_pid=$!
ncat -l 127.0.0.1 18096 -k -e /bin/cat & echo_pid=$!
mkfifo "$TMP/capture" "$TMP/fed"
tcpdump -i lo -s 0 -U -w "$TMP/capture" 'port 18095 or port 18096 or port 18097 or icmp' 2>/dev/null & dump_pid=$!
tee "$TMP/fed.pcap" < "$TMP/capture" > "$TMP/fed" & tee_pid=$!
"$FC_ROOT/flowcarp" --input - --realtime --preview --flush 1 --format EveJsonFlow --output "$TMP/eve.json" \
    < "$TMP/fed" 2>"$TMP/flowcarp.err" & flowcarp_pid=$!
trap 'kill $nginx_pid $echo_pid $dump_pid $tee_pid $flowcarp_pid 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 1.5   # servers and capture up

curl -s -o /dev/null http://127.0.0.1:18095/
echo probe > /dev/udp/127.0.0.1/18097
(for i in $(seq 14); do echo "line $i"; sleep 0.25; done) | ncat 127.0.0.1 18096 > /dev/null & client=$!
# while the echo session is still going, its interim records come out, through every stage
echo_flow='select(.dest_port == 18096)'
mid=0
while kill -0 "$client" 2>/dev/null && [ "$mid" -eq 0 ]; do
    sleep 0.2
    mid=$(jq -c "$echo_flow | select(.flow.reason == \"flush\")" "$TMP/eve.json" | wc -l)
done
kill -0 "$client" 2>/dev/null && open=1 || open=0
if [ "$mid" -ge 1 ] && [ "$open" -eq 1 ]; then pass flush_records_out_while_flow_open
else fail flush_records_out_while_flow_open "no flush record of the echo flow while it was open (3.5 s)"; fi
wait "$client"
sleep 1.5
kill -TERM "$flowcarp_pid"
wait "$flowcarp_pid"; rc=$?
check_eq sigterm_exit_0 0 "$rc"
check_eq sigterm_says_nothing "" "$(cat "$TMP/flowcarp.err")"
kill "$dump_pid"; wait "$tee_pid"

eve=$TMP/eve.json
# interim records: state new or established (never closed), reason preview or flush
check_eq interim_states "" "$(jq -r 'select(.flow.reason == "preview" or .flow.reason == "flush")
                                   | select(.flow.state != "new" and .flow.state != "established") | .flow.state' "$eve")"
check_eq closed_flows_get_no_interim_record 0 \
    "$(jq -s '[.[] | select(.dest_port == 18095 and (.flow.reason == "preview" or .flow.reason == "flush"))] | length' "$eve")"
# the echo flow: one preview (its 20-payload-packet sample was complete), with its verdict
check_eq echo_flow_one_preview 1 "$(jq -c "$echo_flow | select(.flow.reason == \"preview\")" "$eve" | wc -l)"
check_eq echo_preview_established_with_verdict "established true" \
    "$(jq -r "$echo_flow | select(.flow.reason == \"preview\")
              | \"\(.flow.state) \(.metadata.flowvars | map(has(\"flowcarp.verdict\")) | any)\"" "$eve")"
preview_pkts=$(jq -r "$echo_flow | select(.flow.reason == \"preview\") | .flow.pkts_toserver + .flow.pkts_toclient" "$eve")
if [ "${preview_pkts:-0}" -ge 20 ]; then pass echo_preview_after_the_sample
else fail echo_preview_after_the_sample "preview counts ${preview_pkts:-no} packets, fewer than the 20 payload packets of a sample"; fi
# flush records of the echo flow: one per second of its traffic, counters growing
flushes=$(jq -r "$echo_flow | select(.flow.reason == \"flush\") | .flow.pkts_toserver + .flow.pkts_toclient" "$eve" | xargs)
n_flushes=$(wc -w <<<"$flushes")
age=$(jq -r "$echo_flow | select(.flow.reason != \"flush\" and .flow.reason != \"preview\") | .flow.age" "$eve")
# a session of about 3.5 s (longer on a busy machine): one flush per second of it, give or take one
if [ "$n_flushes" -ge 2 ] && [ "$n_flushes" -ge $((${age:-0} - 1)) ] && [ "$n_flushes" -le $((${age:-0} + 1)) ]; then
    pass echo_flushes_one_per_second
else fail echo_flushes_one_per_second "${age:-?} s long, but flush records [$flushes]"; fi
check_eq echo_flush_counters_grow "$(tr ' ' '\n' <<<"$flushes" | sort -n | xargs)" "$flushes"
final=$(jq -r "$echo_flow | select(.flow.reason != \"flush\" and .flow.reason != \"preview\")
               | .flow.pkts_toserver + .flow.pkts_toclient" "$eve")
if [ -n "$final" ] && [ "${flushes##* }" -le "$final" ] && [ "$preview_pkts" -le "$final" ]; then
    pass echo_final_record_last_and_largest
else fail echo_final_record_last_and_largest "final [$final], flushes [$flushes], preview [$preview_pkts]"; fi
# every flow of the packets read ends once, with tshark's packet counts
got=$(jq -r 'select(.flow.reason != "preview" and .flow.reason != "flush") | select(.proto == "TCP" or .proto == "UDP")
             | (.proto | ascii_downcase) as $p | [.flow.pkts_toserver, .flow.pkts_toclient] | sort
             | "\($p) \(.[0]) \(.[1])"' "$eve" | sort)
check_eq final_records_match_tshark "$(conversations "$TMP/fed.pcap")" "$got"

# The same packets from the file: ZeekConn writes final records only (Zeek writes a
# conn.log entry once per connection); Eve's interim events follow Suricata's schema.
zeek_lines=$("$FC_ROOT/flowcarp" --input "$TMP/fed.pcap" --preview --flush 1 --format ZeekConn --output - | wc -l)
check_eq zeek_conn_has_final_records_only "$(jq -s '[.[] | select(.flow.reason != "preview" and .flow.reason != "flush")] | length' "$eve")" "$zeek_lines"
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null && [ -e "$FC_SHARED/vectors/suricata/eve-schema.json" ]; then
    result=$(jq -c 'select(.flow.reason == "preview" or .flow.reason == "flush")' "$eve" | /usr/bin/python3 -c '
import json, sys, jsonschema
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
errors = [e.message for line in sys.stdin for e in v.iter_errors(json.loads(line))]
print("; ".join(errors[:3]) or "valid")' "$FC_SHARED/vectors/suricata/eve-schema.json")
    check_eq interim_eve_events_validate_against_schema valid "$result"
else
    skip interim_eve_events_validate_against_schema "python3 jsonschema or ../shared/vectors/suricata/eve-schema.json missing"
fi
