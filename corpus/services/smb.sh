#!/usr/bin/env bash
# corpus/services/smb.sh OUTDIR: SMB sessions (class SMB; nDPI says SMBv23, or SMBv1 for an
# SMB1 opening) between smbd and smbclient, smbget, rpcclient, smbcacls and net (Debian's
# samba, smbclient, samba-common-bin), in two network namespaces, SMB straight on TCP 445
# (no NetBIOS). Each session is one client run: smbclient scripts of a few to tens of
# commands (ls, cd, get, put, mget/mput with recurse, mkdir, rm, rmdir, rename, allinfo,
# du, volume, showacls, deltree), interactive smbclient users with pauses, tar backups
# (smbclient -Tc), share lists (-L), smbget single and recursive downloads, rpcclient and
# net rpc queries over IPC$ named pipes, and smbcacls. Dialects SMB 2.0.2 to 3.1.1, signing
# or encryption, the old SMB1 multi-protocol opening (and two SMB1-only clients a batch,
# which the server, at its default minimum SMB 2.0.2, refuses), a user from the private
# passdb or a guest, files of a few bytes to 1 MB.
#
# The user: a system account "fcsmb" (no shell, no home) is created when missing; its SMB
# password (drawn anew on every run) lives in a passdb under $SVC_WORK. smbd, its helper
# samba-dcerpcd and the clients use private configurations: every directory they write to
# (private, lock, state, cache, pid, log) is under $SVC_WORK.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/SMB/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=445
dir=$(svc_class_dir SMB)
pcap=$dir/smb-$FC_BATCH.pcap
srv=$NETNS_SRV_IP
user=fcsmb
pass=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
id "$user" >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user" || exit 1

# the shares and their files: sizes drawn from the seed
W=$SVC_WORK
files=$W/shares/files pub=$W/shares/pub vault=$W/shares/vault
mkdir -p "$W"/{private,lock,state,cache,run,log,ncalrpc} "$W"/client/{lock,state,cache,run,home/.smb} "$W/local" "$W/dl"
mkdir -p "$files"/{docs,data,photos,incoming} "$pub"/{releases,manuals} "$vault"/{ledger,keys}
randfile() { head -c "$2" /dev/urandom > "$1"; }
textfile() { base64 -w 76 /dev/urandom | head -c "$2" > "$1"; }
for i in $(seq "$(svc_rand 4 9)"); do textfile "$files/docs/$(svc_pick notes memo minutes plan draft)-$i.txt" "$(svc_pick 90 700 3000 12000 40000)"; done
for i in $(seq "$(svc_rand 3 7)"); do randfile "$files/data/$(svc_pick export dump table sample)$i.$(svc_pick bin csv.gz dat)" "$(svc_pick 2000 30000 180000 500000 1000000)"; done
for i in $(seq "$(svc_rand 3 8)"); do randfile "$files/photos/IMG_$((1000 + i * 37)).jpg" "$(svc_pick 40000 150000 400000 800000)"; done
for p in $(seq "$(svc_rand 2 4)"); do
    d=$files/projects/proj$p
    mkdir -p "$d/src" "$d/doc"
    for i in $(seq "$(svc_rand 2 9)"); do textfile "$d/src/mod$i.$(svc_pick c py go rs)" "$(svc_pick 200 1500 6000 20000)"; done
    for i in $(seq "$(svc_rand 1 3)"); do textfile "$d/doc/chapter$i.md" "$(svc_pick 500 4000 15000)"; done
done
for i in $(seq "$(svc_rand 2 5)"); do randfile "$pub/releases/tool-1.$i.$(svc_pick tar.gz zip iso)" "$(svc_pick 5000 90000 400000 1000000)"; done
for i in $(seq "$(svc_rand 2 5)"); do textfile "$pub/manuals/guide$i.txt" "$(svc_pick 300 5000 25000)"; done
echo "Public files. Ask the help desk for write access." > "$pub/README.txt"
for i in $(seq "$(svc_rand 2 5)"); do randfile "$vault/ledger/$(svc_pick q1 q2 q3 q4)-$i.xlsx" "$(svc_pick 8000 60000 300000)"; done
for i in $(seq 2); do textfile "$vault/keys/key$i.pem" "$(svc_pick 900 1700 3200)"; done
for i in $(seq 8); do randfile "$W/local/upload$i.bin" "$(svc_pick 50 1000 16000 90000 300000 900000)"; done
for i in $(seq 4); do textfile "$W/local/report$i.txt" "$(svc_pick 300 4000 30000)"; done
chown -R "$user" "$files" "$vault"
chmod -R a+rX "$W/shares"

