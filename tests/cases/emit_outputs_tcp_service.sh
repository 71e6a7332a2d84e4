#!/usr/bin/env bash
# fc-emit -o tcp:IP:PORT serves the lines to every client connected: two clients, one of
# them stalled (connected, never reading): the other still gets every line, the stalled
# one is dropped with a message, and fc-emit finishes on time with status 0.
source "$(dirname "$0")/../lib.sh"

for t in fc-read fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip emit_outputs_tcp_service "$FC_BIN/$t not built yet"; exit 0; }
done
py=/usr/bin/python3
# wait_for COUNT PATTERN FILE: until FILE holds COUNT lines matching PATTERN (10 s at most)
wait_for() {
    local i
    for i in $(seq 100); do
        [ "$(grep -c -- "$2" "$3" 2>/dev/null)" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

# read_all PORT FILE [HOST]: a client that takes everything until the end
read_all() {
    timeout 30 "$py" -c '
import socket, sys
s = socket.create_connection((sys.argv[3], int(sys.argv[1])))
with open(sys.argv[2], "wb") as out:
    while True:
        d = s.recv(65536)
        if not d: break
        out.write(d)
' "$1" "$2" "${3:-127.0.0.1}"
}
# throttled FILE: FILE on stdout at about 6 MB/s, as a busy pipeline would write it
throttled() {
    "$py" -c '
import sys, time
with open(sys.argv[1], "rb") as f:
    while True:
        b = f.read(65536)
        if not b: break
        sys.stdout.buffer.write(b); sys.stdout.buffer.flush()
        time.sleep(0.01)
' "$1"
}

# A stream big enough to fill any socket buffers: the Json view of 400 copies of demo.pcap
args=(); for i in $(seq 400); do args+=("$FC_DATA/demo.pcap"); done
fc-read "${args[@]}" > "$TMP/stream" 2>/dev/null
fc-emit --format Json < "$TMP/stream" > "$TMP/expected"
size=$(wc -c < "$TMP/expected")
[ "$size" -gt 10000000 ] || fail stream_is_big_enough "only $size bytes of Json"

port=$(free_port)
# The stream waits until both clients are connected, so both are owed every line.
( wait_for 2 "connected" "$TMP/emit.err"; throttled "$TMP/stream" ) |
    timeout 40 fc-emit -v --format Json --peer-buffer 2097152 --linger 2 -o "tcp:127.0.0.1:$port" 2> "$TMP/emit.err" &
emit_pid=$!
wait_for 1 "serving the output" "$TMP/emit.err" || fail service_listens "no 'serving' line: $(cat "$TMP/emit.err")"
read_all "$port" "$TMP/good" &
good_pid=$!
# the stalled client: a small receive buffer, connected, never reading
timeout 40 "$py" -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", int(sys.argv[1])))
time.sleep(35)
' "$port" &
stalled_pid=$!

start=$(date +%s)
wait "$emit_pid"; rc=$?
took=$(($(date +%s) - start))
wait "$good_pid"
kill "$stalled_pid" 2>/dev/null; wait "$stalled_pid" 2>/dev/null

check_eq "service_with_a_stalled_client_exits_0" 0 "$rc"
check_eq "service_finishes_without_waiting_for_the_stalled_client" 1 "$([ "$took" -lt 20 ] && echo 1 || echo "0 ($took s)")"
if cmp -s "$TMP/expected" "$TMP/good"; then
    pass "reading_client_gets_every_line_despite_a_stalled_one"
else
    fail "reading_client_gets_every_line_despite_a_stalled_one" \
        "expected $size bytes, got $(wc -c < "$TMP/good"); $(cmp "$TMP/expected" "$TMP/good" 2>&1 | head -1); $(tail -3 "$TMP/emit.err")"
fi
check_contains "stalled_client_is_dropped_with_a_message" "dropped: too slow, more than 2097152 bytes waiting" "$(cat "$TMP/emit.err")"
check_eq "service_logs_both_clients" 2 "$(grep -c 'client 127.0.0.1:[0-9]* connected' "$TMP/emit.err")"

# The smallest --peer-buffer (4096 bytes) with a client that reads as fast as it can: it
# gets every line of the CSV of 400 captures' flows (0.9 MB), though fc-emit hands on lines
# in blocks far larger than 4096 bytes (it was dropped as "too slow" with nothing waiting,
# for every block was counted whole).
fc-flow < "$TMP/stream" > "$TMP/many-flows" 2>/dev/null
fc-emit < "$TMP/many-flows" > "$TMP/many.csv"
port=$(free_port)
( wait_for 1 "connected" "$TMP/emit3.err"; cat "$TMP/many-flows" ) |
    timeout 40 fc-emit -v --peer-buffer 4096 --linger 2 -o "tcp:127.0.0.1:$port" 2> "$TMP/emit3.err" &
emit_pid=$!
wait_for 1 "serving the output" "$TMP/emit3.err"
read_all "$port" "$TMP/small-buffer.csv" &
reader_pid=$!
wait "$emit_pid"; rc=$?
wait "$reader_pid"
check_eq "small_peer_buffer_exits_0" 0 "$rc"
check_eq "small_peer_buffer_stream_is_many_blocks" 1 "$([ "$(wc -c < "$TMP/many.csv")" -gt 500000 ] && echo 1)"
if cmp -s "$TMP/many.csv" "$TMP/small-buffer.csv"; then
    pass "small_peer_buffer_reading_client_gets_every_line"
else
    fail "small_peer_buffer_reading_client_gets_every_line" \
        "expected $(wc -c < "$TMP/many.csv") bytes, got $(wc -c < "$TMP/small-buffer.csv"); $(grep -m1 dropped "$TMP/emit3.err")"
fi

# Every client starts at a line boundary, with the header row: CSV flows to a client that
# connects in the middle of the stream, on a service without IP (every address).
args=(); for i in $(seq 50); do args+=("$FC_DATA/demo.pcap"); done
fc-read "${args[@]}" 2>/dev/null | fc-flow > "$TMP/flows" 2>/dev/null
fc-emit < "$TMP/flows" > "$TMP/expected.csv"
half=$(($(wc -c < "$TMP/flows") / 2))
port=$(free_port)
( wait_for 1 "connected" "$TMP/emit2.err"; head -c "$half" "$TMP/flows"; wait_for 2 "connected" "$TMP/emit2.err"
  tail -c +"$((half + 1))" "$TMP/flows" ) |
    timeout 30 fc-emit -v --linger 2 -o "tcp:$port" 2> "$TMP/emit2.err" &
emit_pid=$!
wait_for 1 "serving the output" "$TMP/emit2.err"
read_all "$port" "$TMP/first.csv" &
first_pid=$!
wait_for 1 "connected" "$TMP/emit2.err"
sleep 1   # the first half is written by now
late_host=127.0.0.1   # IPv6 when this machine has it: the service without IP takes both
"$py" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null && late_host=::1
read_all "$port" "$TMP/late.csv" "$late_host" &
late_pid=$!
wait "$emit_pid"; rc=$?
wait "$first_pid" "$late_pid"
check_eq "service_without_ip_exits_0" 0 "$rc"
check_files_eq "first_client_gets_the_whole_csv" "$TMP/expected.csv" "$TMP/first.csv"
check_eq "late_client_starts_with_the_header_row" "$(head -1 "$TMP/expected.csv")" "$(head -1 "$TMP/late.csv")"
# its lines are the last lines of the whole output, each complete
n=$(($(wc -l < "$TMP/late.csv") - 1)) all=$(($(wc -l < "$TMP/expected.csv") - 1))
if [ "$n" -gt 0 ] && [ "$n" -lt "$all" ] && cmp -s <(tail -n +2 "$TMP/late.csv") <(tail -n "$n" "$TMP/expected.csv"); then
    pass "late_client_gets_whole_lines_from_then_on"
else
    fail "late_client_gets_whole_lines_from_then_on" "$n lines, not the last of the $all expected: $(tail -3 "$TMP/emit2.err")"
fi
if [ "$late_host" = ::1 ]; then
    check_contains "ipv6_client_of_a_service_without_ip" "client [::1]:" "$(cat "$TMP/emit2.err")"
else
    skip "ipv6_client_of_a_service_without_ip" "no IPv6 loopback here"
fi

# Bad addresses are usage errors, a port taken is a system error
run_status fc-emit -o tcp:70000 < "$TMP/stream"
check_eq "service_port_out_of_range_exit_status_2" 2 "$RC"
check_contains "service_port_out_of_range_says_why" "the port must be a number from 1 to 65535" "$ERR"
"$py" -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(5)' "$port" &
holder=$!
sleep 0.3
run_status timeout 10 fc-emit -o "tcp:127.0.0.1:$port" < "$TMP/stream"
check_eq "service_port_taken_exit_status_3" 3 "$RC"
check_contains "service_port_taken_says_why" "cannot listen: Address already in use" "$ERR"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null || true
