#!/usr/bin/env bash
# corpus/services/rsh.sh OUTDIR: Berkeley r-command sessions, classes RSH (rsh/rcmd, TCP 514;
# nDPI: RSH), Rlogin (TCP 513) and Rexec (TCP 512), in two network namespaces. Servers: Debian's
# rsh-server 0.17 (netkit in.rshd, in.rlogind, in.rexecd) and rsh-redone-server 85 (its in.rshd
# and in.rlogind), started by inetutils-inetd 2.4 in debug (foreground) mode with a private
# inetd.conf; each rsh and rlogin session draws which implementation answers (netkit with or
# without -n, -a or -f; or redone), rexec is netkit's only. Clients: rsh-client 0.17
# (netkit-rsh, netkit-rlogin, netkit-rcp), rsh-redone-client 85 (rsh-redone-rsh,
# rsh-redone-rlogin), pdsh 2.34's rsh module (one connection per node, 1-4 node names), and,
# rsh-client having no rexec any more, glibc's rexec(3) called from python3 (ctypes) and the
# protocol typed through ncat. Sessions (drawn from the seed): rsh commands of every output size
# (uname, id, ls -l of big folders, cat of files of 10 bytes to 200 KB, ps, df, find, a tar of a
# source tree, slow output, failing commands) with and without data piped in (uploads, sort,
# gzip, scripts for sh -s, tar archives), rcp up and down (-p, -r), trusted and refused users;
# rlogin sessions played by expect (typing at human speed, a terminal type and window size,
# ls, cat, less, vi, top, tail -f, typos, idle gaps, then exit, logout, ^D or ~.), trusted or
# with a password, some mistyped or never right; rexec with the right password, a wrong one, an
# unknown user or an over-long password. Trust: /etc/hosts.equiv names the client host (same
# user names) and .rhosts files let root and alice in as some users; dave and erin trust nobody.
#
# Accounts and files: the server runs in a private mount (and UTS) namespace where /etc and
# /var/log are overlays whose upper layers hold private passwd, group, shadow (every host account
# locked: no host password hash is copied), hosts, hosts.equiv, motd, wtmp, btmp and lastlog,
# and /home and /run (utmp, login's motd.dynamic) are private folders; the clients run under
# `unshare -m` with their own passwd, group and hosts bind-mounted, as root or as a local user
# (setpriv; the clients are setuid root for their reserved ports). So the host's files are
# neither read for secrets nor changed. PAM did not get in the way: Debian's /etc/pam.d/rsh,
# rlogin and rexec (pam_rhosts, pam_unix; login for netkit's password logins) work as they are
# against the private files; redone's daemons use the same service names and so the same files.
# rsh-redone-server conflicts with rsh-server (both ship /usr/sbin/in.rshd), so it is not
# installed: its package is fetched once with `apt-get download` and unpacked into FC_TOOLS
# (default $FC_CAPTURES/../.tools), as jsonrpc.sh does with npm.
#
# Capture filters: tcp port 514 / 513 / 512, one capture per class. rsh's (and rexec's) stderr
# travels on a second connection that the server opens back to a port the client names (from a
# reserved port to a reserved port for rsh); it does not use the service's port, so the filter
# leaves it out: each capture holds the main connections only.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/RSH/FC_BATCH/*.pcap,
# OUTDIR/Rlogin/FC_BATCH/*.pcap and OUTDIR/Rexec/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
[ -x /usr/sbin/in.rexecd ] && [ -x /usr/bin/netkit-rsh ] && [ -x /usr/bin/rsh-redone-rsh ] || {
    echo "rsh.sh: needs rsh-server, rsh-client, rsh-redone-client (apt-get install)" >&2; exit 3; }
redone=${FC_TOOLS:-$(dirname "${FC_CAPTURES:-/work/captures}")/.tools}/rsh-redone
if [ ! -x "$redone/usr/sbin/in.rshd" ]; then
    mkdir -p "$redone" && (cd "$redone" && apt-get download -q rsh-redone-server &&
        dpkg-deb -x rsh-redone-server_*.deb .) >/dev/null 2>&1 ||
        { echo "rsh.sh: could not unpack rsh-redone-server into $redone (apt-get update first?)" >&2; exit 3; }
