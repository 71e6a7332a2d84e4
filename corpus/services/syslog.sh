#!/usr/bin/env bash
# corpus/services/syslog.sh OUTDIR: syslog sessions (class Syslog) sent to rsyslogd
# (Debian's rsyslog: imudp on port 514, writing to files) by logger (util-linux, Debian's
# bsdutils), by a second rsyslogd forwarding its local messages (omfwd), and by Python's
# logging.handlers.SysLogHandler, in two network namespaces. UDP only: syslog over TCP
# (RFC 6587) is one-way text in full segments, and a model that also learnt it called 12
# one-way TCP flows of other protocols in the shared corpus (FTP data, HTTP, Jabber...)
# Syslog, against none with UDP alone (corpus/services/README.md). Messages: RFC 3164 and
# RFC 5424 (with or without timeQuality, time and host, structured data, MSGID), many
# facilities and priorities, from "hosts" of many names (a UTS namespace each), of many
# kinds: sshd and sudo logins, cron jobs, kernel-like lines (firewall drops, disks, links,
# OOM), web access logs, postfix, systemd and daemons, firewall key=value records, app logs
# with stack traces, JSON payloads (@cee and bare), and sizes from a few bytes to a few KB.
# A session is one sender socket: one logger run (one message, a burst from a file, or a
# trickle from a pipe with pauses), one client rsyslogd run (a burst of local programs'
# messages through its own socket, forwarded with one of rsyslog's forward templates), or
# one Python handler. The server and the client rsyslogd use private configurations under
# $SVC_WORK; no system socket (/dev/log) is touched.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/Syslog/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=514
dir=$(svc_class_dir Syslog)
pcap=$dir/syslog-$FC_BATCH.pcap
srv=$NETNS_SRV_IP


mkdir -p "$SVC_WORK/srv/spool" "$SVC_WORK/srv/logs"
cat > "$SVC_WORK/srv/rsyslog.conf" <<EOF
global(workDirectory="$SVC_WORK/srv/spool" net.enableDNS="off" maxMessageSize="16k")
module(load="imudp")
input(type="imudp" address="$srv" port="$port")
template(name="PerHost" type="string" string="$SVC_WORK/srv/logs/%fromhost-ip%/%programname%.log")
*.* action(type="omfile" dynaFile="PerHost" dirCreateMode="0755")
EOF
bg_srv rsyslogd -n -f "$SVC_WORK/srv/rsyslog.conf" -i "$SVC_WORK/srv/rsyslogd.pid"
wait_port udp $port || exit 1
capture_start "$pcap" "udp port $port"

# msgs SEED KIND N FILE [prio-prefix]: N messages of KIND (one a line) into FILE; prints the
# sending program's "TAG PRIORITY PID" (PID 0: none)
msgs() {
    $SVC_PYTHON - "$@" <<'PY'
import json, random, sys, uuid
seed, kind, n, path = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
prefix = len(sys.argv) > 5
rng = random.Random(seed)
r, pick = rng.randint, rng.choice
users = ["alice", "bob", "carol", "deploy", "backup", "www-data", "root", "jenkins", "ubuntu", "admin", "git", "oracle", "test"]
def ip(): return pick([f"10.{r(0,255)}.{r(0,255)}.{r(1,254)}", f"192.168.{r(0,20)}.{r(1,254)}",
                       f"172.{r(16,31)}.{r(0,255)}.{r(1,254)}", f"{r(1,223)}.{r(0,255)}.{r(0,255)}.{r(1,254)}"])
def hexs(k): return "".join(rng.choices("0123456789abcdef", k=k))
def mac(): return ":".join(hexs(2) for _ in range(6))
def word(a=3, b=10): return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=r(a, b)))
def path_(): return "/" + "/".join(pick(["api", "v1", "v2", "static", "img", "users", "orders", "search", "login",
                                        "health", "assets", "js", "css", "items", "wp-admin", "cart"]) for _ in range(r(1, 4)))
def stamp(): return f"2026-11-{r(1,28):02d}T{r(0,23):02d}:{r(0,59):02d}:{r(0,59):02d}.{r(0,999999):06d}Z"
uptime = rng.uniform(10, 900000)

