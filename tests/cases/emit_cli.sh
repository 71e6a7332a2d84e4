#!/usr/bin/env bash
# fc-emit's command line and its behaviour on streams without flows, damaged flow records
# and write errors (exit statuses from man/fc-emit.1).
source "$(dirname "$0")/../lib.sh"

# {"magic":"FlowCarp","version":[1,0],"producer":"test","stages":["test"]}
hdr='\x84\xa5magic\xa8FlowCarp\xa7version\x92\x01\x00\xa8producer\xa4test\xa6stages\x91\xa4test'
printf "$hdr" > "$TMP/empty.fcr"
csv_header='start_time,end_time,duration,ip_version,proto,proto_name,client_ip,client_port,server_ip,server_port,client_packets,client_ip_bytes,client_payload_bytes,server_packets,server_ip_bytes,server_payload_bytes,conn_state,verdict,app_protocol,best_model,divergence,runner_up,runner_up_divergence,tags,community_id,flow_id,uid'

run_status fc-emit < "$TMP/empty.fcr"
check_eq csv_is_the_default_and_prints_header_without_flows "$csv_header" "$OUT"
run_status fc-emit --format tsv < "$TMP/empty.fcr"
check_eq tsv_prints_header_without_flows "${csv_header//,/$'\t'}" "$OUT"
run_status fc-emit --format EVEJSONFLOW < "$TMP/empty.fcr"
check_eq eve_flow_prints_nothing_without_flows "0:" "$RC:$OUT"
run_status fc-emit --format Json < "$TMP/empty.fcr"
check_eq json_view_prints_stream_header \
    '{"magic":"FlowCarp","version":[1,0],"producer":"test","stages":["test"]}' "$OUT"

run_status fc-emit --format Xml < "$TMP/empty.fcr"
check_eq unknown_format_exits_2 2 "$RC"
check_contains unknown_format_lists_valid_names "CSV, TSV, EveJson, EveJsonAlert, EveJsonFlow, ZeekConn, ZeekNotice, Json" "$ERR"
run_status fc-emit --community-id-seed 65536 < "$TMP/empty.fcr"
check_eq seed_out_of_range_exits_2 2 "$RC"
run_status fc-emit --community-id-seed x1 < "$TMP/empty.fcr"
check_eq seed_not_a_number_exits_2 2 "$RC"
run_status fc-emit extra-argument < "$TMP/empty.fcr"
check_eq stray_argument_exits_2 2 "$RC"
run_status fc-emit --help
check_eq help_exits_0 0 "$RC"
check_contains help_lists_formats "EveJsonFlow" "$OUT"
run_status fc-emit --version
check_eq version_prints_name_and_version "fc-emit $(cat "$FC_ROOT/VERSION")" "$OUT"

# A flow record without its required fields, between two records of other kinds:
# the flow is skipped with a message naming the offset, output goes on, exit 1.
# {"k":2,"id":1}  then {"k":7,"stage":"x"}
printf "$hdr"'\x82\xa1k\x02\xa2id\x01\x82\xa1k\x07\xa5stage\xa1x' > "$TMP/bad_flow.fcr"
run_status fc-emit < "$TMP/bad_flow.fcr"
check_eq damaged_flow_record_exits_1 1 "$RC"
check_contains damaged_flow_record_is_named "fc-emit: stdin: offset 54: flow record skipped:" "$ERR"
check_eq damaged_flow_record_keeps_header "$csv_header" "$OUT"
run_status fc-emit --format Json < "$TMP/bad_flow.fcr"
check_eq json_view_shows_records_of_any_kind \
    '{"k":2,"id":1}|{"k":7,"stage":"x"}' "$(sed -n '2p;3p' <<<"$OUT" | paste -sd'|')"

# A stream cut inside a record: what came before is still written.
printf "$hdr"'\x82\xa1k\x07\xa5sta' > "$TMP/cut.fcr"
run_status fc-emit --format Json < "$TMP/cut.fcr"
check_eq cut_stream_exits_1_after_header "1:1" "$RC:$(wc -l <<<"$OUT")"

if [ -w /dev/full ]; then
    fc-emit < "$TMP/empty.fcr" > /dev/full 2> "$TMP/full.err"; rc=$?
    check_eq write_error_exits_3 3 "$rc"
    check_contains write_error_is_named "write error" "$(cat "$TMP/full.err")"
else
    skip write_error_exits_3 "/dev/full not available"
fi

fc-emit -o "$TMP/out.csv" < "$TMP/empty.fcr"; rc=$?
check_eq output_option_writes_file "0:$csv_header" "$rc:$(cat "$TMP/out.csv")"
run_status fc-emit -o "$TMP/no/such/dir/x.csv" < "$TMP/empty.fcr"
check_eq uncreatable_output_exits_3 3 "$RC"
