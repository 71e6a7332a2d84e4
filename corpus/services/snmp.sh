#!/usr/bin/env bash
# corpus/services/snmp.sh OUTDIR: SNMP sessions (class SNMP) between snmpd and the net-snmp
# command-line tools (Debian's snmpd and snmp: snmpget, snmpgetnext, snmpwalk, snmpbulkwalk,
# snmpbulkget, snmpset, snmpstatus, snmpnetstat, snmptrap, snmpinform) and a poller and a
# notification sender written with python3-pysnmp4, in two network namespaces. SNMPv1, v2c
# and v3 (authNoPriv and authPriv: MD5, SHA-1 and SHA-2 digests, DES and AES) are mixed;
# requests read scalars (system, interfaces, ip, udp, tcp, snmp, host resources, UCD memory,
# CPU and load) and walk tables (interfaces, ifXTable, addresses, routes, UDP endpoints,
# hrStorage, hrDevice, hrSWRun names, UCD disks and load, NET-SNMP-EXTEND outputs, VACM and
# USM tables), with varied max-repetitions (large bulk responses are IP-fragmented, as on a
# wire); snmpset writes sysContact and sysName with the read-write community or v3 user (and
# sometimes the read-only sysLocation, which the agent refuses); a few requests use a wrong
# community (unanswered) or an unknown v3 user or a wrong passphrase (answered with a Report).
# About one session in six is notifications from the agent's side to the manager's UDP 162:
# snmptrap (v1, v2c, v3 traps, some with long text varbinds), snmpinform (v2c, v3), a pysnmp
# process sending 1-4 traps or informs from one socket, and snmpd's own authenticationFailure
# traps (trapsink/trap2sink, after the wrong-community requests). The receiver is a pysnmp
# notification receiver in the client namespace (Debian's snmptrapd is not installed here).
# A session is one client socket: each tool run binds its own client port, drawn from the
# seed like an ephemeral port but never reused within a batch (the tools' --clientaddr with
# clientaddrUsesPort; pysnmp's setLocalAddress), so no two runs merge into one flow; the
# pysnmp poller keeps its socket for 2-6 polls with pauses of 0.2-3 s.
# Communities, v3 users, digests, ciphers and passphrases are drawn on each run. snmpd runs in
# the server namespace with a private configuration (-C -c); its persistent state (engine
# boots, localised keys) and the tools' go to $SVC_WORK (SNMP_PERSISTENT_DIR), not
# /var/lib/snmp; no MIB files are read (numeric OIDs). The agent's view leaves out
# hrSWRunPath and hrSWRunParameters (other programs' command lines on this machine).
# Capture filter: UDP ports 161 and 162, and the later fragments of large UDP datagrams.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/SNMP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
dir=$(svc_class_dir SNMP)
pcap=$dir/snmp-$FC_BATCH.pcap
srv=$NETNS_SRV_IP
cli=$NETNS_CLI_IP


# the net-snmp tools and snmpd keep their state under $SVC_WORK, and read no MIB files
export SNMP_PERSISTENT_DIR=$SVC_WORK/persist SNMPCONFPATH=$SVC_WORK/conf
mkdir -p "$SNMP_PERSISTENT_DIR" "$SNMPCONFPATH"
echo "mibs :" > "$SNMPCONFPATH/snmp.conf"

secret() { head -c 12 /dev/urandom | base64 | tr -d '/+='; }
# communities and v3 users of this batch
ro=$(svc_pick public public monitor nms-ro "ro$(svc_rand 100 999)")
ro2=$(svc_pick cacti zabbix-ro netmon "poll$(svc_rand 10 99)")
rw=$(svc_pick private netadmin "rw$(svc_rand 1000 9999)")
mon_user=$(svc_pick monitor nagios fcmon) mon_auth=$(svc_pick MD5 SHA SHA-224 SHA-256) mon_pass=$(secret)
ops_user=$(svc_pick opsview librenms fcops) ops_auth=$(svc_pick MD5 SHA SHA-256 SHA-512) ops_pass=$(secret)
ops_priv=$(svc_pick AES AES DES) ops_ppass=$(secret)
adm_user=$(svc_pick netadmin fcadm) adm_auth=$(svc_pick SHA SHA-256 SHA-384) adm_pass=$(secret)
adm_priv=$(svc_pick AES DES) adm_ppass=$(secret)
trap_user=$(svc_pick trapper fctrap) trap_pass=$(secret) trap_ppass=$(secret)
trap_engine=0x8000$(printf '%04x' "$(svc_rand 1 65535)")0301$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')