def auth():
    u, a, p = pick(users), ip(), r(1024, 65535)
    return pick([f"Accepted {pick(['publickey', 'password', 'keyboard-interactive/pam'])} for {u} from {a} port {p} ssh2" +
                 (f": {pick(['RSA', 'ED25519', 'ECDSA'])} SHA256:{hexs(43)}" if rng.random() < 0.5 else ""),
                 f"Failed password for {pick(['', 'invalid user '])}{pick(users + ['support', 'pi', 'user1'])} from {a} port {p} ssh2",
                 f"Invalid user {word()} from {a} port {p}",
                 f"pam_unix(sshd:session): session opened for user {u}(uid={r(0, 1005)}) by (uid=0)",
                 f"pam_unix(sshd:session): session closed for user {u}",
                 f"Received disconnect from {a} port {p}:11: disconnected by user",
                 f"Disconnected from user {u} {a} port {p}",
                 f"Connection closed by authenticating user {u} {a} port {p} [preauth]",
                 f"error: maximum authentication attempts exceeded for root from {a} port {p} ssh2 [preauth]",
                 f"Server listening on 0.0.0.0 port 22."])
def sudo():
    u = pick(users)
    cmd = pick(["/usr/bin/apt update", "/usr/bin/systemctl restart nginx", "/usr/bin/tail -f /var/log/syslog",
                "/bin/bash", f"/usr/bin/docker logs {word()}", "/usr/sbin/reboot", f"/usr/bin/journalctl -u {word()}",
                f"/usr/bin/vim /etc/{word()}.conf", "/usr/bin/apt-get -y upgrade"])
    return pick([f"{u:>8} : TTY=pts/{r(0, 9)} ; PWD=/home/{u} ; USER=root ; COMMAND={cmd}",
                 f"pam_unix(sudo:session): session opened for user root(uid=0) by {u}(uid={r(1000, 1010)})",
                 "pam_unix(sudo:session): session closed for user root",
                 f"{u:>8} : 3 incorrect password attempts ; TTY=pts/{r(0, 9)} ; PWD=/home/{u} ; USER=root ; COMMAND={cmd}"])
def cron():
    u = pick(["root", "www-data", "backup", pick(users)])
    return pick([f"({u}) CMD ({pick(['command -v debian-sa1 > /dev/null && debian-sa1 1 1', '   cd / && run-parts --report /etc/cron.hourly', 'php /var/www/html/cron.php >/dev/null 2>&1', '/usr/local/bin/backup.sh --incremental', '[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi', 'certbot -q renew'])})",
                 f"pam_unix(cron:session): session opened for user {u}(uid={r(0, 1005)}) by (uid=0)",
                 f"pam_unix(cron:session): session closed for user {u}",
                 f"({u}) MAIL (mailed {r(1, 4000)} bytes of output but got status 0x004b from MTA)"])
def kernel():
    pre = f"[{uptime + r(0, 5000):12.6f}] "
    return pre + pick([
        f"[UFW BLOCK] IN=eth0 OUT= MAC={mac()}:{mac()}:08:00 SRC={ip()} DST={ip()} LEN={r(40, 1500)} TOS=0x00 PREC=0x00 TTL={r(30, 128)} ID={r(0, 65535)} {pick(['DF ', ''])}PROTO={pick(['TCP', 'UDP'])} SPT={r(1024, 65535)} DPT={pick([22, 23, 80, 443, 3389, 445, 5060, 8080, r(1, 65535)])} " +
        pick([f"WINDOW={r(1000, 65535)} RES=0x00 SYN URGP=0", f"LEN={r(8, 500)}"]),
        f"EXT4-fs ({pick(['sda1', 'sdb2', 'nvme0n1p2', 'dm-0'])}): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.",
        f"usb {r(1, 4)}-{r(1, 6)}: new high-speed USB device number {r(2, 30)} using xhci_hcd",
        f"e1000e 0000:00:{r(10, 31):02x}.0 eth{r(0, 2)}: NIC Link is {pick(['Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx', 'Down'])}",
        f"Out of memory: Killed process {r(300, 60000)} ({pick(['java', 'php-fpm', 'node', 'mysqld', 'chrome'])}) total-vm:{r(10**5, 10**7)}kB, anon-rss:{r(10**4, 10**6)}kB, file-rss:{r(0, 9999)}kB, shmem-rss:0kB, UID:{r(0, 1000)} pgtables:{r(100, 9000)}kB oom_score_adj:0",
        f"nf_conntrack: nf_conntrack: table full, dropping packet",
        f"{pick(['sd', 'ata'])} {r(0, 5)}:0:0:0: [sd{pick('abc')}] tag#{r(0, 31)} FAILED Result: hostbyte=DID_OK driverbyte=DRIVER_OK cmd_age={r(0, 30)}s",
        f"audit: type=1400 audit({r(1700000000, 1800000000)}.{r(100, 999)}:{r(10, 999)}): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/{word()}\" name=\"/etc/{word()}\" pid={r(100, 60000)} comm=\"{word()}\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0",
        f"TCP: request_sock_TCP: Possible SYN flooding on port {pick([80, 443, 8080])}. Sending cookies.  Check SNMP counters."])
