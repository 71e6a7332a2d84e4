#!/usr/bin/env bash
# flowcarp --webservice URL runs fc-web: a POSTed capture, raw (curl --data-binary) or
# multipart (curl -F), is answered with the same Eve JSON flowcarp --input writes for it;
# 10 uploads at once all right; too big -> 413, not a capture -> 400 with fc-read's own
# message, too slow -> 408 at the time limit; a client that leaves mid-upload leaves no
# process behind, and the service keeps serving; SIGTERM stops it with status 0 (under
# ASan that also says no memory leaked).
source "$(dirname "$0")/../lib.sh"
export FLOWCARP_MODELS=$FC_ROOT/models

for t in fc-read fc-flow fc-feat fc-classify fc-emit fc-web; do
    [ -x "$FC_BIN/$t" ] || { skip web_service "$FC_BIN/$t not built yet"; exit 0; }
done
command -v curl > /dev/null || { skip web_service "curl is not installed"; exit 0; }
py=/usr/bin/python3
demo=$FC_DATA/demo.pcap
flowcarp=$FC_ROOT/flowcarp
port=$(free_port)
url=http://127.0.0.1:$port/

"$flowcarp" --input "$demo" --format EveJson --output - > "$TMP/expected.json"
"$flowcarp" --input "$demo" --format ZeekConn --output - > "$TMP/expected.zeek"
[ -s "$TMP/expected.json" ] || fail web_expected_output "flowcarp wrote no Eve JSON for $demo"

"$flowcarp" --webservice "$url" --webservice-time-limit 3 --webservice-max-body 100000 2> "$TMP/web.err" &
web_pid=$!
for i in $(seq 100); do curl -s -o /dev/null "$url" && break; sleep 0.1; done

# children_of PID: the processes PID has now
children_of() { ps -o pid= --ppid "$1" | tr -d ' ' | tr '\n' ' '; }

run_status curl -s -f "$url"
check_eq "web_get_exit_status_0" 0 "$RC"
check_contains "web_get_prefix_shows_usage" "POST a pcap or pcapng capture" "$OUT"
check_eq "web_serves_on_loopback_only" "127.0.0.1:$port" \
    "$(ss -ltnH "sport = :$port" | awk '{print $4}' | head -1)"

curl -s -S -f --data-binary @"$demo" "$url" > "$TMP/raw.json" 2> "$TMP/curl.err"
check_files_eq "web_raw_upload_gives_flowcarp_eve_json" "$TMP/expected.json" "$TMP/raw.json"
curl -s -S -f -F "file=@$demo" "$url" > "$TMP/multipart.json" 2> "$TMP/curl.err"
check_files_eq "web_multipart_upload_gives_flowcarp_eve_json" "$TMP/expected.json" "$TMP/multipart.json"
curl -s -S -f --data-binary @"$demo" "${url}?format=ZeekConn" > "$TMP/raw.zeek" 2> "$TMP/curl.err"
check_files_eq "web_format_parameter_chooses_the_format" "$TMP/expected.zeek" "$TMP/raw.zeek"
check_contains "web_eve_answer_has_alerts_or_flows" '"event_type":"flow"' "$(head -3 "$TMP/raw.json")"

# The Eve lines validate against Suricata's schema, as fc-emit's own do
if "$py" -c 'import jsonschema' 2>/dev/null && shared_or_skip web_eve_validates_against_schema vectors/suricata/eve-schema.json; then
    result=$("$py" -c '
import json, sys, jsonschema
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
bad = [e.message for line in open(sys.argv[2]) for e in v.iter_errors(json.loads(line))]
print("valid" if not bad else "; ".join(bad[:3]))
' "$FC_SHARED/vectors/suricata/eve-schema.json" "$TMP/raw.json")
    check_eq "web_eve_validates_against_schema" valid "$result"
fi

# 10 uploads at once, alternately raw and multipart
for i in $(seq 10); do
    if [ $((i % 2)) -eq 0 ]; then form=(--data-binary "@$demo"); else form=(-F "file=@$demo"); fi
    curl -s -S -f --max-time 60 "${form[@]}" "$url" > "$TMP/par$i.json" 2> "$TMP/par$i.err" &
done
wait $(jobs -p | grep -v "^$web_pid\$")
same=0
for i in $(seq 10); do cmp -s "$TMP/expected.json" "$TMP/par$i.json" && same=$((same + 1)); done
check_eq "web_ten_concurrent_uploads_all_right" 10 "$same"

# Too big: refused from its Content-Length before the body, or when a chunked body passes it
head -c 150000 /dev/zero | tr '\0' 'x' > "$TMP/big"
check_eq "web_oversized_body_gets_413" 413 "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$TMP/big" "$url")"
check_eq "web_oversized_chunked_body_gets_413" 413 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big" "$url")"

