#!/usr/bin/env bash
# fc-emit -o tcpconnect:IP:PORT sends the lines to a TCP server: to a real listener
# (ncat) that is there from the start, to one that starts late (reconnect with backoff,
# lines buffered meanwhile), to one that drops the connection in the middle (the cut
# line is sent again whole after the header row), to a slow one (waited for) and to one
# that reads nothing (not waited for), and to none at all (counted, status 3).
source "$(dirname "$0")/../lib.sh"

for t in fc-read fc-flow fc-emit; do
    [ -x "$FC_BIN/$t" ] || { skip emit_outputs_tcpconnect "$FC_BIN/$t not built yet"; exit 0; }
done
command -v ncat > /dev/null || { skip emit_outputs_tcpconnect "ncat is not installed"; exit 0; }
py=/usr/bin/python3
# listening PORT: true once something listens on PORT (5 s at most)
listening() {
    local i
    for i in $(seq 50); do
        ss -ltn "sport = :$1" 2>/dev/null | grep -q LISTEN && return 0
        sleep 0.1
    done
    return 1
}

args=(); for i in $(seq 20); do args+=("$FC_DATA/demo.pcap"); done
fc-read "${args[@]}" 2>/dev/null | fc-flow > "$TMP/flows" 2>/dev/null
fc-emit --format EveJsonFlow < "$TMP/flows" > "$TMP/expected.json"
fc-emit < "$TMP/flows" > "$TMP/expected.csv"

# A listener that is there from the start
port=$(free_port)
timeout 20 ncat --recv-only -l 127.0.0.1 "$port" > "$TMP/got.json" &
ncat_pid=$!
listening "$port" || fail tcpconnect_listener_starts "ncat does not listen on $port"
run_status timeout 20 fc-emit --format EveJsonFlow -o "tcpconnect:127.0.0.1:$port" < "$TMP/flows"
wait "$ncat_pid"
check_eq "tcpconnect_exit_status_0" 0 "$RC"
check_files_eq "tcpconnect_server_gets_every_line" "$TMP/expected.json" "$TMP/got.json"
check_eq "tcpconnect_says_nothing_when_all_went_well" "" "$ERR"

# A listener that starts 1.5 s late: fc-emit says it cannot connect, retries, delivers all
port=$(free_port)
(sleep 1.5; timeout 20 ncat --recv-only -l 127.0.0.1 "$port" > "$TMP/late.csv") &
late_pid=$!
start=$(date +%s)
run_status timeout 30 fc-emit -o "tcpconnect:127.0.0.1:$port" < "$TMP/flows"
wait "$late_pid"
check_eq "tcpconnect_late_listener_exit_status_0" 0 "$RC"
check_files_eq "tcpconnect_late_listener_gets_every_line" "$TMP/expected.csv" "$TMP/late.csv"
check_contains "tcpconnect_says_it_cannot_connect_yet" "tcpconnect:127.0.0.1:$port: cannot connect: Connection refused; retrying" "$ERR"
check_contains "tcpconnect_says_when_connected" "tcpconnect:127.0.0.1:$port: connected" "$ERR"
check_eq "tcpconnect_cannot_connect_said_once" 1 "$(grep -c 'cannot connect' <<<"$ERR")"

# A server that reads a little of the first connection and closes it, then takes
# everything on the second: that one starts with the header row, and every line of it
# is whole, the cut one included.
port=$(free_port)
fc-read "${args[@]}" "${args[@]}" "${args[@]}" "${args[@]}" 2>/dev/null | fc-flow > "$TMP/more" 2>/dev/null
fc-emit < "$TMP/more" > "$TMP/more.csv"
timeout 30 "$py" -c '
import socket, sys
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(sys.argv[1]))); srv.listen()
c, _ = srv.accept()
first = c.recv(3000)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
c.close()                      # reset: lines in flight are cut
c, _ = srv.accept()
with open(sys.argv[2], "wb") as out:
    while True:
        d = c.recv(65536)
        if not d: break
        out.write(d)
' "$port" "$TMP/second.csv" &
server_pid=$!
listening "$port"
( head -c 200000 "$TMP/more"; sleep 1; tail -c +200001 "$TMP/more" ) |
    timeout 30 fc-emit -o "tcpconnect:127.0.0.1:$port" 2> "$TMP/reconnect.err"
rc=$?
wait "$server_pid"
check_eq "tcpconnect_reconnect_exit_status_0" 0 "$rc"
check_contains "tcpconnect_says_the_connection_was_lost" "connection lost" "$(cat "$TMP/reconnect.err")"
check_eq "tcpconnect_second_connection_starts_with_the_header_row" "$(head -1 "$TMP/more.csv")" "$(head -1 "$TMP/second.csv")"
# every line of the second connection is one of the expected lines, and it ends with the last one
bad=$(tail -n +2 "$TMP/second.csv" | grep -vxF -f "$TMP/more.csv" | head -3)
check_eq "tcpconnect_no_line_is_cut_across_connections" "" "$bad"
check_eq "tcpconnect_second_connection_ends_with_the_last_line" "$(tail -1 "$TMP/more.csv")" "$(tail -1 "$TMP/second.csv")"

# No listener at all: after --linger seconds the lines are counted as not delivered
port=$(free_port)
start=$(date +%s)
run_status timeout 20 fc-emit --linger 1 -o "tcpconnect:127.0.0.1:$port" < "$TMP/flows"
took=$(($(date +%s) - start))
check_eq "tcpconnect_nobody_listening_exit_status_3" 3 "$RC"
check_contains "tcpconnect_nobody_listening_counts_the_lines" "$(($(wc -l < "$TMP/expected.csv") - 1)) lines not delivered" "$ERR"
check_eq "tcpconnect_nobody_listening_gives_up_after_linger" 1 "$([ "$took" -le 4 ] && echo 1 || echo "0 ($took s)")"

