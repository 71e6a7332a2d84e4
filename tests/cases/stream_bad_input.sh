#!/usr/bin/env bash
# Stages fed something that is not a record stream, or a damaged one, say what they got,
# exit non-zero, and still pass on everything valid before the damage.
source "$(dirname "$0")/../lib.sh"

tcp_pcap=$FC_ROOT/tests/data/emit_tcp.pcap
[ -e "$tcp_pcap" ] || tcp_pcap=$FC_SHARED/vectors/community-id/pcaps/tcp.pcap

for stage in fc-flow fc-emit; do
    run_status "$stage" < /dev/null
    check_eq "${stage}_refuses_empty_input_status" 1 "$RC"
    check_contains "${stage}_names_empty_input" "stdin: empty input, expected a FlowCarp record stream" "$ERR"

    if [ -e "$tcp_pcap" ]; then
        run_status "$stage" < "$tcp_pcap"
        check_eq "${stage}_refuses_pcap_status" 1 "$RC"
        check_contains "${stage}_says_pcap_goes_to_fc_read" \
            "$stage: stdin: this is a pcap file, not a FlowCarp record stream; read it with fc-read" "$ERR"
    fi

    head -c 4096 /dev/urandom > "$TMP/random.bin"
    printf '\x80' | cat - "$TMP/random.bin" > "$TMP/random2.bin"   # starts like a map, not ours
    run_status "$stage" < "$TMP/random2.bin"
    check_eq "${stage}_refuses_random_bytes_status" 1 "$RC"
    check_contains "${stage}_says_no_stream_header" "not a FlowCarp record stream" "$ERR"

    # A stream header from a future major version: {"magic":"FlowCarp","version":[2,0]}
    printf '\x82\xa5magic\xa8FlowCarp\xa7version\x92\x02\x00' > "$TMP/v2.fcr"
    run_status "$stage" < "$TMP/v2.fcr"
    check_eq "${stage}_refuses_newer_major_status" 1 "$RC"
    check_contains "${stage}_names_both_versions" "record stream version 2.0 is not supported; this $stage reads version 1.x" "$ERR"
done

# A damaged stream: valid records, then garbage. Earlier flows still come out, status 1.
if [ -e "$tcp_pcap" ]; then
    fc-read "$tcp_pcap" | fc-flow > "$TMP/flows.fcr"
    cat "$TMP/flows.fcr" > "$TMP/damaged.fcr"
    printf '\xc1\xc1\xc1' >> "$TMP/damaged.fcr"
    run_status fc-emit --format CSV < "$TMP/damaged.fcr"
    check_eq "damaged_stream_exit_status" 1 "$RC"
    check_contains "damaged_stream_message_names_offset" "stdin: offset $(stat -c %s "$TMP/flows.fcr"): invalid msgpack data" "$ERR"
    check_eq "damaged_stream_keeps_earlier_flow" 2 "$(printf '%s\n' "$OUT" | wc -l)"

    # Cut inside a record
    size=$(stat -c %s "$TMP/flows.fcr")
    head -c $((size - 3)) "$TMP/flows.fcr" > "$TMP/cut.fcr"
    run_status fc-emit --format Json < "$TMP/cut.fcr"
    check_eq "cut_stream_exit_status" 1 "$RC"
    check_contains "cut_stream_message" "stream ends inside a record" "$ERR"
fi

# Binary records are never written to a terminal.
if command -v script > /dev/null && [ -e "$tcp_pcap" ]; then
    out=$(script -qec "$FC_BIN/fc-read $tcp_pcap" /dev/null 2>&1); rc=$?
    check_eq "fc_read_refuses_terminal_status" 2 "$rc"
    check_contains "fc_read_refuses_terminal_message" "refusing to write binary records to a terminal; pipe into fc-emit" "$out"
    out=$(fc-read "$tcp_pcap" > "$TMP/s.fcr"; script -qec "$FC_BIN/fc-flow < $TMP/s.fcr" /dev/null 2>&1); rc=$?
    check_eq "fc_flow_refuses_terminal_status" 2 "$rc"
else
    skip binary_to_terminal "script(1) from util-linux or the tcp.pcap vector is missing"
fi
