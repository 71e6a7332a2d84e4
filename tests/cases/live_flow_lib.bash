# Helpers for the live_flow_*.sh and wrapper_live_*.sh tests (sourced after ../lib.sh;
# not a test itself: tests/run runs *.sh only).
#
# trickle IN.pcap SCALE COUNT HOLD: writes IN's pcap header and its first COUNT packets
#   to stdout at SCALE times their capture pace (0 = at once), then keeps stdout open HOLD
#   seconds (less if the reader goes away), as a capture program that is still running
#   would; the number of packets written goes to $TMP/trickle.count once they are out.
# clock_records N PERIOD [PAUSE]: writes N FlowCarp clock records (k = 8), one every
#   PERIOD seconds, to stdout, as fc-read does for a live source with no traffic; now_us is
#   the wall clock at the first and grows by exactly PERIOD each (so what a stage decides
#   does not depend on how busy the machine is); $TMP/clocks.written says how many are out.
#   After PAUSE records it waits (30 s at most) until $TMP/clocks.go exists.
# wait_until_catching PID...: until every PID catches SIGINT and SIGTERM (a stage that is
#   signalled before it set up its handlers dies, as any program would), at most 10 s.
# wait_for_stages WRAPPER_PID: until the flowcarp run WRAPPER_PID has its 5 stages up and
#   catching the stop signals (its own trap is set before it starts them), at most 20 s.
# in_private_network: re-runs the calling test inside `unshare -n` (an empty network
#   namespace, lo up with MTU 1500 and offloads off), or prints skip and exits.
# conversations PCAP [COUNT]: "proto fewer_pkts more_pkts" (the two directions' packet
#   counts, smaller first) of each TCP and UDP conversation of the first COUNT packets
#   (all by default) as tshark sees them, sorted.
# flow_counts: the same for the final flow records of an fc-emit --format Json stream
#   on stdin (reason not preview or flush).

trickle() {
    TMP=$TMP /usr/bin/python3 - "$@" <<'PY'
import os, select, struct, sys, time
src, scale, count, hold = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
out = sys.stdout.buffer
with open(src, 'rb') as f:
    head = f.read(24)
    magic = struct.unpack('<I', head[:4])[0]
    order = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    div = 1e9 if magic in (0xa1b23c4d, 0x4d3cb2a1) else 1e6
    out.write(head)
    out.flush()
    first, start, n = None, time.monotonic(), 0
    while n < count:
        h = f.read(16)
        if len(h) < 16:
            break
        sec, frac, incl, _ = struct.unpack(order + 'IIII', h)
        data = f.read(incl)
        ts = sec + frac / div
        first = ts if first is None else first
        delay = (ts - first) * scale - (time.monotonic() - start)
        if delay > 0:
            time.sleep(delay)
        out.write(h + data)
        out.flush()
        n += 1
with open(os.path.join(os.environ['TMP'], 'trickle.count'), 'w') as c:
    c.write('%d\n' % n)
poll = select.poll()
poll.register(1, select.POLLERR)   # a pipe's write end reports POLLERR once its reader is gone
poll.poll(hold * 1000)
PY
}

clock_records() {
    TMP=$TMP /usr/bin/python3 - "$@" <<'PY'
import os, struct, sys, time
n, period = int(sys.argv[1]), float(sys.argv[2])
pause = int(sys.argv[3]) if len(sys.argv) > 3 else -1
go = os.path.join(os.environ['TMP'], 'clocks.go')
first = int(time.time() * 1e6)
for i in range(n):
    if i == pause:
        for _ in range(300):
            if os.path.exists(go):
                break
            time.sleep(0.1)
    if i:
        time.sleep(period)
    # {"k": 8, "now_us": int64}: fixmap of 2, fixstr keys, int64 value
    sys.stdout.buffer.write(b'\x82\xa1k\x08\xa6now_us\xd3' + struct.pack('>q', first + int(i * period * 1e6)))
    sys.stdout.buffer.flush()
    with open(os.path.join(os.environ['TMP'], 'clocks.written.tmp'), 'w') as c:
        c.write('%d\n' % (i + 1))
    os.rename(os.path.join(os.environ['TMP'], 'clocks.written.tmp'), os.path.join(os.environ['TMP'], 'clocks.written'))
PY
}

wait_until_catching() {
    local pid i mask
    for pid in "$@"; do
        for ((i = 0; i < 100; i++)); do
            [ -e "/proc/$pid/status" ] || break   # gone already
            mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
            # SIGINT is bit 1, SIGTERM bit 14 of the caught-signals mask
            [ -n "$mask" ] && (( (0x$mask & 0x4002) == 0x4002 )) && break
            sleep 0.1
        done
    done
}

wait_for_stages() {
    local i
    for ((i = 0; i < 200; i++)); do [ "$(pgrep -c -P "$1")" -ge 5 ] && break; sleep 0.1; done
    wait_until_catching $(pgrep -P "$1")
}

in_private_network() {
    if [ "${FC_IN_NETNS:-}" != 1 ]; then
        if ! unshare -n true 2>/dev/null; then
            skip "$(basename "$0" .sh)" "needs root for a private network namespace (unshare -n)"
            exit 0
        fi
        rm -rf "$TMP"   # the run inside makes its own
        FC_IN_NETNS=1 exec unshare -n bash "$0" "$@"
    fi
    ip link set lo up mtu 1500
    ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true
}

conversations() {
    local count=${2:-0} args=()
    [ "$count" -eq 0 ] || args=(-c "$count")
    # one tshark run (it is slow to start): a table per protocol, each under its title
    tshark -r "$1" "${args[@]}" -q -z conv,tcp -z conv,udp 2>/dev/null |
        awk '/Conversations/ { p = tolower($1) } /<->/ { a = $4; b = $7; if (a + 0 > b + 0) { t = a; a = b; b = t }; print p, a, b }' |
        sort
}

flow_counts() {
    jq -r 'select(.k == 2 and .reason != "preview" and .reason != "flush" and (.proto == 6 or .proto == 17))
           | (if .proto == 6 then "tcp" else "udp" end) as $p | [.orig.pkts, .resp.pkts] | sort
           | "\($p) \(.[0]) \(.[1])"' | sort
}