fi
svc_begin "$@"
rsh_dir=$(svc_class_dir RSH)
rlogin_dir=$(svc_class_dir Rlogin)
rexec_dir=$(svc_class_dir Rexec)
W=$SVC_WORK
srv=$NETNS_SRV_IP

# names and passwords of this batch
domain=$(svc_pick example.org cs.example.edu corp.example.net lab.example.com)
srv_host=$(svc_pick hpc-login1 build01 sun4 fileserv legacy-db vax11 compute3 lab-gw)
cli_host=$(svc_pick ws7 pc12 admin1 dev03 term4 sparc2 xt-desk)
srv_users=(alice bob carol dave erin build)
cli_users=(alice bob carol mallory)
declare -A pw
for u in "${srv_users[@]}"; do
    pw[$u]=$(svc_pick Summer Tiger blue Orange kestrel Monday q1w2e3 Zebra)$(svc_rand 10 9999)$(svc_pick "" "!" "." "#")
done
files=(notes.txt todo.txt README report.csv results.dat app.log access.log build.log paper.tex
    src/main.c src/util.c src/Makefile backup.tgz)

# the server's private /etc and homes; the client's private /etc (host accounts of the same
# names, if any, left out of the copies)
mkdir -p "$W/etc" "$W/home" "$W/run" "$W/log" "$W/ovl" "$W/cetc" "$W/chome/root" "$W/up" "$W/dl"
chmod 1777 "$W/dl"
ours="^(alice|bob|carol|dave|erin|build|mallory):"
for f in passwd group; do
    grep -vE "$ours" "/etc/$f" > "$W/etc/$f"
    cp "$W/etc/$f" "$W/cetc/$f"
done
awk -F: '{ print $1 ":*:20000:0:99999:7:::" }' "$W/etc/passwd" > "$W/etc/shadow"
chmod 640 "$W/etc/shadow"
{ cat /etc/hosts; echo "$NETNS_CLI_IP $cli_host.$domain $cli_host"; } > "$W/etc/hosts"
{ cat /etc/hosts; echo "$srv $srv_host.$domain $srv_host node1 node2 node3 node4"; } > "$W/cetc/hosts"
declare -A uid_of
uid=61000
for u in alice bob carol dave erin build mallory; do
    uid=$((uid + 1))
    uid_of[$u]=$uid
    case " ${srv_users[*]} " in *" $u "*)
        echo "$u:x:$uid:$uid:$u:/home/$u:/bin/bash" >> "$W/etc/passwd"
        echo "$u:$(openssl passwd -6 -salt "$FC_BATCH$u$uid" "${pw[$u]}"):20000:0:99999:7:::" >> "$W/etc/shadow"
        echo "$u:x:$uid:" >> "$W/etc/group"
        mkdir -p "$W/home/$u"
        cp -a /etc/skel/. "$W/home/$u/" ;;
    esac
    case " ${cli_users[*]} " in *" $u "*)
        echo "$u:x:$uid:$uid:$u:$W/chome/$u:/bin/bash" >> "$W/cetc/passwd"
        echo "$u:x:$uid:" >> "$W/cetc/group"
        mkdir -p "$W/chome/$u"
        chown "$uid:$uid" "$W/chome/$u" ;;
    esac
done
echo "$cli_host.$domain" > "$W/etc/hosts.equiv"
printf '%s root\n' "$(svc_pick "$cli_host" "$cli_host.$domain")" > "$W/home/alice/.rhosts"
printf '%s root\n%s alice\n' "$cli_host.$domain" "$cli_host" > "$W/home/build/.rhosts"
case $(svc_rand 1 4) in
1) motd="" ;;
2) motd="Authorized users only. Activity may be monitored and reported." ;;
3) motd=$(printf '%s\n' "$srv_host - $(svc_pick "HPC login node" "build host" "legacy file server" "lab gateway")" \
        "Scratch is purged after $(svc_rand 7 60) days. Quota: $(svc_rand 5 200) GB." \
        "Maintenance window: $(svc_pick Sunday Saturday Wednesday) $(svc_rand 0 6):00 UTC.") ;;
4) motd=$(cat /etc/motd 2>/dev/null) ;;
esac
printf '%s\n' "$motd" > "$W/etc/motd"

