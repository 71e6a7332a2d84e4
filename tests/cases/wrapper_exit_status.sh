#!/usr/bin/env bash
# When a stage fails, flowcarp exits non-zero with the first failing stage's status and
# names that stage; what the stages could still output before the damage comes out.
source "$(dirname "$0")/../lib.sh"

demo=$FC_DATA/demo.pcap
flowcarp=$FC_ROOT/flowcarp
for t in fc-read fc-flow fc-feat fc-classify fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip "wrapper_exit_status" "$FC_BIN/$t not built yet"; exit 0; }
done

run_status "$flowcarp" --input "$TMP/no-such-file.pcap" --output -
check_eq "missing_input_file_exit_status_1" 1 "$RC"
check_contains "missing_input_file_names_the_file" "no-such-file.pcap" "$ERR"
check_contains "missing_input_file_names_fc_read" "flowcarp: fc-read failed with exit status 1" "$ERR"

# A stage that fails before writing anything is the one named; the later stages, left
# with an empty input, say nothing of their own, and are not named as failures too.
run_status "$flowcarp" --input "$demo" --output - -f 'tcp and ('
check_eq "first_stage_usage_error_exit_status_2" 2 "$RC"
check_contains "first_stage_usage_error_names_it" "flowcarp: fc-read failed with exit status 2" "$ERR"
check_eq "first_stage_usage_error_only_cause_said" 2 "$(printf '%s\n' "$ERR" | wc -l)"
head -c 3000 "$FC_ROOT/models/dns.fcp" > "$TMP/cut.fcp"
run_status "$flowcarp" --input "$demo" --output - --model "$TMP/cut.fcp"
check_eq "cut_model_exit_status_1" 1 "$RC"
check_eq "cut_model_only_fc_classify_said" \
    "fc-classify: $TMP/cut.fcp: truncated (the model ends inside its data)|flowcarp: fc-classify failed with exit status 1" \
    "$(printf '%s\n' "$ERR" | paste -sd '|')"

head -c 65536 /dev/urandom > "$TMP/random.pcap"
run_status "$flowcarp" --input "$TMP/random.pcap" --output -
check_eq "random_bytes_input_exit_status_1" 1 "$RC"
check_contains "random_bytes_input_names_fc_read" "flowcarp: fc-read failed" "$ERR"

# A capture cut in the middle of a packet: the flows before the cut still come out,
# as many TCP and UDP flows as tshark finds conversations in the cut file
size=$(stat -c %s "$demo")
head -c $((size * 2 / 3 + 7)) "$demo" > "$TMP/truncated.pcap"
run_status "$flowcarp" --input "$TMP/truncated.pcap" --output - --format ZeekConn
check_eq "truncated_capture_exit_status_1" 1 "$RC"
check_contains "truncated_capture_names_fc_read" "flowcarp: fc-read failed" "$ERR"
if command -v tshark > /dev/null; then
    before_cut=$(tshark -r "$TMP/truncated.pcap" -q -z conv,tcp -z conv,udp 2>/dev/null | grep -c '<->')
    got=$(printf '%s\n' "$OUT" | grep -cE '"proto":"(tcp|udp)"')
    if [ "$before_cut" -ge 3 ] && [ "$got" -eq "$before_cut" ]; then
        pass "truncated_capture_still_outputs_earlier_flows"
    else
        fail "truncated_capture_still_outputs_earlier_flows" "tshark sees $before_cut TCP/UDP conversations before the cut (want >= 3), flowcarp printed $got: $(head -c 400 <<<"$OUT")"
    fi
else
    skip "truncated_capture_still_outputs_earlier_flows" "tshark is not installed"
fi

# One good and one missing input: the good one's flows, then status 1
run_status "$flowcarp" --input "$demo" --input "$TMP/no-such-file.pcap" --format ZeekConn
check_eq "one_missing_input_of_two_exit_status_1" 1 "$RC"
if [ "$(printf '%s' "$OUT" | grep -c '"uid"')" -ge 15 ]; then
    pass "one_missing_input_of_two_still_outputs_the_other"
else
    fail "one_missing_input_of_two_still_outputs_the_other" "expected the flows of demo.pcap, got: $(head -c 400 <<<"$OUT")"
fi

# A usage error in the last stage: fc-emit's status 2, named
run_status "$flowcarp" --input "$demo" --output - --format NoSuchFormat
check_eq "unknown_format_exit_status_2" 2 "$RC"
check_contains "unknown_format_names_fc_emit" "flowcarp: fc-emit failed with exit status 2" "$ERR"

# A stage that dies of a signal: a stand-in fc-flow killed by SIGTERM
mkdir -p "$TMP/bin"
for t in fc-read fc-feat fc-classify fc-emit; do ln -s "$FC_BIN/$t" "$TMP/bin/$t"; done
printf '#!/bin/sh\nkill -TERM $$\n' > "$TMP/bin/fc-flow"; chmod 755 "$TMP/bin/fc-flow"
FLOWCARP_BIN=$TMP/bin run_status "$flowcarp" --input "$demo" --output -
check_eq "killed_stage_exit_status_128_plus_signal" 143 "$RC"
check_contains "killed_stage_is_named" "flowcarp: fc-flow was killed by signal SIGTERM" "$ERR"

# Success is 0 and silent
run_status "$flowcarp" --input "$demo" --output -
check_eq "good_capture_exit_status_0" 0 "$RC"
check_eq "good_capture_says_nothing_on_stderr" "" "$ERR"
