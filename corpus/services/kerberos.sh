#!/usr/bin/env bash
# corpus/services/kerberos.sh OUTDIR: Kerberos sessions (class Kerberos) between MIT krb5kdc
# (Debian's krb5-kdc 1.20, with kdb5_util and kadmin.local from krb5-admin-server) and the
# MIT client tools (krb5-user 1.20: kinit, kvno), in two network namespaces, over UDP and
# TCP port 88. Each batch makes two private realms under $SVC_WORK, served by one krb5kdc
# (-n, a pid file; its own krb5.conf and kdc.conf through KRB5_CONFIG and KRB5_KDC_PROFILE,
# databases, stashes, keytabs and logs there too; never /etc/krb5.conf or /etc/krb5kdc):
# a main realm with 9-13 users and a partner realm with 3-5, trusting each other
# (cross-realm krbtgt principals). Users have passwords, some +requires_preauth and some
# not, keys of different enctypes and salts (AES-SHA1, AES-SHA2, Camellia, RC4); there are a
# disabled and an expired account and service principals (host/, HTTP/, ldap/, cifs/,
# postgres/, imap/, smtp/, nfs/, MSSQLSvc/...), with keytabs exported for two services. The
# KDC offers SPAKE pre-authentication in some batches, and its largest UDP reply
# (kdc_max_dgram_reply_size) is drawn, so that some replies come back as
# KRB_ERR_RESPONSE_TOO_BIG and are asked again over TCP. Each client run has a krb5.conf
# of its own, drawn from the seed: UDP or TCP (udp_preference_limit = 1 forces TCP),
# permitted and requested enctypes, addresses or none, SPAKE groups, default ticket flags,
# lifetimes, canonicalisation. Runs are password logins (AS-REQ without pre-authentication,
# or the PREAUTH_REQUIRED error then the real AS-REQ, with SPAKE a third exchange), wrong
# passwords, unknown, disabled and expired principals and enctypes the principal has no
# key for (KRB-ERRORs), keytab logins (kinit -k -t), kinit with -f/-F/-p/-P/-r/-l/-C/-a/-A/
# -E/-S options, FAST-armoured logins (kinit -T with a host keytab's ticket), service
# tickets (kvno: TGS-REQs for 1-3 services, -e enctypes, unknown services and realms,
# services of the other realm through a cross-realm TGT, S4U2Self -U, user-to-user --u2u),
# renewals (kinit -R) and postdated tickets validated later (kinit -v), with pauses as a
# user's. Every Kerberos exchange opens its own UDP socket or TCP connection, so a run is
# 1-6 sessions; runs go on until the batch holds 35-40 sessions (the last run may add a few).
# Capture filter: port 88, and the later fragments of large UDP requests (FAST over UDP).
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/Kerberos/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=88
dir=$(svc_class_dir Kerberos)
pcap=$dir/kerberos-$FC_BATCH.pcap
srv=$NETNS_SRV_IP

spake_kdc=$(svc_pick "" "" "edwards25519" "edwards25519 P-256")
realm=$(svc_pick FLOWCARP.TEST CORP.FLOWCARP.TEST AD.FLOWCARP.TEST LAB.FLOWCARP.TEST)
prealm=$(svc_pick PARTNER.TEST RESEARCH.FLOWCARP.TEST EU.FLOWCARP.TEST EXAMPLE.ORG)
domain=$(echo "$realm" | tr 'A-Z' 'a-z')
pdomain=$(echo "$prealm" | tr 'A-Z' 'a-z')

# the KDC's configuration, all under SVC_WORK: two realms served by one krb5kdc, the main one
# trusting the partner realm both ways (cross-realm TGTs with the same key in both databases)
realm_conf() {   # REALM
    mkdir -p "$SVC_WORK/$1"
    cat <<EOF
    $1 = {
        database_name = $SVC_WORK/$1/principal
        key_stash_file = $SVC_WORK/$1/stash
        acl_file = $SVC_WORK/kadm5.acl
        admin_keytab = FILE:$SVC_WORK/$1/kadm5.keytab
        master_key_type = aes256-cts-hmac-sha1-96
        supported_enctypes = $(svc_pick "aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal" \
            "aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal aes256-cts-hmac-sha384-192:normal aes128-cts-hmac-sha256-128:normal" \
            "aes256-cts-hmac-sha384-192:normal aes256-cts-hmac-sha1-96:normal camellia256-cts-cmac:normal")
        max_life = $(svc_pick 10h 1d 2d)
        max_renewable_life = $(svc_pick 7d 14d 30d)
        default_principal_flags = +renewable +forwardable +proxiable +postdateable
    }
EOF
}
cat > "$SVC_WORK/kdc.conf" <<EOF
[kdcdefaults]
    kdc_ports = $port
    kdc_tcp_ports = $port
    kdc_max_dgram_reply_size = $(svc_pick 1100 1150 4096)
