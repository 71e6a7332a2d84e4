#!/usr/bin/env bash
# corpus/services/ldap.sh OUTDIR: LDAP sessions (class LDAP) between a private slapd
# (Debian's slapd, OpenLDAP 2.5, mdb backend, memberof and sssvlv overlays) and the OpenLDAP
# command-line clients (ldap-utils: ldapsearch, ldapadd, ldapmodify, ldapdelete,
# ldapmodrdn, ldapwhoami, ldappasswd, ldapcompare) and Python's ldap3 (python3-ldap3), in two
# network namespaces, plain LDAP on port 389 without TLS. The directory holds a few hundred
# users (inetOrgPerson + posixAccount, some with photos) and groups (posixGroup and
# groupOfNames), loaded with slapadd before the capture. Sessions bind anonymously, as a
# user, as a service account or as the administrator (now and then with a wrong password),
# or not at all (ldap3 searching straight after connecting, as LDAPv3 allows),
# and search with different bases, scopes, filters, attribute lists, size limits, paged
# results and server-side sorting; read the root DSE and the schema; add, modify, rename
# and delete entries; change passwords; compare values; ask who they are. One client run
# is one TCP connection.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/LDAP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=389
dir=$(svc_class_dir LDAP)
pcap=$dir/ldap-$FC_BATCH.pcap
set -f      # attribute lists such as "* +" are split into words, never globbed

base=$(svc_pick dc=example,dc=org dc=corp,dc=example,dc=com o=acme,dc=example,dc=net)
admin="cn=admin,$base"
adminpw="admin-$FC_SEED"
reader="cn=reader,ou=services,$base"
readerpw="reader-$FC_SEED"
nusers=$(svc_rand 250 600)
ngroups=$(svc_rand 20 60)
userpw() { echo "pw.$1.$FC_SEED"; }

# the directory: users, groups and service accounts, drawn from the seed
mkdir -p "$SVC_WORK/db"
$SVC_PYTHON - "$FC_SEED" "$base" "$nusers" "$ngroups" "$readerpw" > "$SVC_WORK/data.ldif" <<'PY' || exit 1
import base64, hashlib, os, random, sys
seed, base, nusers, ngroups, readerpw = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = random.Random(seed)
first = "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Chen Aisha Olga Pierre Ingrid Kenji Fatima Lars Priya Mateo Zoe Noah Emma Liam Ava Lucas Mia Hugo Lea Omar".split()
last = "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Lewis Robinson Walker Young Muller Schmidt Dubois Rossi Novak Kowalski Nakamura Singh Okafor Larsen".split()
depts = "Engineering Sales Marketing Finance Support Research Operations Legal HR Facilities".split()
shells = ["/bin/bash", "/bin/bash", "/bin/zsh", "/bin/sh", "/usr/sbin/nologin"]
def ssha(pw):
    salt = os.urandom(8)
    return "{SSHA}" + base64.b64encode(hashlib.sha1(pw.encode() + salt).digest() + salt).decode()
def out(*lines):
    print("\n".join(lines) + "\n")
dc = base.split(",")[0].split("=")
out(f"dn: {base}", "objectClass: top", "objectClass: " + ("dcObject" if dc[0] == "dc" else "organization"),
    "objectClass: organization" if dc[0] == "dc" else "objectClass: dcObject",
    f"{dc[0]}: {dc[1]}", f"o: {dc[1].capitalize()} Inc." if dc[0] == "dc" else "dc: example",
    f"description: Directory of {base}")
for ou in ["people", "groups", "services", "hosts"]:
    out(f"dn: ou={ou},{base}", "objectClass: organizationalUnit", f"ou: {ou}")
out(f"dn: cn=reader,ou=services,{base}", "objectClass: organizationalRole", "objectClass: simpleSecurityObject",
    "cn: reader", f"userPassword: {ssha(readerpw)}", "description: read-only bind account for applications")