# the users' files (10 bytes to 200 KB) and what the clients upload
"$SVC_PYTHON" - "$W" "$FC_SEED" "${srv_users[*]}" "${files[*]}" <<'PY' || exit 1
import io, os, random, sys, tarfile
work, seed, users, names = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split()
rng = random.Random(seed)
WORDS = ("job node queue error warning disk quota user build test release backup server network "
     "memory cpu load result sample value data run batch config update done failed ok").split()
def words(n):
    out, size = [], 0
    while size < n:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
        out.append(line); size += len(line) + 1
    return ("\n".join(out) + "\n")[:max(n, 1)].encode()
def content(name, n):
    if name.endswith((".dat", ".tgz")):
        return rng.randbytes(n)
    if name.endswith(".csv"):
        rows = ["id,node,start,seconds,status"]
        while sum(map(len, rows)) < n:
            rows.append("%d,n%02d,%d,%d,%s" % (rng.randint(1, 10**6), rng.randint(1, 64), rng.randint(1.6e9, 1.7e9),
                                               rng.randint(1, 90000), rng.choice(["ok", "fail", "timeout"])))
        return ("\n".join(rows) + "\n").encode()[:n]
    if name.endswith(".log"):
        rows = []
        while sum(map(len, rows)) < n:
            rows.append("2026-%02d-%02d %02d:%02d:%02d %s %s" % (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
                        rng.randint(0, 59), rng.randint(0, 59), rng.choice(["INFO", "INFO", "WARN", "ERROR"]),
                        " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 10)))))
        return ("\n".join(rows) + "\n").encode()[:n]
    if name.endswith(".c"):
        out = []
        while sum(map(len, out)) < n:
            f = rng.choice(WORDS) + "_" + rng.choice(WORDS)
            out.append("int %s(int n)\n{\n\treturn n * %d + %s(n - 1);\n}\n\n" % (f, rng.randint(1, 99), rng.choice(WORDS)))
        return "".join(out).encode()[:n]
    return words(n)
sizes = [10, 40, 300, 1200, 5000, 20000, 60000, 120000, 200000]
for u in users:
    home = os.path.join(work, "home", u)
    for sub in ("src", "uploads", "logs"):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
    for name in names:
        n = max(10, int(rng.choice(sizes) * rng.uniform(0.6, 1.0)))
        with open(os.path.join(home, name), "wb") as f:
            f.write(content(name, n))
    for i in range(rng.randint(3, 30)):
        with open(os.path.join(home, "logs", "run-%03d.log" % i), "wb") as f:
            f.write(content(".log", rng.randint(50, 8000)))
up = os.path.join(work, "up")
def put(name, data):
    with open(os.path.join(up, name), "wb") as f:
        f.write(data)
put("msg.txt", words(rng.randint(10, 300)))
put("notes.md", words(rng.randint(800, 6000)))
put("data.csv", content("x.csv", rng.randint(5000, 90000)))
put("words.txt", "\n".join(rng.choice(WORDS) for _ in range(rng.randint(200, 20000))).encode() + b"\n")
put("photo.jpg", b"\xff\xd8\xff\xe0" + rng.randbytes(rng.randint(20000, 200000)))
steps = ["cd $HOME", "mkdir -p tmp", "date > tmp/last-run", "ls -l | wc -l", "df -h . | tail -n 1",
         "for f in *.txt; do wc -c \"$f\"; done", "grep -c ERROR app.log || true", "du -sh logs", "uptime"]
put("job.sh", ("#!/bin/sh\n" + "\n".join(rng.sample(steps, rng.randint(3, len(steps)))) + "\n").encode())
tree = os.path.join(up, "tree")
for i in range(rng.randint(2, 12)):
    d = os.path.join(tree, rng.choice(["", "css", "img", "docs"]))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%d.%s" % (i, rng.choice(["html", "css", "png", "txt"]))), "wb") as f:
        f.write(words(rng.randint(100, 30000)) if rng.random() < 0.7 else rng.randbytes(rng.randint(100, 50000)))
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    t.add(tree, arcname="site")
put("site.tar", buf.getvalue())
PY
for u in "${srv_users[@]}"; do
    chown -R "${uid_of[$u]}:${uid_of[$u]}" "$W/home/$u"
    chmod 750 "$W/home/$u"
done
chmod 600 "$W/home/alice/.rhosts" "$W/home/build/.rhosts"
chmod -R a+rX "$W/up"
: > "$W/run/utmp"; : > "$W/log/wtmp"; : > "$W/log/btmp"; : > "$W/log/lastlog"

# inetd runs each daemon through a wrapper that reads which implementation this session gets
for d in rshd rlogind; do
    cat > "$W/$d" <<EOF
#!/bin/sh
read -r impl opts < "$W/impl"
case \$impl in
redone) exec "$redone/usr/sbin/in.$d" ;;
*) exec /usr/sbin/in.$d \$opts ;;
esac
EOF
    chmod 755 "$W/$d"