# Not a capture: 400 and exactly what fc-read says of it
"$py" -c 'import random, sys; random.seed(5); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(5000)))' > "$TMP/random.bin"
fc_read_says=$(fc-read - < "$TMP/random.bin" 2>&1 > /dev/null)
check_eq "web_random_bytes_get_400" 400 "$(curl -s -o "$TMP/400.txt" -w '%{http_code}' --data-binary @"$TMP/random.bin" "$url")"
check_eq "web_400_says_what_fc_read_says" "$fc_read_says" "$(cat "$TMP/400.txt")"
check_eq "web_empty_body_gets_400" 400 "$(curl -s -o /dev/null -w '%{http_code}' --data-binary '' "$url")"
# A capture's magic alone, without the rest of its file header, is not a capture either
head -c 4 "$demo" > "$TMP/magic-only.bin"
check_eq "web_magic_only_gets_400" 400 "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$TMP/magic-only.bin" "$url")"
check_eq "web_unknown_format_gets_400" 400 "$(curl -s -o "$TMP/fmt.txt" -w '%{http_code}' --data-binary @"$demo" "${url}?format=Nope")"
check_contains "web_unknown_format_says_why" "unknown format 'Nope'" "$(cat "$TMP/fmt.txt")"
check_eq "web_other_path_gets_404" 404 "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$demo" "${url}elsewhere")"