def web():
    st = pick([200, 200, 200, 304, 301, 404, 500, 403, 502])
    ua = pick(["Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
               "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36",
               "curl/7.88.1", "python-requests/2.28.1", "Go-http-client/1.1", "kube-probe/1.28"])
    q = f"?{word()}={r(1, 9999)}" if rng.random() < 0.4 else ""
    return pick([
        f"{ip()} - {pick(['-', pick(users)])} [{r(1, 28):02d}/Nov/2026:{r(0, 23):02d}:{r(0, 59):02d}:{r(0, 59):02d} +0000] \"{pick(['GET', 'GET', 'POST', 'HEAD', 'PUT'])} {path_()}{q} HTTP/1.1\" {st} {r(0, 90000)} \"{pick(['-', 'https://example.org/'])}\" \"{ua}\"",
        f"{ip()}:{r(1024, 65535)} [{r(1, 28):02d}/Nov/2026:{r(0, 23):02d}:{r(0, 59):02d}:{r(0, 59):02d}.{r(0, 999):03d}] www~ bk_app/app{r(1, 4)} {r(0, 20)}/{r(0, 5)}/{r(0, 9)}/{r(0, 300)}/{r(0, 900)} {st} {r(100, 50000)} - - ---- {r(1, 900)}/{r(1, 900)}/{r(0, 50)}/{r(0, 9)}/0 0/0 \"GET {path_()} HTTP/1.1\"",
        f"{r(2026, 2026)}/11/{r(1, 28):02d} {r(0, 23):02d}:{r(0, 59):02d}:{r(0, 59):02d} [error] {r(100, 9000)}#{r(0, 9)}: *{r(1, 99999)} open() \"/var/www/html{path_()}\" failed (2: No such file or directory), client: {ip()}, server: _, request: \"GET {path_()} HTTP/1.1\", host: \"{word()}.example.com\""])
def mail():
    qid = hexs(10).upper()
    return pick([f"connect from {pick(['unknown', word() + '.example.net'])}[{ip()}]",
                 f"{qid}: client={word()}.example.com[{ip()}]",
                 f"{qid}: message-id=<{hexs(16)}@{word()}.example.com>",
                 f"{qid}: from=<{pick(users)}@{word()}.org>, size={r(300, 900000)}, nrcpt={r(1, 5)} (queue active)",
                 f"{qid}: to=<{pick(users)}@{word()}.com>, relay={word()}.mx.example.net[{ip()}]:25, delay={rng.uniform(0, 9):.2f}, delays=0.0{r(1, 9)}/0/0.{r(1, 9)}/0.{r(1, 9)}, dsn=2.0.0, status=sent (250 2.0.0 OK {r(10**9, 10**10)})",
                 f"disconnect from unknown[{ip()}] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
                 f"NOQUEUE: reject: RCPT from unknown[{ip()}]: 554 5.7.1 <{pick(users)}@example.com>: Relay access denied; from=<{word()}@{word()}.ru> to=<{pick(users)}@example.com> proto=ESMTP helo=<{word()}>",
                 f"{qid}: removed"])
