#!/usr/bin/env bash
# corpus/services/munin.sh OUTDIR: Munin node protocol sessions (class Munin; nDPI: Munin)
# between munin-node and munin-update, the master's poller, and admins querying the node by
# hand (Debian's munin-node and munin 2.0.73; ncat, nc, telnet, python3 socket), in two
# network namespaces. The node runs with a private config, plugin folder, plugin config and
# plugin state under $SVC_WORK: each batch enables its own selection of the Linux plugins of
# /usr/share/munin/plugins that work in a namespace (cpu, load, memory, if_ and if_err_ for
# the veth, df, netstat, meminfo's multigraphs, diskstats...), with its own host name and
# warning levels. Most sessions are munin-update runs with a private munin.conf (one
# connection each: `cap multigraph dirtyconfig`, `list`, `config X`, `fetch X`, `quit`),
# over all plugins or only some (--service); the others are an admin typing `version`,
# `list`, `nodes`, `cap`, `config X`, `fetch X`, a mistyped command and `quit` with pauses.
#
# munin-node 2.0.73 takes no plugin folder option (it is always /etc/munin/plugins, its
# config /etc/munin/plugin-conf.d, its state /var/lib/munin-node/plugin-state): the node runs
# in a private mount namespace (unshare -m) where those three folders are bind-mounted from
# $SVC_WORK, so the system's folders are neither used nor changed.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/Munin/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=4949
dir=$(svc_class_dir Munin)
pcap=$dir/munin-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP

# the node: plugins chosen for this batch (cpu, load and memory always, as
# munin-node-configure would), host name and warning levels drawn from the seed
mkdir -p "$W/plugins" "$W/plugin-conf.d" "$W/plugin-state" "$W/master/db" "$W/master/html" \
    "$W/master/log" "$W/master/run"
plugins=(cpu load memory)
for p in df df_inode uptime processes netstat open_files open_inodes entropy interrupts irqstats \
        swap users vmstat forks threads proc_pri diskstats fw_packets tcp cpuspeed meminfo if_ if_err_; do
    [ "$(svc_rand 1 100)" -le 45 ] && plugins+=("$p")
done
for p in "${plugins[@]}"; do
    case $p in
    *_) ln -s "/usr/share/munin/plugins/$p" "$W/plugins/$p$NETNS_SRV_DEV" ;;
    *)  ln -s "/usr/share/munin/plugins/$p" "$W/plugins/$p" ;;
    esac
done
services=()
for f in "$W"/plugins/*; do services+=("${f##*/}"); done
node=$(svc_pick web01 db02 mail app3 backup01 fileserver kvm-host-2 ns1 gw)
node=$node.$(svc_pick example.org example.com corp.example.net lan)
cat > "$W/plugin-conf.d/munin-node" <<EOF
[if_*]
user root

[df*]
env.warning $(svc_rand 80 92)
env.critical $(svc_rand 93 98)
env.exclude_re ^/run/user

[load]
env.load_warning $(svc_pick 2 4 5 8 16)
env.load_critical $(svc_pick 10 20 32)

