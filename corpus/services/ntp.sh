#!/usr/bin/env bash
# corpus/services/ntp.sh OUTDIR: NTP sessions (class NTP) between chronyd as a server and
# chronyd -Q, ntpdate -q, sntp (ntpsec's ntpdig behind both) and a minimal SNTP client in
# Python (Debian's chrony, ntpsec-ntpdate, sntp/ntpsec-ntpdig, python3), in two network
# namespaces. The server is chronyd -x with a private configuration, restarted 2-3 times a
# batch as a different kind of server (drawn from the seed): a free-running one
# (`local stratum` 1-12, reference ID 127.127.1.1), one synchronised to an upstream chronyd
# on an address of its own loopback (stratum 2-4, that address as reference ID), or a
# stratum-1 server fed by a GPS-like reference clock (refclock SOCK, fed by a small Python
# stand-in for gpsd; reference ID GPS, PPS, NMEA or GNSS); its clock precision, the
# symmetric keys and the NTS certificate are drawn per batch. The upstream and reference
# clock traffic stays inside the server namespace (loopback, a Unix socket) and is not
# captured.
# Clients, each run one client program (mode 3 requests over UDP to port 123):
#   chronyd -Q -x: one-shot query with a private configuration: iburst, burst or short
#     polls, NTPv3 or v4, symmetric-key MACs (SHA1, MD5, SHA256, AES128-CMAC), NTS
#     (NTS-KE over TCP 4460 is TLS and left out of the capture: only its NTP packets with
#     NTS extension fields are kept), interleaved mode, chrony's experimental extension
#     field; by default chronyd opens a new socket for every request (a run makes about 3
#     one-exchange flows), with `acquisitionport 0` or a fixed port (drawn per run) a run
#     is one flow of several exchanges;
#   ntpdate -q and sntp (ntpdig 1.2.2: query only, never -s/-S/-b/-B): 1-4 samples (a new
#     socket each), gaps, timeouts, SHA1 and MD5 authentication;
#   a Python SNTP client as an embedded device would write it: struct-packed mode 3
#     requests, version 3 or 4, leap 0 or 3, zeroed or filled poll, precision, root delay,
#     dispersion, reference ID and timestamps, real, random or zero transmit timestamps, and
#     1-4 requests on one socket with pauses.
# A session is one client socket's exchange(s), always from an unprivileged port that no
# other run uses (ephemeral, or chronyd's acquisitionport drawn per run), so no two runs
# merge into one flow; the server's port 123 is the only one captured (chronyc's command
# port is off: cmdport 0).
# Safety: no program here may set this machine's clock. chronyd always runs with -x (and the
# clients with -Q), ntpdig without -s/-S, and every NTP program is started without
# CAP_SYS_TIME (setpriv drops it from the bounding and inheritable sets), so even a wrong
# option could not step or slew the clock. No system configuration is read or written.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/NTP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=123
dir=$(svc_class_dir NTP)
pcap=$dir/ntp-$FC_BATCH.pcap
srv=$NETNS_SRV_IP

# every NTP program runs without the capability to set or slew the clock
NOTIME=(setpriv --inh-caps=-sys_time --bounding-set=-sys_time)
W=$SVC_WORK/srv
C=$SVC_WORK/cli
mkdir -p "$W" "$C"