cat > "$SVC_WORK/snmpd.conf" <<EOF
dontLogTCPWrappersConnects yes
sysLocation $(svc_pick "Server room 2, rack B4" "DC1 row 7" "Lab bench 3" "Branch office closet")
sysServices 72
view fcview included .1
view fcview excluded .1.3.6.1.2.1.25.4.2.1.4
view fcview excluded .1.3.6.1.2.1.25.4.2.1.5
view fcsys included .1.3.6.1.2.1.1
rocommunity $ro default -V fcview
rocommunity $ro2 10.77.0.0/24 -V fcview
rwcommunity $rw 10.77.0.0/24 -V fcsys
createUser $mon_user $mon_auth $mon_pass
createUser $ops_user $ops_auth $ops_pass $ops_priv $ops_ppass
createUser $adm_user $adm_auth $adm_pass $adm_priv $adm_ppass
rouser $mon_user auth -V fcview
rouser $ops_user priv -V fcview
rwuser $adm_user priv -V fcview
authtrapenable 1
$(svc_pick "trapsink $cli public" "trap2sink $cli public" "trapsink $cli public
trap2sink $cli public")
disk / 10%
load 12 10 5
extend kernel /bin/uname -sr
extend loadavg /bin/cat /proc/loadavg
EOF
bg_srv /usr/sbin/snmpd -f -Lo -C -c "$SVC_WORK/snmpd.conf" "udp:$srv:161" > "$SVC_WORK/snmpd.log" 2>&1

# the notification receiver (the manager's side, client namespace): v1/v2c community, the
# v3 trap user for traps (sender's engine ID) and for informs (the receiver's engine ID)
cat > "$SVC_WORK/trapd.py" <<'PY'
import sys
from pysnmp.entity import engine, config
from pysnmp.carrier.asyncore.dgram import udp
from pysnmp.entity.rfc3413 import ntfrcv
from pysnmp.proto.api import v2c
host, community, user, apass, ppass, sender_engine = sys.argv[1:7]
eng = engine.SnmpEngine()
config.addTransport(eng, udp.domainName, udp.UdpTransport().openServerMode((host, 162)))
config.addV1System(eng, "nms", community)
for engine_id in (v2c.OctetString(hexValue=sender_engine[2:]), None):
    config.addV3User(eng, user, config.usmHMACSHAAuthProtocol, apass,
                     config.usmAesCfb128Protocol, ppass, securityEngineId=engine_id)
log = open(sys.argv[7], "a")
def received(eng, ref, ctx_engine, ctx_name, varbinds, cb_ctx):
    log.write(" ".join("%s=%s" % (o.prettyPrint(), v.prettyPrint()) for o, v in varbinds) + "\n")
    log.flush()
ntfrcv.NotificationReceiver(eng, received)
eng.transportDispatcher.jobStarted(1)
eng.transportDispatcher.runDispatcher()
PY
bg_cli "$SVC_PYTHON" "$SVC_WORK/trapd.py" "$cli" public "$trap_user" "$trap_pass" "$trap_ppass" "$trap_engine" "$SVC_WORK/traps.log"

wait_port udp 161 && wait_port udp 162 "$NETNS_CLI" || exit 1
capture_start "$pcap" "udp port 161 or udp port 162 or (udp and ip[6:2] & 0x1fff != 0)"

# OIDs (numeric: Debian ships no MIB files with the tools); $ifx: the veth's ifIndex
ifx=$(in_srv cat "/sys/class/net/$NETNS_SRV_DEV/ifindex")
scalars=(
    .1.3.6.1.2.1.1.1.0 .1.3.6.1.2.1.1.2.0 .1.3.6.1.2.1.1.3.0 .1.3.6.1.2.1.1.4.0 .1.3.6.1.2.1.1.5.0
    .1.3.6.1.2.1.1.6.0 .1.3.6.1.2.1.1.7.0 .1.3.6.1.2.1.2.1.0 .1.3.6.1.2.1.2.2.1.2.1 .1.3.6.1.2.1.2.2.1.2.$ifx
    .1.3.6.1.2.1.2.2.1.8.$ifx .1.3.6.1.2.1.2.2.1.10.$ifx .1.3.6.1.2.1.2.2.1.16.$ifx .1.3.6.1.2.1.2.2.1.5.$ifx
    .1.3.6.1.2.1.31.1.1.1.6.$ifx .1.3.6.1.2.1.31.1.1.1.10.$ifx .1.3.6.1.2.1.31.1.1.1.1.$ifx
    .1.3.6.1.2.1.4.1.0 .1.3.6.1.2.1.4.2.0 .1.3.6.1.2.1.4.3.0 .1.3.6.1.2.1.4.10.0 .1.3.6.1.2.1.7.1.0
    .1.3.6.1.2.1.7.4.0 .1.3.6.1.2.1.6.9.0 .1.3.6.1.2.1.11.1.0 .1.3.6.1.2.1.11.4.0 .1.3.6.1.2.1.25.1.1.0
    .1.3.6.1.2.1.25.1.5.0 .1.3.6.1.2.1.25.1.6.0 .1.3.6.1.2.1.25.2.2.0 .1.3.6.1.4.1.2021.4.5.0
    .1.3.6.1.4.1.2021.4.6.0 .1.3.6.1.4.1.2021.4.11.0 .1.3.6.1.4.1.2021.10.1.3.1 .1.3.6.1.4.1.2021.10.1.3.2
    .1.3.6.1.4.1.2021.11.9.0 .1.3.6.1.4.1.2021.11.11.0 .1.3.6.1.6.3.10.2.1.1.0 .1.3.6.1.6.3.10.2.1.3.0
    .1.3.6.1.2.1.1.8.0 .1.3.6.1.2.1.99.1.0 .1.3.6.1.4.1.9.9.13.1.3.1.3.1)
subtrees=(
    .1.3.6.1.2.1.1 .1.3.6.1.2.1.1.9 .1.3.6.1.2.1.2 .1.3.6.1.2.1.2.2.1.2 .1.3.6.1.2.1.2.2.1.10
    .1.3.6.1.2.1.31.1.1 .1.3.6.1.2.1.4.20 .1.3.6.1.2.1.4.21 .1.3.6.1.2.1.4.22 .1.3.6.1.2.1.4.24
    .1.3.6.1.2.1.4.34 .1.3.6.1.2.1.4.31.1 .1.3.6.1.2.1.5 .1.3.6.1.2.1.6 .1.3.6.1.2.1.7 .1.3.6.1.2.1.7.7
    .1.3.6.1.2.1.11 .1.3.6.1.2.1.25.1 .1.3.6.1.2.1.25.2 .1.3.6.1.2.1.25.3.2 .1.3.6.1.2.1.25.3.3
    .1.3.6.1.2.1.25.4.2.1.2 .1.3.6.1.2.1.25.5.1.1.2 .1.3.6.1.4.1.2021.4 .1.3.6.1.4.1.2021.9
    .1.3.6.1.4.1.2021.10 .1.3.6.1.4.1.2021.11 .1.3.6.1.4.1.8072.1.3.2 .1.3.6.1.6.3.10.2.1
    .1.3.6.1.6.3.15.1.2 .1.3.6.1.6.3.16.1 .1.3.6.1.2.1.92)
some_scalars() { local n=$1 i; for i in $(seq "$n"); do echo "${scalars[$(seeded_draw) % ${#scalars[@]}]}"; done; }
a_subtree() { echo "${subtrees[$(seeded_draw) % ${#subtrees[@]}]}"; }

# one way to authenticate, as net-snmp options: $1 = any (v1, v2c, v3) or bulk (v2c, v3)
auth_args() {
    local v
    if [ "$1" = bulk ]; then v=$(svc_pick 2c 2c 3 3 3); else v=$(svc_pick 1 2c 2c 2c 3 3 3); fi
    case $v in
    1|2c) echo "-v$v -c $(svc_pick "$ro" "$ro" "$ro2")" ;;
    3) case $(svc_rand 1 3) in
       1) echo "-v3 -l authNoPriv -u $mon_user -a $mon_auth -A $mon_pass" ;;
       2) echo "-v3 -l authPriv -u $ops_user -a $ops_auth -A $ops_pass -x $ops_priv -X $ops_ppass" ;;
       3) echo "-v3 -l authPriv -u $adm_user -a $adm_auth -A $adm_pass -x $adm_priv -X $adm_ppass" ;;
       esac ;;
    esac
}
# each session's client port, as the kernel would draw it but never one used before in this
# batch: two runs on the same port within fc-flow's UDP timeout would be one flow. $cport is
# set in this shell (not in a subshell, whose $RANDOM would not follow the seed); the
# net-snmp tools bind it with --clientaddr (clientaddrUsesPort), the poller with
# setLocalAddress
used_ports=" "
new_port() {
    while :; do
        cport=$(( 32768 + $(seeded_draw) % 28232 ))
        case $used_ports in *" $cport "*) ;; *) break ;; esac
    done
    used_ports+="$cport "
}
from_cli() { echo "--clientaddr=$cli:$cport --clientaddrUsesPort=yes"; }
from_srv() { echo "--clientaddr=$srv:$cport --clientaddrUsesPort=yes"; }
# timeouts and retries as monitoring tools set them
timing() { echo "-t $(svc_pick 1 2 3 5) -r $(svc_pick 0 1 2 3)"; }

