#!/usr/bin/env bash
# PCAP-over-IP on loopback with real peers: fc-read tcpconnect: reads a capture served by
# socat, fc-read tcp:PORT takes two socat clients pushing at once and drops one that sends
# garbage (naming it), SIGTERM in the middle of a stream ends fc-read cleanly, and with
# every place taken by silent clients a newcomer gets the longest silent one's. The
# flows are those of the same capture read from the file.
source "$(dirname "$0")/../lib.sh"

demo=$FC_DATA/demo.pcap
command -v socat >/dev/null || { skip read_live_tcp "socat not installed"; exit 0; }

flows_csv() { fc-flow | fc-emit --format CSV; }
fc-read "$demo" | flows_csv > "$TMP/file.csv"
# wait_for_text FILE TEXT: up to 30 s (a loaded machine starts programs slowly) for TEXT in FILE
wait_for_text() {
    for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

# serve CAPTURE [fork]: socat sends CAPTURE to whoever connects to a new port (in $port;
# once, or to every connection with fork), its process in $server
serve() {
    port=$(free_port)
    timeout 20 socat -u "OPEN:$1" "TCP-LISTEN:$port,reuseaddr${2:+,$2},bind=127.0.0.1" &
    server=$!
    for _ in $(seq 50); do ss -ltn | grep -q "127.0.0.1:$port " && break; sleep 0.1; done
}

# tcpconnect: a server that sends the capture once and goes away; fc-read then retries
# with growing waits until --timeout ends the input.
serve "$demo"
timeout 30 fc-read --timeout 3 "tcpconnect:127.0.0.1:$port" > "$TMP/tc.fcr" 2> "$TMP/tc.err"
check_eq tcpconnect_exit_status 0 "$?"
wait "$server" 2>/dev/null
check_files_eq tcpconnect_flows_equal_file_flows "$TMP/file.csv" <(flows_csv < "$TMP/tc.fcr")
check_contains tcpconnect_says_server_closed "tcpconnect:127.0.0.1:$port: the server closed the stream" "$(cat "$TMP/tc.err")"
check_contains tcpconnect_reconnects_with_growing_wait "reconnecting in 2 s" "$(cat "$TMP/tc.err")"
check_eq tcpconnect_source_named "tcpconnect:127.0.0.1:$port" \
    "$(fc-emit --format Json < "$TMP/tc.fcr" | jq -r 'select(.k == 6 and .event == "open") | .name')"
check_eq tcpconnect_header_says_live true "$(fc-emit --format Json < "$TMP/tc.fcr" | head -1 | jq -r .live)"

# tcpconnect: a server whose capture is damaged (a record claiming 2 GB) after its first
# packet: the damage is said for the connection, the packet before it kept, the wait
# before the next try grows (1 s, 2 s, ...), and fc-read's exit status is 1.
python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
first = 24 + 16 + int.from_bytes(d[32:36], "little")
sys.stdout.buffer.write(d[:first] + d[24:32] + b"\xff\xff\xff\x7f\xff\xff\xff\x7f" + b"x" * 64)' "$demo" > "$TMP/damaged.pcap"
serve "$TMP/damaged.pcap" fork
timeout 30 fc-read --timeout 4 "tcpconnect:127.0.0.1:$port" > "$TMP/td.fcr" 2> "$TMP/td.err"
check_eq tcpconnect_damaged_stream_exit_status 1 "$?"
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
check_contains tcpconnect_damaged_stream_named "tcpconnect:127.0.0.1:$port: offset " "$(cat "$TMP/td.err")"
check_contains tcpconnect_damaged_stream_wait_grows "reconnecting in 2 s" "$(cat "$TMP/td.err")"

# tcp:PORT: two clients at once (each holds its connection open a while), then a client
# sending garbage; each stream is its own source.
port=$(free_port)
timeout 30 fc-read -v --timeout 4 "tcp:$port" > "$TMP/tl.fcr" 2> "$TMP/tl.err" &
reader=$!
wait_for_text "$TMP/tl.err" "listening"
# each client keeps its connection open until fc-read has both
both_connected() {
    for _ in $(seq 100); do [ "$(grep -c ': connected' "$TMP/tl.err")" -ge 2 ] && return; sleep 0.1; done
}
(cat "$demo"; both_connected) | timeout 15 socat -u - "TCP:127.0.0.1:$port" &
c1=$!
(cat "$demo"; both_connected) | timeout 15 socat -u - "TCP:127.0.0.1:$port" &
c2=$!
wait "$c1" "$c2"
head -c 3000 /dev/urandom | timeout 10 socat -u - "TCP:127.0.0.1:$port"
wait "$reader"
check_eq tcp_listener_exit_status_after_garbage_client 1 "$?"
err=$(cat "$TMP/tl.err")
check_contains tcp_listener_garbage_client_named_and_dropped \
    "tcp:$port client 127.0.0.1:" "$(grep 'not a pcap or pcapng capture' <<<"$err")"
check_contains tcp_listener_says_dropped "dropped the client" "$err"
check_eq tcp_listener_two_sources_of_118_packets "118 118" \
    "$(fc-emit --format Json < "$TMP/tl.fcr" | jq -r 'select(.k == 6 and .event == "end") | .packets' | paste -sd ' ')"
check_eq tcp_listener_clients_were_read_at_once 2 \
    "$(fc-emit --format Json < "$TMP/tl.fcr" | jq -r 'select(.k == 6) | .event' | head -2 | grep -c open)"
# Interleaved, two copies of the same traffic would merge into one flow in fc-flow, so
# each client's packets are compared with the file's, entry by entry.
fc-read "$demo" | packet_entries | cut -d' ' -f2- > "$TMP/file.entries"
for src in 0 1; do
    check_files_eq "tcp_listener_client_${src}_packets_equal_file_packets" "$TMP/file.entries" \
        <(packet_entries < "$TMP/tl.fcr" | awk -v s=$src '$1 == s' | cut -d' ' -f2-)
done

# SIGTERM while a client is in the middle of its stream: exit 0, a complete stream
# (the source's end record and the stats record are there).
port=$(free_port)
timeout 30 fc-read -v "tcp:$port" > "$TMP/term.fcr" 2> "$TMP/term.err" &
reader=$!
wait_for_text "$TMP/term.err" "listening"
(cat "$demo"; sleep 8) | timeout 10 socat -u - "TCP:127.0.0.1:$port" &
client=$!
wait_for_text "$TMP/term.err" "source 0"
sleep 0.5
kill -TERM "$reader"
wait "$reader"
check_eq sigterm_mid_stream_exit_status 0 "$?"
kill "$client" 2>/dev/null
check_eq sigterm_mid_stream_well_formed_to_the_stats_record "open end 7" \
    "$(fc-emit --format Json < "$TMP/term.fcr" | jq -r 'if .k == 6 then .event elif .k == 7 then .k else empty end' | paste -sd ' ')"
check_eq sigterm_mid_stream_everything_read_is_written 118 \
    "$(fc-emit --format Json < "$TMP/term.fcr" | jq -r 'select(.k == 6 and .event == "end") | .packets')"

# tcp:PORT with every place taken by 64 clients that send a pcap header, then nothing (the
# first 1 s before the others): a newcomer is refused while they are fresh, and takes the
# place of the longest silent one once that has been silent 5 s (they would otherwise
# lock everyone out for good).
port=$(free_port)
timeout 40 fc-read -v "tcp:$port" > "$TMP/full.fcr" 2> "$TMP/full.err" &
reader=$!
if ! wait_for_text "$TMP/full.err" "listening"; then
    fail full_listener_starts "$(cat "$TMP/full.err")"
    exit 0
fi
timeout 40 python3 -c '
import socket, sys, time
address, header = ("127.0.0.1", int(sys.argv[1])), open(sys.argv[2], "rb").read(24)
first = socket.create_connection(address)
first.sendall(header)
open(sys.argv[3], "w").write("127.0.0.1:%d" % first.getsockname()[1])
time.sleep(1)                  # the first is silent longest
held = [socket.create_connection(address) for _ in range(63)]
for s in held:
    s.sendall(header)
time.sleep(30)' "$port" "$demo" "$TMP/first-holder" &
holders=$!
for _ in $(seq 300); do [ "$(grep -c ': connected' "$TMP/full.err")" -ge 64 ] && break; sleep 0.1; done
timeout 10 socat -u "OPEN:$demo" "TCP:127.0.0.1:$port" 2> /dev/null
wait_for_text "$TMP/full.err" "refused: 64 clients are connected already"
sleep 5.5
timeout 10 socat -u "OPEN:$demo" "TCP:127.0.0.1:$port"
wait_for_text "$TMP/full.err" "source 64"
for _ in $(seq 100); do [ "$(grep -c ': disconnected' "$TMP/full.err")" -ge 2 ] && break; sleep 0.1; done
kill -TERM "$reader"
wait "$reader"
check_eq full_listener_exit_status 0 "$?"
kill "$holders" 2>/dev/null; wait "$holders" 2>/dev/null
err=$(cat "$TMP/full.err")
check_contains full_listener_refuses_while_all_are_fresh "refused: 64 clients are connected already" "$err"
check_contains full_listener_gives_the_longest_silent_place_away \
    "tcp:$port client $(cat "$TMP/first-holder"): dropped: nothing came from it for" "$err"
check_eq full_listener_counts_both "1 1" \
    "$(fc-emit --format Json < "$TMP/full.fcr" | jq -r 'select(.k == 7) | .counters | "\(.refused_clients) \(.idle_clients_dropped)"')"
check_eq full_listener_newcomer_read_whole 118 \
    "$(fc-emit --format Json < "$TMP/full.fcr" | jq -r 'select(.k == 6 and .event == "end" and .packets > 0) | .packets')"