for i in range(1, rng.randint(6, 30)):
    out(f"dn: cn=host{i:03d},ou=hosts,{base}", "objectClass: device", "objectClass: ipHost", f"cn: host{i:03d}",
        f"ipHostNumber: 10.{rng.randint(0,255)}.{rng.randint(0,255)}.{rng.randint(1,254)}",
        f"l: {rng.choice(['Paris', 'Berlin', 'Austin', 'Osaka', 'Lagos'])}")
users = []
for i in range(1, nusers + 1):
    gn, sn = rng.choice(first), rng.choice(last)
    uid = f"u{i}"
    users.append(uid)
    lines = [f"dn: uid={uid},ou=people,{base}", "objectClass: inetOrgPerson", "objectClass: posixAccount",
             "objectClass: shadowAccount", f"uid: {uid}", f"cn: {gn} {sn}", f"givenName: {gn}", f"sn: {sn}",
             f"displayName: {gn} {sn}", f"mail: {gn.lower()}.{sn.lower()}{i}@example.org",
             f"uidNumber: {10000 + i}", f"gidNumber: {5000 + rng.randint(1, ngroups)}",
             f"homeDirectory: /home/{uid}", f"loginShell: {rng.choice(shells)}",
             f"departmentNumber: {rng.choice(depts)}", f"title: {rng.choice(['Engineer', 'Manager', 'Analyst', 'Director', 'Intern', 'Consultant'])}",
             f"telephoneNumber: +1 555 {rng.randint(1000000, 9999999)}",
             f"userPassword: {ssha('pw.' + uid + '.' + str(seed))}",
             f"shadowLastChange: {rng.randint(18000, 20000)}"]
    if rng.random() < 0.4:
        lines.append(f"mobile: +44 7700 {rng.randint(100000, 999999)}")
    if rng.random() < 0.3:
        lines.append("description: " + " ".join(rng.choice(first + last + depts).lower() for _ in range(rng.randint(3, 40))))
    if rng.random() < 0.08:
        lines.append("jpegPhoto:: " + base64.b64encode(os.urandom(rng.choice([900, 3000, 9000, 25000]))).decode())
    out(*lines)
for g in range(1, ngroups + 1):
    members = rng.sample(users, rng.randint(1, min(len(users), rng.choice([4, 15, 40, 120]))))
    out(f"dn: cn=grp{g},ou=groups,{base}", "objectClass: posixGroup", f"cn: grp{g}", f"gidNumber: {5000 + g}",
        f"description: {rng.choice(depts)} group {g}", *[f"memberUid: {m}" for m in members])
    out(f"dn: cn=team{g},ou=groups,{base}", "objectClass: groupOfNames", f"cn: team{g}",
        *[f"member: uid={m},ou=people,{base}" for m in members[:rng.randint(1, len(members))]])
PY

cat > "$SVC_WORK/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
moduleload sssvlv
pidfile $SVC_WORK/slapd.pid
argsfile $SVC_WORK/slapd.args
loglevel none
sizelimit size.soft=$(svc_pick 500 1000) size.hard=unlimited size.prtotal=unlimited
idletimeout 60

database mdb
maxsize 200000000
suffix "$base"
rootdn "$admin"
rootpw $adminpw
directory $SVC_WORK/db
index objectClass eq
index uid,cn,mail,memberUid eq,sub
index member,memberOf eq
index uidNumber,gidNumber eq
overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
overlay sssvlv
limits anonymous size=$(svc_pick 50 100 200)
access to attrs=userPassword,shadowLastChange
    by self write
    by anonymous auth
    by * none
access to attrs=telephoneNumber,mobile,jpegPhoto
    by self write
    by users read
    by * none
access to attrs=description,title
    by self write
    by * read
access to *
    by users read
    by * read
EOF
slaptest -Q -u -f "$SVC_WORK/slapd.conf" || exit 1
slapadd -q -f "$SVC_WORK/slapd.conf" -l "$SVC_WORK/data.ldif" || exit 1
bg_srv slapd -f "$SVC_WORK/slapd.conf" -h "ldap://$NETNS_SRV_IP:$port/" -d 0
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

