#!/usr/bin/env bash
# flowcarp finds the stage tools without help: in build/bin beside it (a source tree
# after make), beside itself (an installed PREFIX/bin), or on PATH; FLOWCARP_BIN wins.
source "$(dirname "$0")/../lib.sh"
# Every layout below classifies with the same models: only where the tools are differs.
export FLOWCARP_MODELS=$FC_ROOT/models

demo=$FC_DATA/demo.pcap
for t in fc-read fc-flow fc-feat fc-classify fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip "wrapper_finds_tools" "$FC_BIN/$t not built yet"; exit 0; }
done
"$FC_ROOT/flowcarp" --input "$demo" > "$TMP/expected"
clean_path=/usr/bin:/bin   # no FlowCarp tools on it

# layout NAME: copies the wrapper to $TMP/NAME/flowcarp with the tools where NAME says
mkdir -p "$TMP/tree/build/bin" "$TMP/prefix/bin" "$TMP/path" "$TMP/nowhere"
for t in fc-read fc-flow fc-feat fc-classify fc-emit; do
    ln -s "$FC_BIN/$t" "$TMP/tree/build/bin/$t"
    ln -s "$FC_BIN/$t" "$TMP/prefix/bin/$t"
    ln -s "$FC_BIN/$t" "$TMP/path/$t"
done
cp "$FC_ROOT/flowcarp" "$TMP/tree/flowcarp"; cp "$FC_ROOT/flowcarp" "$TMP/prefix/bin/flowcarp"
cp "$FC_ROOT/flowcarp" "$TMP/path/flowcarp-elsewhere"; cp "$FC_ROOT/flowcarp" "$TMP/nowhere/flowcarp"
ln -s "$TMP/tree/flowcarp" "$TMP/link-to-tree-flowcarp"

while read -r name wrapper path; do
    out=$(cd "$TMP" && env -u FLOWCARP_BIN PATH="$path" "$wrapper" --input "$demo" 2>"$TMP/err")
    printf '%s\n' "$out" > "$TMP/$name.out"
    check_files_eq "finds_tools_$name" "$TMP/expected" "$TMP/$name.out"
done <<LINES
in_build_bin_beside_it $TMP/tree/flowcarp $clean_path
through_a_symlink_to_it $TMP/link-to-tree-flowcarp $clean_path
beside_it_when_installed $TMP/prefix/bin/flowcarp $clean_path
on_path $TMP/nowhere/flowcarp $TMP/path:$clean_path
LINES

# FLOWCARP_BIN wins over build/bin: an empty folder there makes it fail, naming the tool
out=$(FLOWCARP_BIN=$TMP/nowhere "$TMP/tree/flowcarp" --input "$demo" 2>&1); rc=$?
check_eq "flowcarp_bin_is_used_first_status" 3 "$rc"
check_contains "flowcarp_bin_is_used_first_message" "cannot find the stage tool fc-read (looked in $TMP/nowhere)" "$out"

out=$(cd "$TMP" && env -u FLOWCARP_BIN PATH=$clean_path "$TMP/nowhere/flowcarp" --input "$demo" 2>&1); rc=$?
check_eq "no_tools_anywhere_exit_status_3" 3 "$rc"
check_contains "no_tools_anywhere_says_run_make" "run make, or set FLOWCARP_BIN" "$out"
