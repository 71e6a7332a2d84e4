#!/usr/bin/env bash
# corpus/services/dcerpc.sh OUTDIR: DCE/RPC sessions (class DCERPC) over plain TCP
# (ncacn_ip_tcp: the endpoint mapper on TCP 135, the RPC services on their dynamic ports
# from 49152), as clients speak it to a Windows domain controller, between a Samba Active
# Directory domain controller (Debian's samba, samba-ad-dc, samba-ad-provision; Samba 4.17,
# a domain provisioned anew in $SVC_WORK each run) and rpcclient, samba-tool and Python
# scripts on python3-samba's dcerpc bindings, in two network namespaces. Each session is
# one client run: rpcclient scripts of one to ten SAMR, NETLOGON, WKSSVC, DSSETUP and
# EPMAPPER queries (some typed with pauses, some failing as real ones do), anonymous
# endpoint-mapper and DC-locator lookups, account management as the administrator
# (createdomuser, deletedomuser), samba-tool dns (DNSSERVER) and drs (DRSUAPI)
# administration, and Python scripts mixing SAMR, DRSUAPI DsCrackNames, NETLOGON and LSA
# LookupNames4/LookupSids3 over schannel. Auth: none (the mapper, anonymous lookups, some
# rpcclient runs), NTLMSSP or Kerberos, bare or inside SPNEGO, signed or sealed; schannel
# for a workstation account. Users, names, domain and host names drawn from the seed.
#
# Only the DCE/RPC ports are captured: the LDAP, Kerberos and DNS that the DC also serves
# (and that the clients use on the side) belong to other classes. Every directory the DC
# and the clients write to (the provisioned domain, its private, lock, state, cache, pid
# and socket directories, the clients' own configuration and Kerberos settings) is under
# $SVC_WORK.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/DCERPC/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
dir=$(svc_class_dir DCERPC)
pcap=$dir/dcerpc-$FC_BATCH.pcap
srv=$NETNS_SRV_IP
W=$SVC_WORK

domain=$(svc_pick CORP ACME LAB HQ NORTHWIND)
realm=$(echo "$domain.$(svc_pick example.org example.com ad.example.net)" | tr a-z A-Z)
dc=$(svc_pick DC01 DC1 ADDC SRV-DC01)
fqdn=$(echo "$dc.$realm" | tr A-Z a-z)
# complexity rules of an AD domain: upper, lower, digit and symbol
pw() { echo "Fc-$(head -c 9 /dev/urandom | base64 | tr -d '/+=')7a"; }
adminpw=$(pw) userpw=$(pw) machpw=$(pw)
mapfile -t users < <(printf '%s\n' alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy rupert \
    sybil trent victor walter | while read -r u; do [ "$(svc_rand 1 3)" != 1 ] && echo "$u"; done)
machines=(WS01 WS02 LAPTOP-7 "PC-$(svc_rand 100 999)")

mkdir -p "$W"/dc "$W"/run "$W"/log "$W"/cli
cat > "$W/client.conf" <<EOF
[global]
  workgroup = $domain
  realm = $realm
  private dir = $W/cli
  lock directory = $W/cli
  state directory = $W/cli
  cache directory = $W/cli
  pid directory = $W/cli
  ncalrpc dir = $W/cli
  log file = $W/log/client.%m
  disable netbios = yes
  name resolve order = host
EOF
# the clients find the KDC here, not through DNS (nothing is written to /etc)
cat > "$W/krb5.conf" <<EOF
[libdefaults]
  default_realm = $realm
  dns_lookup_kdc = false
  dns_lookup_realm = false
[realms]
  $realm = {
    kdc = $srv
  }
EOF

samba-tool domain provision -s "$W/client.conf" --targetdir="$W/dc" --realm="$realm" --domain="$domain" \
    --server-role=dc --dns-backend=SAMBA_INTERNAL --adminpass="$adminpw" --host-ip="$srv" --host-name="$dc" \
    --use-rfc2307 --option="interfaces = $srv/24" --option="bind interfaces only = yes" \
    --option="pid directory = $W/run" --option="ncalrpc dir = $W/run/ncalrpc" --option="log file = $W/log/log.%m" \
    --option="winbindd socket directory = $W/run/winbindd" --option="ntp signd socket directory = $W/run/ntp_signd" \
    --option="server services = rpc, kdc, ldap, dns, drepl, kcc" --option="disable netbios = yes" \
    --option="dns forwarder = none" >"$W/provision.out" 2>&1 || { tail "$W/provision.out" >&2; exit 1; }
