#!/usr/bin/env bash
# SIGINT and SIGTERM stop the stages in order: input stops, every flow a stage holds is
# reported, output is flushed, exit status 0. Checked on demo.pcap's real traffic fed
# slowly by a capture writer that stays open (as tcpdump would), with the flows counted
# against tshark's conversations of the very packets that were fed.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/live_flow_lib.bash"

demo=$FC_DATA/demo.pcap
fed=60   # packets written before the writer pauses: several flows are open then
expected=$(conversations "$demo" "$fed")

# wait_for_file FILE SECONDS: true once FILE exists
wait_for_file() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do [ -e "$1" ] && return 0; sleep 0.1; done
    return 1
}
# seconds_since START_NS
seconds_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# 1. fc-flow alone, SIGTERM while its upstream is still open and silent: it reads what
#    is there, gives up on the rest after its grace (2 s for one stage before it), ends
#    every flow as at the end of input and exits 0.
fc-read "$demo" 2>/dev/null > "$TMP/demo.stream"
fc-flow < "$TMP/demo.stream" > "$TMP/flow.eof" 2>/dev/null
mkfifo "$TMP/upstream"
{ cat "$TMP/demo.stream"; exec sleep 60; } > "$TMP/upstream" 2>/dev/null &
upstream_pid=$!
fc-flow < "$TMP/upstream" > "$TMP/flow.out" 2>"$TMP/flow.err" &
flow_pid=$!
wait_until_catching "$flow_pid"
sleep 0.3
start=$(date +%s%N)
kill -TERM "$flow_pid"
timeout 30 tail --pid="$flow_pid" -f /dev/null
wait "$flow_pid"; rc=$?
took=$(seconds_since "$start")
kill "$upstream_pid"
check_eq fc_flow_sigterm_exit_0 0 "$rc"
if [ "$took" -ge 1500 ] && [ "$took" -le 4000 ]; then pass fc_flow_sigterm_waits_its_grace_then_stops
else fail fc_flow_sigterm_waits_its_grace_then_stops "took ${took} ms, expected about 2000"; fi
# record for record what the end of its input gives (open flows end "shutdown"), stats too
check_files_eq fc_flow_sigterm_output_as_at_end_of_input <(fc-emit --format Json < "$TMP/flow.eof") \
    <(fc-emit --format Json < "$TMP/flow.out")

# 2. Ctrl-C reaches a whole hand-made pipeline at once (one process group): each stage
#    waits for what the stage before it still sends, so no flow is lost on the way.
rm -f "$TMP/trickle.count"
export TMP   # for the capture writer inside
setsid bash -c '
    trap true INT   # this shell is not a stage: it stays to write the statuses
    source "$1"
    trickle "$2" 0 "$3" 60 | fc-read - | fc-flow | fc-feat | fc-classify --models-dir "$6" | fc-emit --format Json > "$4"
    echo "${PIPESTATUS[@]}" > "$5"' _ "$FC_ROOT/tests/cases/live_flow_lib.bash" \
    "$demo" "$fed" "$TMP/group.json" "$TMP/group.status" "$FC_ROOT/models" 2>"$TMP/group.err" &
group_pid=$!
if wait_for_file "$TMP/trickle.count" 10; then
    sleep 0.3
    wait_until_catching $(pgrep -g "$group_pid" -x 'fc-read|fc-flow|fc-feat|fc-classify|fc-emit')
    kill -INT -- -"$group_pid"
    timeout 15 tail --pid="$group_pid" -f /dev/null
    read -r _ s_read s_flow s_feat s_classify s_emit < "$TMP/group.status"
    check_eq group_sigint_stages_exit_0 "0 0 0 0 0" "$s_read $s_flow $s_feat $s_classify $s_emit"
    check_eq group_sigint_reports_every_flow_fed "$expected" "$(flow_counts < "$TMP/group.json")"
else
    fail group_sigint_stages_exit_0 "the capture writer did not start: $(cat "$TMP/group.err")"
fi

# 3. The flowcarp wrapper: SIGTERM to it alone asks fc-read to stop; the rest drains.
rm -f "$TMP/trickle.count"
mkfifo "$TMP/capture"
trickle "$demo" 0 "$fed" 60 > "$TMP/capture" 2>/dev/null &
trickle_pid=$!
"$FC_ROOT/flowcarp" --input - --format EveJsonFlow --output "$TMP/wrapper.json" 2>"$TMP/wrapper.err" < "$TMP/capture" &
wrapper_pid=$!
# the stages must be running (a signal before a stage is set up kills it, as any program)
for ((i = 0; i < 100; i++)); do [ "$(pgrep -c -P "$wrapper_pid")" -ge 5 ] && break; sleep 0.1; done
wait_until_catching $(pgrep -P "$wrapper_pid")
if wait_for_file "$TMP/trickle.count" 10; then
    sleep 0.3
    start=$(date +%s%N)
    kill -TERM "$wrapper_pid"
    timeout 30 tail --pid="$wrapper_pid" -f /dev/null
    wait "$wrapper_pid"; rc=$?
    took=$(seconds_since "$start")
    check_eq wrapper_sigterm_exit_0 0 "$rc"
    if [ "$took" -le 8000 ]; then pass wrapper_sigterm_stops_promptly
    else fail wrapper_sigterm_stops_promptly "took ${took} ms"; fi
    check_eq wrapper_sigterm_says_nothing "" "$(cat "$TMP/wrapper.err")"
    got=$(jq -r '[.proto, .flow.pkts_toserver, .flow.pkts_toclient] | select(.[0] == "TCP" or .[0] == "UDP")
                 | (.[1:] | sort) as $n | "\(.[0] | ascii_downcase) \($n[0]) \($n[1])"' "$TMP/wrapper.json" | sort)
    check_eq wrapper_sigterm_reports_every_flow_fed "$expected" "$got"
else
    fail wrapper_sigterm_exit_0 "the capture writer did not start"
fi
kill "$trickle_pid" 2>/dev/null || true   # it may have ended by itself