cat > "$W/smb.conf" <<EOF
[global]
  netbios name = $(svc_pick FILESRV NAS01 FCFILES STORAGE)
  workgroup = $(svc_pick WORKGROUP OFFICE LAB)
  server string = $(svc_pick "Samba %v" "File server" "Department storage")
  server role = standalone server
  interfaces = $srv/24
  bind interfaces only = yes
  smb ports = $port
  disable netbios = yes
  private dir = $W/private
  lock directory = $W/lock
  state directory = $W/state
  cache directory = $W/cache
  pid directory = $W/run
  ncalrpc dir = $W/ncalrpc
  log file = $W/log/log.%m
  passdb backend = tdbsam:$W/private/passdb.tdb
  map to guest = Bad User
  guest account = nobody
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
  usershare max shares = 0
[files]
  comment = Team files
  path = $files
  read only = no
  valid users = $user
[pub]
  comment = Public downloads
  path = $pub
  guest ok = yes
  read only = yes
[vault]
  comment = Finance (encrypted)
  path = $vault
  read only = no
  valid users = $user
  smb encrypt = required
EOF
# the clients' own configuration: nothing written outside $W
cat > "$W/client.conf" <<EOF
[global]
  lock directory = $W/client/lock
  state directory = $W/client/state
  cache directory = $W/client/cache
  pid directory = $W/client/run
  private dir = $W/client/state
  ncalrpc dir = $W/client/run
  disable netbios = yes
  name resolve order = host
EOF
cp "$W/client.conf" "$W/client/home/.smb/smb.conf"   # libsmbclient (smbget) reads it from HOME
printf '%s\n%s\n' "$pass" "$pass" | smbpasswd -c "$W/smb.conf" -s -a "$user" >/dev/null || exit 1

# smbd stays in a process group of its own (no --no-process-group): when it stops it sends
# SIGTERM to its whole group, which would otherwise include this script
bg_srv smbd -F -s "$W/smb.conf" --debug-stdout -d 0 >"$W/smbd.out" 2>&1
wait_tcp_port $port || { cat "$W/smbd.out" >&2; exit 1; }
capture_start "$pcap" "tcp port $port"

# one session's smbclient commands: N of them for SHARE, kinds drawn from the seed
command_mix() {
    $SVC_PYTHON - "$1" "$2" "$3" "$W/shares/$3" "$W/local" <<'PY'
import os, random, sys
rng = random.Random(int(sys.argv[1])); n = int(sys.argv[2]); share = sys.argv[3]
root, local = sys.argv[4], sys.argv[5]
writable = share != "pub"
dirs, filesin = [], {}
for d, subdirs, names in os.walk(root):
    rel = os.path.relpath(d, root)
    rel = "" if rel == "." else rel.replace("/", "\\")
    dirs.append(rel); filesin[rel] = sorted(names)
uploads = sorted(os.listdir(local))
cmds, cwd, made = [], "", []
def cd(d):
    global cwd
    cmds.append("cd \\" + d if d else "cd \\"); cwd = d
tag = "%x" % rng.getrandbits(20)
for _ in range(n):
    k = rng.choices(["ls", "get", "cd", "info", "mget", "put", "mkdir", "misc", "rename"],
                    [4, 5, 2, 2, 1, 3 if writable else 0, 1 if writable else 0, 2, 1 if writable else 0])[0]
    if k == "ls":
        cmds.append(rng.choice(["ls", "dir", "ls *.%s" % rng.choice(["txt", "bin", "jpg", "md", "gz"]),
                                "ls " + rng.choice(dirs or [""]) + "\\*"]))
    elif k == "cd":
        cd(rng.choice(dirs)); cmds.append(rng.choice(["ls", "pwd", "dir"]))
    elif k in ("get", "info"):
        d = rng.choice([x for x in dirs if filesin[x]] or [""])
        if not filesin.get(d): continue
        if d != cwd: cd(d)
        f = rng.choice(filesin[d])
        if k == "get":
            cmds.append("get %s %s" % (f, os.devnull))
        else:
            cmds += rng.choice([["allinfo " + f], ["altname " + f], ["geteas " + f], ["showacls", "ls " + f, "showacls"]])
    elif k == "mget":
        # prompt and recurse are toggles: set for the mget, then flipped back
        cd(rng.choice(dirs)); rec = ["recurse"] if rng.random() < 0.5 else []
        cmds += ["prompt"] + rec + ["mget " + rng.choice(["*", "*.txt", "*.md", "*.c", "*.jpg", "*.py"])] + rec + ["prompt"]
    elif k == "put":
        d = rng.choice(["incoming", ""] if share == "files" else ["ledger", ""])
        if d != cwd: cd(d)
        src = rng.choice(uploads); name = "%s-%s-%d" % (src.split(".")[0], tag, len(made))
        cmds.append("put %s %s" % (os.path.join(local, src), name))
        made.append((d, name))
    elif k == "mkdir":
        name = "new-%s-%d" % (tag, len(made))
        cd(""); cmds.append("mkdir " + name)
        if rng.random() < 0.6:
            cmds.append("put %s %s\\%s" % (os.path.join(local, rng.choice(uploads)), name, "f.bin"))
            cmds.append(rng.choice(["deltree " + name, "ls %s\\*" % name]))
            if not cmds[-1].startswith("deltree"): cmds.append("deltree " + name)
        else:
            cmds.append("rmdir " + name)
    elif k == "rename" and made:
        d, name = made.pop()
        if d != cwd: cd(d)
        cmds.append("rename %s %s.old" % (name, name)); cmds.append("rm %s.old" % name)
    elif k == "misc":
        cmds.append(rng.choice(["du", "volume", "pwd", "listconnect", "lowercase", "lowercase",
                                "timeout 30", "iosize %d" % rng.choice([16384, 65536, 1048576])]))
# most sessions tidy up what they uploaded
if made and rng.random() < 0.7:
    for d, name in made:
        cd(d); cmds.append("rm " + name)
for c in cmds:
    print(c)
PY
}

