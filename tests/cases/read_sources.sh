#!/usr/bin/env bash
# fc-read takes several SOURCEs in order, stdin, and directories (directory:Once,
# directory:OnceRecursive, a plain directory), skipping files that are not captures with
# a warning; unsupported source forms are usage errors found before any output.
source "$(dirname "$0")/../lib.sh"

mkpcap=$FC_TESTBIN/mkpcap
"$mkpcap" ether "$TMP/a.pcap"
"$mkpcap" raw "$TMP/b.pcap"
"$mkpcap" tcpflow "$TMP/c.pcap"
# source_events: "event:name:source[:packets]" per source record
source_events() {
    fc-emit --format Json | jq -r 'select(.k == 6) | [.event, .name, .source, .packets // empty] | map(tostring) | join(":")' | paste -sd ' '
}

run_status_to "$TMP/out.fcr" fc-read "$TMP/a.pcap" "$TMP/b.pcap"
check_eq two_sources_status 0 "$RC"
check_eq two_sources_read_in_order_with_numbers \
    "open:$TMP/a.pcap:0 end:$TMP/a.pcap:0:1 open:$TMP/b.pcap:1 end:$TMP/b.pcap:1:2" \
    "$(fc-read "$TMP/a.pcap" "$TMP/b.pcap" | source_events)"
check_eq packet_entries_carry_their_source_number "0 1 1" \
    "$(fc-read "$TMP/a.pcap" "$TMP/b.pcap" | packet_entries | awk '{print $1}' | paste -sd ' ')"
check_eq source_open_record_has_linktype_and_snaplen "12 65535" \
    "$(fc-read "$TMP/b.pcap" | fc-emit --format Json | jq -r 'select(.k == 6 and .event == "open") | "\(.linktype) \(.snaplen)"')"

check_eq stdin_is_read_with_dash "open:-:0 end:-:0:2" "$(fc-read - < "$TMP/b.pcap" | source_events)"
check_eq stdin_is_the_default_source "open:-:0 end:-:0:2" "$(cat "$TMP/b.pcap" | fc-read | source_events)"
check_eq header_names_producer_and_sample "fc-read 20 5 128" \
    "$(fc-read "$TMP/a.pcap" | fc-emit --format Json | head -1 | jq -r '"\(.producer) \(.sample.packets) \(.sample.full_packets) \(.sample.bytes)"')"

# A directory: captures in name order, a text file skipped with a warning naming it.
mkdir -p "$TMP/dir/sub"
cp "$TMP/b.pcap" "$TMP/dir/2.pcap"; cp "$TMP/a.pcap" "$TMP/dir/1.pcap"
echo "not a capture" > "$TMP/dir/notes.txt"
cp "$TMP/c.pcap" "$TMP/dir/sub/3.pcap"
run_status_to "$TMP/out.fcr" fc-read "directory:Once:$TMP/dir"
check_eq directory_with_non_capture_file_status 0 "$RC"
check_contains directory_warns_naming_skipped_file "$TMP/dir/notes.txt: skipped: not a pcap or pcapng capture" "$ERR"
check_eq directory_once_reads_files_in_name_order_without_subfolders \
    "open:$TMP/dir/1.pcap:0 end:$TMP/dir/1.pcap:0:1 open:$TMP/dir/2.pcap:1 end:$TMP/dir/2.pcap:1:2" \
    "$(fc-read "directory:Once:$TMP/dir" 2>/dev/null | source_events)"
check_eq plain_directory_read_as_directory_once \
    "$(fc-read "directory:Once:$TMP/dir" 2>/dev/null | source_events)" "$(fc-read "$TMP/dir" 2>/dev/null | source_events)"
check_eq directory_once_recursive_enters_subfolders_depth_first "$TMP/dir/1.pcap $TMP/dir/2.pcap $TMP/dir/sub/3.pcap" \
    "$(fc-read "directory:OnceRecursive:$TMP/dir/" 2>/dev/null | fc-emit --format Json |
       jq -r 'select(.k == 6 and .event == "open") | .name' | sed 's|//|/|' | paste -sd ' ')"

run_status_to "$TMP/out.fcr" fc-read "directory:Monitor:"
check_eq directory_monitor_without_path_is_usage_error 2 "$RC"
check_contains directory_monitor_without_path_says_so "no directory given" "$ERR"
check_eq directory_monitor_without_path_writes_nothing 0 "$(wc -c < "$TMP/out.fcr")"
run_status_to "$TMP/out.fcr" fc-read "directory:Sometimes:$TMP/dir"
check_eq unknown_directory_mode_is_usage_error 2 "$RC"
check_contains unknown_directory_mode_named "unknown directory mode 'Sometimes'" "$ERR"
run_status_to "$TMP/out.fcr" fc-read tcp:65536
check_eq pcap_over_ip_bad_port_is_usage_error 2 "$RC"
check_contains pcap_over_ip_bad_port_named "'65536' is not a port number" "$ERR"

# A missing file among good ones: reported, the others still read, status 1.
run_status_to "$TMP/out.fcr" fc-read "$TMP/a.pcap" "$TMP/missing.pcap" "$TMP/b.pcap"
check_eq missing_source_status 1 "$RC"
check_contains missing_source_named "fc-read: $TMP/missing.pcap: No such file or directory" "$ERR"
check_eq other_sources_read_despite_missing_one "3" \
    "$(fc-read "$TMP/a.pcap" "$TMP/missing.pcap" "$TMP/b.pcap" 2>/dev/null | packet_entries | wc -l)"

run_status fc-read -h
check_eq help_status 0 "$RC"
check_contains help_shows_usage "usage: fc-read [options] [SOURCE...]" "$OUT"
run_status fc-read --version
check_eq version_printed "fc-read $(cat "$FC_ROOT/VERSION")" "$OUT"
run_status_to "$TMP/out.fcr" fc-read --no-such-option "$TMP/a.pcap"
check_eq unknown_option_is_usage_error 2 "$RC"
run_status_to "$TMP/out.fcr" fc-read --sample-full-packets 30 "$TMP/a.pcap"
check_eq full_packets_above_packets_is_usage_error 2 "$RC"