# A slow client: half its body, then nothing: 408 once the 3 s limit passes
result=$(timeout 20 "$py" -c '
import socket, sys, time
body = open(sys.argv[2], "rb").read()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:len(body) // 2])
start = time.time()
answer = b""
while True:
    d = s.recv(4096)
    if not d: break
    answer += d
took = time.time() - start
print(answer.split(b"\r\n")[0].decode(), "in time" if 2.9 <= took <= 6 else "after %.1f s" % took)
' "$port" "$demo")
check_eq "web_slow_client_gets_408_at_the_time_limit" "HTTP/1.1 408 Request Timeout in time" "$result"

# Clients sending their headers a byte a second (slowloris), more of them than
# --max-requests (32) would let in if they were never timed out: each gets 408 at the time
# limit, counted from its connection's start, and an upload after them is served. (Before,
# the limit counted only from the end of the headers, so such clients held every slot.)
slow_headers() {
    timeout 20 "$py" -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
start = time.time()
s.settimeout(1)
answer = b""
for b in b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n":
    try:
        s.send(bytes([b]))
        answer = s.recv(4096)
        if answer or time.time() - start > 15: break
    except socket.timeout: pass
    except OSError: break
took = time.time() - start
print(answer.split(b"\r\n")[0].decode(), "in time" if 2.5 <= took <= 6 else "after %.1f s" % took)
' "$port"
}
slow_pids=()
for i in $(seq 34); do slow_headers > "$TMP/slow-headers.$i" & slow_pids+=($!); done
wait "${slow_pids[@]}"
check_eq "web_slow_headers_get_408_at_the_time_limit" "34 HTTP/1.1 408 Request Timeout in time" \
    "$(sort "$TMP"/slow-headers.* | uniq -c | sed 's/^ *//')"
check_eq "web_serves_again_after_slow_headers" 200 \
    "$(curl -s -m 10 -o /dev/null -w '%{http_code}' --data-binary @"$demo" "$url")"

# A client that disconnects mid-upload: its pipeline goes, the service goes on
timeout 20 "$py" -c '
import socket, sys
body = open(sys.argv[2], "rb").read()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:len(body) // 2])
s.close()
' "$port" "$demo"
left=x
for i in $(seq 50); do left=$(children_of "$web_pid"); [ -z "$left" ] && break; sleep 0.1; done
check_eq "web_disconnected_client_leaves_no_process" "" "$left"
# Garbage instead of HTTP, and a malformed multipart body
timeout 10 "$py" -c '
import random, socket, sys
random.seed(7)
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(bytes(random.randrange(256) for _ in range(3000)) + b"\r\n\r\n")
s.settimeout(5)
try:
    while s.recv(4096): pass
except OSError: pass
' "$port"
check_eq "web_malformed_multipart_gets_400" 400 "$(curl -s -o /dev/null -w '%{http_code}' \
    -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary @"$demo" "$url")"
curl -s -S -f --data-binary @"$demo" "$url" > "$TMP/after.json" 2> "$TMP/curl.err"
check_files_eq "web_still_serves_after_errors" "$TMP/expected.json" "$TMP/after.json"
check_eq "web_leaves_no_zombie_or_child" "" "$(children_of "$web_pid")"

kill -TERM "$web_pid"
rc=timeout
for i in $(seq 100); do kill -0 "$web_pid" 2>/dev/null || { wait "$web_pid"; rc=$?; break; }; sleep 0.1; done
[ "$rc" = timeout ] && kill -KILL "$web_pid"
check_eq "web_sigterm_stops_it_with_status_0" 0 "$rc"
check_eq "web_says_nothing_alarming" "" "$(grep -v 'serving http' "$TMP/web.err" | head -5)"

# bad URLs are usage errors
run_status "$FC_BIN/fc-web" https://127.0.0.1:1/
check_eq "web_https_url_exit_status_2" 2 "$RC"
check_contains "web_https_url_says_why" "https is not served" "$ERR"
run_status "$FC_BIN/fc-web" http://example.com:80/
check_eq "web_host_name_exit_status_2" 2 "$RC"

# http://+:PORT/ serves every address, IPv4 included
port=$(free_port)
"$FC_BIN/fc-web" "http://+:$port/" 2> /dev/null &
web_pid=$!
code=000
for i in $(seq 100); do code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/"); [ "$code" = 200 ] && break; sleep 0.1; done
check_eq "web_plus_host_serves_ipv4" 200 "$code"
check_eq "web_plus_host_listens_on_every_address" 1 \
    "$(ss -ltnH "sport = :$port" | awk '{print $4}' | grep -cE '^(\*|\[::\]|0\.0\.0\.0):')"
kill -TERM "$web_pid"; wait "$web_pid"
check_eq "web_plus_host_stops_with_status_0" 0 "$?"

# --background reaches fc-classify through flowcarp and fc-web: a background model as close
# to the reverse-shell sample's sessions as the built-in ReverseShell model (a copy of it)
# stops their alerts; without it the same service alerts on each of them
shell=$FC_DATA/threats/reverse-shell.pcap
"$FC_BIN/fc-train" --merge -n 'Shell-like' -o "$TMP/shell-like.fcp" "$FC_ROOT/models/reverseshell.fcp" 2>/dev/null
alerts_of() {   # alerts_of [flowcarp options]: the reverse-shell sample's alerts from a web service started with them
    local port pid code i n
    port=$(free_port)
    "$flowcarp" --webservice "http://127.0.0.1:$port/" "$@" 2> /dev/null &
    pid=$!
    for i in $(seq 100); do code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/"); [ "$code" = 200 ] && break; sleep 0.1; done
    n=$(curl -s -S -f --data-binary @"$shell" "http://127.0.0.1:$port/?format=EveJsonAlert" | grep -c '"event_type":"alert"')
    kill -TERM "$pid"; wait "$pid"
    echo "$n"
}
with_shell=$(alerts_of)
if [ "$with_shell" -gt 0 ]; then pass web_shell_sample_alerts
else fail web_shell_sample_alerts "no alert for $shell"; fi
check_eq web_background_option_stops_the_alerts 0 "$(alerts_of --background "$TMP/shell-like.fcp")"
