#!/usr/bin/env bash
# corpus/services/rsync.sh OUTDIR: rsync daemon sessions (class RSYNC) between rsync
# --daemon and the rsync client (Debian's rsync, both ends the same program), in two
# network namespaces, TCP port 873. The daemon runs with a private rsyncd.conf under
# $SVC_WORK (no chroot, its own pid, lock and log files, a motd) and serves four modules:
# "pub" (read-only: docs, releases, a nested source tree, CSV data), "mirror" (read-only
# logs by date and disk images), "incoming" (writable, for uploads) and "vault"
# (writable, `auth users` with a secrets file; the client logs in with --password-file).
# Files are text and random binary from a few bytes to ~3 MB, contents and sizes drawn
# from the seed. Sessions: listing the modules, listing a module (flat or -r), downloading
# one file or a tree (-a, -r, -v, -z with zlib/zstd/lz4, -c, --dry-run, --bwlimit,
# --partial, --inplace, excludes, -H, --whole-file, checksum choices), mirroring with
# --delete into a pre-filled local copy so that only deltas move, uploads of new and
# changed trees, authenticated downloads and uploads, some with an older protocol
# (--protocol=29/30), and the failures clients meet (a module that does not exist, a
# wrong password). Each client run is one TCP connection.
# Capture filter: tcp port 873.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/RSYNC/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=873
dir=$(svc_class_dir RSYNC)
pcap=$dir/rsync-$FC_BATCH.pcap

data=$SVC_WORK/data
cli=$SVC_WORK/cli
mkdir -p "$data" "$cli"