def system():
    return pick([f"Started Session {r(1, 9999)} of User {pick(users)}.", f"Starting {pick(['Daily apt upgrade and clean activities', 'Rotate log files', 'Cleanup of Temporary Directories', 'Discard unused blocks'])}...",
                 f"{pick(['nginx', 'docker', 'ssh', 'cron', 'postgresql@15-main'])}.service: Deactivated successfully.",
                 f"{pick(['app', 'worker', 'gunicorn'])}.service: Main process exited, code=exited, status={r(1, 255)}/FAILURE",
                 f"DHCPREQUEST for {ip()} on eth0 to {ip()} port 67", f"DHCPACK of {ip()} from {ip()}", f"bound to {ip()} -- renewal in {r(100, 40000)} seconds.",
                 f"client @0x7f{hexs(10)} {ip()}#{r(1024, 65535)} ({word()}.example.com): query: {word()}.example.com IN {pick(['A', 'AAAA', 'MX', 'TXT'])} +E(0)K ({ip()})",
                 f"adjusting local clock by {rng.uniform(-0.5, 0.5):.6f}s", f"Listen normally on {r(2, 9)} eth0 {ip()}:123",
                 f"Reloading.", f"Finished {pick(['logrotate.service', 'apt-daily.service', 'man-db.service'])} - {pick(['Rotate log files', 'Daily apt download activities', 'Daily man-db regeneration'])}."])
def firewall():
    return pick([
        f"date=2026-11-{r(1, 28):02d} time={r(0, 23):02d}:{r(0, 59):02d}:{r(0, 59):02d} devname=\"FGT{r(40, 600)}E\" devid=\"FGT{hexs(12).upper()}\" logid=\"00000000{r(10, 20)}\" type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" srcip={ip()} srcport={r(1024, 65535)} srcintf=\"port{r(1, 8)}\" dstip={ip()} dstport={pick([53, 80, 443, 123, 25])} dstintf=\"wan1\" poluuid=\"{uuid.UUID(int=rng.getrandbits(128))}\" sessionid={r(10**5, 10**8)} proto={pick([6, 17])} action=\"{pick(['accept', 'close', 'deny', 'timeout'])}\" policyid={r(1, 40)} service=\"{pick(['HTTPS', 'DNS', 'HTTP', 'NTP'])}\" duration={r(0, 900)} sentbyte={r(40, 10**6)} rcvdbyte={r(0, 10**7)} sentpkt={r(1, 900)} rcvdpkt={r(0, 900)}",
        f"{r(1, 999)}: *Nov {r(1, 28)} {r(0, 23):02d}:{r(0, 59):02d}:{r(0, 59):02d}.{r(0, 999):03d}: %{pick(['LINK-3-UPDOWN', 'LINEPROTO-5-UPDOWN'])}: {pick(['Interface', 'Line protocol on Interface'])} GigabitEthernet{r(0, 1)}/{r(0, 48)}, changed state to {pick(['up', 'down'])}",
        f"{r(1, 999)}: *Nov {r(1, 28)} {r(0, 23):02d}:{r(0, 59):02d}:{r(0, 59):02d}.{r(0, 999):03d}: %SEC-6-IPACCESSLOGP: list {pick(['101', 'OUTSIDE_IN', 'vty-access'])} {pick(['denied', 'permitted'])} {pick(['tcp', 'udp'])} {ip()}({r(1024, 65535)}) -> {ip()}({pick([22, 23, 80, 443])}), {r(1, 40)} packet{pick(['', 's'])}",
        f"%ASA-{pick(['4-106023', '6-302013', '6-302014', '3-710003'])}: {pick(['Deny', 'Built inbound', 'Teardown'])} {pick(['tcp', 'udp'])} src outside:{ip()}/{r(1024, 65535)} dst inside:{ip()}/{pick([22, 80, 443, 3389])} by access-group \"outside_access_in\" [0x{hexs(8)}, 0x0]"])