H=(-H "$W/dc/private/sam.ldb" -s "$W/dc/etc/smb.conf")
for u in "${users[@]}"; do
    samba-tool user add "$u" "$userpw" "${H[@]}" --given-name="${u^}" --surname="$(svc_pick Smith Jones Brown Garcia Miller Chen)" \
        --department="$(svc_pick Sales Finance IT Legal Support)" >/dev/null || exit 1
done
for m in "${machines[@]}"; do
    samba-tool computer create "$m" "${H[@]}" >/dev/null &&
        samba-tool user setpassword "$m\$" --newpassword="$machpw" "${H[@]}" >/dev/null || exit 1
done

# in the foreground (-F): the PID bg_srv keeps is samba's own, for the kill at the end
bg_srv samba -F -s "$W/dc/etc/smb.conf" --debug-stdout -d 0 >"$W/samba.out" 2>&1
samba_pid=${NETNS_PIDS[-1]}
wait_tcp_port 135 || { cat "$W/samba.out" >&2; exit 1; }
sleep 1
# the mapper and the dynamic ports the RPC servers listen on, in the server's direction only
# (a client's ephemeral port to LDAP may fall in the same range)
ports=$(in_srv ss -Hltn | awk '{ n = split($4, a, ":"); p = a[n] } p == 135 || p >= 49152 { print p }' | sort -un)
dst="" src=""
for p in $ports; do dst+="${dst:+ or }dst port $p"; src+="${src:+ or }src port $p"; done
capture_start "$pcap" "tcp and ((dst host $srv and ($dst)) or (src host $srv and ($src)))"

cli() { in_cli env KRB5_CONFIG="$W/krb5.conf" KRB5CCNAME="MEMORY:fc" timeout 60 "$@"; }
rpcc() { cli rpcclient -s "$W/client.conf" "$@"; }
user() { svc_pick "${users[@]}"; }
rid() { svc_pick 500 501 502 512 513 $((1103 + $(svc_rand 0 $((${#users[@]} + 2))))); }
# one rpcclient command: SAMR, NETLOGON, WKSSVC, DSSETUP or EPMAPPER
rpc_command() {
    case $(svc_rand 1 24) in
    1) echo enumdomusers ;; 2) echo enumdomgroups ;; 3) echo "enumalsgroups $(svc_pick builtin domain)" ;;
    4) echo querydominfo ;; 5) echo "queryuser $(rid)" ;; 6) echo "queryusergroups $(rid)" ;;
    7) echo "querygroupmem $(svc_pick 512 513 518 519)" ;; 8) echo "queryaliasmem builtin $(svc_pick 544 545 551)" ;;
    9) echo "samlookupnames domain $(user) $(user)" ;; 10) echo "samlookuprids domain $(rid) $(rid)" ;;
    11) echo "getusrdompwinfo $(rid)" ;; 12) echo getdompwinfo ;; 13) echo "$(svc_pick querydispinfo querydispinfo2 querydispinfo3)" ;;
    14) echo enumdomains ;; 15) echo "lookupdomain $domain" ;; 16) echo "querygroup $(svc_pick 512 513 514)" ;;
    17) echo "$(svc_pick dsr_getdcname dsr_getdcnameex dsr_getdcnameex2) $(svc_pick "$domain" "${realm,,}")" ;;
    18) echo "dsr_getsitename $dc" ;; 19) echo "$(svc_pick dsenumdomtrusts dsr_enumtrustdom getdcsitecoverage)" ;;
    20) echo "$(svc_pick wkssvc_wkstagetinfo wkssvc_enumerateusers)" ;; 21) echo dsroledominfo ;;
    22) echo "$(svc_pick epmmap epmlookup)" ;; 23) echo "getanydcname $domain" ;; 24) echo "lookupnames4 $(user)" ;;
    esac
}
ntlm_bind() { echo "ncacn_ip_tcp:$srv$(svc_pick "" "[sign]" "[sign]" "[seal]" "[seal]" "[spnego,sign]" "[spnego,seal]" "[ntlm,seal]")"; }
as_user() { if [ "$(svc_rand 1 4)" = 1 ]; then echo "$domain\\Administrator%$adminpw"; else echo "$domain\\$(user)%$userpw"; fi; }