# the served trees (and a client-side tree to upload): names, kinds and sizes from the seed
make_tree() {   # make_tree ROOT KIND SEED
    $SVC_PYTHON - "$@" <<'PY'
import os, random, sys
root, kind, rng = sys.argv[1], sys.argv[2], random.Random(int(sys.argv[3]))
def r(a, b): return rng.randint(a, b)
W = ("the server client file data error sync mirror backup release build test module config "
     "value update delta block checksum index user host network packet stream archive "
     "report daily weekly monthly node cluster disk volume path remote local").split()
def text(n):
    out, size = [], 0
    while size < n:
        line = " ".join(rng.choice(W) for _ in range(r(3, 14)))
        if rng.random() < 0.3: line = line.capitalize() + "."
        out.append(line); size += len(line) + 1
    return ("\n".join(out) + "\n").encode()[:max(n, 1)]
def logtext(n):
    out, size, t = [], 0, r(1600000000, 1700000000)
    while size < n:
        t += r(0, 90)
        line = "%d %s[%d]: %s %s=%d" % (t, rng.choice(["sshd", "cron", "nginx", "kernel", "backupd", "postfix"]),
                                       r(100, 40000), " ".join(rng.choice(W) for _ in range(r(2, 8))),
                                       rng.choice(["bytes", "status", "uid", "ms"]), r(0, 99999))
        out.append(line); size += len(line) + 1
    return ("\n".join(out) + "\n").encode()
def csvtext(n):
    out = ["id,host,when,bytes,status,comment"]; size = 40
    while size < n:
        line = "%d,h%d.example.net,%d,%d,%s,%s" % (r(1, 10**6), r(1, 300), r(1600000000, 1700000000), r(0, 10**7),
                                                 rng.choice(["ok", "fail", "retry"]), rng.choice(W))
        out.append(line); size += len(line) + 1
    return ("\n".join(out) + "\n").encode()
def code(n):
    out, size = [], 0
    while size < n:
        f = rng.choice(W) + "_" + rng.choice(W)
        block = "static int %s(struct %s *p, int n)\n{\n\tif (!p)\n\t\treturn -%d;\n\tp->%s += n * %d;\n\treturn %s(p->%s);\n}\n" % (
            f, rng.choice(W), r(1, 40), rng.choice(W), r(1, 99), rng.choice(W), rng.choice(W))
        out.append(block); size += len(block)
    return "\n".join(out).encode()
def put(path, data):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f: f.write(data)
def size(*choices): return int(rng.choice(choices) * rng.uniform(0.6, 1.4)) + r(0, 99)
if kind == "pub":
    put("README.txt", text(size(300, 1500)))
    for i in range(r(4, 8)):
        put("docs/%s-%d.txt" % (rng.choice(W), i), text(size(200, 3000, 20000, 150000)))
    for i in range(r(3, 6)):
        put("releases/%s-%d.%d.%d.tar.gz" % (rng.choice(["tool", "libfoo", "agent", "server"]), r(0, 3), r(0, 20), r(0, 9)),
            rng.randbytes(size(20000, 300000, 1200000, 2800000)))
    proj = rng.choice(["project", "libsync", "agent"])
    for i in range(r(15, 40)):
        sub = rng.choice(["src", "src/core", "src/net", "include", "tests", "tests/data", "doc", "src/core/util"])
        ext = rng.choice([".c", ".h", ".c", ".md", ".txt"])
        put("src/%s/%s/%s%d%s" % (proj, sub, rng.choice(W), i, ext), code(size(100, 1500, 8000, 20000)) if ext in (".c", ".h") else text(size(50, 800, 5000)))
    for i in range(r(2, 4)):
        put("data/%s-%d.csv" % (rng.choice(W), i), csvtext(size(5000, 60000, 400000)))
    for i in range(r(2, 6)):
        put("images/img%03d.png" % i, b"\x89PNG\r\n\x1a\n" + rng.randbytes(size(800, 9000, 60000)))
elif kind == "mirror":
    for i in range(r(10, 25)):
        put("logs/%d/%02d/%s-%02d.log" % (r(2022, 2025), r(1, 12), rng.choice(["syslog", "auth", "access", "mail"]), r(1, 28)),
            logtext(size(400, 5000, 40000, 250000)))
    for i in range(r(1, 3)):
        put("iso/disk%d.img" % i, rng.randbytes(size(100000, 600000, 2000000)))
    put("MIRROR-TIMESTAMP", ("%d\n" % r(1600000000, 1700000000)).encode())
elif kind == "vault":
    for i in range(r(3, 8)):
        put("db/dump-%d.sql" % i, ("-- dump %d\n" % i).encode() + b"".join(
            ("INSERT INTO %s VALUES (%d,'%s',%d);\n" % (rng.choice(W), r(1, 10**6), rng.choice(W), r(0, 10**5))).encode()
            for _ in range(r(20, 3000))))
    for i in range(r(2, 5)):
        put("keys/host%d.key" % i, rng.randbytes(r(32, 4096)))
    for i in range(r(1, 4)):
        put("archives/backup-%d.tar.zst" % i, rng.randbytes(size(30000, 400000, 1500000)))
elif kind == "incoming":
    for i in range(r(1, 5)):
        put("from-%s/%s.txt" % (rng.choice(["alice", "bob", "ci"]), rng.choice(W)), text(size(100, 4000)))
elif kind == "upload":   # a client-side tree to send
    for i in range(r(2, 20)):
        sub = rng.choice(["", "conf/", "work/", "work/out/", "photos/"])
        name = sub + rng.choice(W) + str(i)
        if sub == "photos/": put(name + ".jpg", b"\xff\xd8\xff\xe0" + rng.randbytes(size(2000, 40000, 300000)))
        elif rng.random() < 0.3: put(name + ".bin", rng.randbytes(size(10, 5000, 100000, 800000)))
        else: put(name + ".txt", text(size(40, 1000, 10000, 60000)))
PY
}

