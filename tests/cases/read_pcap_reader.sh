#!/usr/bin/env bash
# fc-read's own reader of classic pcap files (fc-read/pcap_file.c) gives what libpcap
# gives: for every capture in tests/data and every classic pcap of the shared corpus, and
# for nanosecond, byte-swapped, snapped, cut and damaged files, `fc-read --reader libpcap`
# and plain fc-read exit alike, warn alike (same offset, same words) and write the same
# record stream, byte for byte after the stream header (which holds the command line),
# and so the same flows. The files it takes are read by it (-v says which reader read a
# source); stdin, pipes, pcapng and the pcap variants it leaves alone go to libpcap.
source "$(dirname "$0")/../lib.sh"

# The record stream on stdin without its stream header (the first msgpack object).
cat > "$TMP/body.py" <<'PY'
import sys
def skip(d, i):
    b = d[i]; i += 1
    if b <= 0x7f or b >= 0xe0 or b in (0xc0, 0xc2, 0xc3): return i
    if 0x80 <= b <= 0x8f: return skip_n(d, i, 2 * (b & 15))
    if 0x90 <= b <= 0x9f: return skip_n(d, i, b & 15)
    if 0xa0 <= b <= 0xbf: return i + (b & 31)
    fixed = {0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8, 0xca: 4, 0xcb: 8}
    if b in fixed: return i + fixed[b]
    for width, codes in ((1, (0xd9, 0xc4)), (2, (0xda, 0xc5)), (4, (0xdb, 0xc6))):
        if b in codes: return i + width + int.from_bytes(d[i:i + width], "big")
    if b in (0xdc, 0xde): return skip_n(d, i + 2, int.from_bytes(d[i:i + 2], "big") * (2 if b == 0xde else 1))
    sys.exit("body.py: msgpack type 0x%02x not expected in a stream header" % b)
def skip_n(d, i, n):
    for _ in range(n): i = skip(d, i)
    return i
d = sys.stdin.buffer.read()
sys.stdout.buffer.write(d[skip(d, 0):] if d else b"")
PY

# Variants of a classic little-endian µs pcap, as tcpdump or a host of the other byte
# order would write them:  mk.py IN OUT EDIT...  where EDIT is
#   be         big-endian byte order          ns      nanosecond time stamps (+999 ns each)
#   snap=N     snapshot length N in the file header
#   caplen=K:V record K (from 0) claims caplen V      sec=K:V  record K's seconds are V
#   null       Ethernet frames as BSD null (DLT_NULL) frames, AF_INET/AF_INET6 in the writer's order
# and  mk.py offset FILE K  prints the byte offset of record K.
cat > "$TMP/mk.py" <<'PY'
import struct, sys
def records(d):
    at = 24
    while at + 16 <= len(d):
        s, f, cap, ln = struct.unpack_from("<IIII", d, at)
        yield at, s, f, cap, ln, d[at + 16:at + 16 + cap]
        at += 16 + cap
if sys.argv[1] == "offset":
    d = open(sys.argv[2], "rb").read()
    print([r[0] for r in records(d)][int(sys.argv[3])])
    sys.exit(0)
src, dst, edits = sys.argv[1], sys.argv[2], sys.argv[3:]
d = open(src, "rb").read()
magic, vmaj, vmin, zone, sig, snaplen, lt = struct.unpack_from("<IHHiIII", d, 0)
assert magic == 0xa1b2c3d4, "mk.py wants a little-endian microsecond pcap"
e = ">" if "be" in edits else "<"
ns = "ns" in edits
opt = dict(x.split("=", 1) for x in edits if "=" in x)
if "snap" in opt: snaplen = int(opt["snap"])
def per_record(key):
    return dict(tuple(map(int, v.split(":"))) for k, v in (x.split("=", 1) for x in edits if "=" in x) if k == key)
caplens, secs = per_record("caplen"), per_record("sec")
if "null" in edits: lt = 0
out = [struct.pack(e + "IHHiIII", 0xa1b23c4d if ns else 0xa1b2c3d4, vmaj, vmin, zone, sig, snaplen, lt)]
for k, (at, s, f, cap, ln, data) in enumerate(records(d)):
    if "null" in edits:
        family = {0x0800: 2, 0x86dd: 24}.get(int.from_bytes(data[12:14], "big"), 0)
        data = struct.pack(e + "I", family) + data[14:]
        cap, ln = cap - 10, ln - 10
    out.append(struct.pack(e + "IIII", secs.get(k, s), f * 1000 + 999 if ns else f, caplens.get(k, cap), ln) + data)