# a pysnmp notification originator (an agent-side process): 1-4 traps or informs from one
# socket, with pauses
cat > "$SVC_WORK/notifier.py" <<'PY'
import random, sys, time
from pysnmp.hlapi import *
mgr, (local, port), seed, community, ifx = sys.argv[1], sys.argv[2].split(":"), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rng = random.Random(seed)
eng = SnmpEngine()
target = UdpTransportTarget((mgr, 162), timeout=rng.choice([1, 2, 5]), retries=rng.choice([0, 1, 3]))
target.setLocalAddress((local, int(port)))
mp, kinds = rng.choice([(0, ["trap"]), (1, ["trap"]), (1, ["inform"]), (1, ["trap", "inform"])])
words = "disk fan power link temperature threshold backup job queue sensor battery module port".split()
for _ in range(rng.randint(1, 4)):
    i = rng.choice(["1", ifx])
    vbs = rng.choice([
        [("1.3.6.1.6.3.1.1.5." + rng.choice("34"), None), ("1.3.6.1.2.1.2.2.1.1." + i, Integer(int(i))),
         ("1.3.6.1.2.1.2.2.1.7." + i, Integer(1)), ("1.3.6.1.2.1.2.2.1.8." + i, Integer(rng.choice([1, 2])))],
        [("1.3.6.1.4.1.8072.2.3.0.1", None), ("1.3.6.1.4.1.8072.2.3.2.1", Integer(rng.randint(0, 99999)))],
        [("1.3.6.1.4.1.2021.251." + str(rng.randint(1, 9)), None),
         ("1.3.6.1.2.1.1.5.0", OctetString(rng.choice(["core-sw1", "edge-rtr2", "nas01", "ups-b"]))),
         ("1.3.6.1.4.1.2021.251.1.1", OctetString(" ".join(rng.choice(words) for _ in range(rng.randint(3, 60)))))],
    ])
    trap_oid, rest = vbs[0][0], vbs[1:]
    binds = [ObjectType(ObjectIdentity("1.3.6.1.6.3.1.1.4.1.0"), ObjectIdentifier(trap_oid))]
    binds += [ObjectType(ObjectIdentity(o), v) for o, v in rest]
    next(sendNotification(eng, CommunityData(community, mpModel=mp), target, ContextData(), rng.choice(kinds), binds))
    time.sleep(rng.uniform(0.1, 2.5))
