#!/usr/bin/env bash
# Damaged, empty and foreign input: fc-read emits everything before the damage, names the
# file and byte offset, goes on with the next source, and exits 1.
source "$(dirname "$0")/../lib.sh"

"$FC_TESTBIN/mkpcap" ether "$TMP/good.pcap"

# A pcap cut in the middle of a packet record.
if shared_or_skip truncated_pcap corpus/ndpi/KakaoTalk_talk.pcap; then
    head -c 100000 "$FC_SHARED/corpus/ndpi/KakaoTalk_talk.pcap" > "$TMP/cut.pcap"
    want=$(tshark -r "$TMP/cut.pcap" 2>/dev/null | wc -l)
    run_status_to "$TMP/out.fcr" fc-read "$TMP/cut.pcap" "$TMP/good.pcap"
    check_eq truncated_pcap_exit_status 1 "$RC"
    check_eq truncated_pcap_packets_before_damage_all_emitted "$want" \
        "$(packet_entries < "$TMP/out.fcr" | awk '$1 == 0' | wc -l)"
    check_contains truncated_pcap_warning_names_file_and_record_offset \
        "fc-read: $TMP/cut.pcap: offset 99920: truncated packet record (" "$ERR"
    check_eq truncated_pcap_next_source_still_read 1 "$(packet_entries < "$TMP/out.fcr" | awk '$1 == 1' | wc -l)"
    check_contains truncated_pcap_end_record_carries_error "offset 99920: truncated packet record" \
        "$(fc-emit --format Json < "$TMP/out.fcr" | jq -r 'select(.k == 6 and .event == "end" and .source == 0) | .error')"
    run_status_to "$TMP/out.fcr" fc-read < "$TMP/cut.pcap"
    check_contains truncated_pcap_on_stdin_still_has_offset "fc-read: stdin: offset 99920: truncated packet record" "$ERR"
fi

# A pcapng cut in the middle of a block.
if shared_or_skip truncated_pcapng corpus/ndpi/tls_heur__vmess-websocket.pcapng; then
    head -c 50000 "$FC_SHARED/corpus/ndpi/tls_heur__vmess-websocket.pcapng" > "$TMP/cut.pcapng"
    want=$(tshark -r "$TMP/cut.pcapng" 2>/dev/null | wc -l)
    run_status_to "$TMP/out.fcr" fc-read "$TMP/cut.pcapng"
    check_eq truncated_pcapng_exit_status 1 "$RC"
    check_eq truncated_pcapng_packets_before_damage_all_emitted "$want" "$(packet_entries < "$TMP/out.fcr" | wc -l)"
    check_contains truncated_pcapng_warning_names_file_and_block_offset \
        "fc-read: $TMP/cut.pcapng: offset 49168: truncated block (" "$ERR"
fi

# A pcap whose second record claims an impossible length (caplen 0x7fffffff).
python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(d + d[24:32] + b"\xff\xff\xff\x7f\xff\xff\xff\x7f" + b"x" * 64)' "$TMP/good.pcap" > "$TMP/bad-len.pcap"
run_status_to "$TMP/out.fcr" fc-read "$TMP/bad-len.pcap"
check_eq corrupt_record_length_exit_status 1 "$RC"
check_contains corrupt_record_length_names_offset "fc-read: $TMP/bad-len.pcap: offset 96: damaged packet record" "$ERR"
check_eq corrupt_record_length_good_packet_before_it_emitted 1 "$(packet_entries < "$TMP/out.fcr" | wc -l)"

head -c 4096 /dev/urandom > "$TMP/random.bin"
printf 'RAND' | cat - "$TMP/random.bin" > "$TMP/random2.bin"   # never a pcap magic by chance
run_status_to "$TMP/out.fcr" fc-read "$TMP/random2.bin" "$TMP/good.pcap"
check_eq random_bytes_exit_status 1 "$RC"
check_contains random_bytes_named_as_not_a_capture "fc-read: $TMP/random2.bin: not a pcap or pcapng capture (libpcap: " "$ERR"
check_eq random_bytes_other_source_still_read 1 "$(packet_entries < "$TMP/out.fcr" | wc -l)"

: > "$TMP/empty.pcap"
run_status_to "$TMP/out.fcr" fc-read "$TMP/empty.pcap"
check_eq empty_file_exit_status 1 "$RC"
check_contains empty_file_named "fc-read: $TMP/empty.pcap: empty file, expected a pcap or pcapng capture" "$ERR"
check_eq empty_file_still_gives_a_stream_header FlowCarp \
    "$(fc-emit --format Json < "$TMP/out.fcr" | head -1 | jq -r .magic)"
run_status_to "$TMP/out.fcr" fc-read < /dev/null
check_eq empty_stdin_exit_status 1 "$RC"
check_contains empty_stdin_named "fc-read: stdin: empty input" "$ERR"

# A header cut short (10 of 24 bytes).
head -c 10 "$TMP/good.pcap" > "$TMP/short-header.pcap"
run_status_to "$TMP/out.fcr" fc-read "$TMP/short-header.pcap"
check_eq cut_file_header_exit_status 1 "$RC"
check_contains cut_file_header_named "fc-read: $TMP/short-header.pcap: not a pcap or pcapng capture" "$ERR"

