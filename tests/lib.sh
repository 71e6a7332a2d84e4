# Shared helpers for tests/cases/*.sh. Each check prints one line:
# "ok NAME", "not ok NAME: why" or "skip NAME: why"; tests/run counts them.
set -u
FC_ROOT=${FC_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
FC_BUILD=${FC_BUILD:-build}
case $FC_BUILD in /*) FC_BIN=$FC_BUILD/bin ;; *) FC_BIN=$FC_ROOT/$FC_BUILD/bin ;; esac
FC_TESTBIN=${FC_BIN%/bin}/tests
FC_SHARED=${FC_SHARED:-$FC_ROOT/../shared}
FC_DATA=$FC_ROOT/tests/data
export PATH="$FC_BIN:$PATH" TZ=UTC LC_ALL=C
export FLOWCARP_BIN=$FC_BIN
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fc-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

pass() { echo "ok $1"; }
fail() { echo "not ok $1: $2"; }
skip() { echo "skip $1: $2"; }

# check_eq NAME EXPECTED ACTUAL
check_eq() {
    if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "expected [$2], got [$3]"; fi
}
# check_contains NAME NEEDLE HAYSTACK
check_contains() {
    if [[ "$3" == *"$2"* ]]; then pass "$1"; else fail "$1" "expected to find [$2] in [$3]"; fi
}
# check_files_eq NAME EXPECTED_FILE ACTUAL_FILE: shows the first lines of the diff on failure
check_files_eq() {
    local d
    if d=$(diff -u "$2" "$3" 2>&1); then pass "$1"; else fail "$1" "differs from $2: $(head -c 1500 <<<"$d")"; fi
}
# run_status CMD...: runs CMD, stores stdout in $OUT, stderr in $ERR, status in $RC
run_status() {
    OUT=$("$@" 2>"$TMP/stderr"); RC=$?
    ERR=$(cat "$TMP/stderr")
}
# shared_or_skip NAME PATH: true when PATH under ../shared exists, else prints skip
shared_or_skip() {
    if [ -e "$FC_SHARED/$2" ]; then return 0; fi
    skip "$1" "$FC_SHARED/$2 not present (../shared is needed for this check)"
    return 1
}
# free_port: prints a port nothing has bound, TCP or UDP, for a test's own listener. It is
# taken below the kernel's ephemeral range, because a port in that range can be taken at
# any moment as the local port of some other program's outgoing connection, and the
# listener then fails with "Address already in use" (CI saw exactly that).
free_port() {
    /usr/bin/python3 -c '
import random, socket
below = range(10000, int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0]))
for port in random.sample(below, min(500, len(below))):
    try:
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            with socket.socket(socket.AF_INET, kind) as s:
                s.bind(("0.0.0.0", port))
    except OSError:
        continue
    print(port)
    break
else:
    raise SystemExit("free_port: no free port below the ephemeral range")
'
}
# packet_entries: reads a record stream on stdin (through fc-emit --format Json) and prints
# one line per packet entry of every batch:
#   source link flags proto(4 hex digits) vlan vlan2 wire_len ts_us data_len data(hex)
# A batch whose "n" disagrees with its entries prints "BAD BATCH".
packet_entries() {
    fc-emit --format Json | /usr/bin/python3 -c '
import json, struct, sys
for line in sys.stdin:
    r = json.loads(line)
    if r.get("k") != 1:
        continue
    b = bytes.fromhex(r["b"]["$bin"])
    at = n = 0
    while at + 24 <= len(b):
        size, link, flags, proto, vlan, vlan2, src, wire, ts = struct.unpack_from("<HBBHHHHIq", b, at)
        data = b[at + 24:at + size]
        print(src, link, flags, "%04x" % proto, vlan, vlan2, wire, ts, len(data), data.hex())
        at += max(size, 24)
        n += 1
    if n != r["n"] or at != len(b):
        print("BAD BATCH")
'
}
# run_status_to FILE CMD...: like run_status, but stdout (binary records) goes to FILE
run_status_to() {
    local file=$1; shift
    "$@" > "$file" 2>"$TMP/stderr"; RC=$?
    ERR=$(cat "$TMP/stderr")
}

# flows_agree_with_tshark NAME CAPTURE: fc-read | fc-flow finds tshark's TCP and UDP
# conversations, with the same frames and wire bytes per direction (timeouts beyond any
# capture's length, because tshark never splits a conversation by time).
flows_agree_with_tshark() {
    tshark -q -n -z conv,tcp -z conv,udp -r "$2" > "$TMP/tshark.txt" 2>/dev/null
    fc-read "$2" | fc-flow --tcp-timeout 10000000000 --udp-timeout 10000000000 | fc-emit --format Json \
        > "$TMP/flows.json"
    local d
    if d=$(/usr/bin/python3 "$FC_ROOT/tests/cases/flow_tshark_compare.py" "$TMP/tshark.txt" < "$TMP/flows.json"); then
        pass "$1"
    else
        fail "$1" "$(tr '\n' ';' <<<"$d")"
    fi
}
