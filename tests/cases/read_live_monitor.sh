#!/usr/bin/env bash
# directory:Monitor:PATH: the captures already in the folder are read first, in name
# order; then each capture copied in, moved in, or written slowly is read once it is
# complete, exactly once (touching a file again, or a hidden temporary name, reads
# nothing more); --timeout ends the watch.
source "$(dirname "$0")/../lib.sh"

mkpcap=$FC_TESTBIN/mkpcap
wait_for_text() {
    for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
mkdir -p "$TMP/watch" "$TMP/elsewhere"
"$mkpcap" ether "$TMP/watch/b.pcap"
"$mkpcap" raw "$TMP/watch/a.pcap"
"$mkpcap" tcpflow "$TMP/elsewhere/d.pcap"
slow=$FC_DATA/demo.pcap

timeout 40 fc-read -v --timeout 3 "directory:Monitor:$TMP/watch" > "$TMP/mon.fcr" 2> "$TMP/mon.err" &
reader=$!
wait_for_text "$TMP/mon.err" "watching for new captures"
cp "$FC_DATA/flow_icmp.pcap" "$TMP/watch/c.pcap"             # copied in
mv "$TMP/elsewhere/d.pcap" "$TMP/watch/d.pcap"                # moved in
# A slow writer: half the capture, a pause fc-read must not read in, the rest.
{ head -c 20000 "$slow"; sleep 1.5; tail -c +20001 "$slow"; } > "$TMP/watch/e.pcap"
cp "$FC_DATA/flow_vlan.pcap" "$TMP/watch/.f.pcap.part"        # written under a hidden name,
mv "$TMP/watch/.f.pcap.part" "$TMP/watch/f.pcap"              # then renamed: read once, as f
cat "$TMP/watch/c.pcap" > /dev/null; touch "$TMP/watch/c.pcap" # no new close-after-write
cp "$FC_DATA/flow_icmp.pcap" "$TMP/watch/c.pcap"              # rewritten: not read twice
wait "$reader"
check_eq monitor_exit_status 0 "$?"

check_eq monitor_reads_each_file_once_in_order \
    "a.pcap:2 b.pcap:1 c.pcap:7 d.pcap:36 e.pcap:118 f.pcap:9" \
    "$(fc-emit --format Json < "$TMP/mon.fcr" | jq -r 'select(.k == 6 and .event == "end") | "\(.name | split("/") | last):\(.packets)"' | paste -sd ' ')"
check_eq monitor_slow_writer_read_whole_and_undamaged 0 \
    "$(fc-emit --format Json < "$TMP/mon.fcr" | jq -r 'select(.k == 7) | .counters.sources_damaged')"
check_eq monitor_header_says_live true "$(fc-emit --format Json < "$TMP/mon.fcr" | head -1 | jq -r .live)"

run_status_to "$TMP/out.fcr" timeout 10 fc-read --timeout 1 "directory:Monitor:$TMP/missing"
check_eq monitor_missing_directory_status 1 "$RC"
check_contains monitor_missing_directory_named "$TMP/missing: cannot watch directory" "$ERR"