# A packet larger than an entry can hold (snaplen 262144 capture of a 70000-byte frame).
python3 -c '
import struct, sys
frame = b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + b"\x45" + b"\0" * (70000 - 15)
sys.stdout.buffer.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1) +
                        struct.pack("<IIII", 1500000000, 0, len(frame), len(frame)) + frame)' > "$TMP/huge.pcap"
check_eq packet_longer_than_entry_cut_and_flagged "1 65511" \
    "$(fc-read --all-bytes "$TMP/huge.pcap" | packet_entries | awk '{print $3, $9}')"

# A zero-filled tail (space a capture tool took and never wrote) reads as records of
# length 0: skipped, named, exit 1; the packets before it all come out.
{ cat "$TMP/good.pcap"; head -c 4096 /dev/zero; } > "$TMP/zero-tail.pcap"
run_status_to "$TMP/out.fcr" fc-read "$TMP/zero-tail.pcap"
check_eq zero_filled_tail_exit_status 1 "$RC"
check_contains zero_filled_tail_named \
    "fc-read: $TMP/zero-tail.pcap: 256 packet records of length 0 from packet 2 on: not packets (a zero-filled block?), skipped" "$ERR"
check_eq zero_filled_tail_packets_before_it_kept 1 "$(packet_entries < "$TMP/out.fcr" | wc -l)"

# A link type fc-read does not decode, and a snapshot length too small for any header:
# the capture is read, but the user is told why no flow comes of it.
"$FC_TESTBIN/mkpcap" user0 "$TMP/unknown-link.pcap"   # DLT_USER0, which fc-read does not decode
run_status_to "$TMP/out.fcr" fc-read "$TMP/unknown-link.pcap"
check_eq unknown_link_type_exit_status 0 "$RC"
check_contains unknown_link_type_said \
    "fc-read: $TMP/unknown-link.pcap: link type 147 is not one fc-read decodes: its 1 packets make no flows" "$ERR"
python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
out = bytearray(d[:24]); out[16:20] = struct.pack("<I", 10); at = 24
while at + 16 <= len(d):
    s, us, cap, wire = struct.unpack("<IIII", d[at:at + 16])
    out += struct.pack("<IIII", s, us, min(cap, 10), wire) + d[at + 16:at + 16 + min(cap, 10)]
    at += 16 + cap
sys.stdout.buffer.write(out)' "$TMP/good.pcap" > "$TMP/snap10.pcap"
run_status_to "$TMP/out.fcr" fc-read "$TMP/snap10.pcap"
check_contains tiny_snaplen_said \
    "fc-read: $TMP/snap10.pcap: none of its 1 packets could be decoded past the Ethernet header (snapshot length 10): no flows" "$ERR"

# An empty folder is said to be empty.
mkdir -p "$TMP/no-captures"
run_status_to "$TMP/out.fcr" fc-read "directory:Once:$TMP/no-captures"
check_contains empty_folder_said "fc-read: $TMP/no-captures: no files in it" "$ERR"

# A pcapng whose interfaces differ in link type can be read from a file only; on stdin
# the message says so (and does not call a good capture damaged).
if command -v mergecap > /dev/null; then
    "$FC_TESTBIN/mkpcap" raw "$TMP/raw.pcap"
    mergecap -F pcapng -w "$TMP/mixed.pcapng" "$TMP/good.pcap" "$TMP/raw.pcap"
    run_status_to "$TMP/out.fcr" fc-read < "$TMP/mixed.pcapng"
    check_eq pcapng_mixed_interfaces_on_stdin_exit_status 1 "$RC"
    check_contains pcapng_mixed_interfaces_on_stdin_says_give_a_file \
        "libpcap reads such a pcapng capture only from a file; save the stream to a file and give its name" "$ERR"
    run_status_to "$TMP/out.fcr" fc-read "$TMP/mixed.pcapng"
    check_eq pcapng_mixed_interfaces_from_file_read_whole 0 "$RC"
else
    skip pcapng_mixed_interfaces_on_stdin "mergecap (wireshark-common) missing"
fi

# A pcapng stream describing interfaces without end (a hostile PCAP-over-IP peer, or an
# upload): libpcap would keep every one (memory grew by twice what came in); fc-read stops
# reading the stream after PCAPNG_WATCH_MAX_INTERFACES (4096) and says why, in little memory.
interface_flood() {
    python3 -c '
import struct, sys
out = sys.stdout.buffer
out.write(struct.pack("<IIIHHqI", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1, 28))
idb = struct.pack("<IIHHII", 1, 20, 1, 0, 0, 20) * 10000
try:
    for _ in range(300): out.write(idb)   # 3 million blocks, 60 MB
except BrokenPipeError:
    pass'
}
interface_flood | /usr/bin/time -f "%M" -o "$TMP/flood.rss" "$FC_BIN/fc-read" - > "$TMP/out.fcr" 2> "$TMP/flood.err"
check_eq interface_flood_exit_status 1 "${PIPESTATUS[1]}"
check_contains interface_flood_said \
    "fc-read: stdin: a pcapng section describing more than 4096 interfaces: read no further" "$(cat "$TMP/flood.err")"
check_eq interface_flood_memory_stays_small 1 "$([ "$(tail -1 "$TMP/flood.rss")" -lt 50000 ] && echo 1 || echo "0 ($(tail -1 "$TMP/flood.rss") KiB)")"