[realms]
$(realm_conf "$realm")
$(realm_conf "$prealm")
[logging]
    kdc = FILE:$SVC_WORK/kdc.log
    admin_server = FILE:$SVC_WORK/kadmin.log
    default = FILE:$SVC_WORK/krb5lib.log
EOF
touch "$SVC_WORK/kadm5.acl"
cat > "$SVC_WORK/krb5-kdc.conf" <<EOF
[libdefaults]
    default_realm = $realm
    dns_lookup_kdc = false
    dns_lookup_realm = false
${spake_kdc:+    spake_preauth_groups = $spake_kdc}
[realms]
    $realm = {
        kdc = $srv
    }
    $prealm = {
        kdc = $srv
    }
EOF
export KRB5_CONFIG=$SVC_WORK/krb5-kdc.conf KRB5_KDC_PROFILE=$SVC_WORK/kdc.conf
for r in "$realm" "$prealm"; do
    kdb5_util create -s -P "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" -r "$r" -d "$SVC_WORK/$r/principal" >/dev/null 2>&1 ||
        { netns_say "kdb5_util create failed for $r"; exit 1; }
done

# the principals, drawn from the seed: users (name, password, flags, enctypes), services,
# a disabled and an expired account, the cross-realm TGTs, keytabs for two services
pool=(alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy rupert
      sybil trent victor walter yasmin zoe k.tanaka m.rossi a.schmidt l.dubois p.novak
      svc-backup svc-jenkins admin.ops jdoe s.okafor)
enctype_sets=("" "" "" "aes128-cts-hmac-sha1-96:normal" "aes256-cts-hmac-sha1-96:normal"
    "aes256-cts-hmac-sha384-192:normal aes128-cts-hmac-sha256-128:normal"
    "camellia256-cts-cmac:normal camellia128-cts-cmac:normal aes256-cts-hmac-sha1-96:normal"
    "arcfour-hmac:normal aes256-cts-hmac-sha1-96:normal" "aes256-cts-hmac-sha1-96:onlyrealm aes128-cts-hmac-sha1-96:norealm"
    "aes256-cts-hmac-sha1-96:special")