def app():
    lvl = pick(["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"])
    if lvl == "ERROR" and rng.random() < 0.6:  # a stack trace folded into one message
        frames = " ".join(f"at com.example.{word()}.{word().capitalize()}.{word()}({word().capitalize()}.java:{r(10, 900)})" for _ in range(r(3, 40)))
        return f"ERROR [{word()}-{r(1, 16)}] {pick(['java.lang.NullPointerException', 'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.', 'java.io.IOException: Broken pipe'])} {frames}"
    return f"{lvl} [{pick(['worker', 'http-nio-8080-exec', 'main', 'scheduler'])}-{r(1, 16)}] " + pick([
        f"Processed job {r(1, 99999)} in {r(1, 5000)} ms", f"db pool: active={r(0, 20)} idle={r(0, 20)} waiting={r(0, 9)}",
        f"GET {path_()} -> {pick([200, 404, 500])} ({r(1, 900)} ms)", f"cache {pick(['hit', 'miss'])} key={word()}:{r(1, 9999)}",
        f"user {pick(users)} logged in from {ip()}", f"retrying upload of {word()}.{pick(['csv', 'tar.gz', 'json'])} (attempt {r(2, 5)}/5)",
        f"config reloaded: {r(1, 90)} keys changed", f"heartbeat ok seq={r(1, 10**6)}", "shutting down gracefully", "started"])
def jsonmsg():
    d = {"ts": stamp(), "level": pick(["info", "info", "debug", "warn", "error"]),
         "msg": pick(["request served", "job finished", "cache refreshed", "login", "payment authorised", "queue lag"]),
         "service": pick(["api", "billing", "auth", "search", "ingest"]), "host": f"{word()}-{r(1, 30)}"}
    if rng.random() < 0.7:
        d.update(method=pick(["GET", "POST", "PUT", "DELETE"]), path=path_(), status=pick([200, 201, 204, 400, 404, 500]),
                 duration_ms=round(rng.uniform(0.2, 3000), 2), remote=ip(), req_id=str(uuid.UUID(int=rng.getrandbits(128))))
    if rng.random() < 0.3:
        d["user"] = {"id": r(1, 10**6), "name": pick(users), "roles": rng.sample(["admin", "dev", "ops", "viewer", "billing"], r(1, 3))}
    if rng.random() < 0.25:
        d["items"] = [{"sku": hexs(8), "qty": r(1, 9), "price": round(rng.uniform(1, 500), 2)} for _ in range(r(1, 25))]
    s = json.dumps(d, separators=(",", ":") if rng.random() < 0.6 else (", ", ": "))
    return ("@cee: " + s) if rng.random() < 0.4 else s

kinds = {  # kind: (message maker, program tags, priorities, has a pid)
    "auth": (auth, ["sshd"], ["auth.info", "authpriv.info", "auth.notice"], True),
    "sudo": (sudo, ["sudo"], ["authpriv.notice", "auth.notice", "authpriv.err"], False),
    "cron": (cron, ["CRON", "cron"], ["cron.info", "cron.notice"], True),
    "kernel": (kernel, ["kernel"], ["kern.warning", "kern.info", "kern.err", "kern.notice"], False),
    "web": (web, ["nginx", "apache2", "haproxy", "nginx-access"], ["local7.info", "local0.info", "local6.notice", "daemon.err"], True),
    "mail": (mail, ["postfix/smtpd", "postfix/qmgr", "postfix/smtp", "postfix/cleanup"], ["mail.info", "mail.warning"], True),
    "system": (system, ["systemd", "dhclient", "named", "ntpd", "systemd-logind"], ["daemon.info", "daemon.notice", "daemon.warning"], True),
    "firewall": (firewall, ["fw", "FGT", "asa", "edge-rtr"], ["local4.notice", "local4.warning", "local5.info", "user.alert"], False),
    "app": (app, ["billing-worker", "api-gateway", "backup.sh", "node", "java", "myapp", "gunicorn"], ["user.info", "local0.warning", "local3.err", "user.notice", "local2.debug"], True),
    "json": (jsonmsg, ["app-json", "ingest", "api", "vector", "svc"], ["local1.info", "user.info", "local0.notice", "local5.err"], True),
}
make, tags, prios, has_pid = kinds[kind]
sev = {"emerg": 0, "alert": 1, "crit": 2, "err": 3, "warning": 4, "notice": 5, "info": 6, "debug": 7}
fac = {"kern": 1, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "lpr": 6, "cron": 9, "authpriv": 10,
       **{f"local{i}": 16 + i for i in range(8)}}
