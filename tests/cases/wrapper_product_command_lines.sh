#!/usr/bin/env bash
# The product's command lines work verbatim on a real capture and give exactly the bytes
# of the hand-written pipeline fc-read | fc-flow | fc-feat | fc-classify | fc-emit, from
# any working directory.
source "$(dirname "$0")/../lib.sh"
export FLOWCARP_MODELS=$FC_ROOT/models   # the hand pipelines use the wrapper's models

demo=$FC_DATA/demo.pcap
flowcarp=$FC_ROOT/flowcarp
for t in fc-read fc-flow fc-feat fc-classify fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip "wrapper_product_command_lines" "$FC_BIN/$t not built yet"; exit 0; }
done

# name, then the format options (none = the default CSV)
while read -r name format_opts; do
    # shellcheck disable=SC2086  # format_opts is empty or two words
    fc-read "$demo" | fc-flow | fc-feat | fc-classify | fc-emit $format_opts > "$TMP/$name.expected"
    # shellcheck disable=SC2086
    run_status "$flowcarp" --input "$demo" --output - $format_opts
    printf '%s\n' "$OUT" > "$TMP/$name.out"
    check_eq "flowcarp_${name}_exits_0" 0 "$RC"
    check_files_eq "flowcarp_${name}_equals_hand_pipeline" "$TMP/$name.expected" "$TMP/$name.out"
done <<'LINES'
csv_default
zeekconn --format ZeekConn
evejsonflow --format EveJsonFlow
evejson --format EveJson
LINES

# The demo capture has 15 TCP and UDP conversations (tshark -z conv,tcp -z conv,udp): all
# of them come out, so the comparisons above compared real flows, not two empty outputs.
tcp_udp=$(jq -c 'select(.proto == "tcp" or .proto == "udp")' "$TMP/zeekconn.out" | wc -l)
check_eq "flowcarp_zeekconn_has_the_15_tcp_udp_flows_of_demo" 15 "$tcp_udp"
check_eq "flowcarp_csv_has_header_plus_flows" "$(($(wc -l < "$TMP/zeekconn.out") + 1))" "$(wc -l < "$TMP/csv_default.out")"

# Another working directory, the wrapper by absolute path, the capture by relative path
out=$(cd "$FC_DATA" && "$flowcarp" --input demo.pcap --output - --format ZeekConn)
printf '%s\n' "$out" > "$TMP/from_data_dir.out"
check_files_eq "flowcarp_works_from_another_directory_with_relative_input" "$TMP/zeekconn.expected" "$TMP/from_data_dir.out"
out=$(cd / && "$flowcarp" --input "$demo" --output -)
printf '%s\n' "$out" > "$TMP/from_root.out"
check_files_eq "flowcarp_works_from_root_directory" "$TMP/csv_default.expected" "$TMP/from_root.out"

# --output omitted: stdout; the '=' spelling of options
run_status "$flowcarp" --input="$demo" --format=ZeekConn
printf '%s\n' "$OUT" > "$TMP/default_output.out"
check_files_eq "flowcarp_writes_stdout_without_output_option" "$TMP/zeekconn.expected" "$TMP/default_output.out"

# Several inputs and the stdin input
fc-read "$demo" "$demo" | fc-flow | fc-feat | fc-classify | fc-emit > "$TMP/twice.expected"
"$flowcarp" --input "$demo" --input "$demo" > "$TMP/twice.out"
check_files_eq "flowcarp_reads_several_inputs_like_fc_read" "$TMP/twice.expected" "$TMP/twice.out"
"$flowcarp" --input - --output - < "$demo" > "$TMP/stdin.out"
check_files_eq "flowcarp_reads_stdin_with_input_dash" "$TMP/csv_default.expected" "$TMP/stdin.out"

# directory:Once: and directory:OnceRecursive:
mkdir -p "$TMP/pcaps/sub"
cp "$demo" "$TMP/pcaps/a.pcap"; cp "$demo" "$TMP/pcaps/sub/b.pcap"
fc-read "directory:Once:$TMP/pcaps" | fc-flow | fc-feat | fc-classify | fc-emit > "$TMP/dir_once.expected"
"$flowcarp" --input "directory:Once:$TMP/pcaps" --output - > "$TMP/dir_once.out"
check_files_eq "flowcarp_reads_directory_once_like_fc_read" "$TMP/dir_once.expected" "$TMP/dir_once.out"
fc-read "directory:OnceRecursive:$TMP/pcaps" | fc-flow | fc-feat | fc-classify | fc-emit > "$TMP/dir_rec.expected"
"$flowcarp" --input "directory:OnceRecursive:$TMP/pcaps" --output - > "$TMP/dir_rec.out"
check_files_eq "flowcarp_reads_directory_recursive_like_fc_read" "$TMP/dir_rec.expected" "$TMP/dir_rec.out"
if cmp -s "$TMP/dir_once.out" "$TMP/dir_rec.out"; then
    fail "flowcarp_recursive_reads_subfolders" "directory:OnceRecursive: gave the same output as directory:Once: though sub/b.pcap exists"
else
    pass "flowcarp_recursive_reads_subfolders"
fi