PY

# the pysnmp poller: one socket, several polls (get, next, bulk) with pauses
cat > "$SVC_WORK/poller.py" <<'PY'
import random, sys, time
from pysnmp.hlapi import *
host, (local, port), seed = sys.argv[1], sys.argv[2].split(":"), int(sys.argv[3])
scalars, subtrees, kind, secret = sys.argv[4].split(), sys.argv[5].split(), sys.argv[6], sys.argv[7:]
rng = random.Random(seed)
auths = {"MD5": usmHMACMD5AuthProtocol, "SHA": usmHMACSHAAuthProtocol, "SHA-224": usmHMAC128SHA224AuthProtocol,
         "SHA-256": usmHMAC192SHA256AuthProtocol, "SHA-384": usmHMAC256SHA384AuthProtocol,
         "SHA-512": usmHMAC384SHA512AuthProtocol}
privs = {"AES": usmAesCfb128Protocol, "DES": usmDESPrivProtocol}
if kind in ("v1", "v2c"):
    auth = CommunityData(secret[0], mpModel=0 if kind == "v1" else 1)
elif kind == "auth":
    auth = UsmUserData(secret[0], secret[2], authProtocol=auths[secret[1]])
else:
    auth = UsmUserData(secret[0], secret[2], secret[4], authProtocol=auths[secret[1]], privProtocol=privs[secret[3]])