with open(path, "w") as f:
    for _ in range(n):
        line = make()
        if prefix:   # logger --prio-prefix: each line its own priority
            fa, se = pick(prios).split(".")
            line = f"<{fac[fa] * 8 + sev[se]}>" + line
        f.write(line + "\n")
print(pick(tags), pick(prios), r(200, 65000) if has_pid else 0)
PY
}

hosts=(web-01 web-02 db-prod-2 fw-edge mail.example.org ns1 build-agent-7 k8s-node-3 app01.corp.example.com
       backup nas-01 vpn-gw srv-ldap-01 pve2 edge-rtr-1 lb-a raspberrypi cam-04 dev-laptop ci-runner-12)
kinds=(auth auth sudo cron kernel web web mail system firewall app app json json)
# on_host HOST CMD...: run CMD in the client namespace with its own host name (a UTS
# namespace of its own), as if another machine sent it
on_host() { local h=$1; shift; in_cli unshare --uts sh -c 'hostname "$0" && exec "$@"' "$h" "$@"; }
# the options of one logger run: the message format
format_opts() {
    case $(svc_rand 1 8) in
    1|2|3) echo --rfc3164 ;;
    4|5)   echo --rfc5424 ;;
    6)     echo --rfc5424=notq ;;
    7)     echo "--rfc5424=notq --msgid $(svc_pick ID47 AUDIT LOGIN REQ TX$(svc_rand 1 999)) --sd-id origin@32473 --sd-param software=\"$(svc_pick app cron-runner agent)\" --sd-param swVersion=\"$(svc_rand 1 9).$(svc_rand 0 20)\"" ;;
    8)     echo --rfc5424=notime,nohost ;;
    esac
}
# ARGS: the logger arguments, an array (from TAG PRIO PID and the options)
logger_args() {
    local tag=$1 prio=$2 pid=$3; shift 3
    ARGS=(logger --server "$srv" --port $port -t "$tag" -p "$prio")
    [ "$pid" != 0 ] && ARGS+=("--id=$pid")
    ARGS+=("$@")
}

# client rsyslogd: local programs log through its own socket; omfwd forwards everything
client_rsyslogd() {
    local s=$1 cw=$SVC_WORK/cli-$s h tpl
    mkdir -p "$cw/spool"
    h=$(svc_pick "${hosts[@]}")
    tpl=$(svc_pick RSYSLOG_TraditionalForwardFormat RSYSLOG_TraditionalForwardFormat RSYSLOG_ForwardFormat RSYSLOG_SyslogProtocol23Format)
    cat > "$cw/rsyslog.conf" <<EOF
global(workDirectory="$cw/spool" localHostName="$h" maxMessageSize="8k")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$cw/log.sock")
*.* action(type="omfwd" target="$srv" port="$port" protocol="udp" template="$tpl")
EOF
    # ip netns exec execs rsyslogd: $! is the daemon itself
    ip netns exec "$NETNS_CLI" rsyslogd -n -f "$cw/rsyslog.conf" -i "$cw/rsyslogd.pid" &
    local rpid=$! i k tag prio pid
    for i in $(seq 50); do [ -S "$cw/log.sock" ] && break; sleep 0.1; done
    # a few local programs, each a few lines, with small pauses
    for k in $(seq "$(svc_rand 1 5)"); do
        read -r tag prio pid < <(msgs "$FC_SEED$s$k" "$(svc_pick "${kinds[@]}")" "$(svc_rand 1 12)" "$cw/m$k")
        ARGS=(logger -u "$cw/log.sock" -t "$tag" -p "$prio")
        [ "$pid" != 0 ] && ARGS+=("--id=$pid")
        in_cli "${ARGS[@]}" -f "$cw/m$k"
        sleep "0.$(svc_rand 0 6)"
    done
    sleep 0.5
    kill -TERM "$rpid" 2>/dev/null
    wait "$rpid" 2>/dev/null
}