done
echo netkit > "$W/impl"
cat > "$W/inetd.conf" <<EOF
shell stream tcp nowait root $W/rshd in.rshd
login stream tcp nowait root $W/rlogind in.rlogind
exec stream tcp nowait root /usr/sbin/in.rexecd in.rexecd
EOF
# the server's namespace: /etc and /var/log are overlays whose upper layers (on a tmpfs of the
# namespace) hold the private files; overlays rather than bind mounts of single files, because
# a host program that replaces /etc/passwd (useradd, a package install) detaches such a mount
cat > "$W/srv-ns" <<EOF
#!/bin/sh
mount -t tmpfs fcrsh "$W/ovl" && mkdir "$W/ovl/etc" "$W/ovl/etc.work" "$W/ovl/log" "$W/ovl/log.work" &&
    cp -a "$W/etc/." "$W/ovl/etc/" && cp -a "$W/log/." "$W/ovl/log/" &&
    mount -t overlay fcrsh-etc -o "lowerdir=/etc,upperdir=$W/ovl/etc,workdir=$W/ovl/etc.work" /etc &&
    mount -t overlay fcrsh-log -o "lowerdir=/var/log,upperdir=$W/ovl/log,workdir=$W/ovl/log.work" /var/log &&
    mount --bind "$W/home" /home && mount --bind "$W/run" /run && hostname "$srv_host" || exit 1
exec inetutils-inetd -d "$W/inetd.conf" > "$W/inetd.log" 2>&1
EOF
chmod 755 "$W/srv-ns"
bg_srv unshare -m -u --propagation private "$W/srv-ns"
wait_tcp_port 514 && wait_tcp_port 513 && wait_tcp_port 512 || { cat "$W/inetd.log" >&2; exit 1; }

# a client program in the client namespace, with its own passwd, group and hosts, as USER
cat > "$W/cli-ns" <<EOF
#!/bin/sh
u=\$1; shift
mount --bind "$W/cetc/passwd" /etc/passwd && mount --bind "$W/cetc/group" /etc/group &&
    mount --bind "$W/cetc/hosts" /etc/hosts || exit 1
cd "$W/dl" || exit 1
[ "\$u" = root ] && exec env HOME="$W/chome/root" "\$@"
exec setpriv --reuid="\$u" --regid="\$u" --init-groups env HOME="$W/chome/\$u" USER="\$u" LOGNAME="\$u" "\$@"
EOF
chmod 755 "$W/cli-ns"
cli() { in_cli unshare -m --propagation private "$W/cli-ns" "$@"; }

# between sessions: inetutils-inetd sleeps a second after each reaped child before it accepts
# again, so a session begun sooner would wait that second before its daemon starts (a pause in
# every session's first answer, this inetd's doing, not the protocol's)
pause() { sleep 1.1; svc_think; }