eng = SnmpEngine()
target = UdpTransportTarget((host, 161), timeout=rng.choice([1, 2, 3]), retries=rng.choice([0, 1, 2]))
target.setLocalAddress((local, int(port)))
for poll in range(rng.randint(2, 6)):
    step = rng.choice(["get", "get", "next", "bulk"] if kind != "v1" else ["get", "get", "next"])
    if step == "get":
        oids = [ObjectType(ObjectIdentity(o)) for o in rng.sample(scalars, rng.randint(1, 8))]
        next(getCmd(eng, auth, target, ContextData(), *oids))
    elif step == "next":
        cols = [ObjectType(ObjectIdentity(o)) for o in rng.sample(subtrees, rng.randint(1, 3))]
        for i, _ in enumerate(nextCmd(eng, auth, target, ContextData(), *cols, lexicographicMode=False)):
            if i >= rng.choice([5, 20, 60]):
                break
    else:
        cols = [ObjectType(ObjectIdentity(o)) for o in rng.sample(subtrees, rng.randint(1, 2))]
        for i, _ in enumerate(bulkCmd(eng, auth, target, ContextData(), 0, rng.choice([5, 10, 25, 40]), *cols,
                                      lexicographicMode=False)):
            if i >= 80:
                break
    time.sleep(rng.uniform(0.2, 3.0))
PY