# symmetric keys: chrony's key file (server and chronyd clients) and ntpsec's (ntpdig)
hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
k_sha1=$(svc_rand 1 99) k_md5=$(svc_rand 100 999) k_sha256=$(svc_rand 1000 9999) k_aes=$(svc_rand 10000 65000)
sha1=$(hex 20) md5=$(head -c 9 /dev/urandom | base64 | tr -d '/+=')
{ echo "$k_sha1 SHA1 HEX:$sha1"; echo "$k_md5 MD5 ASCII:$md5"
  echo "$k_sha256 SHA256 HEX:$(hex 32)"; echo "$k_aes AES128 HEX:$(hex 16)"; } > "$W/chrony.keys"
{ echo "$k_sha1 SHA1 $sha1"; echo "$k_md5 MD5 $md5"; } > "$C/ntp.keys"
# the NTS server certificate (self-signed, trusted by the clients that use NTS)
name=$(svc_pick time ntp ntp1 clock tick)
domain=$(svc_pick example.net corp.example.com lab.example.org)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:"$(svc_pick prime256v1 secp384r1)" -nodes -days 30 \
    -subj "/CN=$name.$domain" -addext "subjectAltName=IP:$srv,DNS:$name.$domain" \
    -keyout "$W/nts.key" -out "$W/nts.crt" 2>/dev/null || exit 1
chmod 644 "$W/nts.crt" "$W/chrony.keys" "$C/ntp.keys"
chown -R _chrony "$W" "$C"
precision=$(svc_pick 1e-9 8e-9 2e-8 1e-7 1e-6)

# the Python side: the SNTP client, the server's readiness check, the reference clock feeder
cat > "$SVC_WORK/sntp.py" <<'PY'
import random, socket, struct, sys, time
EPOCH = 2208988800
def ntp_ts(t):
    return ((int(t) + EPOCH) << 32) | int((t % 1) * 2**32)
def query(host, first=0x23, body=None, timeout=2.0, sock=None):
    s = sock or socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    pkt = body or struct.pack("!BBbb11I", first, 0, 0, 0, *([0] * 9), *divmod(ntp_ts(time.time()), 2**32))
    s.sendto(pkt, (host, 123))
    try:
        return s.recvfrom(1024)[0]
    except socket.timeout:
        return None

mode = sys.argv[1]
if mode == "wait":           # wait HOST STRATUM SECONDS: until the server answers synchronised
    host, stratum, end = sys.argv[2], int(sys.argv[3]), time.time() + float(sys.argv[4])
    while time.time() < end:
        r = query(host, timeout=0.5)
        if r and len(r) >= 48 and r[0] >> 6 != 3 and r[1] == stratum:
            sys.exit(0)
        time.sleep(0.5)
    sys.exit(1)
if mode == "feed":           # feed SOCKET: a GPS receiver's samples for chronyd's refclock SOCK
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    rng = random.Random()
    while True:
        t = time.time()
        try:   # struct sock_sample: timeval, offset, pulse, leap, pad, magic "SOCK"
            s.sendto(struct.pack("@qqdiiii", int(t), int((t % 1) * 1e6), rng.gauss(0, 3e-6), 0, 0, 0, 0x534F434B), sys.argv[2])
        except OSError:
            pass
        time.sleep(1)

# client HOST SEED: an SNTP client of an embedded device
host, rng = sys.argv[2], random.Random(sys.argv[3])
r = rng.randint
version = rng.choice([3, 4, 4])
leap = rng.choice([0, 0, 3])
style = rng.choice(["bare", "bare", "zero", "filled", "filled", "w32", "random-tx"])
n = rng.choice([1, 1, 2, 3, 4])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
ref_ip = rng.choice([0, struct.unpack("!I", bytes([10, r(0, 255), r(0, 255), r(1, 254)]))[0],
                     struct.unpack("!I", bytes([r(1, 223), r(0, 255), r(0, 255), r(1, 254)]))[0], 0x47505300, 0x4C4F434C])