# a Python script on python3-samba's bindings (USER PASSWORD MACHINE SEED): several
# interfaces, a connection each, with pauses
py_session() {
    cli "$SVC_PYTHON" - "$W/client.conf" "$srv" "$domain" "$realm" "$fqdn" "$1" "$2" "$3" "$machpw" "$4" \
        "$(IFS=,; echo "${users[*]}")" <<'PY'
import random, sys, time
from samba import param, credentials
from samba.dcerpc import drsuapi, lsa, misc, netlogon, samr, security
conf, srv, domain, realm, fqdn, user, pw, mach, machpw, seed, names = sys.argv[1:12]
rng = random.Random(int(seed)); names = names.split(",")
lp = param.LoadParm(); lp.load(conf)
kerberos = rng.random() < 0.4
def creds(name, password, krb):
    c = credentials.Credentials(); c.guess(lp)
    c.set_username(name); c.set_password(password); c.set_domain(domain); c.set_realm(realm)
    c.set_kerberos_state(credentials.MUST_USE_KERBEROS if krb else credentials.DONT_USE_KERBEROS)
    return c
cred = creds(user, pw, kerberos)
mcred = creds(mach + "$", machpw, False)
mcred.set_workstation(mach); mcred.set_secure_channel_type(misc.SEC_CHAN_WKSTA)
# Kerberos needs the DC's name for its ticket (the address stays the binding's host), and
# for DRSUAPI a principal the DC has a key for
auth = rng.choice(["krb5,sign", "krb5,seal", "spnego,seal"]) + ",target_hostname=%s,target_principal=host/%s@%s" % (fqdn, fqdn, realm) \
    if kerberos else rng.choice(["sign", "seal", "seal", "spnego,sign", "ntlm,seal"])
def bind(a=auth): return "ncacn_ip_tcp:%s[%s]" % (srv, a)
def pause(): time.sleep(rng.uniform(0.05, 0.8))
def s(x):
    v = lsa.String(); v.string = x; return v

def do_samr():
    c = samr.samr(bind(), lp, cred)
    h = c.Connect2(None, security.SEC_FLAG_MAXIMUM_ALLOWED)
    d = c.OpenDomain(h, security.SEC_FLAG_MAXIMUM_ALLOWED, c.LookupDomain(h, s(domain)))
    for _ in range(rng.randint(1, 6)):
        pause()
        k = rng.choice(["disp", "enum", "info", "user", "user", "groups"])
        if k == "disp": c.QueryDisplayInfo(d, rng.choice([1, 2, 3]), 0, rng.choice([10, 100, 1000]), 0xffff)
        elif k == "enum": c.EnumDomainUsers(d, 0, 0, rng.choice([1024, 0xffff]))
        elif k == "info": c.QueryDomainInfo(d, rng.choice([1, 2, 3, 12]))
        else:
            rids, _ = c.LookupNames(d, [s(n) for n in rng.sample(names, rng.randint(1, 3))])
            u = c.OpenUser(d, security.SEC_FLAG_MAXIMUM_ALLOWED, rids.ids[0])
            c.QueryUserInfo(u, rng.choice([1, 3, 5, 21])) if k == "user" else c.GetGroupsForUser(u)
            c.Close(u)
    c.Close(d); c.Close(h)

def do_drs():   # Samba's DRSUAPI refuses a connection that is only signed
    c = drsuapi.drsuapi(bind(auth.replace("sign", "seal")), lp, cred)
    info = drsuapi.DsBindInfoCtr(); info.length = 28; info.info = drsuapi.DsBindInfo28()
    _, h = c.DsBind(misc.GUID(drsuapi.DRSUAPI_DS_BIND_GUID), info)
    for _ in range(rng.randint(1, 5)):
        pause()
        if rng.random() < 0.75:
            req = drsuapi.DsNameRequest1(); wanted = []
            for n in rng.sample(names, rng.randint(1, 4)):
                x = drsuapi.DsNameString(); x.str = rng.choice([domain + "\\" + n, n + "@" + realm.lower()]); wanted.append(x)
            req.names = wanted; req.count = len(wanted); req.format_offered = drsuapi.DRSUAPI_DS_NAME_FORMAT_UNKNOWN
            req.format_desired = rng.choice([drsuapi.DRSUAPI_DS_NAME_FORMAT_FQDN_1779, drsuapi.DRSUAPI_DS_NAME_FORMAT_CANONICAL,
                                             drsuapi.DRSUAPI_DS_NAME_FORMAT_GUID, drsuapi.DRSUAPI_DS_NAME_FORMAT_DISPLAY])
            c.DsCrackNames(h, 1, req)
        else:
            req = drsuapi.DsGetDCInfoRequest1(); req.domain_name = realm.lower(); req.level = rng.choice([1, 2])
            c.DsGetDomainControllerInfo(h, 1, req)
    c.DsUnbind(h)

def do_netlogon():   # a workstation's secure channel (Samba 4.17 demands it sealed)
    c = netlogon.netlogon(bind("schannel,seal"), lp, mcred)
    for _ in range(rng.randint(1, 4)):
        pause()
        k = rng.choice(["site", "dc", "coverage"])
        if k == "site": c.netr_DsRGetSiteName(mach)
        elif k == "dc": c.netr_DsRGetDCNameEx2(None, None, 0, rng.choice([domain, realm.lower()]), None, None, rng.choice([0, 0x40000000]))
        else: c.netr_DsrGetDcSiteCoverageW(None)

def do_lsa():   # name and SID lookups over TCP: only on a secure channel
    c = lsa.lsarpc(bind("schannel,seal"), lp, mcred)
    _, sids, _ = c.LookupNames4([s(domain + "\\" + n) for n in rng.sample(names, rng.randint(1, 5))],
                                lsa.TransSidArray3(), lsa.LSA_LOOKUP_NAMES_ALL, 0, 0, lsa.LSA_CLIENT_REVISION_2)
    pause()
    ptrs = []
    for x in sids.sids:
        p = lsa.SidPtr(); p.sid = x.sid; ptrs.append(p)
    arr = lsa.SidArray(); arr.sids = ptrs; arr.num_sids = len(ptrs)
    c.LookupSids3(arr, lsa.TransNameArray2(), lsa.LSA_LOOKUP_NAMES_ALL, 0, 0, lsa.LSA_CLIENT_REVISION_2)

steps = [do_samr, do_drs, do_netlogon, do_lsa]
for step in rng.sample(steps, rng.randint(1, 4)):
    try:
        step()
    except Exception:   # a refused call ends its step, not the session
        pass
    pause()
PY
}