# which daemon answers the next rsh or rlogin session
pick_impl() {   # pick_impl rshd|rlogind
    local opts
    if [ "$1" = rshd ]; then opts=$(svc_pick "" "" -n -a "-a -n")
    else opts=$(svc_pick "" "" -n -f "-n -f" -a); fi
    svc_pick "netkit $opts" "redone" > "$W/impl"
}
pick_file() { svc_pick "${files[@]}"; }
# a remote command (job_cmd) and the file piped into it (job_in: empty for none)
pick_job() {
    local s=$1 f n
    f=$(pick_file)
    n=$(svc_rand 5 400)
    job_in=""
    case $(svc_rand 1 14) in
    1)  job_cmd=$(svc_pick "uname -a" id "hostname; uptime" w "who; date" "cat /etc/os-release" "free -m" \
            "cat /proc/meminfo" "cat /proc/cpuinfo" "env | sort" "ulimit -a" "last -n 5" uptime "cat /proc/loadavg" groups) ;;
    2)  job_cmd=$(svc_pick "ls -l /usr/bin" "ls -la /etc" "ls -l /usr/lib/x86_64-linux-gnu" "ls -lR /usr/share/doc | head -n $((n * 8))" \
            "ls -la" "ls -lR" "ls -l /usr/share/man/man1" "ls -1 /usr/include" "ls -l logs" "ls -lt /var/log") ;;
    3|4) job_cmd=$(svc_pick "cat $f" "cat $f" "cat $f" "head -c $((n * 40)) $f" "tail -n $n app.log" "wc -l *" \
            "od -x results.dat | head -n $n" "grep -n ERROR app.log" "cat logs/run-00$(svc_rand 0 2).log" "md5sum $f" "file $f") ;;
    5)  job_cmd=$(svc_pick "ps ux" "ps -fu \$USER" "ps -eo pid,comm | wc -l" "ps -eo comm | sort | uniq -c | sort -rn | head" \
            "top -b -n 1 -u \$USER" "pstree -p \$USER || ps f") ;;
    6)  job_cmd=$(svc_pick "df -h" "df -i" "df -hT /home /tmp" "du -sh *" "du -ah logs | sort -h | tail" "mount | head -n 20" "stat *") ;;
    7)  job_cmd=$(svc_pick "find /etc -name '*.conf'" "find . -type f" "find /usr/share -maxdepth 2 -type d" \
            "find /usr/include -name '*.h' | head -n $n" "find . -newer todo.txt" "find logs -size +2k -ls") ;;
    8)  job_cmd=$(svc_pick "ls /nonexistent" "cat missing-$s.txt" false "nosuchcmd -v" "grep -r secret /root" \
            "exit $(svc_rand 1 5)" "rm /etc/passwd" "make -C src" "tar xzf backup.tgz" "cd /var/spool/nothing && ls") ;;
    9|10|11)   # data piped in
        case $(svc_rand 1 9) in
        1) job_in=msg.txt job_cmd="cat > uploads/msg-$s.txt && ls -l uploads" ;;
        2) job_in=$(svc_pick msg.txt notes.md data.csv photo.jpg) job_cmd=$(svc_pick "wc -c" md5sum sha256sum "wc -l") ;;
        3) job_in=words.txt job_cmd="sort | uniq -c | sort -rn | head -n $(svc_rand 5 50)" ;;
        4) job_in=data.csv job_cmd=$(svc_pick "gzip -c" "cut -d, -f2 | sort -u" "sort -t, -k4 -n | tail -n 20" "awk -F, '{ s += \$4 } END { print s }'") ;;
        5) job_in=job.sh job_cmd=$(svc_pick "sh -s" "bash -s" sh) ;;
        6) job_in=site.tar job_cmd="mkdir -p www-$s && tar xf - -C www-$s && ls -lR www-$s" ;;
        7) job_in=photo.jpg job_cmd="cat > uploads/photo-$s.jpg && ls -l uploads" ;;
        8) job_in=notes.md job_cmd="cat >> notes.txt; tail -n 3 notes.txt" ;;
        9) job_in=words.txt job_cmd="tr a-z A-Z | head -c $((n * 100))" ;;
        esac ;;
    # slow output; the daemons leave SIGPIPE ignored, so a writer whose reader quit runs on
    12) job_cmd=$(svc_pick "for i in 1 2 3; do date; sleep 1; done" "vmstat 1 $(svc_rand 2 4)" "sleep $(svc_rand 1 3); echo done" \
            "head -n 10 todo.txt | while read -r l; do echo \"\$l\"; sleep 0.2; done") ;;
    13) job_cmd=$(svc_pick "tar cf - src" "tar czf - src logs" "tar cf - logs | gzip -$(svc_rand 1 9)" "cat backup.tgz") ;;
    14) job_cmd=$(svc_pick "echo \$HOME \$SHELL \$PATH" "pwd; ls" "test -f .rhosts && echo trusted" "touch stamp-$s; ls -l stamp-$s" "date -u +%s") ;;
    esac
}

