#!/usr/bin/env bash
# The product page's live command lines, verbatim, with real peers in a private network
# namespace: a tcpdump stream on stdin, a PCAP-over-IP server, a TZSP sender; and -i,
# --timeout. Each run is stopped the way a user would (end of the capture, SIGTERM,
# --timeout), exits 0, and reports the same flows as demo.pcap read from its file.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/live_flow_lib.bash"
in_private_network

for p in tcpdump ncat; do
    command -v "$p" >/dev/null || { skip wrapper_live_inputs "$p is not installed"; exit 0; }
done
PATH=$FC_ROOT:$PATH   # the command lines below are typed as users type them
demo=$FC_DATA/demo.pcap
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$TMP"' EXIT
# the CSV columns that do not depend on when packets were seen, sorted
flow_columns() { tail -n +2 "$1" | cut -d, -f4-17,18-25 | sort; }
flowcarp --input "$demo" --output "$TMP/file.csv"
from_file=$(flow_columns "$TMP/file.csv")

# stop_after SECONDS PID: SIGTERM after SECONDS, then the exit status (bounded wait)
stop_after() {
    sleep "$1"
    kill -TERM "$2"
    timeout 10 tail --pid="$2" -f /dev/null
    wait "$2"
}

# -i NAME is the live capture source iface:NAME of fc-read (whose own tests capture with
# it); --timeout ends the quiet capture
run_status timeout 20 flowcarp -v -i lo --timeout 1 --output /dev/null
check_eq iface_quiet_capture_ends_exit_0 0 "$RC"
check_contains iface_option_reads_iface_source "-- iface:lo" "$ERR"

ncat -l 127.0.0.1 18096 -k -e /bin/cat & pids+=($!)
# tcpdump -U -w - | flowcarp --input - --realtime --preview --output -
# (tcpdump's default interface here is lo, the namespace's only one); an echo session of
# 24 lines gives a flow long enough for a preview; the capture ends with tcpdump's SIGTERM.
mkfifo "$TMP/dump"
tcpdump -U -w - 2>/dev/null > "$TMP/dump" & dump=$!; pids+=("$dump")
flowcarp --input - --realtime --preview --output - < "$TMP/dump" > "$TMP/stdin.csv" 2>"$TMP/stdin.err" &
fc=$!
wait_for_stages "$fc"
sleep 0.5
(for i in $(seq 24); do echo "line $i"; sleep 0.02; done) | ncat 127.0.0.1 18096 > /dev/null
sleep 1
kill -TERM "$dump"
timeout 10 tail --pid="$fc" -f /dev/null
wait "$fc"; rc=$?
check_eq stdin_realtime_preview_exit_0 0 "$rc"
check_eq stdin_realtime_preview_says_nothing "" "$(cat "$TMP/stdin.err")"
check_eq stdin_csv_header_once 1 "$(grep -c '^start_time,' "$TMP/stdin.csv")"
check_eq stdin_echo_flow_preview_then_final 2 "$(grep -c ',18096,' "$TMP/stdin.csv")"

# flowcarp --input tcpconnect:127.0.0.1:57012 --realtime --preview --output -
# against a PCAP-over-IP server serving demo.pcap once (then fc-read keeps reconnecting)
ncat -l 127.0.0.1 57012 --send-only < "$demo" & pids+=($!)
sleep 0.3
flowcarp --input tcpconnect:127.0.0.1:57012 --realtime --preview --output - > "$TMP/tcpconnect.csv" 2>/dev/null &
fc=$!
wait_for_stages "$fc"
stop_after 1.5 "$fc"; rc=$?
check_eq tcpconnect_sigterm_exit_0 0 "$rc"
check_eq tcpconnect_flows_as_from_file "$from_file" "$(flow_columns "$TMP/tcpconnect.csv")"

# flowcarp --input tzsp:37008 --realtime --preview --output -
# with demo.pcap's frames sent in TZSP datagrams (version 1, received, Ethernet, no tags)
flowcarp --input tzsp:37008 --realtime --preview --output - > "$TMP/tzsp.csv" 2>/dev/null &
fc=$!
wait_for_stages "$fc"
for ((i = 0; i < 50; i++)); do [ -n "$(ss -Hlun 'sport = :37008')" ] && break; sleep 0.1; done
/usr/bin/python3 - "$demo" <<'PY'
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
with open(sys.argv[1], 'rb') as f:
    f.read(24)
    while len(h := f.read(16)) == 16:
        frame = f.read(struct.unpack('<IIII', h)[2])
        s.sendto(b'\x01\x00\x00\x01\x01' + frame, ('127.0.0.1', 37008))
        time.sleep(0.001)
PY
stop_after 1 "$fc"; rc=$?
check_eq tzsp_sigterm_exit_0 0 "$rc"
check_eq tzsp_flows_as_from_file "$from_file" "$(flow_columns "$TMP/tzsp.csv")"

# --timeout: a stream that stays open but goes quiet ends the input after 1 s
start=$(date +%s%N)
flowcarp --input - --timeout 1 --output "$TMP/timeout.csv" < <(trickle "$demo" 0 1000 20 2>/dev/null)
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
check_eq timeout_exit_0 0 "$rc"
if [ "$took" -lt 10000 ]; then pass timeout_ends_quiet_input; else fail timeout_ends_quiet_input "took ${took} ms"; fi
check_eq timeout_flows_as_from_file "$from_file" "$(flow_columns "$TMP/timeout.csv")"

# --output tcpconnect:IP:PORT: the flow lines go to a TCP server (fc-emit --output)
ncat -l 127.0.0.1 57013 > "$TMP/received.csv" & server=$!; pids+=("$server")
sleep 0.3
flowcarp --input "$demo" --output tcpconnect:127.0.0.1:57013 2>"$TMP/tcpout.err"
rc=$?
timeout 5 tail --pid="$server" -f /dev/null
check_eq output_tcpconnect_exit_0 0 "$rc"
check_eq output_tcpconnect_server_gets_the_flows "$from_file" "$(flow_columns "$TMP/received.csv")"
