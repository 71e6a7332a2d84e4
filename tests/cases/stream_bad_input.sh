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

    # Records that are not maps with a "k" are damage in every stage, not records to pass
    # on: a nil, a map without k, and a flow whose k is a float (it would be lost silently)
    for bad in nil:'\xc0' no_k:'\x81\xa1x\x01' float_k:'\x81\xa1k\xcb\x40\x00\x00\x00\x00\x00\x00\x00'; do
        { cat "$TMP/flows.fcr"; printf "${bad#*:}"; } > "$TMP/kindless.fcr"
        for stage in fc-flow fc-classify fc-emit; do
            run_status bash -c '"$0" > /dev/null' "$stage" < "$TMP/kindless.fcr"   # its records are binary
            check_eq "${stage}_refuses_record_${bad%%:*}_status" 1 "$RC"
            check_contains "${stage}_names_record_${bad%%:*}" \
                "stdin: offset $(stat -c %s "$TMP/flows.fcr"): not a record: a record is a map with an unsigned integer \"k\"" "$ERR"
        done
    done
    run_status fc-emit --format CSV < "$TMP/kindless.fcr"
    check_eq "kindless_record_keeps_earlier_flow" 2 "$(printf '%s\n' "$OUT" | wc -l)"

    # Two whole streams one after the other: the second header is named, the first's flows kept
    cat "$TMP/flows.fcr" "$TMP/flows.fcr" > "$TMP/twice.fcr"
    run_status fc-emit --format CSV < "$TMP/twice.fcr"
    check_eq "second_stream_header_status" 1 "$RC"
    check_contains "second_stream_header_named" "a second stream header: two record streams one after the other?" "$ERR"
    check_eq "second_stream_header_keeps_first_flows" 2 "$(printf '%s\n' "$OUT" | wc -l)"

    # Packets straight from fc-read: fc-emit says fc-flow is missing, rather than print an empty log
    run_status fc-emit --format CSV < <(fc-read "$tcp_pcap")
    check_eq "packets_to_fc_emit_status" 0 "$RC"
    check_contains "packets_to_fc_emit_says_put_fc_flow_first" "put fc-flow before fc-emit" "$ERR"

    # Cut inside a record
    size=$(stat -c %s "$TMP/flows.fcr")
    head -c $((size - 3)) "$TMP/flows.fcr" > "$TMP/cut.fcr"
    run_status fc-emit --format Json < "$TMP/cut.fcr"
    check_eq "cut_stream_exit_status" 1 "$RC"
    check_contains "cut_stream_message" "stream ends inside a record" "$ERR"
fi

# A stream cut inside a packet batch: the whole packet entries before the cut still make
# flows (a batch holds up to 256 packets). The cut is put inside entry 60 of demo.pcap's
# batch, found by walking the entries' lengths (flowcarp-records(5)).
fc-read "$FC_DATA/demo.pcap" > "$TMP/packets.fcr"
cut_at=$(python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
at = d.index(b"\xa1b") + 2                  # the batch bin: after the stream header
at += {0xc4: 2, 0xc5: 3, 0xc6: 5}[d[at]]
for _ in range(59):
    at += int.from_bytes(d[at:at + 2], "little")
print(at + 10)' "$TMP/packets.fcr")
head -c "$cut_at" "$TMP/packets.fcr" > "$TMP/cut-batch.fcr"
run_status bash -c 'fc-flow < "$0" | fc-emit --format Json' "$TMP/cut-batch.fcr"
check_contains "cut_batch_says_whole_entries_read" "the 59 whole packet entries before the cut in that record were read" "$ERR"
check_eq "cut_batch_whole_entries_make_flows" 59 \
    "$(printf '%s\n' "$OUT" | jq -s '[.[] | select(.k == 2) | .orig.pkts + .resp.pkts] | add')"

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