# A small buffer while nobody listens: lines beyond it are dropped and counted
run_status timeout 20 fc-emit --linger 0 --peer-buffer 4096 -o "tcpconnect:127.0.0.1:$port" < "$TMP/flows"
check_eq "tcpconnect_buffer_full_exit_status_3" 3 "$RC"
check_contains "tcpconnect_buffer_full_says_so" "dropping lines until it takes them" "$ERR"
check_contains "tcpconnect_buffer_full_counts_drops" "lines dropped while the server was away or slow" "$ERR"

# The same small buffer with a server that takes everything: every line arrives (lines
# come in blocks far larger than 4096 bytes; each used to be counted whole, and dropped)
args=(); for i in $(seq 400); do args+=("$FC_DATA/demo.pcap"); done
fc-read "${args[@]}" 2>/dev/null | fc-flow > "$TMP/many-flows" 2>/dev/null
fc-emit < "$TMP/many-flows" > "$TMP/many.csv"
# send_many EMIT_OPTION... -- SERVER_COMMAND...: starts the server on a free port (its
# argument PORT is replaced by it; its stdout goes nowhere), sends it the 400 captures'
# flows (or those of the stream $FLOWS) with fc-emit; leaves RC and ERR as run_status
# does, TOOK, the seconds it took, and
# SERVER, the server's process id, for the caller to wait for or end
send_many() {
    local emit_opts=() server=() port arg start
    while [ "$1" != -- ]; do emit_opts+=("$1"); shift; done
    shift
    port=$(free_port)
    for arg in "$@"; do server+=("${arg/#PORT/$port}"); done
    timeout 60 "${server[@]}" > /dev/null &
    SERVER=$!
    listening "$port"
    start=$(date +%s)
    run_status timeout 30 fc-emit --peer-buffer 4096 "${emit_opts[@]}" -o "tcpconnect:127.0.0.1:$port" < "${FLOWS:-$TMP/many-flows}"
    TOOK=$(($(date +%s) - start))
}
# A server in Python, py_server MODE PORT [FILE]: MODE slow reads 64 KiB every 20 ms into
# FILE; MODE deaf accepts the connection and reads nothing, with a small receive buffer;
# MODE reset does the same for 1 s, then resets the connection
cat > "$TMP/server.py" <<'EOF'
import socket, sys, time
mode, port = sys.argv[1], int(sys.argv[2])
srv = socket.socket()
if mode != "slow":
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
srv.bind(("127.0.0.1", port))
srv.listen()
conn, _ = srv.accept()
if mode == "deaf":
    time.sleep(60)
if mode == "reset":
    time.sleep(1)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()
    sys.exit(0)
with open(sys.argv[3], "wb") as out:
    while data := conn.recv(65536):
        out.write(data)
        time.sleep(0.02)
EOF
py_server=("$py" "$TMP/server.py")
send_many -- ncat --recv-only -l 127.0.0.1 PORT -o "$TMP/many-got.csv"
wait "$SERVER"
check_eq "tcpconnect_small_buffer_reading_server_exit_status_0" 0 "$RC"
check_files_eq "tcpconnect_small_buffer_reading_server_gets_every_line" "$TMP/many.csv" "$TMP/many-got.csv"

# A server slower than fc-emit (at most 3.2 MB/s) and more lines than the kernel's socket
# buffers hold (4.5 MB of CSV): a server that keeps taking lines is waited for, however
# small the buffer, and gets every line (a build from before dropped 821 of them)
args=(); for i in $(seq 2000); do args+=("$FC_DATA/demo.pcap"); done
fc-read "${args[@]}" 2>/dev/null | fc-flow > "$TMP/huge-flows" 2>/dev/null
fc-emit < "$TMP/huge-flows" > "$TMP/huge.csv"
FLOWS=$TMP/huge-flows send_many -- "${py_server[@]}" slow PORT "$TMP/slow-got.csv"
wait "$SERVER"
check_eq "tcpconnect_slow_server_exit_status_0" 0 "$RC"
check_files_eq "tcpconnect_slow_server_gets_every_line" "$TMP/huge.csv" "$TMP/slow-got.csv"

# A server that accepts the connection and reads nothing: it is not waited for beyond
# --linger; what it did not take is counted, and the exit status is 3. The kernel takes
# the whole CSV into the socket's send queue, so only the server's acknowledgements say
# whether it got the lines (its receive buffer is small, so it cannot take them either).
send_many --linger 1 -- "${py_server[@]}" deaf PORT
kill "$SERVER"; wait "$SERVER" 2> /dev/null
check_eq "tcpconnect_stalled_server_exit_status_3" 3 "$RC"
check_contains "tcpconnect_stalled_server_counts_what_it_did_not_take" "bytes of lines sent but not taken by the server before the end" "$ERR"
check_eq "tcpconnect_stalled_server_is_not_waited_for_long" 1 "$([ "$TOOK" -le 8 ] && echo 1 || echo "0 ($TOOK s)")"

# The same server resetting the connection after 1 s: what it never acknowledged is lost,
# and said so (the line being sent goes again on the next connection, which never comes)
send_many --linger 1 -- "${py_server[@]}" reset PORT
wait "$SERVER"
check_eq "tcpconnect_reset_server_exit_status_3" 3 "$RC"
check_contains "tcpconnect_reset_server_counts_the_lost_bytes" "bytes of lines lost: sent on connections that broke, never acknowledged by the server" "$ERR"

run_status fc-emit -o tcpconnect:57012 < "$TMP/flows"
check_eq "tcpconnect_without_ip_exit_status_2" 2 "$RC"
check_contains "tcpconnect_without_ip_says_why" "expected IP:PORT" "$ERR"