users=() pws=() services=()
: > "$SVC_WORK/$realm.in"
: > "$SVC_WORK/$prealm.in"
add_users() {   # REALM COUNT
    local r=$1 n=$2 i u pw e start
    start=$(svc_rand 0 $(( ${#pool[@]} - 1 )))
    for i in $(seq 0 $(( n - 1 ))); do
        u=${pool[$(( (start + i * 7) % ${#pool[@]} ))]}@$r
        pw=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | cut -c1-"$(svc_rand 8 20)")
        users+=("$u") pws+=("$pw")
        e=${enctype_sets[$(svc_rand 0 $(( ${#enctype_sets[@]} - 1 )))]}
        echo "addprinc -pw $pw $(svc_pick +requires_preauth +requires_preauth -requires_preauth) -maxrenewlife \"$(svc_pick 1d 7d 14d)\" ${e:+-e \"$e\"} $u" >> "$SVC_WORK/$r.in"
    done
}
add_services() {   # REALM NAME...
    local r=$1 sp e; shift
    for sp in "$@"; do
        services+=("$sp@$r")
        e=${enctype_sets[$(svc_rand 0 6)]}
        echo "addprinc -randkey ${e:+-e \"$e\"} $sp@$r" >> "$SVC_WORK/$r.in"
    done
}
add_users "$realm" "$(svc_rand 9 13)"
nmain=${#users[@]}
add_users "$prealm" "$(svc_rand 3 5)"
nusers=${#users[@]}
add_services "$realm" "host/srv.$domain" "HTTP/web.$domain" "HTTP/intranet.$domain" "ldap/dc1.$domain" \
    "cifs/fs1.$domain" "postgres/db.$domain" "imap/mail.$domain" "smtp/mail.$domain" "nfs/files.$domain" \
    "MSSQLSvc/sql.$domain:1433" "HTTP/jenkins.$domain" "host/ws$(svc_rand 10 99).$domain"
nmainsvc=${#services[@]}
add_services "$prealm" "host/gw.$pdomain" "HTTP/wiki.$pdomain" "cifs/share.$pdomain" "ldap/dc.$pdomain"
trust1=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
trust2=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
trust_enc=$(svc_pick "aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal" "aes256-cts-hmac-sha1-96:normal")
for r in "$realm" "$prealm"; do
    cat >> "$SVC_WORK/$r.in" <<EOF
addprinc -pw $trust1 -e "$trust_enc" krbtgt/$prealm@$realm
addprinc -pw $trust2 -e "$trust_enc" krbtgt/$realm@$prealm
modprinc -maxrenewlife "30 days" krbtgt/$r@$r
EOF
done
cat >> "$SVC_WORK/$realm.in" <<EOF
addprinc -pw locked-$FC_SEED +requires_preauth -allow_tix former.employee@$realm
addprinc -pw expired-$FC_SEED +requires_preauth -expire "2020-01-01 00:00:00 UTC" contractor@$realm
modprinc +ok_to_auth_as_delegate HTTP/web.$domain@$realm
ktadd -k $SVC_WORK/host.keytab host/srv.$domain@$realm
ktadd -k $SVC_WORK/http.keytab HTTP/web.$domain@$realm
EOF
for r in "$realm" "$prealm"; do
    kadmin.local -r "$r" < "$SVC_WORK/$r.in" >/dev/null 2>"$SVC_WORK/kadmin.err" ||
        { netns_say "kadmin.local failed"; cat "$SVC_WORK/kadmin.err" >&2; exit 1; }
done
[ -s "$SVC_WORK/http.keytab" ] || { netns_say "no keytab"; cat "$SVC_WORK/kadmin.err" >&2; exit 1; }

pidfile=$SVC_WORK/krb5kdc.pid
bg_srv env KRB5_CONFIG="$KRB5_CONFIG" KRB5_KDC_PROFILE="$KRB5_KDC_PROFILE" krb5kdc -n -r "$realm" -r "$prealm" -P "$pidfile"
wait_port udp $port || exit 1
wait_tcp_port $port || exit 1
capture_start "$pcap" "port $port or (udp and ip[6:2] & 0x1fff != 0)"

# a client configuration for one run: TRANSPORT (udp or tcp), the default realm
mkdir -p "$SVC_WORK/cc"
client_conf() {
    local f=$SVC_WORK/client-$run.conf transport=$1 defrealm=$2 kdc=$srv udplim="" enc
    # TCP: udp_preference_limit = 1 (a request of more bytes than the limit goes by TCP);
    # UDP: the default limit (1465) or a larger one; a KDC reply too big for its
    # kdc_max_dgram_reply_size comes back as KRB_ERR_RESPONSE_TOO_BIG and is asked again by TCP
    kdc=$(svc_pick "$srv" "$srv" "$srv:$port")
    case $transport in
    tcp) udplim="udp_preference_limit = 1" ;;
    udp) [ "$(svc_rand 0 2)" = 0 ] && udplim="udp_preference_limit = $(svc_pick 1465 4096 8192)" ;;
    esac
    enc=$(svc_pick "" "" "" "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96" "aes256-cts aes128-cts camellia256-cts" \
        "aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96" \
        "aes aes-sha2 camellia rc4" "aes128-cts-hmac-sha1-96" "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 arcfour-hmac")
    {
        echo "[libdefaults]"
        echo "    default_realm = $defrealm"
        echo "    dns_lookup_kdc = false"
        echo "    dns_lookup_realm = false"
        echo "    rdns = false"
        echo "    dns_canonicalize_hostname = false"
        [ -n "$udplim" ] && echo "    $udplim"
        if [ -n "$enc" ]; then
            echo "    permitted_enctypes = $enc"
            [ "$(svc_rand 0 2)" = 0 ] || echo "    default_tkt_enctypes = $enc"
            [ "$(svc_rand 0 2)" = 0 ] || echo "    default_tgs_enctypes = $enc"
        fi
        echo "    forwardable = $(svc_pick true true false)"
        echo "    proxiable = $(svc_pick true false false)"
        echo "    noaddresses = $(svc_pick true true true false)"
        echo "    ticket_lifetime = $(svc_pick 8h 10h 24h 1h)"
        [ "$(svc_rand 0 1)" = 0 ] && echo "    renew_lifetime = $(svc_pick 2d 7d)"
        echo "    spake_preauth_groups = $(svc_pick edwards25519 edwards25519 P-256 P-384 P-521)"
        [ "$(svc_rand 0 3)" = 0 ] && echo "    canonicalize = true"
        echo "[realms]"
        echo "    $realm = {"
        echo "        kdc = $kdc"
        echo "    }"
        echo "    $prealm = {"
        echo "        kdc = $kdc"
        echo "    }"
        echo "[domain_realm]"
        echo "    .$domain = $realm"
        echo "    .$pdomain = $prealm"
    } > "$f"
    echo "$f"
}

# the client tools with this run's configuration and credential cache
kc() { in_cli env KRB5_CONFIG="$conf" KRB5CCNAME="FILE:$cc" timeout 20 "$@"; }
pause() { sleep "$(svc_pick 0.1 0.3 0.5 0.8 1.2 2)"; }
user_opts() {
    local o=""
    [ "$(svc_rand 0 2)" = 0 ] && o+=" $(svc_pick -f -F)"
    [ "$(svc_rand 0 3)" = 0 ] && o+=" $(svc_pick -p -P)"
    [ "$(svc_rand 0 2)" = 0 ] && o+=" -r $(svc_pick 1d 3d 7d)"
    [ "$(svc_rand 0 2)" = 0 ] && o+=" -l $(svc_pick 30m 2h 8h 10h)"
    [ "$(svc_rand 0 5)" = 0 ] && o+=" $(svc_pick -C -a -A)"
    echo "$o"
}
some_services() {
    local n=$1 i
    for i in $(seq "$n"); do echo "${services[$(svc_rand 0 $(( ${#services[@]} - 1 )))]}"; done
}
login() {   # user index: kinit with the password and this run's options
    printf '%s\n' "${pws[$1]}" | kc kinit $(user_opts) "${users[$1]}" >/dev/null 2>&1
}

sessions_now() { svc_count_sessions "$pcap"; }
target=$(svc_rand 35 40)
run=0
while [ "$(sessions_now)" -lt "$target" ] && [ $run -lt 80 ]; do
    run=$((run + 1))
    # mostly a user of the main realm, now and then one of the partner realm
    if [ "$(svc_rand 0 4)" = 0 ]; then u=$(svc_rand "$nmain" $(( nusers - 1 ))); else u=$(svc_rand 0 $(( nmain - 1 ))); fi
    conf=$(client_conf "$(svc_pick udp udp tcp)" "${users[$u]#*@}")
    cc=$SVC_WORK/cc/$run
    case $(svc_rand 1 18) in
    1|2|3)  # a user logs in, then maybe opens a service or two
        login "$u"
        if [ "$(svc_rand 0 1)" = 0 ]; then pause; kc kvno $(some_services "$(svc_rand 1 2)") >/dev/null 2>&1; fi ;;
    4)      # a wrong password, sometimes the right one after it
        printf '%s\n' "${pws[$u]}$(svc_pick x 1 !)" | kc kinit "${users[$u]}" >/dev/null 2>&1
        [ "$(svc_rand 0 1)" = 0 ] && { pause; login "$u"; } ;;
    5)      # a typo in the user name, a user of the other realm, a departed or an expired account
        n=${users[$u]%@*}
        printf 'secret%s\n' "$run" | kc kinit "$(svc_pick "${n}x" "${n%?}" "$n@$(svc_pick "$realm" "$prealm")" \
            "former.employee@$realm" "contractor@$realm" "administrator@$realm")" >/dev/null 2>&1 ;;
    6|7)    # a service logs in from its keytab and asks for a backend's ticket
        kc kinit $(svc_pick "" "-f" "-l 1h") -k -t "$(svc_pick "$SVC_WORK/host.keytab" "$SVC_WORK/http.keytab")" \
            "$(svc_pick "host/srv.$domain@$realm" "HTTP/web.$domain@$realm")" >/dev/null 2>&1
        [ "$(svc_rand 0 1)" = 0 ] && kc kvno $(some_services 1) >/dev/null 2>&1 ;;
    8)      # FAST: the host's keytab ticket armours a user's login
        kc kinit -k -t "$SVC_WORK/host.keytab" -c "FILE:$cc.armor" "host/srv.$domain@$realm" >/dev/null 2>&1
        printf '%s\n' "${pws[$u]}" | kc kinit -T "FILE:$cc.armor" $(user_opts) "${users[$u]}" >/dev/null 2>&1 ;;
    9|10)   # a working session: several service tickets, one request each
        login "$u"; pause
        for sp in $(some_services "$(svc_rand 1 3)"); do
            kc kvno $(svc_pick "" "" "-e aes256-cts-hmac-sha1-96" "-e aes128-cts-hmac-sha1-96") "$sp" >/dev/null 2>&1; pause
        done ;;
    11)     # renewable tickets renewed later
        printf '%s\n' "${pws[$u]}" | kc kinit -r "$(svc_pick 1d 2d 7d)" -l "$(svc_pick 10m 1h 4h)" "${users[$u]}" >/dev/null 2>&1
        for i in $(seq "$(svc_rand 1 2)"); do pause; kc kinit -R >/dev/null 2>&1; done ;;
    12)     # a service ticket straight from the AS, or an enterprise name (not known: no aliases)
        if [ "$(svc_rand 0 2)" != 0 ]; then
            if [ "$u" -lt "$nmain" ]; then sp=${services[$(svc_rand 0 $(( nmainsvc - 1 )))]}
            else sp=${services[$(svc_rand "$nmainsvc" $(( ${#services[@]} - 1 )))]}; fi
            printf '%s\n' "${pws[$u]}" | kc kinit -S "$(svc_pick "$sp" "$sp" "kadmin/changepw")" "${users[$u]}" >/dev/null 2>&1
        else
            printf '%s\n' "${pws[$u]}" | kc kinit -E "${users[$u]%@*}@$(svc_pick "$domain" "$pdomain")" >/dev/null 2>&1
        fi ;;
    13)     # a service that is not there, or a realm nobody trusts
        login "$u"; pause
        kc kvno "$(svc_pick "HTTP/old.$domain" "cifs/nas2.$domain" "host/srv.$domain@OTHER.TEST" "ldap/dc9.$domain")" >/dev/null 2>&1 ;;
    14)     # S4U2Self: the web service asks a ticket to itself on a user's behalf
        kc kinit -k -t "$SVC_WORK/http.keytab" "HTTP/web.$domain@$realm" >/dev/null 2>&1
        kc kvno -U "${users[$u]%@"$realm"}" "HTTP/web.$domain@$realm" >/dev/null 2>&1 ;;
    15)     # user-to-user: a ticket encrypted in another user's TGT session key
        v=$(( (u + 1) % nusers ))
        printf '%s\n' "${pws[$v]}" | in_cli env KRB5_CONFIG="$conf" timeout 20 kinit -c "FILE:$cc.peer" "${users[$v]}" >/dev/null 2>&1
        login "$u"
        kc kvno --u2u "FILE:$cc.peer" "${users[$v]}" >/dev/null 2>&1 ;;
    16)     # a postdated ticket, validated once it starts
        printf '%s\n' "${pws[$u]}" | kc kinit -s 1s -l 2h "${users[$u]}" >/dev/null 2>&1
        sleep 1.5; kc kinit -v >/dev/null 2>&1 ;;
    17|18)  # across the trust: a service of the other realm (a cross-realm TGT, then the ticket)
        login "$u"; pause
        if [ "$u" -lt "$nmain" ]; then sp=${services[$(svc_rand "$nmainsvc" $(( ${#services[@]} - 1 )))]}
        else sp=${services[$(svc_rand 0 $(( nmainsvc - 1 )))]}; fi
        kc kvno "$sp" >/dev/null 2>&1
        [ "$(svc_rand 0 2)" = 0 ] && { pause; kc kvno $(some_services 1) >/dev/null 2>&1; } ;;
    esac
    svc_think
done
capture_stop
in_srv kill "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null
svc_end Kerberos "$pcap" 34