poll, prec = r(4, 10), -r(6, 24)
last = None
for i in range(n):
    now = time.time()
    first = (leap << 6) | (version << 3) | 3
    if style == "zero":          # the classic one-liner: b"\x1b" + 47 zero bytes
        body = bytes([first]) + bytes(47)
    elif style == "bare":        # all fields zero but the transmit timestamp
        body = struct.pack("!B3x36xQ", first, ntp_ts(now))
    elif style == "random-tx":   # a random transmit timestamp, as privacy-minded clients send
        body = struct.pack("!B3x36xQ", first, r(0, 2**64 - 1))
    elif style == "w32":         # a Windows-like client: long poll, coarse precision, big dispersion
        body = struct.pack("!BBbbIIIQQQQ", first, 0, r(10, 17), -6, 0, r(0x8000, 0x1C0000), 0, 0, 0, 0, ntp_ts(now))
    else:                        # an ntpd-like client: its own state filled in
        stratum = 0 if leap == 3 else r(2, 5)
        ref = 0 if leap == 3 else ntp_ts(now - r(16, 1024) - rng.random())
        body = struct.pack("!BBbbIIIQQQQ", first, stratum, poll, prec, r(0, 0x4000), r(0, 0x10000),
                           0 if leap == 3 else ref_ip, ref, last[0] if last else 0, last[1] if last else 0, ntp_ts(now))
    reply = query(host, body=body, sock=sock)
    if reply and len(reply) >= 48:
        last = (struct.unpack("!Q", reply[40:48])[0], ntp_ts(time.time()))
    if i < n - 1:
        time.sleep(rng.choice([0.1, 0.3, 0.5, 1.0, 2.0]) * rng.uniform(0.8, 1.2))
sock.close()
PY

# the server: one of three kinds, started (and waited for until it answers synchronised)
server_pids=()
seg=0
server_start() {
    local kind=$1 conf want up
    seg=$((seg + 1))
    conf=$W/chrony-$seg.conf
    {
        echo "bindaddress $srv"
        echo "port $port"
        echo "allow $(svc_pick 10.77.0.0/24 10.77.0.0/16 10.0.0.0/8 all)"
        echo "cmdport 0"
        echo "clockprecision $precision"
        echo "keyfile $W/chrony.keys"
        echo "ntsservercert $W/nts.crt"
        echo "ntsserverkey $W/nts.key"
        echo "ntsdumpdir $W"
        echo "pidfile $W/chronyd-$seg.pid"
        echo "driftfile $W/drift"
    } > "$conf"
    case $kind in
    local)
        want=$(svc_pick 1 3 5 8 8 10 10 12)
        echo "local stratum $want" >> "$conf" ;;
    upstream)
        want=$(svc_rand 2 4)
        up=$(svc_pick "10.$(svc_rand 0 255).$(svc_rand 0 255).$(svc_rand 1 254)" "192.168.$(svc_rand 0 20).$(svc_rand 1 254)" \
                      "172.$(svc_rand 16 31).$(svc_rand 0 255).$(svc_rand 1 254)" "$(svc_rand 1 223).$(svc_rand 0 255).$(svc_rand 0 255).$(svc_rand 1 254)")
        in_srv ip addr add "$up/32" dev lo
        printf 'bindaddress %s\nallow all\nlocal stratum %s\ncmdport 0\nclockprecision %s\npidfile %s\n' \
            "$up" $((want - 1)) "$precision" "$W/upstream-$seg.pid" > "$W/upstream-$seg.conf"
        bg_srv "${NOTIME[@]}" chronyd -x -d -f "$W/upstream-$seg.conf" >>"$W/upstream.log" 2>&1
        server_pids+=("${NETNS_PIDS[-1]}")
        echo "server $up iburst minpoll -4 maxpoll $(svc_rand -2 0)" >> "$conf"
        echo "local stratum 10" >> "$conf" ;;
    gps)
        want=1
        echo "refclock SOCK $W/gps-$seg.sock refid $(svc_pick GPS GPS PPS NMEA GNSS) poll 0 precision 1e-7" >> "$conf"
        echo "local stratum 10" >> "$conf" ;;
    esac
    bg_srv "${NOTIME[@]}" chronyd -x -d -f "$conf" >>"$W/server.log" 2>&1
    server_pids+=("${NETNS_PIDS[-1]}")
    wait_port udp $port || exit 1
    if [ "$kind" = gps ]; then
        bg_srv "$SVC_PYTHON" "$SVC_WORK/sntp.py" feed "$W/gps-$seg.sock"
        server_pids+=("${NETNS_PIDS[-1]}")
    fi
    in_srv "$SVC_PYTHON" "$SVC_WORK/sntp.py" wait "$srv" "$want" 40 ||
        netns_say "the $kind server did not reach stratum $want (serving anyway)"
}
server_stop() {
    local p
    for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${server_pids[@]}"; do wait "$p" 2>/dev/null; done
    server_pids=()
}

