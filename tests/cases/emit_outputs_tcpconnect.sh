#!/usr/bin/env bash
# fc-emit -o tcpconnect:IP:PORT sends the lines to a TCP server: to a real listener
# (ncat) that is there from the start, to one that starts late (reconnect with backoff,
# lines buffered meanwhile), to one that drops the connection in the middle (the cut
# line is sent again whole after the header row), and to none at all (counted, status 3).
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
port=$(free_port)
timeout 30 ncat --recv-only -l 127.0.0.1 "$port" > "$TMP/many-got.csv" &
listener=$!
listening "$port"
run_status timeout 30 fc-emit --peer-buffer 4096 -o "tcpconnect:127.0.0.1:$port" < "$TMP/many-flows"
wait "$listener"
check_eq "tcpconnect_small_buffer_reading_server_exit_status_0" 0 "$RC"
check_files_eq "tcpconnect_small_buffer_reading_server_gets_every_line" "$TMP/many.csv" "$TMP/many-got.csv"

run_status fc-emit -o tcpconnect:57012 < "$TMP/flows"
check_eq "tcpconnect_without_ip_exit_status_2" 2 "$RC"
check_contains "tcpconnect_without_ip_says_why" "expected IP:PORT" "$ERR"