srv=ldap://$NETNS_SRV_IP:$port
user() { echo "u$(svc_rand 1 $((nusers - 40)))"; }    # bindable users (the last 40 get random passwords)
udn() { echo "uid=$1,ou=people,$base"; }
# who binds: anonymous, a user, the service account, the administrator, or a wrong password
bind_args() {
    local u
    case $(svc_rand 1 12) in
    1|2|3) ;;
    4|5|6|7|8) u=$(user); echo "-D $(udn "$u") -w $(userpw "$u")" ;;
    9|10) echo "-D $reader -w $readerpw" ;;
    11) echo "-D $admin -w $adminpw" ;;
    12) echo "-D $(udn "$(user)") -w wrong-$(svc_rand 1 999)" ;;
    esac
}
filter() {
    case $(svc_rand 1 14) in
    1) echo "(uid=$(user))" ;;
    2) echo "(&(objectClass=inetOrgPerson)(sn=$(svc_pick A B C D G H J K L M N O P R S T W Y)*))" ;;
    3) echo "(|(cn=*$(svc_pick an ar el in on er ia)*)(mail=$(svc_pick j m a l s)*))" ;;
    4) echo "(memberUid=$(user))" ;;
    5) echo "(member=$(udn "$(user)"))" ;;
    6) echo "(&(objectClass=posixAccount)(uidNumber>=$(svc_rand 10000 10600)))" ;;
    7) echo "(&(objectClass=posixAccount)(!(loginShell=/bin/bash)))" ;;
    8) echo "(objectClass=$(svc_pick posixGroup groupOfNames organizationalUnit ipHost))" ;;
    9) echo "(departmentNumber=$(svc_pick Engineering Sales Marketing Finance Support Research Operations Legal HR Facilities))" ;;
    10) echo "(memberOf=cn=team$(svc_rand 1 $ngroups),ou=groups,$base)" ;;
    11) echo "(&(objectClass=inetOrgPerson)(mail=*$(svc_rand 1 99)@example.org))" ;;
    12) echo "(objectClass=*)" ;;
    13) echo "(&(objectClass=posixGroup)(cn=grp$(svc_rand 1 $ngroups)))" ;;
    14) echo "(gidNumber=$((5000 + $(svc_rand 1 $ngroups))))" ;;
    esac
}
attrs() {
    svc_pick "" "" "cn mail" "uid uidNumber gidNumber homeDirectory loginShell" "1.1" "+" "* +" \
        "cn memberUid" "dn" "displayName telephoneNumber mobile title departmentNumber" "memberOf" "jpegPhoto"
}
search_base() {
    svc_pick "$base" "$base" "ou=people,$base" "ou=people,$base" "ou=groups,$base" "ou=hosts,$base"
}

# a python3-ldap3 session: several operations, with pauses
ldap3_session() {
    in_cli timeout 60 "$SVC_PYTHON" - "$NETNS_SRV_IP" "$base" "$1" "$2" "$3" "$4" "$ngroups" "$nusers" <<'PY'
import random, sys, time
import ldap3
from ldap3.core.exceptions import LDAPException
host, base, who, password, seed, ngroups, nusers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[7]), int(sys.argv[8])
mode = sys.argv[6]
rng = random.Random(seed)
info = rng.choice([ldap3.NONE, ldap3.NONE, ldap3.DSA, ldap3.SCHEMA, ldap3.ALL])
server = ldap3.Server(host, port=389, get_info=info, connect_timeout=10)
if who == "none":   # no bind at all: LDAPv3 lets a client search straight away
    conn = ldap3.Connection(server, auto_bind=ldap3.AUTO_BIND_NONE, read_only=True)
    conn.open()
    if info != ldap3.NONE:
        conn.refresh_server_info()
elif who == "-":
    conn = ldap3.Connection(server, auto_bind=True, read_only=mode == "read")