# trust: pairs CLIENT-USER:SERVER-USER that hosts.equiv or a .rhosts lets in, and some that not
trusted=(root:alice root:build alice:alice bob:bob carol:carol alice:build root:alice)
refused=(root:dave root:root mallory:mallory bob:alice alice:erin carol:dave root:erin)
pick_pair() {   # pick_pair PERCENT_TRUSTED
    if [ "$(svc_rand 1 100)" -le "$1" ]; then svc_pick "${trusted[@]}"; else svc_pick "${refused[@]}"; fi
}

rsh_pcap=$rsh_dir/rsh-$FC_BATCH.pcap
capture_start "$rsh_pcap" "tcp port 514"
rsh_runs=40
for s in $(seq $rsh_runs); do
    pick_impl rshd
    pair=$(pick_pair 85)
    cu=${pair%%:*} ru=${pair#*:}
    pick_job "$s"
    cmd=$job_cmd in=/dev/null
    [ -n "$job_in" ] && in=$W/up/$job_in
    case $(svc_pick rsh rsh rsh rsh redone redone redone pdsh rcp rcp) in
    rsh)    cli "$cu" timeout 60 netkit-rsh $(svc_pick "" "" -d) -l "$ru" "$srv_host" "$cmd" < "$in" ;;
    redone) if [ "$(svc_rand 1 2)" = 1 ]; then
                cli "$cu" timeout 60 rsh-redone-rsh $(svc_pick "" -4) -l "$ru" "$srv_host" "$cmd" < "$in"
            else
                cli "$cu" timeout 60 rsh-redone-rsh "$ru@$srv_host.$domain" "$cmd" < "$in"
            fi ;;
    pdsh)   # pdsh binds its reserved ports itself (not setuid): run by root, one connection per node
        ru=$(svc_pick alice alice build build dave)
        [ -z "$job_in" ] || cmd=$(svc_pick "uname -r" "cat /proc/loadavg" "df -h /" "free -m" "who | wc -l" "ls -l uploads")
        cli root timeout 60 pdsh -R rsh -l "$ru" -w "node[1-$(svc_rand 1 4)]" $(svc_pick "" "" -N "-f 1" -S) "$cmd" < /dev/null ;;
    rcp)
        d=$W/dl/s$s
        mkdir -p "$d"
        chmod 777 "$d"
        case $(svc_rand 1 5) in
        1|2) cli "$cu" timeout 60 netkit-rcp $(svc_pick "" -p) "$ru@$srv_host:$(pick_file)" "$d/" ;;
        3)   cli "$cu" timeout 60 netkit-rcp -r $(svc_pick "" -p) "$ru@$srv_host:$(svc_pick src logs)" "$d/" ;;
        4)   cli "$cu" timeout 60 netkit-rcp $(svc_pick "" -p) "$W/up/$(svc_pick msg.txt notes.md data.csv photo.jpg job.sh site.tar)" \
                 "$ru@$srv_host:uploads/" ;;
        5)   cli "$cu" timeout 60 netkit-rcp -r "$W/up/tree" "$ru@$srv_host:uploads/tree-$s" ;;
        esac ;;
    esac >/dev/null 2>&1
    pause
done
capture_stop
svc_end RSH "$rsh_pcap" $rsh_runs || exit 1