# what every smbclient run may vary (into the array po): dialect, signing or encryption,
# the SMB1 opening, buffers. "guest": no signing or encryption (a guest has no session
# key); "vault": SMB 3.0 or later (the share demands encryption)
proto_opts() {
    po=()
    case $(svc_rand 1 10) in
    1) [ "${1:-}" = vault ] || po+=(-m SMB2_02) ;; 2) [ "${1:-}" = vault ] || po+=(-m SMB2_10) ;;
    3) po+=(-m SMB3_00) ;; 4) po+=(-m SMB3_02) ;; 5) po+=(-m SMB3) ;;
    esac   # otherwise the default: up to 3.1.1
    case $(svc_rand 1 8) in
    1) [ "${1:-}" = guest ] || po+=(--client-protection=sign) ;;
    2) [ "${1:-}" = guest ] || [ "${po[1]:-}" = SMB2_02 ] || [ "${po[1]:-}" = SMB2_10 ] || po+=(--client-protection=encrypt) ;;
    3) po+=(--option="client min protocol=NT1") ;;     # opens with an SMB1 negotiate offering SMB2
    esac
    [ "$(svc_rand 1 6)" = 1 ] && po+=(-b "$(svc_pick 8192 32768 131072)")
}

cli() { in_cli env HOME="$W/client/home" timeout 60 "$@"; }
smbc() { cli smbclient -s "$W/client.conf" "$@"; }
pick_file() { svc_pick $(ls "$1"); }
# a guest: no credentials at all, or a name the server does not know (map to guest = Bad User)
guest_auth() { ga=(); if [ "$(svc_rand 1 2)" = 1 ]; then ga=(-N); else ga=(-U "$(svc_pick guest visitor anonymous public)%"); fi; }
auth=(-U "$user%$pass")