# Python's SysLogHandler: an application logging straight to the server
python_handler() {
    in_cli timeout 60 "$SVC_PYTHON" - "$srv" "$port" "$1" <<'PY'
import logging, logging.handlers, random, socket, sys, time
host, port, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
name = rng.choice(["webapp", "etl", "scheduler", "payments", "inventory", "notifier"])
h = logging.handlers.SysLogHandler(address=(host, port), facility=rng.choice(["user", "local0", "local3", "daemon"]),
                                   socktype=socket.SOCK_DGRAM)
fmt = rng.choice(["%(name)s[%(process)d]: %(levelname)s %(message)s", "%(name)s: %(message)s",
                  "%(asctime)s %(name)s %(levelname)s %(module)s:%(lineno)d %(message)s",
                  '{"logger":"%(name)s","level":"%(levelname)s","msg":"%(message)s"}'])
if rng.random() < 0.5:
    h.append_nul = False
h.setFormatter(logging.Formatter(fmt))
log = logging.getLogger(name); log.addHandler(h); log.setLevel(logging.DEBUG); log.propagate = False
for i in range(rng.randint(1, 25)):
    lvl = rng.choice([logging.DEBUG, logging.INFO, logging.INFO, logging.INFO, logging.WARNING, logging.ERROR])
    log.log(lvl, rng.choice(["processed batch %d (%d rows)" % (rng.randint(1, 9999), rng.randint(0, 10**6)),
                             "connection to %s:%d lost, reconnecting" % (rng.choice(["db", "redis", "mq"]), rng.choice([5432, 6379, 5672])),
                             "order %d status=%s" % (rng.randint(10**5, 10**6), rng.choice(["paid", "shipped", "failed"])),
                             "slow query took %.1f ms: SELECT * FROM %s WHERE id = %d" % (rng.uniform(100, 9000), rng.choice(["users", "orders"]), rng.randint(1, 10**6)),
                             "token refreshed", "worker %d idle" % rng.randint(1, 32)]))
    time.sleep(rng.choice([0, 0, 0.01, 0.05, 0.2, 0.6]))
h.close()
PY
}

# the sessions' kinds, a fixed mix in a seeded order
plan=( $(printf 'one %.0s' $(seq 10)) $(printf 'burst %.0s' $(seq 10)) $(printf 'trickle %.0s' $(seq 6))
       $(printf 'fwd %.0s' $(seq 9)) $(printf 'py %.0s' $(seq 5)) )
for (( i = ${#plan[@]} - 1; i > 0; i-- )); do
    j=$(svc_rand 0 "$i"); t=${plan[i]}; plan[i]=${plan[j]}; plan[j]=$t
done
sessions=${#plan[@]}
for s in $(seq $sessions); do
    f=$SVC_WORK/msgs-$s
    kind=$(svc_pick "${kinds[@]}")
    h=$(svc_pick "${hosts[@]}")
    case ${plan[s - 1]} in
    one)      # a single message over UDP (a script, a device)
        read -r tag prio pid < <(msgs "$FC_SEED$s" "$kind" 1 "$f")
        logger_args "$tag" "$prio" "$pid" --udp $(format_opts)
        on_host "$h" "${ARGS[@]}" "$(cat "$f")" ;;
    burst)    # a burst of messages from a file over UDP, some with a priority on every line
        pp=$(svc_pick "" "" "" --prio-prefix)
        read -r tag prio pid < <(msgs "$FC_SEED$s" "$kind" "$(svc_rand 2 40)" "$f" $pp)
        logger_args "$tag" "$prio" "$pid" --udp $(format_opts) $pp
        if [ -n "$pp" ]; then on_host "$h" "${ARGS[@]}" < "$f"; else on_host "$h" "${ARGS[@]}" -f "$f"; fi ;;
    trickle)  # a program's output piped to logger over UDP, a line now and then
        read -r tag prio pid < <(msgs "$FC_SEED$s" "$kind" "$(svc_rand 3 10)" "$f")
        logger_args "$tag" "$prio" "$pid" --udp $(format_opts)
        while read -r line; do echo "$line"; sleep "$(svc_pick 0.1 0.3 0.6 1.2 2)"; done < "$f" |
            on_host "$h" "${ARGS[@]}" ;;
    fwd)      client_rsyslogd "$s" ;;
    py)       python_handler "$FC_SEED$s" ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end Syslog "$pcap" $sessions