# rlogin: a person at the terminal, played by expect from a plan
cat > "$W/rlogin.exp" <<'EOF'
# rlogin.exp PLAN USER CLIENT ARGS...: PLAN's first line the window size, the second the
# passwords to type when asked (in order; none left: give up), then one step a line
set plan [lindex $argv 0]
set user [lindex $argv 1]
set timeout 15
log_user 0
set send_human {.06 .2 1 .02 .5}
set prompt {[$#] $}
set f [open $plan]
set steps [split [read -nonewline $f] "\n"]
close $f
spawn -noecho {*}[lrange $argv 2 end]
stty rows [lindex $steps 0 0] columns [lindex $steps 0 1] < $spawn_out(slave,name)
set pws [lindex $steps 1]
expect {
    -re "assword: ?$" {
        if {[llength $pws] == 0} {
            # gives up: ^C, and if login ignores it, closes the terminal
            sleep 1.5
            send "\003"
            set timeout 3
            expect eof { exit 0 } timeout {}
            close
            wait
            exit 0
        }
        sleep [expr {0.5 + [string length [lindex $pws 0]] * 0.05}]
        send -h -- "[lindex $pws 0]\r"
        set pws [lrange $pws 1 end]
        exp_continue
    }
    -re "login: ?$" { sleep 1; send -h -- "$user\r"; exp_continue }
    -re $prompt {}
    eof { exit 0 }
    timeout { exit 1 }
}
foreach step [lrange $steps 2 end] {
    regexp {^(\S+) ?(.*)$} $step -> verb rest
    switch -- $verb {
        type  { send -h -- "$rest\r" }
        keys  { send -h -- [subst -nocommands -novariables $rest] }
        sleep { sleep $rest }
        wait  { expect -re $prompt {} eof { exit 0 } }
        end   { set timeout 5; expect eof }
    }
}
EOF

# one rlogin session's plan: window, passwords, then steps (typed commands, keys, pauses)
rlogin_plan() {   # rlogin_plan SEED CLIENT PASSWORDS...
    "$SVC_PYTHON" - "$@" "${files[@]}" <<'PY'
import random, sys
seed, client, pws = int(sys.argv[1]), sys.argv[2], sys.argv[3]
files = sys.argv[4:]
rng = random.Random(seed)
out = ["%d %d" % rng.choice([(24, 80), (25, 80), (40, 120), (50, 132), (60, 200), (35, 100)]), pws]
def pause(lo, hi):
    out.append("sleep %.2f" % rng.uniform(lo, hi))
def cmd(c):
    out.extend(["type " + c, "wait"]); pause(0.3, 1.5)
pause(0.3, 1.5)
for _ in range(rng.randint(1, 4)):
    f = rng.choice(files)
    r = rng.random()
    if r < 0.45:
        cmd(rng.choice(["ls", "ls -la", "ls -l logs", "pwd", "id", "w", "who", "uptime", "df -h", "date", "ps ux",
                        "cat " + f, "head -n 20 " + f, "wc -l " + f, "cd src && ls -l && cd", "ls -lt /tmp | head",
                        "grep ERROR app.log | tail -n 5", "cat /etc/motd", "echo $TERM", "du -sh logs",
                        "ls -l /usr/bin | wc -l", "history | tail -n 5", "uname -a", "free -m", "cat todo.txt"]))
    elif r < 0.55:
        cmd(rng.choice(["sl", "ls-la", "cta todo.txt", "exti", "pdw"]))   # typos
    elif r < 0.63:
        out.append("type less " + rng.choice(["app.log", "notes.txt", "paper.tex", "src/main.c"])); pause(0.8, 2)
        for _ in range(rng.randint(0, 3)):
            out.append("keys  "); pause(0.4, 1.5)
        out.extend(["keys q", "wait"]); pause(0.3, 1.5)
    elif r < 0.69:
        out.append("type top"); pause(1.5, 4)
        out.extend(["keys q", "wait"]); pause(0.3, 1.5)
    elif r < 0.75:
        out.append("type tail -f app.log"); pause(1.5, 4)
        out.extend(["keys \\003", "wait"]); pause(0.3, 1.5)
    elif r < 0.83:
        name = rng.choice(["todo.txt", "notes.txt", "plan-%d.txt" % rng.randint(1, 99)])
        out.append("type vi " + name); pause(0.8, 2)
        if rng.random() < 0.6:
            text = " ".join(rng.choice(["fix", "the", "queue", "after", "backup", "call", "bob", "about", "disk",
                                        "quota", "run", "tests", "again", "monday"]) for _ in range(rng.randint(3, 10)))
            out.extend(["keys Go", "keys " + text, "sleep 0.4", "keys \\033:wq\\r"])
        else:
            out.append("keys :q!\\r")
        out.append("wait"); pause(0.3, 1.5)
    elif r < 0.94:
        cmd(rng.choice(["cat " + f, "ls -l /usr/bin", "cat app.log", "ls -lR /usr/share/doc | head -n 400"]))
    else:
        pause(5, 12)   # away from the keyboard
bye = rng.choice(["type exit", "type exit", "type logout", "keys \\004"] + (["keys ~."] if client == "netkit" else []))
out += [bye, "end"]
print("\n".join(out))
PY
}

rlogin_pcap=$rlogin_dir/rlogin-$FC_BATCH.pcap
capture_start "$rlogin_pcap" "tcp port 513"
rlogin_runs=36
for s in $(seq $rlogin_runs); do
    pick_impl rlogind
    pair=$(pick_pair 45)
    cu=${pair%%:*} ru=${pair#*:}
    right=${pw[$ru]:-nopass}
    # refused pairs are asked for a password: typed right, right after a typo, or never
    case $(svc_rand 1 6) in
    1)   pws="wrong$(svc_rand 1 99) $(svc_pick "$right" "${right}x" "${right,,}")" ;;
    2)   pws=$(svc_pick "" "${right}1" "letmein ${right:1}" "password $(svc_rand 1000 9999) qwerty") ;;
    *)   pws=$right ;;
    esac
    client=$(svc_pick netkit netkit redone)
    rlogin_plan "$FC_SEED$s" "$client" "$pws" > "$W/plan-$s"
    TERM=$(svc_pick xterm xterm-256color vt100 vt220 linux screen ansi)
    export TERM
    if [ "$client" = netkit ]; then
        cli "$cu" timeout 120 expect "$W/rlogin.exp" "$W/plan-$s" "$ru" netkit-rlogin $(svc_pick "" "" -8 -E) -l "$ru" "$srv_host"
    elif [ "$(svc_rand 1 2)" = 1 ]; then
        cli "$cu" timeout 120 expect "$W/rlogin.exp" "$W/plan-$s" "$ru" rsh-redone-rlogin -l "$ru" "$srv_host"
    else
        cli "$cu" timeout 120 expect "$W/rlogin.exp" "$W/plan-$s" "$ru" rsh-redone-rlogin "$ru@$srv_host.$domain"
    fi >/dev/null 2>&1
    pause
