#!/usr/bin/env bash
# `make install DESTDIR=... PREFIX=/usr` puts the tools, the wrapper and the man pages
# where they belong, and the installed flowcarp runs from PATH with nothing else set.
source "$(dirname "$0")/../lib.sh"

demo=$FC_DATA/demo.pcap
for t in fc-read fc-flow fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip "install" "$FC_BIN/$t not built yet"; exit 0; }
done

root=$TMP/root
if ! make -C "$FC_ROOT" --no-print-directory BUILD="$FC_BUILD" DESTDIR="$root" PREFIX=/usr install > "$TMP/install.log" 2>&1; then
    fail "make_install_succeeds" "$(tail -c 1500 "$TMP/install.log")"
    exit 0
fi
pass "make_install_succeeds"

for t in flowcarp fc-read fc-flow fc-emit; do
    if [ -x "$root/usr/bin/$t" ]; then pass "installs_bin_$t"; else fail "installs_bin_$t" "$root/usr/bin/$t missing or not executable"; fi
done
for page in "$FC_ROOT"/man/*.[15]; do
    sect=${page##*.}
    name=$(basename "$page")
    if [ -f "$root/usr/share/man/man$sect/$name" ]; then
        pass "installs_man_page_$name"
    else
        fail "installs_man_page_$name" "$root/usr/share/man/man$sect/$name missing"
    fi
done
if [ -d "$root/usr/share/flowcarp/models" ]; then pass "installs_models_folder"; else fail "installs_models_folder" "$root/usr/share/flowcarp/models missing"; fi
leaked=$(find "$root" -path "$root/usr" -prune -o -print | grep -vx "$root" || true)
check_eq "installs_only_under_prefix" "" "$leaked"

# The installed wrapper, from PATH, in another directory, with FLOWCARP_BIN unset
"$FC_ROOT/flowcarp" --input "$demo" --output - --format ZeekConn > "$TMP/expected"
out=$(cd "$TMP" && env -u FLOWCARP_BIN PATH="$root/usr/bin:/usr/bin:/bin" flowcarp --input "$demo" --output - --format ZeekConn 2>"$TMP/err"); rc=$?
printf '%s\n' "$out" > "$TMP/installed.out"
check_eq "installed_flowcarp_exit_status_0" 0 "$rc"
check_files_eq "installed_flowcarp_prints_the_flows" "$TMP/expected" "$TMP/installed.out"
check_eq "installed_flowcarp_version" "flowcarp $(cat "$FC_ROOT/VERSION")" \
    "$(env -u FLOWCARP_BIN PATH="$root/usr/bin:/usr/bin:/bin" flowcarp --version 2>&1)"

# The installed man page renders (man -l needs man-db; groff is what it runs)
if command -v man > /dev/null; then
    if MANWIDTH=80 man -l "$root/usr/share/man/man1/flowcarp.1" 2>/dev/null | grep -q 'flowcarp - turn packet captures into flow logs'; then
        pass "installed_man_page_renders"
    else
        fail "installed_man_page_renders" "man -l $root/usr/share/man/man1/flowcarp.1 did not show the NAME line"
    fi
else
    skip "installed_man_page_renders" "man is not installed"
fi

# The installed models: copied to PREFIX/share/flowcarp/models, where the installed
# fc-classify finds them by itself (nothing set, source tree not involved)
if ls "$FC_ROOT"/models/*.fcp > /dev/null 2>&1; then
    check_eq installs_every_model "$(cd "$FC_ROOT/models" && ls ./*.fcp | wc -l)" "$(ls "$root/usr/share/flowcarp/models"/*.fcp | wc -l)"
    listed=$(cd "$TMP" && env -u FLOWCARP_BIN -u FLOWCARP_MODELS PATH="$root/usr/bin:/usr/bin:/bin" flowcarp --list-models 2> "$TMP/optional.txt")
    check_eq installed_flowcarp_lists_the_installed_models "$(ls "$FC_ROOT"/models/*.fcp | wc -l) $root/usr/share/flowcarp/models" \
        "$(grep -c . <<<"$listed") $(cut -f5 <<<"$listed" | xargs -n1 dirname | xargs -n1 readlink -f | sort -u)"
    # the optional models, installed beside them and not loaded, are named on stderr
    check_eq installed_flowcarp_tells_the_optional_models \
        "$(ls "$FC_ROOT"/models/optional/*.fcp 2>/dev/null | wc -l) $(readlink -f "$root/usr/share/flowcarp/models/optional")" \
        "$(grep -c 'is not loaded; load it with --model' "$TMP/optional.txt") $(grep 'is not loaded' "$TMP/optional.txt" | sed 's/.* --model //' | xargs -n1 dirname | sort -u)"
    # the background models, installed and loaded (never naming a flow), are named on stderr too
    check_eq installed_flowcarp_tells_the_background_models \
        "$(ls "$FC_ROOT"/models/background/*.fcp 2>/dev/null | wc -l) $(readlink -f "$root/usr/share/flowcarp/models/background")" \
        "$(grep -c 'never names a flow' "$TMP/optional.txt") $(sed -n 's/.* from \(.*\) never names a flow.*/\1/p' "$TMP/optional.txt" | xargs -n1 dirname | sort -u)"
else
    skip installs_every_model "models/ has no .fcp files yet"
fi