else:
    conn = ldap3.Connection(server, user=who, password=password, auto_bind=True, read_only=mode == "read")
people = "ou=people," + base
def pause(): time.sleep(rng.uniform(0.02, 0.5))
for _ in range(rng.randint(1, 9)):
    pause()
    step = rng.choice(["search", "search", "paged", "group", "whoami", "compare", "modify", "add", "rootdse"])
    try:
        if step == "search":
            conn.search(rng.choice([base, people]), "(&(objectClass=inetOrgPerson)(cn=%s*))" % rng.choice("ABCDEGHJKLMNOPRSTWZ"),
                        search_scope=rng.choice([ldap3.SUBTREE, ldap3.LEVEL]),
                        attributes=rng.choice([["cn", "mail"], ldap3.ALL_ATTRIBUTES, ["uid", "uidNumber", "title"], []]),
                        size_limit=rng.choice([0, 5, 50]))
        elif step == "paged":
            for _e in conn.extend.standard.paged_search(people, "(objectClass=posixAccount)", attributes=["uid", "cn", "gidNumber"],
                                                         paged_size=rng.choice([20, 50, 100, 250]), generator=True):
                pass
        elif step == "group":
            g = rng.randint(1, ngroups)
            conn.search("ou=groups," + base, "(|(cn=grp%d)(cn=team%d))" % (g, g), attributes=["member", "memberUid", "gidNumber"])
            for e in conn.response[:1]:
                for m in e.get("attributes", {}).get("memberUid", [])[:rng.randint(0, 4)]:
                    conn.search(people, "(uid=%s)" % m, attributes=["cn", "mail", "telephoneNumber"])
        elif step == "whoami":
            conn.extend.standard.who_am_i()
        elif step == "compare":
            u = rng.randint(1, nusers)
            conn.compare("uid=u%d,%s" % (u, people), rng.choice(["loginShell", "departmentNumber", "title"]),
                         rng.choice(["/bin/bash", "Sales", "Engineer", "/bin/zsh"]))
        elif step == "modify" and mode == "write":
            u = rng.randint(1, nusers)
            conn.modify("uid=u%d,%s" % (u, people), {"description": [(ldap3.MODIFY_REPLACE, ["note %d from a script" % rng.randint(1, 10**6)])],
                                                     "title": [(ldap3.MODIFY_REPLACE, [rng.choice(["Engineer", "Manager", "Analyst"])])]})
        elif step == "add" and mode == "write":
            cn = "py%d-%d" % (seed % 100000, rng.randint(1, 99999))
            dn = "cn=%s,ou=hosts,%s" % (cn, base)
            conn.add(dn, ["device", "ipHost"], {"cn": cn, "ipHostNumber": "192.168.%d.%d" % (rng.randint(0, 255), rng.randint(1, 254))})
            if rng.random() < 0.6:
                pause()
                conn.delete(dn)
        elif step == "rootdse":
            conn.search("", "(objectClass=*)", search_scope=ldap3.BASE, attributes=["+", "*"])
    except LDAPException:
        pass
conn.unbind()
PY
}