sessions=40
# two sessions of each batch are an SMB1-only client (below): short, but a client one meets
old1=$(svc_rand 1 20) old2=$(svc_rand 21 $sessions)
for s in $(seq $sessions); do
    sd=$W/dl/$s; mkdir -p "$sd"; cd "$sd" || exit 1
    share=$(svc_pick files files files vault pub)
    k=$(svc_rand 1 23); [ "$s" = "$old1" ] || [ "$s" = "$old2" ] && k=old
    case $k in
    1|2|3|4|5|6|7)   # a script of commands as the user (or a guest on pub)
        if [ "$share" = pub ]; then guest_auth; proto_opts guest; else ga=("${auth[@]}"); proto_opts "$share"; fi
        smbc "//$srv/$share" "${ga[@]}" "${po[@]}" \
            -c "$(command_mix "$FC_SEED$s" "$(svc_pick 1 2 4 8 15 30)" "$share" | paste -sd';')" ;;
    8|9)   # an interactive user: commands one at a time, with pauses
        [ "$share" = pub ] && share=files
        proto_opts "$share"
        command_mix "$FC_SEED$s" "$(svc_rand 3 12)" "$share" | while read -r line; do
            echo "$line"; sleep "0.$(svc_rand 10 99)"; [ "$(svc_rand 1 5)" = 1 ] && sleep 1; done |
            smbc "//$srv/$share" "${auth[@]}" "${po[@]}" ;;
    10|11)   # guest downloads from the public share
        guest_auth; proto_opts guest
        smbc "//$srv/pub" "${ga[@]}" "${po[@]}" \
            -c "$(svc_pick "ls" "cd releases; ls" "cd manuals; prompt; mget *" "get README.txt /dev/null" \
                  "recurse; prompt; mget *" "cd releases; get $(pick_file "$pub/releases") /dev/null")" ;;
    12)   # the share list (srvsvc over IPC$)
        if [ "$(svc_rand 1 2)" = 1 ]; then ga=("${auth[@]}"); proto_opts; else guest_auth; proto_opts guest; fi
        smbc -L "$srv" "${ga[@]}" "${po[@]}" $(svc_pick "" -g) ;;
    13)   # a tar backup of a folder
        proto_opts
        smbc "//$srv/files" "${auth[@]}" "${po[@]}" -Tc - "$(svc_pick docs projects photos projects/proj1)" >/dev/null ;;
    14|15|16)   # smbget: a file or a folder, as the user or a guest
        case $(svc_rand 1 4) in
        1) cli smbget -n -q -U "$user%$pass" $(svc_pick "" -e) -O "smb://$srv/files/data/$(pick_file "$files/data")" >/dev/null ;;
        2) cli smbget -n -q -U "$user%$pass" -R $(svc_pick "" "-b 16384" "-b 131072" -e) "smb://$srv/files/$(svc_pick docs projects/proj1 photos)" ;;
        3) cli smbget -n -q -a -R "smb://$srv/pub/$(svc_pick manuals releases "")" ;;
        4) cli smbget -n -q -a -O "smb://$srv/pub/$(svc_pick README.txt manuals/guide1.txt manuals/guide2.txt)" >/dev/null ;;
        esac ;;
    17|18)   # uploads: a few files put, some listed and removed
        n=$(svc_rand 1 5); c="cd incoming"
        for i in $(seq "$n"); do f=$(pick_file "$W/local"); c+="; put $W/local/$f $FC_BATCH-$s-$i-$f"; done
        [ "$(svc_rand 1 2)" = 1 ] && c+="; ls $FC_BATCH-$s-*; allinfo $FC_BATCH-$s-1-$f"
        [ "$(svc_rand 1 3)" != 1 ] && c+="; rm $FC_BATCH-$s-*"
        [ "$(svc_rand 1 3)" = 1 ] && c+="; lcd $W/local; prompt; mput report*; $(svc_pick "ls report*" "rm report*" "du")"
        proto_opts
        smbc "//$srv/files" "${auth[@]}" "${po[@]}" -c "$c" ;;
    19|20)   # rpcclient over IPC$: server, share and user queries
        cli rpcclient -s "$W/client.conf" "${auth[@]}" $(svc_pick "" "-m SMB3" "-m SMB2_10") -c "$(svc_pick \
            "srvinfo" "srvinfo; netshareenumall" "netshareenum; netsharegetinfo files" \
            "lsaquery; getusername" "enumdomusers; querydominfo" "netshareenumall; srvinfo; lsaquery; enumdomgroups" \
            "queryuser $user" "netfileenum; netsessenum; netconnenum")" "$srv" ;;
    21)   # net rpc, the administrator's tool
        cli net -s "$W/client.conf" rpc $(svc_pick "share list" "info" "share list" "user") -S "$srv" -I "$srv" "${auth[@]}" ;;
    22)   # smbcacls on a file or folder
        cli smbcacls -s "$W/client.conf" "//$srv/files" "$(svc_pick docs data photos projects)" "${auth[@]}" $(svc_pick "" --numeric) ;;
    23)   # a long script: walk the tree, fetch and upload
        proto_opts
        smbc "//$srv/files" "${auth[@]}" "${po[@]}" -c "$(command_mix "$FC_SEED$s" "$(svc_rand 30 60)" files | paste -sd';')" ;;
    old)   # an SMB1-only client: the server (minimum SMB2) refuses it
        smbc "//$srv/$share" "${auth[@]}" --option="client min protocol=NT1" -m NT1 -c ls ;;
    esac >/dev/null 2>&1
    cd "$W" && rm -rf "$sd"
    svc_think
done
cd "$W" || exit 1
capture_stop
# smbd forks a child per connection and a samba-dcerpcd: stopping the parent ends them
kill "$(cat "$W/run/smbd.pid" 2>/dev/null)" 2>/dev/null
wait "${NETNS_PIDS[@]}" 2>/dev/null
svc_end SMB "$pcap" $sessions
