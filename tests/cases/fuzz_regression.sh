#!/usr/bin/env bash
# The libFuzzer harnesses (tests/fuzz/fuzz_*.c) replay their seed corpora, which hold
# real traffic and every crash input found so far (regress-*), without a crash, and
# survive a short run on new inputs. Skipped when clang with libFuzzer is missing.
# FC_FUZZ_SECONDS (default 10) bounds each harness's run on new inputs.
source "$(dirname "$0")/../lib.sh"

case $FC_BUILD in /*) fuzz_out=$FC_BUILD/fuzz-harnesses ;; *) fuzz_out=$FC_ROOT/$FC_BUILD/fuzz-harnesses ;; esac
seconds=${FC_FUZZ_SECONDS:-10}

bash "$FC_ROOT/tests/fuzz/build" "$fuzz_out" > "$TMP/build.log" 2>&1
status=$?
if [ $status -eq 77 ]; then
    skip fuzz_harnesses "$(tail -n 1 "$TMP/build.log")"
    exit 0
fi
if [ $status -ne 0 ]; then
    fail fuzz_harnesses_build "tests/fuzz/build failed: $(tail -c 1500 "$TMP/build.log")"
    exit 0
fi
pass fuzz_harnesses_build

# Prints the crash report of a libFuzzer log: the sanitizer's or the harness's own lines.
crash_report() {
    grep -E -m 12 'ERROR|SUMMARY|abort|#[0-9] .* in (fc_|linktype|capture|trim|batch|decode|LLVMFuzzer)|fc-read wrote|flow changed|disagree|outside|promised|Test unit written' "$1"
}

for src in "$FC_ROOT"/tests/fuzz/fuzz_*.c; do
    h=$(basename "$src" .c)
    seeds=$FC_ROOT/tests/fuzz/corpus/$h
    if [ ! -d "$seeds" ]; then
        fail "${h}_has_seed_corpus" "$seeds missing"
        continue
    fi
    if "$fuzz_out/$h" -runs=0 "$seeds" > "$TMP/$h.replay" 2>&1; then
        pass "${h}_replays_seed_corpus_without_crash"
    else
        fail "${h}_replays_seed_corpus_without_crash" "$(crash_report "$TMP/$h.replay")"
    fi
    mkdir -p "$TMP/$h.corpus" "$TMP/$h.artifacts"
    cp "$seeds"/* "$TMP/$h.corpus/"
    if "$fuzz_out/$h" "$TMP/$h.corpus" -max_total_time="$seconds" -timeout=10 -max_len=65536 \
        -artifact_prefix="$TMP/$h.artifacts/" > "$TMP/$h.run" 2>&1; then
        pass "${h}_survives_${seconds}s_of_new_inputs"
    else
        mkdir -p "$FC_ROOT/tests/out"; cp "$TMP/$h.artifacts"/* "$FC_ROOT/tests/out/" 2>/dev/null
        fail "${h}_survives_${seconds}s_of_new_inputs" \
            "$(crash_report "$TMP/$h.run") (reproducer copied to tests/out/)"
    fi
done
