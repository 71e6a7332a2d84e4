#!/usr/bin/env bash
# corpus/services/zabbix.sh OUTDIR: Zabbix protocol sessions (class Zabbix) between Debian's
# Zabbix 6.0 programs, in two network namespaces. Two monitored hosts in the server namespace,
# zabbix_agentd (10.77.0.1) and zabbix_agent2, the Go agent (10.77.0.3), both on TCP 10050,
# <- zabbix_get from the client namespace: passive checks of a poller's item mix (agent.ping,
# CPU load, memory, file systems, interface counters, processes), discovery and inventory items
# with large answers (vfs.fs.get, system.sw.packages), file checks on an application's log and
# config, user parameters, system.run when the batch allows it, and keys the agent refuses
# (ZBX_NOTSUPPORTED); all in plain text (a PSK session is TLS to anyone: not this class's).
# The other way, TCP 10051: a real zabbix_proxy (passive, SQLite) in the client namespace, whose database is filled with this
# batch's hosts, active items and trapper items, receives the agents' active checks ("active
# checks", then "agent data" every BufferSend seconds, with the application log's new lines) and
# zabbix_sender's values (single values, files of values with and without time stamps, some for
# keys or hosts the proxy does not know). Per batch: host names, agent timeouts, listeners,
# buffers, user parameters, system.run allowed or not, the items and their intervals; per round:
# the items asked, how many in a burst, the pauses. Everything lives under $SVC_WORK (configs,
# pid files, logs, sockets, the proxy's database); nothing under /etc, /var or /run/zabbix.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/Zabbix/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
dir=$(svc_class_dir Zabbix)
pcap=$dir/zabbix-$FC_BATCH.pcap
W=$SVC_WORK
a1=$NETNS_SRV_IP a2=10.77.0.3 px=$NETNS_CLI_IP dev=$NETNS_SRV_DEV
# the second monitored host: its own address, so that both agents listen on 10050
ip -n "$NETNS_SRV" addr add "$a2/24" dev "$dev"

h1=$(svc_pick web01 db02 mail app3 backup01 kvm-host-2 ns1 gw)
h2=$(svc_pick cache01 build-7 files02 ci-runner lb1 mon-test)
runok=$(svc_pick yes yes no)
printf '# %s.conf\nlisten_port=%s\nworkers=%s\ncache_mb=%s\n' "$h1" "$(svc_pick 8080 8443 3000)" \
    "$(svc_rand 2 16)" "$(svc_pick 64 128 512)" > "$W/app.conf"
applog() {      # the application's log, read by the agents' active log items
    local i
    for i in $(seq "$(svc_rand 1 6)"); do
        printf '%s %s %s\n' "$(date '+%F %T')" "$(svc_pick INFO INFO INFO WARN ERROR)" \
            "$(svc_pick "request served in $(svc_rand 2 900) ms" "worker $(svc_rand 1 8) restarted" \
            "queue length $(svc_rand 0 400)" "cache miss ratio 0.$(svc_rand 10 99)" "login failed for user$(svc_rand 1 40)")"
    done >> "$W/app.log"
}
applog

# the agents: what both share, then each one's own options
common="Server=$px
ServerActive=$px
Timeout=$(svc_pick 3 5 10 30)
BufferSend=$(svc_rand 1 5)
RefreshActiveChecks=$(svc_pick 60 120)
UserParameter=app.version[*],echo 2.\$1.$(svc_rand 0 9)
UserParameter=app.queue,echo $(svc_rand 0 500)
$( [ "$runok" = yes ] && echo 'AllowKey=system.run[*]' )"
cat > "$W/agentd.conf" <<EOF
$common
Hostname=$h1
ListenIP=$a1
PidFile=$W/agentd.pid
LogFile=$W/agentd.log
AllowRoot=1
StartAgents=$(svc_rand 1 5)
LogRemoteCommands=$(svc_rand 0 1)
EOF
cat > "$W/agent2.conf" <<EOF
$common
Hostname=$h2
ListenIP=$a2
SourceIP=$a2
PidFile=$W/agent2.pid
LogFile=$W/agent2.log
ControlSocket=$W/agent2.sock
EOF

