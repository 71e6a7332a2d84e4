#!/usr/bin/env bash
# corpus/services/memcached.sh OUTDIR: Memcached sessions over TCP (class Memcached; nDPI:
# Memcached) between memcached 1.6 and libmemcached 1.1's tools (memcp, memcat, memcrm,
# memcexist, memctouch, memcstat, memcflush, memcping, memcslap, memcdump), in text and
# binary protocol, and python3 clients of the text protocol (a web page cache: get, then set
# on a miss; counters; multi-gets; stats; meta commands mg/ms/md), in two network
# namespaces, TCP 11211. Values from a few bytes to about 100 KB (files of random text,
# JSON and binary). Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes
# OUTDIR/Memcached/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=11211
dir=$(svc_class_dir Memcached)
pcap=$dir/memcached-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP

bg_srv memcached -u root -l "$srv" -p $port -U 0 -m "$(svc_pick 32 64 128)" -c 256
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

# files for memcp: text, JSON and random bytes of varied sizes
mkdir -p "$W/files"
$SVC_PYTHON - "$FC_SEED" "$W/files" <<'PY'
import json, os, random, string, sys
rng = random.Random(int(sys.argv[1]))
for i in range(24):
    n = rng.choice([12, 80, 400, 1500, 6000, 30000, 100000])
    kind = rng.choice(["txt", "json", "bin"])
    if kind == "txt":
        data = "".join(rng.choice(string.ascii_letters + " \n.,") for _ in range(n)).encode()
    elif kind == "json":
        rows = [{"id": rng.randint(1, 10**6), "name": "".join(rng.choices(string.ascii_lowercase, k=8)),
                 "score": rng.random()} for _ in range(max(1, n // 60))]
        data = json.dumps(rows).encode()
    else:
        data = bytes(rng.getrandbits(8) for _ in range(n))
    open(os.path.join(sys.argv[2], "item%02d.%s" % (i, kind)), "wb").write(data)
PY

# a python3 client of the text protocol: kind $1, seed $2
cat > "$W/client.py" <<'PY'
import random, socket, string, sys, time
host, port, kind, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)
s = socket.create_connection((host, port), timeout=10)
f = s.makefile("rb")
def cmd(line, data=None, replies=1):
    s.sendall(line.encode() + b"\r\n" + (data + b"\r\n" if data is not None else b""))
    out = []
    while True:
        l = f.readline()
        if not l:
            return out
        out.append(l)
        if l.startswith(b"VALUE "):
            f.read(int(l.split()[3]) + 2)
            continue
        if l.startswith(b"VA "):
            f.read(int(l.split()[1]) + 2)
            replies -= 1
        elif l.startswith(b"STAT "):
            continue
        else:
            replies -= 1
        if replies <= 0 or l in (b"END\r\n", b"EN\r\n"):
            return out
def value(n):
    return "".join(rng.choices(string.ascii_letters + string.digits, k=n)).encode()
def think():
    time.sleep(rng.choice([0, 0, 0.01, 0.05, 0.3, 1.0]))
steps = rng.randint(1, 40)
for _ in range(steps):
    key = "%s:%d" % (rng.choice(["page", "user", "sess", "cfg", "q"]), rng.randint(1, 40))
    if kind == "cache":
        got = cmd("get " + key)
        if not any(l.startswith(b"VALUE") for l in got):
            v = value(rng.choice([20, 300, 2000, 9000]))
            cmd("set %s 0 %d %d" % (key, rng.choice([0, 60, 300, 3600]), len(v)), v)
    elif kind == "counters":
        c = "ctr:%d" % rng.randint(1, 5)
        r = cmd("incr %s %d" % (c, rng.randint(1, 10)))
        if r and r[0].startswith(b"NOT_FOUND"):
            cmd("add %s 0 0 1" % c, b"0")
        if rng.random() < 0.2:
            cmd("decr %s 1" % c)
    elif kind == "multi":
        keys = " ".join("%s:%d" % (rng.choice(["page", "user"]), rng.randint(1, 40)) for _ in range(rng.randint(2, 12)))
        cmd(rng.choice(["get ", "gets "]) + keys)
    elif kind == "meta":
        r = rng.random()
        if r < 0.5:
            cmd("mg %s v f t" % key)
        elif r < 0.8:
            v = value(rng.choice([10, 200, 1500]))
            cmd("ms %s %d T%d" % (key, len(v), rng.choice([0, 60, 900])), v)
        else:
            cmd("md %s q" % key) if rng.random() < 0.5 else cmd("mn")
    else:  # admin
        cmd(rng.choice(["stats", "stats items", "stats slabs", "stats settings", "version",
                        "stats conns", "verbosity 1", "stats sizes"]))
    think()
if rng.random() < 0.6:
    s.sendall(b"quit\r\n")
s.close()
PY

servers="--servers=$srv:$port"
tools() {
    local bin=""
    [ "$(svc_rand 1 3)" -eq 1 ] && bin=--binary
    case $(svc_pick cp cp cat rm exist touch stat flush ping slap dump) in
    cp)    in_cli timeout 30 memccp $bin $servers --expire="$(svc_pick 0 60 3600)" \
               $(ls "$W"/files/* | shuf -n "$(svc_rand 1 6)" --random-source=<(yes "$FC_SEED$1")) ;;
    cat)   in_cli timeout 30 memccat $bin $servers $(cd "$W/files" && ls | shuf -n "$(svc_rand 1 5)" --random-source=<(yes "$FC_SEED$1")) ;;
    rm)    in_cli timeout 30 memcrm $bin $servers "item0$(svc_rand 0 9).txt" "item1$(svc_rand 0 9).bin" ;;
    exist) in_cli timeout 30 memcexist $bin $servers "item0$(svc_rand 0 9).json" ;;
    touch) in_cli timeout 30 memctouch $bin $servers --expire=600 "item1$(svc_rand 0 9).txt" ;;
    stat)  in_cli timeout 30 memcstat $servers $(svc_pick "" --analyze) ;;
    flush) in_cli timeout 30 memcflush $bin $servers ;;
    ping)  in_cli timeout 30 memcping $servers ;;   # no binary option
    slap)  in_cli timeout 60 memcslap $bin $servers --concurrency=1 --execute-number="$(svc_rand 20 200)" \
               --test="$(svc_pick get set)" ;;
    dump)  in_cli timeout 30 memcdump $servers ;;
    esac
}

sessions=40
for s in $(seq $sessions); do
    case $(svc_rand 0 9) in
    0|1|2|3) tools "$s" >/dev/null 2>&1 ;;
    *) in_cli timeout 60 $SVC_PYTHON "$W/client.py" "$srv" $port "$(svc_pick cache cache counters multi meta admin)" \
           "$FC_SEED$s" >/dev/null 2>&1 ;;
    esac
    svc_think
done
capture_stop
svc_end Memcached "$pcap" $sessions