done
capture_stop
svc_end Rlogin "$rlogin_pcap" $rlogin_runs || exit 1

# rexec: glibc's rexec(3) (stderr on a second connection or not, data piped in), or the
# protocol's NUL-ended fields typed through ncat
cat > "$W/rexec.py" <<'EOF'
import ctypes, socket, sys
host, user, password, command, want_err, infile = sys.argv[1:7]
libc = ctypes.CDLL("libc.so.6", use_errno=True)
ahost = ctypes.c_char_p(host.encode())
fd2 = ctypes.c_int(-1)
fd = libc.rexec_af(ctypes.byref(ahost), socket.htons(512), user.encode(), password.encode(), command.encode(),
                   ctypes.byref(fd2) if want_err == "1" else None, socket.AF_INET)
if fd < 0:
    sys.exit(1)
s = socket.socket(fileno=fd)
if infile:
    with open(infile, "rb") as f:
        s.sendall(f.read())
    s.shutdown(socket.SHUT_WR)
while s.recv(65536):
    pass
if fd2.value >= 0:
    e = socket.socket(fileno=fd2.value)
    while e.recv(65536):
        pass
EOF

rexec_pcap=$rexec_dir/rexec-$FC_BATCH.pcap
capture_start "$rexec_pcap" "tcp port 512"
rexec_runs=40
for s in $(seq $rexec_runs); do
    ru=$(svc_pick "${srv_users[@]}")
    pass=${pw[$ru]}
    case $(svc_rand 1 10) in
    1) pass=$(svc_pick "${pass}0" "${pass,,}" "secret" "changeme" "") ;;
    2) ru=$(svc_pick root mallory oracle admin); pass=$(svc_pick toor "" admin123 "${pw[alice]}") ;;
    3) [ "$(svc_rand 1 2)" = 1 ] && pass="$pass-$(svc_pick correct-horse-battery staple0123456789)" ;;
    esac
    cu=$(svc_pick root root "${cli_users[@]}")
    pick_job "$s"
    cmd=$job_cmd in=""
    [ -n "$job_in" ] && in=$W/up/$job_in
    if [ "$(svc_rand 1 4)" -le 3 ]; then
        cli "$cu" timeout 60 "$SVC_PYTHON" "$W/rexec.py" "$srv_host" "$ru" "$pass" "$cmd" "$(svc_pick 0 1 1)" "$in"
    else
        port=$(svc_pick 0 "")
        { printf '%s\0%s\0%s\0%s\0' "$port" "$ru" "$pass" "$cmd"; [ -z "$in" ] || cat "$in"; } |
            cli "$cu" timeout 60 ncat "$srv_host" 512
    fi >/dev/null 2>&1
    pause
done
capture_stop
svc_end Rexec "$rexec_pcap" $rexec_runs
