#!/usr/bin/env bash
# The Json view prints any stream (fc-read's packet batches, fc-flow's flows and samples)
# as one valid JSON object per record, header first; piping it into head ends quietly.
source "$(dirname "$0")/../lib.sh"

path=vectors/community-id/pcaps/tcp.pcap
shared_or_skip json_view_of_packet_batches "$path" || exit 0

fc-read "$FC_SHARED/$path" > "$TMP/read.fcr"
fc-emit --format json < "$TMP/read.fcr" > "$TMP/read.json"; rc=$?
check_eq json_view_of_packet_batches_exits_0 0 "$rc"
check_contains json_view_header_first '{"magic":"FlowCarp"' "$(head -1 "$TMP/read.json")"
check_contains json_view_packet_batch_bin_as_hex '"k":1,"n":12,"b":{"$bin":"' "$(cat "$TMP/read.json")"
if jq -c . < "$TMP/read.json" > /dev/null 2>&1; then pass json_view_packet_lines_are_valid_json
else fail json_view_packet_lines_are_valid_json "jq cannot parse $(head -c 300 "$TMP/read.json")"; fi

fc-flow < "$TMP/read.fcr" > "$TMP/flow.fcr"
fc-emit --format Json < "$TMP/flow.fcr" > "$TMP/flow.json"
check_eq json_view_flow_record_is_lossless '[1500000120000000,1500000120454536,"80e86e78",34855,816]' \
    "$(jq -c 'select(.k==2) | [.start_us, .end_us, .orig.ip["$bin"], .orig.port, .orig.ip_bytes]' "$TMP/flow.json")"
if jq -c . < "$TMP/flow.json" > /dev/null 2>&1; then pass json_view_flow_lines_are_valid_json
else fail json_view_flow_lines_are_valid_json "jq cannot parse the output"; fi

# A hostile record whose map keys are maps, 30 deep (the reader allows 32 levels): each key's
# text is a string holding the next key's text, escaped once more, so shown in full it would
# double per level (a 100-byte record, gigabytes). A map inside a key's text is shown as
# "$map"; the line stays small.
/usr/bin/python3 - "$FC_ROOT/bench/accuracy" "$TMP/read.fcr" "$TMP/nested-keys.fcr" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import fcstream
header = next(fcstream.records(open(sys.argv[2], "rb").read()))[1]
depth = 30
nested = b"\x81" * depth + b"\x01" + b"\x01" * depth  # {{{...{1: 1}...: 1}: 1}: 1}
open(sys.argv[3], "wb").write(header + b"\x82\xa1k\x09" + nested + b"\x01")  # {"k": 9, <nested>: 1}
PY
timeout -s KILL 20 fc-emit --format Json < "$TMP/nested-keys.fcr" > "$TMP/nested-keys.json"; rc=$?
check_eq json_view_nested_keys_exits_0 0 "$rc"
check_eq json_view_nested_keys_line '{"k":9,"{\"$map\":1}":1}' "$(sed -n 2p "$TMP/nested-keys.json")"

# Megabytes of output into `head -1`: fc-emit is ended quietly by SIGPIPE (status 141).
big=corpus/ndpi/1kxun.pcap
if shared_or_skip json_view_into_head_ends_quietly "$big"; then
    fc-read "$FC_SHARED/$big" 2>/dev/null > "$TMP/big.fcr"
    fc-emit --format Json < "$TMP/big.fcr" 2> "$TMP/head.err" | head -1 > /dev/null
    check_eq json_view_into_head_ends_quietly "141:" "${PIPESTATUS[0]}:$(cat "$TMP/head.err")"
fi