sessions=48
for s in $(seq $sessions); do
    case $(svc_rand 1 20) in
    1|2|3|4|5)   # rpcclient: a script of queries as a user or the administrator
        c=$(for _ in $(seq "$(svc_rand 1 10)"); do rpc_command; done | paste -sd';')
        rpcc -U "$(as_user)" "$(ntlm_bind)" -c "$c" ;;
    6)   # rpcclient typed at: queries one at a time, with pauses (the drawing done before the
        # pipeline, whose two sides would otherwise draw at once)
        a=$(as_user) b=$(ntlm_bind)
        for _ in $(seq "$(svc_rand 2 8)"); do rpc_command; sleep "0.$(svc_rand 10 99)"; [ "$(svc_rand 1 4)" = 1 ] && sleep 1; done |
            rpcc -U "$a" "$b" ;;
    7)   # anonymous: the endpoint mapper and the DC locator
        rpcc -N "ncacn_ip_tcp:$srv" -c "$(svc_pick epmmap epmlookup "epmmap; epmlookup" "dsr_getdcname $domain" "dsroledominfo" "epmmap; dsr_getdcnameex2 $domain")" ;;
    8)   # the administrator adds and removes an account
        n=tmp$(svc_rand 100 99999)
        rpcc -U "$domain\\Administrator%$adminpw" "ncacn_ip_tcp:$srv$(svc_pick "[sign]" "[seal]")" \
            -c "createdomuser $n; samlookupnames domain $n; $(svc_pick "" "enumdomusers; ")deletedomuser $n" ;;
    9|10)   # samba-tool dns: zones and records (DNSSERVER)
        z=${realm,,}
        case $(svc_rand 1 5) in
        1) a=(zonelist "$srv") ;; 2) a=(zoneinfo "$srv" "$z") ;; 3) a=(query "$srv" "$z" "$(svc_pick @ "$dc" "_msdcs" "_ldap._tcp")" "$(svc_pick ALL A SRV NS)") ;;
        4) a=(add "$srv" "$z" "host$(svc_rand 1 60)" A "10.$(svc_rand 0 9).$(svc_rand 0 255).$(svc_rand 1 254)") ;;
        5) a=(serverinfo "$srv") ;;
        esac
        cli samba-tool dns "${a[@]}" -s "$W/client.conf" -U "$domain\\Administrator%$adminpw" ;;
    11)   # samba-tool drs: the replication view of the DC (DRSUAPI)
        cli samba-tool drs "$(svc_pick showrepl showrepl bind options)" "$srv" -s "$W/client.conf" -U "$domain\\Administrator%$adminpw" ;;
    *)   # a Python script, as a user or the administrator, from a workstation
        if [ "$(svc_rand 1 4)" = 1 ]; then u=Administrator p=$adminpw; else u=$(user) p=$userpw; fi
        py_session "$u" "$p" "$(svc_pick "${machines[@]}")" "$FC_SEED$s" ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
kill "$samba_pid" 2>/dev/null
wait "${NETNS_PIDS[@]}" 2>/dev/null
svc_end DCERPC "$pcap" $sessions