open(dst, "wb").write(b"".join(out))
PY

# differ FILE... [-- OPTION...]: reads the FILEs (as one fc-read run, in order) with
# fc-read -v --reader libpcap, then with the default reader; prints what differs (exit
# status, warnings, stream after its header), nothing when they agree. The default run's
# stream stays in $TMP/auto.fcr, its stderr in $TMP/auto.err, its exit status in
# $TMP/auto.rc (differ runs in a command substitution: files outlive it, variables not).
differ() {
    local files=() rc_l rc_a
    while [ $# -gt 0 ] && [ "$1" != -- ]; do files+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    fc-read -v --reader libpcap "$@" "${files[@]}" > "$TMP/libpcap.fcr" 2> "$TMP/libpcap.err"; rc_l=$?
    fc-read -v "$@" "${files[@]}" > "$TMP/auto.fcr" 2> "$TMP/auto.err"; rc_a=$?
    echo "$rc_a" > "$TMP/auto.rc"
    [ "$rc_l" = "$rc_a" ] || echo "exit status $rc_l with libpcap, $rc_a by default;"
    python3 "$TMP/body.py" < "$TMP/libpcap.fcr" > "$TMP/libpcap.body"
    python3 "$TMP/body.py" < "$TMP/auto.fcr" > "$TMP/auto.body"
    if ! cmp -s "$TMP/libpcap.body" "$TMP/auto.body"; then
        echo "streams differ: $(cmp "$TMP/libpcap.body" "$TMP/auto.body" 2>&1 | head -1);" \
            "$(diff <(fc-emit --format Json < "$TMP/libpcap.fcr" 2>&1) <(fc-emit --format Json < "$TMP/auto.fcr" 2>&1) |
               head -4 | cut -c1-300)"
    fi
    if ! diff -q <(sed 's/, read by .*//' "$TMP/libpcap.err") <(sed 's/, read by .*//' "$TMP/auto.err") > /dev/null; then
        echo "warnings differ: $(diff <(sed 's/, read by .*//' "$TMP/libpcap.err") \
            <(sed 's/, read by .*//' "$TMP/auto.err") | head -4)"
    fi
}
# flows_differ FILE...: the CSV flows of fc-read | fc-flow | fc-emit, both ways; prints a diff when they differ
flows_differ() {
    diff <(fc-read --reader libpcap "$@" 2>/dev/null | fc-flow 2>/dev/null | fc-emit 2>/dev/null) \
         <(fc-read "$@" 2>/dev/null | fc-flow 2>/dev/null | fc-emit 2>/dev/null) | head -3
}
# readers: "PATH<tab>READER<tab>DLT" for each source of the default run
readers() {
    sed -n 's/^fc-read: \(.*\): source [0-9]*, link type .*(\(-*[0-9]*\)), snaplen .*, read by \(.*\)$/\1\t\3\t\2/p' \
        "$TMP/auto.err"
}
# reader_of: which reader read the default run's first source
reader_of() { readers | head -1 | cut -f2; }
entries() { packet_entries < "$TMP/auto.fcr"; }
# classify.py FILE...: "PATH<tab>KIND" per file: native (a classic pcap of this host's
# byte order and version 2.4: the pcap file reader's), classic (another classic pcap),
# or other
cat > "$TMP/classify.py" <<'PY'
import struct, sys
for path in sys.argv[1:]:
    head = open(path, "rb").read(8)
    kind = "other"
    for order in "<>":
        if len(head) == 8 and struct.unpack(order + "I", head[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d):
            native = order == ("<" if sys.byteorder == "little" else ">")
            kind = "native" if native and struct.unpack(order + "HH", head[4:]) == (2, 4) else "classic"
    print("%s\t%s" % (path, kind))
PY
# check_readers KINDS: against the default run, prints files read by the wrong reader:
# native pcaps not by the pcap file reader (but for the link types whose frames libpcap
# rewrites or lets grow past 262144 bytes: 220, 231, 249, 279), others not by libpcap
check_readers() {
    join -t "$(printf '\t')" <(sort "$1") <(readers | sort) | awk -F'\t' '
        $2 == "native" && $3 != "the pcap file reader" && $4 !~ /^(220|231|249|279)$/ { print $1 ": " $3 }
        $2 == "other" && $3 != "libpcap" { print $1 ": " $3 }' | head -5
}

# ---- every capture in tests/data: same stream, same flows, classic pcap by the pcap file reader
mapfile -t data_files < <(find "$FC_DATA" -name '*.pcap' -o -name '*.pcapng' | sort)
python3 "$TMP/classify.py" "${data_files[@]}" > "$TMP/data.kinds"
check_eq tests_data_captures_found yes "$([ ${#data_files[@]} -ge 10 ] && echo yes || echo "only ${#data_files[@]}")"
check_eq tests_data_same_stream_both_ways "" "$(differ "${data_files[@]}")"
check_eq tests_data_every_capture_read "${#data_files[@]}" "$(readers | wc -l)"
check_eq tests_data_native_pcap_read_by_pcap_file_reader "" "$(check_readers "$TMP/data.kinds")"
check_eq tests_data_same_flows_both_ways "" "$(flows_differ "${data_files[@]}")"

# ---- every classic pcap of the shared corpus (one fc-read run each way over all of them)
if [ -d "$FC_SHARED/corpus" ]; then
    mapfile -t all < <(find "$FC_SHARED/corpus" -type f | sort)
    python3 "$TMP/classify.py" "${all[@]}" | awk -F'\t' '$2 != "other"' > "$TMP/corpus.kinds"
    mapfile -t corpus_files < <(cut -f1 "$TMP/corpus.kinds")
    check_eq corpus_classic_pcaps_found yes "$([ ${#corpus_files[@]} -ge 1 ] && echo yes || echo no)"
    check_eq corpus_classic_pcaps_same_stream_both_ways "" "$(differ "${corpus_files[@]}")"
    check_eq corpus_every_classic_pcap_read "${#corpus_files[@]}" "$(readers | wc -l)"
    check_eq corpus_native_pcaps_read_by_pcap_file_reader "" "$(check_readers "$TMP/corpus.kinds")"
    check_eq corpus_classic_pcaps_same_flows_both_ways "" "$(flows_differ "${corpus_files[@]}")"
    echo "# corpus: ${#corpus_files[@]} classic pcap files, $(readers | grep -c 'the pcap file reader') read by the pcap file reader"
else
    skip corpus_classic_pcaps "$FC_SHARED/corpus not present (../shared is needed for this check)"
fi

# ---- nanosecond and byte-swapped files
demo=$FC_DATA/demo.pcap
first_ts=$(python3 -c '
import struct, sys
s, us = struct.unpack_from("<II", open(sys.argv[1], "rb").read(), 24)
print(s * 1000000 + us)' "$demo")
for variant in ns be "be ns"; do
    name=${variant// /_}
    python3 "$TMP/mk.py" "$demo" "$TMP/$name.pcap" $variant
    check_eq "${name}_pcap_same_both_ways" "" "$(differ "$TMP/$name.pcap")"
    check_eq "${name}_pcap_read_by_pcap_file_reader" "the pcap file reader" "$(reader_of)"
    # nanoseconds are floored to µs: +999 ns leaves the µs of the original
    check_eq "${name}_pcap_first_timestamp" "$first_ts" "$(entries | awk 'NR == 1 {print $8}')"
    check_eq "${name}_pcap_all_packets" "$(fc-read "$demo" | packet_entries | wc -l)" "$(entries | wc -l)"
done
# Seconds from 2^31 on: libpcap 1.10 reads them as before 1970 in a file of this host's
# byte order and after 2038 in the other (its byte swap is unsigned); so does the reader.
for order in le be; do
    python3 "$TMP/mk.py" "$demo" "$TMP/late-$order.pcap" sec=0:2415919104 $([ $order = be ] && echo be)
    check_eq "seconds_beyond_2_pow_31_${order}_same_both_ways" "" "$(differ "$TMP/late-$order.pcap")"
done

# ---- damage: cut in a record header, cut in packet data, a caplen beyond any snaplen
# check_damaged NAME FILE WARNING PACKETS: both readers agree, exit status 1, the warning,
# and the packets before the damage are still emitted (by fc-read's own reader)
check_damaged() {
    check_eq "${1}_same_both_ways" "" "$(differ "$2")"
    check_eq "${1}_exit_status" 1 "$(cat "$TMP/auto.rc")"
    check_contains "${1}_warning" "$3" "$(cat "$TMP/auto.err")"
    check_eq "${1}_packets_before_emitted" "$4" "$(entries | wc -l)"
}
rec5=$(python3 "$TMP/mk.py" offset "$demo" 5)
cap5=$(python3 -c 'import struct, sys; print(struct.unpack_from("<I", open(sys.argv[1], "rb").read(), int(sys.argv[2]) + 8)[0])' "$demo" "$rec5")
head -c $((rec5 + 10)) "$demo" > "$TMP/cut-header.pcap"
check_damaged cut_in_record_header "$TMP/cut-header.pcap" \
    "fc-read: $TMP/cut-header.pcap: offset $rec5: truncated packet record (truncated dump file; tried to read 16 header bytes, only got 10)" 5
check_eq cut_in_record_header_read_by_pcap_file_reader "the pcap file reader" "$(reader_of)"

head -c $((rec5 + 16 + 20)) "$demo" > "$TMP/cut-data.pcap"
check_damaged cut_in_packet_data "$TMP/cut-data.pcap" \
    "fc-read: $TMP/cut-data.pcap: offset $rec5: truncated packet record (truncated dump file; tried to read $cap5 captured bytes, only got 20)" 5
check_contains cut_in_packet_data_end_record_carries_error "offset $rec5: truncated packet record" \
    "$(fc-emit --format Json < "$TMP/auto.fcr" | jq -r 'select(.k == 6 and .event == "end") | .error')"

rec3=$(python3 "$TMP/mk.py" offset "$demo" 3)
python3 "$TMP/mk.py" "$demo" "$TMP/huge-caplen.pcap" caplen=3:262145
check_damaged caplen_beyond_262144 "$TMP/huge-caplen.pcap" \
    "fc-read: $TMP/huge-caplen.pcap: offset $rec3: damaged packet record (invalid packet capture length 262145, bigger than snaplen of 262144)" 3
python3 "$TMP/mk.py" "$demo" "$TMP/huge-snaplen.pcap" snap=2147483647 caplen=3:300000
check_eq caplen_beyond_262144_under_huge_snaplen_same_both_ways "" "$(differ "$TMP/huge-snaplen.pcap")"
check_contains caplen_beyond_262144_under_huge_snaplen_warning \
    "offset $rec3: damaged packet record (invalid packet capture length 300000, bigger than maximum of 262144)" \
    "$(cat "$TMP/auto.err")"

# ---- records longer than the snapshot length: cut to it, the next record found all the same
python3 "$TMP/mk.py" "$demo" "$TMP/snap60.pcap" snap=60
check_eq caplen_beyond_snaplen_same_both_ways "" "$(differ "$TMP/snap60.pcap")"
check_eq caplen_beyond_snaplen_exit_status 0 "$(cat "$TMP/auto.rc")"
check_eq caplen_beyond_snaplen_read_by_pcap_file_reader "the pcap file reader" "$(reader_of)"
check_eq caplen_beyond_snaplen_every_packet "$(fc-read "$demo" | packet_entries | wc -l)" "$(entries | wc -l)"
check_eq caplen_beyond_snaplen_cut_to_it "" "$(entries | awk '$9 > 60 - 14 {print}' | head -2)"
check_eq caplen_beyond_snaplen_wire_lengths_kept "$(fc-read "$demo" | packet_entries | awk '{print $7}' | md5sum)" \
    "$(entries | awk '{print $7}' | md5sum)"
# cut short within the snapshot length, then beyond it: libpcap names the length it was reading
head -c $((rec5 + 16 + 30)) "$TMP/snap60.pcap" > "$TMP/snap60-cut.pcap"
check_eq snapped_record_cut_before_snaplen_same_both_ways "" "$(differ "$TMP/snap60-cut.pcap")"
check_contains snapped_record_cut_before_snaplen_warning \
    "offset $rec5: truncated packet record (truncated dump file; tried to read 60 captured bytes, only got 30)" \
    "$(cat "$TMP/auto.err")"
if [ "$cap5" -gt 61 ]; then
    head -c $((rec5 + 16 + 61)) "$TMP/snap60.pcap" > "$TMP/snap60-cut2.pcap"
    check_eq snapped_record_cut_after_snaplen_same_both_ways "" "$(differ "$TMP/snap60-cut2.pcap")"
    check_contains snapped_record_cut_after_snaplen_warning \
        "offset $rec5: truncated packet record (truncated dump file; tried to read $cap5 captured bytes, only got 61)" \
        "$(cat "$TMP/auto.err")"
else
    fail snapped_record_cut_after_snaplen "record 5 of demo.pcap is no longer than 61 bytes ($cap5)"
fi
# damage after a snapped record: its offset counts the record's whole length in the file
python3 "$TMP/mk.py" "$demo" "$TMP/snap60-bad.pcap" snap=60 caplen=5:300000
check_eq damage_after_snapped_records_same_both_ways "" "$(differ "$TMP/snap60-bad.pcap")"
check_contains damage_after_snapped_records_offset "offset $rec5: damaged packet record" "$(cat "$TMP/auto.err")"

# ---- no packets at all
head -c 24 "$demo" > "$TMP/empty.pcap"
check_eq zero_packets_same_both_ways "" "$(differ "$TMP/empty.pcap")"
check_eq zero_packets_exit_status 0 "$(cat "$TMP/auto.rc")"
check_eq zero_packets_source_records "open end 0" \
    "$(fc-emit --format Json < "$TMP/auto.fcr" | jq -r 'select(.k == 6) | .event, (.packets // empty)' | tr '\n' ' ' | sed 's/ $//')"

# ---- BPF filters: compiled against the file's own savefile handle, as libpcap reading it would
check_eq filter_same_both_ways "" "$(differ "$demo" -- -f 'tcp port 6379')"
check_eq filter_keeps_what_it_should "$(tshark -r "$demo" -Y 'tcp.port == 6379' 2>/dev/null | wc -l)" "$(entries | wc -l)"
# BSD null frames in a byte-swapped file: libpcap byte-swaps the address family it looks for
python3 "$TMP/mk.py" "$demo" "$TMP/null-be.pcap" null be
check_eq filter_on_swapped_null_same_both_ways "" "$(differ "$TMP/null-be.pcap" -- -f ip)"
check_eq filter_on_swapped_null_read_by_pcap_file_reader "the pcap file reader" "$(reader_of)"
# a filter libpcap refuses on savefiles is refused on this one too
check_eq savefile_only_filter_refused_same_both_ways "" "$(differ "$demo" -- -f inbound)"
check_eq savefile_only_filter_exit_status 1 "$(cat "$TMP/auto.rc")"
check_contains savefile_only_filter_warning "when reading savefiles" "$(cat "$TMP/auto.err")"

# ---- what stays with libpcap: stdin, a pipe named by a path, versions before 2.4
fc-read -v < "$demo" > /dev/null 2> "$TMP/auto.err"
check_eq stdin_read_by_libpcap libpcap "$(reader_of)"
fc-read -v <(cat "$demo") > "$TMP/auto.fcr" 2> "$TMP/auto.err"
check_eq pipe_path_read_by_libpcap libpcap "$(reader_of)"
check_eq pipe_path_all_packets "$(fc-read "$demo" | packet_entries | wc -l)" "$(entries | wc -l)"
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read()); d[6] = 3     # version 2.3: caplen and len may be exchanged
open(sys.argv[2], "wb").write(d)' "$demo" "$TMP/v23.pcap"
check_eq version_2_3_same_both_ways "" "$(differ "$TMP/v23.pcap")"
check_eq version_2_3_read_by_libpcap libpcap "$(reader_of)"

# ---- the switch itself
run_status fc-read --reader mmap "$demo"
check_eq reader_switch_bad_value_exit_status 2 "$RC"
check_contains reader_switch_bad_value_says_why "--reader: 'mmap' is not auto or libpcap" "$ERR"