snmp_session() {   # KIND (1-25) SESSION
    local s=$2 a oid
    new_port
    case $1 in
    1|2|3|4)   # a monitoring check: a handful of scalars in one GET
        in_cli snmpget $(from_cli) $(auth_args any) $(timing) "$srv" $(some_scalars "$(svc_rand 1 8)") ;;
    5|6)       # GETNEXT on a few objects or columns
        in_cli snmpgetnext $(from_cli) $(auth_args any) $(timing) "$srv" $(some_scalars "$(svc_rand 1 3)") $(a_subtree) ;;
    7|8|9)     # a walk with GETNEXT (v1, v2c or v3)
        oid=$(a_subtree)
        in_cli snmpwalk $(from_cli) $(auth_args any) $(timing) $(svc_pick "" "" -Cc -CI) "$srv" "$oid" ;;
    10|11|12)  # a walk with GETBULK, max-repetitions drawn
        in_cli snmpbulkwalk $(from_cli) $(auth_args bulk) $(timing) -Cr"$(svc_pick 5 10 10 20 25 40 60)" "$srv" "$(a_subtree)" ;;
    13)        # one GETBULK: scalars as non-repeaters, then columns
        in_cli snmpbulkget $(from_cli) $(auth_args bulk) $(timing) -Cn1 -Cr"$(svc_pick 3 8 16 30)" "$srv" \
            "$(some_scalars 1)" $(a_subtree) $(a_subtree) ;;
    14|15)     # SETs by the read-write community or user; sysLocation is read-only (refused)
        case $(svc_rand 1 2) in
        1) a="-v$(svc_pick 1 2c) -c $rw" ;;
        2) a="-v3 -l authPriv -u $adm_user -a $adm_auth -A $adm_pass -x $adm_priv -X $adm_ppass" ;;
        esac
        local args=(.1.3.6.1.2.1.1.4.0 s "$(svc_pick noc ops netops admin) <$(svc_pick noc ops it)$(svc_rand 1 99)@example.$(svc_pick org net com)>")
        [ "$(svc_rand 0 1)" = 1 ] && args+=(.1.3.6.1.2.1.1.5.0 s "$(svc_pick core edge lab bldg)-$(svc_pick sw rtr srv ups)$(svc_rand 1 40)")
        [ "$(svc_rand 0 4)" = 0 ] && args+=(.1.3.6.1.2.1.1.6.0 s "moved to rack $(svc_rand 1 30)")
        in_cli snmpset $(from_cli) $a $(timing) "$srv" "${args[@]}" ;;
    16)        # the status and netstat tools (several requests each)
        case $(svc_rand 1 4) in
        1) in_cli snmpstatus $(from_cli) $(auth_args any) $(timing) "$srv" ;;
        2) in_cli snmpnetstat $(from_cli) $(auth_args any) $(timing) -Can "$srv" ;;
        3) in_cli snmpnetstat $(from_cli) $(auth_args any) $(timing) -Ci "$srv" ;;
        4) in_cli snmpnetstat $(from_cli) $(auth_args bulk) $(timing) -Crn "$srv" ;;
        esac ;;
    17|18|19)  # a poller keeping its socket
        local kind secret=()
        kind=$(svc_pick v1 v2c v2c auth priv priv)
        case $kind in
        v1|v2c) secret=("$(svc_pick "$ro" "$ro2")") ;;
        auth) secret=("$mon_user" "$mon_auth" "$mon_pass") ;;
        priv) secret=("$ops_user" "$ops_auth" "$ops_pass" "$ops_priv" "$ops_ppass") ;;
        esac
        in_cli timeout 40 "$SVC_PYTHON" "$SVC_WORK/poller.py" "$srv" "$cli:$cport" "$FC_SEED$s" "${scalars[*]}" "${subtrees[*]}" "$kind" "${secret[@]}" ;;
    20|21|22)  # a notification from the agent's side to the manager's receiver
        local uptime=$(( $(svc_rand 100 900000) * 100 )) if=$(svc_pick 1 "$ifx")
        case $(svc_rand 1 8) in
        7) in_srv snmptrap $(from_srv) -v2c -c public "$cli" "$uptime" .1.3.6.1.4.1.2021.251.$(svc_rand 1 9) \
               .1.3.6.1.2.1.1.5.0 s "$(svc_pick core-sw1 edge-rtr2 nas01 ups-b)" \
               .1.3.6.1.4.1.2021.251.1.1 s "$(svc_pick "%SYS-5-CONFIG_I: Configured from console by admin on vty0" \
                   "Backup job nightly-$(svc_rand 1 30) finished with $(svc_rand 0 40) warnings after $(svc_rand 60 9000) s" \
                   "Temperature sensor $(svc_rand 1 8) at $(svc_rand 40 90) C exceeds the threshold of 45 C; fan speed raised to $(svc_rand 50 100) % on module $(svc_rand 1 4)" \
                   "Disk /dev/sd$(svc_pick a b c) SMART status: reallocated sectors $(svc_rand 1 900), pending $(svc_rand 0 40)")" \
               .1.3.6.1.4.1.2021.251.1.2 i "$(svc_rand 1 7)" ;;
        8) in_srv snmptrap $(from_srv) -v1 -c public "$cli" .1.3.6.1.4.1.2021.251 "$srv" 6 "$(svc_rand 1 9)" "$uptime" \
               .1.3.6.1.4.1.2021.251.1.1 s "$(svc_pick "UPS on battery, $(svc_rand 5 90) minutes remaining" \
                   "Power supply $(svc_rand 1 2) failed" "Link aggregation group po$(svc_rand 1 8) degraded: $(svc_rand 1 3) of 4 members up")" \
               .1.3.6.1.4.1.2021.251.1.2 i "$(svc_rand 1 7)" .1.3.6.1.2.1.1.5.0 s "$(svc_pick core-sw1 edge-rtr2 nas01 ups-b)" \
               .1.3.6.1.2.1.1.6.0 s "$(svc_pick "Server room 2" "DC1 row 7" "Branch office")" ;;
        1) in_srv snmptrap $(from_srv) -v1 -c public "$cli" .1.3.6.1.4.1.8072.3.2.10 "$srv" "$(svc_pick 2 3 4)" 0 "$uptime" \
               .1.3.6.1.2.1.2.2.1.1.$if i $if .1.3.6.1.2.1.2.2.1.2.$if s "$(svc_pick eth0 lo ens3 eno1)" ;;
        2) in_srv snmptrap $(from_srv) -v1 -c public "$cli" .1.3.6.1.4.1.8072.2.3 "$srv" 6 "$(svc_rand 1 20)" "$uptime" \
               .1.3.6.1.4.1.8072.2.3.2.1 i "$(svc_rand 1 1000)" .1.3.6.1.2.1.1.5.0 s "$(svc_pick disk-full fan-fail temp-high psu-lost)" ;;
        3) in_srv snmptrap $(from_srv) -v2c -c public "$cli" "$uptime" .1.3.6.1.6.3.1.1.5.$(svc_pick 3 4) \
               .1.3.6.1.2.1.2.2.1.1.$if i $if .1.3.6.1.2.1.2.2.1.7.$if i 1 .1.3.6.1.2.1.2.2.1.8.$if i "$(svc_pick 1 2)" ;;
        4) in_srv snmpinform $(from_srv) -v2c -c public $(timing) "$cli" "" .1.3.6.1.4.1.8072.2.3.0.1 \
               .1.3.6.1.4.1.8072.2.3.2.1 i "$(svc_rand 1 65535)" .1.3.6.1.2.1.1.6.0 s "$(svc_pick "rack 4" "room 12" "closet B")" ;;
        5) in_srv snmptrap $(from_srv) -v3 -e "$trap_engine" -l authPriv -u "$trap_user" -a SHA -A "$trap_pass" -x AES -X "$trap_ppass" \
               "$cli" "" .1.3.6.1.4.1.8072.4.0.$(svc_pick 2 3) .1.3.6.1.2.1.1.3.0 t "$uptime" ;;
        6) in_srv snmpinform $(from_srv) -v3 -l authPriv -u "$trap_user" -a SHA -A "$trap_pass" -x AES -X "$trap_ppass" $(timing) \
               "$cli" "" .1.3.6.1.6.3.1.1.5.$(svc_pick 1 2 5) .1.3.6.1.2.1.1.5.0 s "$(svc_pick core-sw1 edge-rtr2 ups3)" ;;
        esac ;;
    23)        # a wrong community (the agent stays silent; the tool retries) or v3 errors (Reports)
        case $(svc_rand 1 3) in
        1) in_cli snmpget $(from_cli) -v"$(svc_pick 1 2c)" -c "$(svc_pick secret admin guest cisco)" -t 1 -r "$(svc_pick 0 1 2)" "$srv" $(some_scalars 2) ;;
        2) in_cli snmpget $(from_cli) -v3 -l authNoPriv -u "$(svc_pick admin root snmpuser)" -a SHA -A wrongpass1 "$srv" $(some_scalars 1) ;;
        3) in_cli snmpwalk $(from_cli) -v3 -l authPriv -u "$ops_user" -a "$ops_auth" -A "not-$ops_pass" -x "$ops_priv" -X "$ops_ppass" -r 1 "$srv" $(a_subtree) ;;
        esac ;;
    25)        # an agent-side process sending a few notifications from one socket
        in_srv timeout 40 "$SVC_PYTHON" "$SVC_WORK/notifier.py" "$cli" "$srv:$cport" "$FC_SEED$s" public "$ifx" ;;
    24)        # a slice of the software inventory, or many columns at once
        in_cli snmpbulkget $(from_cli) $(auth_args bulk) $(timing) -Cn0 -Cr"$(svc_pick 10 20 30)" "$srv" .1.3.6.1.2.1.25.6.3.1.2 \
            $(svc_pick "" .1.3.6.1.2.1.25.6.3.1.5) ;;
    esac
}

sessions=40
for s in $(seq $sessions); do
    # what the clients print is of no interest here; the capture is the product
    snmp_session $(( $(seeded_draw) % 25 + 1 )) "$s" >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end SNMP "$pcap" $sessions