[cpu]
env.$(svc_pick user system iowait)_warning $(svc_rand 50 90)
EOF
cat > "$W/munin-node.conf" <<EOF
log_level 4
log_file $W/munin-node.log
pid_file $W/munin-node.pid
background 0
setsid 0
user root
group root
ignore_file [\#~]\$
ignore_file \.bak\$
host_name $node
allow ^10\.77\.0\.2\$
host $srv
port $port
EOF
bg_srv unshare -m --propagation private sh -c "
    mount --bind '$W/plugins' /etc/munin/plugins &&
    mount --bind '$W/plugin-conf.d' /etc/munin/plugin-conf.d &&
    mount --bind '$W/plugin-state' /var/lib/munin-node/plugin-state &&
    exec munin-node --config '$W/munin-node.conf' --foreground"
wait_tcp_port $port || exit 1

# the master: munin-update as user munin, everything it writes under $W/master
chown -R munin:munin "$W/master"
cat > "$W/munin.conf" <<EOF
dbdir $W/master/db
htmldir $W/master/html
logdir $W/master/log
rundir $W/master/run
tmpldir /etc/munin/templates
timeout 30

[${node#*.};$node]
    address $srv
    port $port
    use_node_name yes
EOF
munin_update() {
    in_cli timeout 90 runuser -u munin -- /usr/share/munin/munin-update --config_file="$W/munin.conf" "$@"
}

# an admin at the node's text protocol: one command per line, "sleep N" lines are pauses
admin_script() {
    $SVC_PYTHON - "$1" "$node" "${services[@]}" <<'PY'
import random, sys
rng = random.Random(int(sys.argv[1]))
node, services = sys.argv[2], sys.argv[3:]
out = ["sleep %.2f" % rng.uniform(0.8, 2.0)]   # the banner first
def pause(): out.append("sleep %.2f" % rng.uniform(0.2, 1.6))
for c in rng.sample(["version", "list", "nodes", "cap multigraph"], rng.randint(0, 3)):
    out.append(c); pause()
for _ in range(rng.randint(1, 4)):
    s = rng.choice(services)
    for c in rng.choice([["config"], ["fetch"], ["config", "fetch"], ["fetch", "fetch"]]):
        out.append(c + " " + s); pause()
extra = rng.random()
if extra < 0.15:
    out += ["list " + node, "sleep 0.4"]
elif extra < 0.25:
    out += [rng.choice(["help", "fetch nosuchplugin", "config nginx_status", "fetch  cpu"]), "sleep 0.5"]
elif extra < 0.3:
    out += ["list localhost", "sleep 0.4"]
if rng.random() < 0.8:
    out.append("quit")
print("\n".join(out))
PY
}
# the admin's commands typed into a terminal client (stdin with pauses)
typed() {
    local line
    admin_script "$1" | while IFS= read -r line; do
        case $line in
        sleep\ *) sleep "${line#sleep }" ;;
        *) printf '%s\n' "$line" ;;
        esac
    done
    sleep 1
}

capture_start "$pcap" "tcp port $port"
sessions=38
for s in $(seq $sessions); do
    case $(svc_rand 1 20) in
    1|2|3|4|5)  # the poller's run over every plugin
        munin_update $(svc_pick --fork --nofork --fork) ;;
    6|7|8|9|10)   # a run limited to some plugins (a plugin being debugged, a quick refresh)
        args=()
        for i in $(seq "$(svc_rand 1 4)"); do args+=(--service "${services[$(svc_rand 0 $(( ${#services[@]} - 1 )))]}"); done
        munin_update "${args[@]}" ;;
    11|12|13|14)  # an admin in Python: reads each answer before typing the next command
        in_cli timeout 30 "$SVC_PYTHON" - "$srv" $port "$(admin_script "$FC_SEED$s")" <<'PY'
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=20)
f = s.makefile("rwb")
f.readline()
for line in sys.argv[3].splitlines():
    if line.startswith("sleep "):
        time.sleep(float(line.split()[1])); continue
    f.write(line.encode() + b"\n"); f.flush()
    if line == "quit":
        break
    multi = line.split()[0] in ("config", "fetch", "nodes")
    while True:
        reply = f.readline()
        if not reply or not multi or reply == b".\n" or reply.startswith(b"# Unknown"):
            break
s.close()
PY
        ;;
    15|16)  typed "$FC_SEED$s" | in_cli timeout 30 ncat $(svc_pick "" "-C" "") "$srv" $port ;;
    17|18)  typed "$FC_SEED$s" | in_cli timeout 30 nc -q 1 "$srv" $port ;;
    19|20)  typed "$FC_SEED$s" | in_cli timeout 30 telnet "$srv" $port ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end Munin "$pcap" $sessions