added=()   # entries added by earlier sessions, for ldapmodrdn and ldapdelete
sessions=40
for s in $(seq $sessions); do
    b=$(bind_args)
    case $(svc_rand 1 20) in
    1|2|3|4)  # one search: base, scope, filter, attributes and options drawn from the seed
        in_cli timeout 30 ldapsearch -x -H "$srv" $b -LLL -b "$(search_base)" \
            -s "$(svc_pick sub sub sub one base children)" $(svc_pick "" "" "-z $(svc_rand 1 80)" "-A" "-l 5") \
            "$(filter)" $(attrs) ;;
    5|6)  # a paged search over many entries (simple paged results control)
        in_cli timeout 30 ldapsearch -x -H "$srv" $b -LLL -b "$(svc_pick "$base" "ou=people,$base")" \
            -E "pr=$(svc_pick 10 25 50 100 200 500)/noprompt" "$(svc_pick "(objectClass=posixAccount)" "(objectClass=*)" "(uid=u1*)" "$(filter)")" $(attrs) ;;
    7)  # server-side sorting
        in_cli timeout 30 ldapsearch -x -H "$srv" $b -LLL -b "ou=people,$base" \
            -E "sss=$(svc_pick uidNumber -uidNumber sn:caseIgnoreOrderingMatch -cn:caseIgnoreOrderingMatch sn:caseIgnoreOrderingMatch/givenName:caseIgnoreOrderingMatch modifyTimestamp)" -z "$(svc_rand 5 200)" "$(filter)" $(svc_pick "cn" "cn sn mail" "uid") ;;
    8)  # the root DSE or the schema (what a client library reads when it connects)
        case $(svc_rand 1 4) in
        1) in_cli timeout 30 ldapsearch -x -H "$srv" -LLL -s base -b "" + ;;
        2) in_cli timeout 30 ldapsearch -x -H "$srv" -LLL -s base -b "" namingContexts supportedControl supportedExtension ;;
        3) in_cli timeout 30 ldapsearch -x -H "$srv" -LLL -s base -b cn=subschema + ;;
        4) in_cli timeout 30 ldapsearch -x -H "$srv" $b -LLL -s base -b cn=subschema objectClasses attributeTypes ;;
        esac ;;
    9)  # several searches on one connection: a filter file, one lookup a line, typed with pauses
        for i in $(seq "$(svc_rand 2 12)"); do user; done |
            while read -r u; do echo "$u"; sleep "0.$(svc_rand 10 60)"; done |
            in_cli timeout 30 ldapsearch -x -H "$srv" $b -LLL -b "ou=people,$base" -f - \
            "$(svc_pick "(uid=%s)" "(memberUid=%s)" "(&(objectClass=posixAccount)(uid=%s))")" $(attrs) ;;
    10) # new users and groups (ldapadd, as the administrator)
        n=$(svc_rand 1 8)
        for i in $(seq "$n"); do
            id=t$FC_SEED-$s-$i
            printf 'dn: uid=%s,ou=people,%s\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\nuid: %s\ncn: Temp %s\nsn: Temp\nuidNumber: %d\ngidNumber: 5001\nhomeDirectory: /home/%s\nuserPassword: %s\n' \
                "$id" "$base" "$id" "$id" "$(svc_rand 20000 29999)" "$id" "$(head -c 9 /dev/urandom | base64)"
            [ "$(svc_rand 1 3)" = 1 ] && printf 'description: %s\n' "$(head -c "$(svc_rand 10 600)" /dev/urandom | base64 -w0)"
            echo
        done | in_cli timeout 30 ldapadd -x -H "$srv" -D "$admin" -w "$adminpw" -c
        for i in $(seq "$n"); do added+=("uid=t$FC_SEED-$s-$i,ou=people,$base"); done ;;
    11) # changes to users and groups (ldapmodify), a few records with pauses
        for i in $(seq "$(svc_rand 1 6)"); do
            g=$(svc_rand 1 "$ngroups")
            case $(svc_rand 1 4) in
            1) printf 'dn: cn=grp%d,ou=groups,%s\nchangetype: modify\nadd: memberUid\nmemberUid: %s\n\n' "$g" "$base" "$(user)" ;;
            2) printf 'dn: cn=team%d,ou=groups,%s\nchangetype: modify\nadd: member\nmember: %s\n\n' "$g" "$base" "$(udn "$(user)")" ;;
            3) printf 'dn: %s\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: +1 555 %d\n-\nreplace: title\ntitle: %s\n\n' \
                   "$(udn "$(user)")" "$(svc_rand 1000000 9999999)" "$(svc_pick Engineer Manager Analyst Director)" ;;
            4) printf 'dn: %s\nchangetype: modify\nreplace: loginShell\nloginShell: %s\n\n' "$(udn "$(user)")" "$(svc_pick /bin/bash /bin/zsh /bin/sh)" ;;
            esac
        done | while IFS= read -r line; do echo "$line"; [ -z "$line" ] && sleep "0.$(svc_rand 10 50)"; done |
            in_cli timeout 30 ldapmodify -x -H "$srv" -D "$admin" -w "$adminpw" -c ;;
    12) # a user changes their own details or an administrator's bulk change
        u=$(user)
        printf 'dn: %s\nchangetype: modify\nreplace: mobile\nmobile: +44 7700 %d\n-\nreplace: description\ndescription: %s\n\n' \
            "$(udn "$u")" "$(svc_rand 100000 999999)" "$(head -c "$(svc_rand 8 300)" /dev/urandom | base64 -w0)" |
            in_cli timeout 30 ldapmodify -x -H "$srv" -D "$(udn "$u")" -w "$(userpw "$u")" ;;
    13) # delete or rename entries added earlier (or one that is not there)
        if [ ${#added[@]} -gt 0 ]; then
            k=$(svc_rand 0 $((${#added[@]} - 1)))
            if [ "$(svc_rand 1 2)" = 1 ]; then
                in_cli timeout 30 ldapdelete -x -H "$srv" -D "$admin" -w "$adminpw" -c "${added[@]:$k:$(svc_rand 1 3)}"
            else
                in_cli timeout 30 ldapmodrdn -x -H "$srv" -D "$admin" -w "$adminpw" -r "${added[$k]}" "uid=r$(svc_rand 1 99999)-$FC_SEED"
            fi
        else
            in_cli timeout 30 ldapdelete -x -H "$srv" -D "$admin" -w "$adminpw" "uid=nobody$(svc_rand 1 99),ou=people,$base"
        fi ;;
    14) # who am I (a login check)
        u=$(user)
        in_cli timeout 30 ldapwhoami -x -H "$srv" $(svc_pick "-D $(udn "$u") -w $(userpw "$u")" "-D $reader -w $readerpw" "" "-D $(udn "$u") -w bad") ;;
    15) # a password change: a user's own (same value), or a reset by the administrator
        u=$(user); r=u$(svc_rand $((nusers - 39)) "$nusers")
        case $(svc_rand 1 3) in
        1) in_cli timeout 30 ldappasswd -x -H "$srv" -D "$(udn "$u")" -w "$(userpw "$u")" -a "$(userpw "$u")" -s "$(userpw "$u")" ;;
        2) in_cli timeout 30 ldappasswd -x -H "$srv" -D "$admin" -w "$adminpw" "$(udn "$r")" ;;
        3) in_cli timeout 30 ldappasswd -x -H "$srv" -D "$admin" -w "$adminpw" -s "new-$(svc_rand 1 99999)" "$(udn "$r")" ;;
        esac ;;
    16) # a comparison (group membership, attribute check)
        g=$(svc_rand 1 "$ngroups")
        in_cli timeout 30 ldapcompare -x -H "$srv" $b \
            $(svc_pick "cn=grp$g,ou=groups,$base memberUid:$(user)" "cn=team$g,ou=groups,$base member:$(udn "$(user)")" \
                "$(udn "$(user)") loginShell:/bin/bash" "$(udn "$(user)") departmentNumber:Sales") ;;
    17|18) # python3-ldap3, a reading application
        case $(svc_rand 0 3) in
        0) ldap3_session none - "$FC_SEED$s" read ;;
        1) ldap3_session - - "$FC_SEED$s" read ;;
        2) ldap3_session "$reader" "$readerpw" "$FC_SEED$s" read ;;
        3) u=$(user); ldap3_session "$(udn "$u")" "$(userpw "$u")" "$FC_SEED$s" read ;;
        esac ;;
    *)  # python3-ldap3, a provisioning script as the administrator
        ldap3_session "$admin" "$adminpw" "$FC_SEED$s" write ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end LDAP "$pcap" $sessions