# the proxy's database: the schema Debian ships, then the configuration a server would have
# pushed (the hosts, their active items and trapper items), which a passive proxy loads at start
items=()
for h in "$h1" "$h2"; do
    for k in "agent.ping 3" "system.cpu.load[all,avg1] 0" "vm.memory.size[available] 3" \
            "vfs.fs.size[/,pfree] 0" "net.if.in[$dev] 3" "system.uptime 3" "proc.num[] 3" "log[$W/app.log] 2"; do
        [ "$(svc_rand 1 100)" -le 60 ] && items+=("$h 7 ${k#* } $(svc_pick 10s 15s 30s 60s) ${k% *}")
    done
    for k in "backup.status 4" "backup.duration 0" "queue.depth 3" "orders.processed 3" "cron.last_run 3"; do
        items+=("$h 2 ${k#* } 0 ${k% *}")
    done
done
printf '%s\n' "${items[@]}" > "$W/items.txt"
$SVC_PYTHON - "$W/proxy.db" "$W/items.txt" "$h1=$a1" "$h2=$a2" <<'PY'
import gzip, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript(gzip.open("/usr/share/zabbix-proxy-sqlite3/schema.sql.gz").read().decode())
db.execute("INSERT INTO hstgrp (groupid, name) VALUES (1, 'Discovered hosts')")
db.execute("INSERT INTO config (configid, discovery_groupid) VALUES (1, 1)")
hostid = {}
for n, arg in enumerate(sys.argv[3:], 10001):
    host, ip = arg.split("=")
    hostid[host] = n
    db.execute("INSERT INTO hosts (hostid, host, name, name_upper) VALUES (?, ?, ?, ?)", (n, host, host, host.upper()))
    db.execute("INSERT INTO interface (interfaceid, hostid, main, ip) VALUES (?, ?, 1, ?)", (n, n, ip))