# one chronyd -Q run with a configuration drawn from the seed
chrony_query() {
    local conf=$C/client-$s.conf auth opts
    opts=$(svc_pick "iburst" "iburst" "iburst" "minpoll -2 maxpoll 0" "minpoll $(svc_rand -3 0) iburst" "burst iburst")
    auth=$(svc_pick none none none none nts nts sha1 md5 sha256 aes)
    case $auth in
    nts)    opts="$opts nts" ;;
    sha1)   opts="$opts key $k_sha1" ;;
    md5)    opts="$opts key $k_md5" ;;
    sha256) opts="$opts key $k_sha256" ;;
    aes)    opts="$opts key $k_aes" ;;
    esac
    [ "$auth" != nts ] && [ "$(svc_rand 1 5)" = 1 ] && opts="$opts version 3"
    [ "$(svc_rand 1 4)" = 1 ] && opts="$opts xleave"
    [ "$auth" = none ] && [ "$(svc_rand 1 6)" = 1 ] && opts="$opts extfield F323"
    {
        echo "server $srv $opts"
        echo "port 0"
        echo "cmdport 0"
        # chronyd's default (no acquisitionport): a new socket, so a new random source port,
        # for every request; 0: one random port for the whole run; else that fixed port
        case $(svc_rand 1 4) in
        1|2) ;;
        3)   echo "acquisitionport 0" ;;
        4)   echo "acquisitionport $(svc_rand 20000 60999)" ;;
        esac
        echo "keyfile $W/chrony.keys"
        echo "ntstrustedcerts $W/nts.crt"
        echo "pidfile $C/client-$s.pid"
    } > "$conf"
    in_cli "${NOTIME[@]}" timeout 30 chronyd -Q -x -t 20 -L 2 -f "$conf"
}

# ntpdig's authentication options: none mostly, else the SHA1 or MD5 key
ntp_auth() { svc_pick "" "" "" "" "-a $k_sha1 -k $C/ntp.keys" "-a $k_md5 -k $C/ntp.keys"; }

kinds=(local upstream gps)
server_start "$(svc_pick "${kinds[@]}")"
capture_start "$pcap" "udp port $port"

want=$(svc_rand 35 40)
segments=$(svc_rand 2 3)
s=0
while [ "$s" -lt 60 ]; do
    got=$(svc_count_sessions "$pcap")
    [ "$got" -lt "$want" ] || break
    if [ "$seg" -lt "$segments" ] && [ "$got" -ge $(( want * seg / segments )) ]; then
        server_stop
        server_start "$(svc_pick "${kinds[@]}")"
    fi
    s=$((s + 1))
    case $(svc_rand 1 12) in
    1|2|3)  chrony_query ;;
    4|5|6)  in_cli "${NOTIME[@]}" timeout 20 ntpdate -q $(svc_pick "" "" -u -d) $(svc_pick "" "" "-t 0.5" "-t 2") $(ntp_auth) "$srv" ;;
    7|8|9)  in_cli "${NOTIME[@]}" timeout 30 sntp $(svc_pick "" "" "" "-p 2" "-p 3" "-p 4 -g $(svc_rand 100 2000)") \
                $(svc_pick "" "" -j -d "-t 2") $(ntp_auth) "$srv" ;;
    *)      in_cli "${NOTIME[@]}" timeout 30 "$SVC_PYTHON" "$SVC_WORK/sntp.py" client "$srv" "$FC_SEED$s" ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
server_stop
svc_end NTP "$pcap" "$want"