# changes some files of a local copy: appended, rewritten in the middle, cut, removed, added
mutate_tree() {   # mutate_tree ROOT SEED
    $SVC_PYTHON - "$@" <<'PY'
import os, random, sys
root, rng = sys.argv[1], random.Random(int(sys.argv[2]))
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
for path in files:
    x = rng.random()
    if x < 0.12:
        os.remove(path)
    elif x < 0.25:
        with open(path, "ab") as f: f.write(rng.randbytes(rng.randint(1, 5000)))
    elif x < 0.38:
        n = os.path.getsize(path)
        if n > 10:
            with open(path, "r+b") as f:
                f.seek(rng.randrange(n)); f.write(rng.randbytes(rng.randint(1, min(n, 3000))))
    elif x < 0.45:
        n = os.path.getsize(path)
        with open(path, "r+b") as f: f.truncate(n // rng.randint(2, 5))
    if os.path.exists(path) and rng.random() < 0.5:
        t = os.path.getmtime(path) - rng.randint(60, 10**6)
        os.utime(path, (t, t))
for i in range(rng.randint(0, 4)):
    with open(os.path.join(root, "local-only-%d.tmp" % i), "wb") as f: f.write(rng.randbytes(rng.randint(10, 20000)))
PY
}

make_tree "$data/pub" pub "$FC_SEED"1
make_tree "$data/mirror" mirror "$FC_SEED"2
make_tree "$data/vault" vault "$FC_SEED"3
make_tree "$data/incoming" incoming "$FC_SEED"4
mkdir -p "$data/vault/uploads"
chown -R nobody:nogroup "$data/incoming" "$data/vault"

users=(alice bob backup)
declare -A pw
for u in "${users[@]}"; do pw[$u]=$(head -c 12 /dev/urandom | base64 | tr -d '/+='); done
printf '%s:%s\n' alice "${pw[alice]}" bob "${pw[bob]}" backup "${pw[backup]}" > "$SVC_WORK/rsyncd.secrets"
chmod 600 "$SVC_WORK/rsyncd.secrets"
for u in "${users[@]}"; do printf '%s\n' "${pw[$u]}" > "$cli/$u.pw"; done
echo "not-the-password$FC_BATCH" > "$cli/wrong.pw"
chmod 600 "$cli"/*.pw

svc_pick "Welcome to the rsync mirror." "files.example.net rsync service - be nice" \
    "Authorized use only. All transfers are logged." "" > "$SVC_WORK/motd"
cat > "$SVC_WORK/rsyncd.conf" <<EOF
pid file = $SVC_WORK/rsyncd.pid
lock file = $SVC_WORK/rsyncd.lock
log file = $SVC_WORK/rsyncd.log
motd file = $SVC_WORK/motd
use chroot = no
reverse lookup = no
uid = nobody
gid = nogroup
max connections = 20
timeout = 120

[pub]
    path = $data/pub
    comment = $(svc_pick "Public files" "Project releases and docs" "Public area")
    read only = yes

[mirror]
    path = $data/mirror
    comment = $(svc_pick "Log and image mirror" "Mirror of logs" "Disk images and logs")
    read only = yes
    dont compress = *.img *.gz

[incoming]
    path = $data/incoming
    comment = Uploads
    read only = no
    write only = no

[vault]
    path = $data/vault
    comment = $(svc_pick "Backups (login required)" "Private backups" "Restricted")
    read only = no
    auth users = alice, bob, backup:rw
    secrets file = $SVC_WORK/rsyncd.secrets
    strict modes = yes

[hidden]
    path = $data/pub/docs
    list = no
    read only = yes
EOF
bg_srv rsync --daemon --no-detach --config="$SVC_WORK/rsyncd.conf" --address="$NETNS_SRV_IP" --port=$port
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

srv=rsync://$NETNS_SRV_IP
# a few options drawn per session: compression, protocol, checksum choice
opt_comp() { svc_pick "" "" -z "-z" "-z --compress-choice=zstd" "-z --compress-choice=lz4" "-z --compress-level=9" "--compress-choice=zlibx -z"; }
opt_proto() { svc_pick "" "" "" "" "" "" "--protocol=29" "--protocol=30" "--protocol=31"; }
opt_verb() { svc_pick "" "" -v -vv -q "--stats" "-i" "--progress"; }
pick_file() {   # a file of a module's tree, relative to it
    (cd "$data/$1" && find . -type f | sed 's|^\./||' | sort) | awk -v n="$(svc_rand 1 1000)" '{ a[NR] = $0 } END { print a[(n % NR) + 1] }'
}
pick_dir() {
    (cd "$data/$1" && find . -mindepth 1 -type d | sed 's|^\./||' | sort) | awk -v n="$(svc_rand 1 1000)" '{ a[NR] = $0 } END { print a[(n % NR) + 1] }'
}

sessions=40
for s in $(seq $sessions); do
    local_dir=$cli/s$s
    mkdir -p "$local_dir"
    proto=$(opt_proto)
    comp=$(opt_comp)
    # zstd/lz4 and checksum choices need protocol 31+: keep the older protocols plain
    case $proto in --protocol=29|--protocol=30) comp=$(svc_pick "" -z) ;; esac
    verb=$(opt_verb)
    case $(svc_rand 1 20) in
    1|2)  # list the modules
        in_cli timeout 30 rsync $proto $(svc_pick "" "" --list-only "--contimeout=10") "$srv/" ;;
    3|4)  # list a module, flat or recursively
        mod=$(svc_pick pub pub mirror incoming)
        in_cli timeout 30 rsync $proto $(svc_pick "" -r -r "-r --exclude=*.log" "-a") "$srv/$mod/$(svc_pick "" "" "$(pick_dir $mod)/")" ;;
    5|6|7)  # download one file
        mod=$(svc_pick pub pub mirror)
        in_cli timeout 60 rsync $proto $comp $verb $(svc_pick "" -t -a "--partial" "--inplace" "--bwlimit=$(svc_rand 800 4000)" "-c" "--whole-file") \
            "$srv/$mod/$(pick_file $mod)" "$local_dir/" ;;
    8|9|10)  # download a tree
        mod=$(svc_pick pub pub mirror)
        sub=$(svc_pick "" "$(pick_dir $mod)/" "$(pick_dir $mod)/")
        in_cli timeout 90 rsync $proto $comp $verb $(svc_pick -a -a -r -rt "-a -H") \
            $(svc_pick "" "" "" "--dry-run" "-c" "--exclude=*.tar.gz" "--exclude=*.img --exclude=images/" "--max-size=200k" "--bwlimit=$(svc_rand 1500 6000)" "--partial --delay-updates") \
            "$srv/$mod/$sub" "$local_dir/" ;;
    11|12|13)  # mirror into a pre-filled local copy with --delete: only the deltas move
        mod=$(svc_pick pub pub mirror)
        sub=$(svc_pick "" "$(pick_dir $mod)/")
        cp -a "$data/$mod/$sub." "$local_dir/"
        mutate_tree "$local_dir" "$FC_SEED$s"
        in_cli timeout 90 rsync $proto $comp $verb -a --delete $(svc_pick "" "" -c "--inplace" "--partial" "--delete-after" "--dry-run" "--block-size=$(svc_pick 700 2048 8192)" "--checksum-choice=$(svc_pick md5 xxh128 xxh64 md4)") \
            "$srv/$mod/$sub" "$local_dir/" ;;
    14|15|16)  # upload a tree (sometimes a changed version of one sent before) to the writable module
        make_tree "$local_dir" upload "$FC_SEED$s"
        name=up-$(svc_pick alice bob ci build)-$(svc_rand 1 4)
        if [ "$(svc_rand 1 3)" = 1 ]; then
            in_cli timeout 60 rsync -a -q "$local_dir/" "$srv/incoming/$name/"
            mutate_tree "$local_dir" "$FC_SEED$s"
            svc_think
        fi
        in_cli timeout 90 rsync $proto $comp $verb $(svc_pick -a -a -r "-rt" "-a --delete" "-a --partial" "-a -c") \
            "$local_dir/" "$srv/incoming/$name/" ;;
    17|18)  # an authenticated session: download, mirror or upload in the vault
        u=$(svc_pick alice bob backup)
        case $(svc_rand 1 4) in
        1|2) in_cli timeout 90 rsync $proto $comp $verb $(svc_pick -a -r "-a -c" "-a --dry-run") --password-file="$cli/$u.pw" \
                 "rsync://$u@$NETNS_SRV_IP/vault/$(svc_pick "" db/ archives/ keys/)" "$local_dir/" ;;
        3)   in_cli timeout 30 rsync $proto --password-file="$cli/$u.pw" $(svc_pick "" -r) "rsync://$u@$NETNS_SRV_IP/vault/" ;;
        4)   make_tree "$local_dir" upload "$FC_SEED$s"
             in_cli timeout 90 rsync $proto $comp $verb -a --password-file="$cli/$u.pw" \
                 "$local_dir/" "rsync://$u@$NETNS_SRV_IP/vault/uploads/$u-$s/" ;;
        esac ;;
    19)  # a wrong password
        u=$(svc_pick alice bob backup mallory)
        in_cli timeout 30 rsync $proto -a --password-file="$cli/wrong.pw" "rsync://$u@$NETNS_SRV_IP/vault/$(svc_pick "" db/)" "$local_dir/" ;;
    20)  # a module that does not exist (or one that is not listed but exists)
        in_cli timeout 30 rsync $proto $(svc_pick "" -a -r) "$srv/$(svc_pick backup www data home hidden)/" "$local_dir/" ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end RSYNC "$pcap" $sessions