for itemid, line in enumerate(open(sys.argv[2]), 20001):
    host, itype, vtype, delay, key = line.split(" ", 4)
    key, h = key.strip(), hostid[host]
    db.execute("INSERT INTO items (itemid, type, hostid, key_, name, delay, value_type, interfaceid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (itemid, int(itype), h, key, key, delay, int(vtype), h if itype == "7" else None))
    db.execute("INSERT INTO item_rtdata (itemid) VALUES (?)", (itemid,))
db.commit()
PY
cat > "$W/proxy.conf" <<EOF
ProxyMode=1
Server=$a1
Hostname=proxy-$(svc_pick dc1 branch2 lab east)
ListenIP=$px
DBName=$W/proxy.db
LogFile=$W/proxy.log
PidFile=$W/proxy.pid
SocketDir=$W
TmpDir=$W
AllowRoot=1
StartPollers=1
StartPollersUnreachable=1
StartTrappers=$(svc_rand 1 3)
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartDBSyncers=1
StartPreprocessors=1
EOF

capture_start "$pcap" "tcp port 10050 or tcp port 10051"
# started inside the capture, so that the agents' first "active checks" requests are in it
bg_cli zabbix_proxy -c "$W/proxy.conf" -f >/dev/null
proxy_pid=${NETNS_PIDS[-1]}
wait_port tcp 10051 "$NETNS_CLI" || exit 1
bg_srv zabbix_agentd -c "$W/agentd.conf" -f >/dev/null
bg_srv zabbix_agent2 -c "$W/agent2.conf" -f >/dev/null
wait_tcp_port 10050 || exit 1

key() {         # one item a poller or an admin asks for
    case $(svc_rand 0 13) in
    0|1) svc_pick agent.ping agent.version agent.hostname agent.variant system.uptime system.hostname ;;
    2|3) svc_pick "system.cpu.load[all,$(svc_pick avg1 avg5 avg15)]" "system.cpu.util[,$(svc_pick idle user system iowait)]" \
            system.cpu.num "vm.memory.size[$(svc_pick available total pavailable used)]" "system.swap.size[,free]" ;;
    4)   svc_pick "vfs.fs.size[/,$(svc_pick pfree free total used)]" "vfs.fs.inode[/,pfree]" "vfs.dir.count[/etc]" ;;
    5)   svc_pick "net.if.$(svc_pick in out total)[$dev$(svc_pick "" ,packets ,errors)]" "net.tcp.listen[10050]" \
            "net.tcp.service[$(svc_pick ssh http smtp)]" "net.tcp.port[,$(svc_pick 22 80 10050)]" ;;
    6)   svc_pick "proc.num[]" "proc.num[zabbix_agent$(svc_pick d 2)]" "proc.mem[zabbix_agentd]" kernel.maxfiles kernel.maxproc system.users.num ;;
    7)   svc_pick vfs.fs.get vfs.fs.discovery net.if.discovery system.sw.packages "system.sw.packages[,dpkg,short]" system.hw.cpu system.uname ;;
    8|9) svc_pick "vfs.file.contents[$W/app.$(svc_pick conf log)]" "vfs.file.regexp[$W/app.log,$(svc_pick ERROR WARN 'login failed')]" \
            "vfs.file.size[$W/app.log]" "vfs.file.md5sum[$W/app.conf]" "vfs.file.exists[$W/app.pid]" "vfs.file.cksum[$W/app.log]" ;;
    10)  svc_pick "app.version[$(svc_rand 1 9)]" app.queue ;;
    11)  echo "system.run[$(svc_pick 'uname -a' 'df -h' 'ps aux --sort=-rss | head -15' 'cat /proc/loadavg' "ls -la $W" 'free -m' 'ip -br addr')$(svc_pick "" "" ",nowait")]" ;;
    *)   svc_pick "log[$W/app.log]" mysql.ping "redis.ping" custom.app.status "web.page.get[$px,/,80]" "system.sw.packages.get" "vfs.file.contents[/nonexistent]" ;;
    esac
}
made=0
get() {         # one passive check (one TCP connection) of agent $1
    local ip=$1
    shift
    in_cli timeout 40 zabbix_get -s "$ip" -k "$(key)" "$@" >/dev/null 2>&1
    made=$(( made + 1 ))
}
sender_file() { # values a script on a monitored host collected, some for items nobody defined
    local i
    for i in $(seq "$(svc_rand 1 12)"); do
        printf '%s %s %s%s\n' "$(svc_pick "$h1" "$h2" - "$h1" unknown-host)" \
            "$(svc_pick backup.status backup.duration queue.depth orders.processed cron.last_run app.temperature)" \
            "$( [ "$1" = -T ] && echo "$(( $(date +%s) - $(svc_rand 0 3600) )) ")" \
            "$(svc_pick "$(svc_rand 0 9000)" "$(svc_rand 0 99).$(svc_rand 0 99)" '"backup ok"' '"rsync exit 23"' "$(date +%s)")"
    done
}

rounds=$(svc_rand 28 34)
for r in $(seq "$rounds"); do
    case $(svc_rand 1 20) in
    1|2|3|4|5|6|7)    # a poller's burst: several items of one host, back to back
        ip=$(svc_pick "$a1" "$a1" "$a2")
        for i in $(seq "$(svc_rand 1 3)"); do get "$ip" -t "$(svc_pick 3 5 10 30)"; sleep "0.0$(svc_rand 1 9)"; done ;;
    8|9|10|11|12|13)  get "$(svc_pick "$a1" "$a2")" ;;
    14|15) in_srv zabbix_sender -z "$px" -s "$(svc_pick "$h1" "$h2")" -k "$(svc_pick backup.status queue.depth orders.processed cron.last_run)" \
            -o "$(svc_rand 0 5000)" >/dev/null 2>&1; made=$(( made + 1 )) ;;
    16) t=$(svc_pick -T "")
        sender_file "$t" > "$W/values.txt"
        in_srv zabbix_sender -c "$W/agentd.conf" $t -i "$W/values.txt" >/dev/null 2>&1; made=$(( made + 1 )) ;;
    17) applog ;;
    *)  sleep "$(svc_rand 3 9).$(svc_rand 0 9)" ;;     # nobody asks: the active checks go on
    esac
    svc_think
done
capture_stop
# a proxy given time to close its database, rather than killed by netns_down
kill "$proxy_pid"
wait "$proxy_pid"
svc_end Zabbix "$pcap" "$made"
