#!/usr/bin/env bash
# corpus/services/radius.sh OUTDIR: RADIUS sessions (class RADIUS; nDPI says Radius) between
# FreeRADIUS and radclient, radtest and radeapclient (Debian's freeradius, freeradius-utils),
# in two network namespaces, over UDP: authentication on port 1812, accounting on 1813.
# The server runs from a private copy of /etc/freeradius/3.0 with its own clients.conf (the
# client namespace as one NAS, a secret drawn anew each batch), its own users file (a few
# dozen users with PAP/CHAP/MS-CHAP/EAP-MD5 passwords and varied reply attributes:
# addresses, VLANs, timeouts, filters, vendor attributes; MAC addresses for MAC
# authentication; mobile subscribers with EAP-SIM triplets) and EAP-SIM turned on.
# Each session is one client run (one UDP socket) acting as one kind of NAS, with that
# NAS's attributes: a Wi-Fi controller (Cisco-, Aruba- or hostapd-like attribute sets), a
# switch (802.1X or MAC authentication), a VPN gateway, a PPPoE concentrator or a router's
# admin login. Sessions are bursts of Access-Requests (PAP, CHAP or MS-CHAP; right and wrong
# passwords, unknown users; sometimes in parallel, paced or resent), EAP-MD5 and EAP-SIM
# conversations (Access-Challenge round trips), accounting (Start, Interim-Update and Stop
# with counters, Accounting-On/Off), Status-Server probes, and now and then a NAS with the
# wrong secret (rejected, or dropped and retried without an answer).
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/RADIUS/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
auth_port=1812
acct_port=1813
dir=$(svc_class_dir RADIUS)
pcap=$dir/radius-$FC_BATCH.pcap
srv=$NETNS_SRV_IP


# the server's configuration: a copy of Debian's, run as root, logging and keeping its
# state under SVC_WORK, listening on the server address only (IPv4: the namespaces have no
# IPv6); EAP-SIM added to the eap module, and the users file read before eap in authorize
# so that a subscriber's EAP-Type := SIM picks the method
raddb=$SVC_WORK/raddb
cp -a /etc/freeradius/3.0 "$raddb" || exit 1
mkdir -p "$SVC_WORK/log" "$SVC_WORK/run"
sed -i -e "s|^logdir = .*|logdir = $SVC_WORK/log|" -e "s|^run_dir = .*|run_dir = $SVC_WORK/run|" \
    -e 's|^\s*user = freerad|#&|' -e 's|^\s*group = freerad|#&|' "$raddb/radiusd.conf"
rm -f "$raddb/sites-available/default"
awk '/^listen \{/ { block = $0 "\n"; inside = 1; next }
     inside { block = block $0 "\n"; if ($0 ~ /^}/) { if (block !~ /\n[ \t]*ipv6addr = ::/) printf "%s", block; inside = 0 }; next }
     { print }' /etc/freeradius/3.0/sites-available/default |
    sed -e "s/^\tipaddr = \*/\tipaddr = $srv/" -e '0,/^\teap {$/s//\tfiles\n&/' > "$raddb/sites-available/default"
rm -f "$raddb/mods-available/eap"
sed 's/^\tmd5 {/\tsim {\n\t}\n\n&/' /etc/freeradius/3.0/mods-available/eap > "$raddb/mods-available/eap"
secret=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | cut -c1-"$(svc_rand 8 20)")
cat > "$raddb/clients.conf" <<EOF
client $(svc_pick nas-lab edge-gw campus-core wlc-01) {
	ipaddr = $NETNS_CLI_IP
	secret = $secret
	shortname = nas$(svc_rand 1 99)
	nas_type = other
}
EOF

# the users (and their passwords, for the clients), drawn from the seed
$SVC_PYTHON - "$FC_SEED" "$raddb/mods-config/files/authorize" "$SVC_WORK/users.json" <<'PY' || exit 1
import json, random, string, sys
rng = random.Random(int(sys.argv[1]) * 31 + 7)
first = "anna ben carla dario emma felix gina hugo ines jonas kai lena marco nora omar paula quinn rosa sven tina ugo vera walt xenia yusuf zoe".split()
last = "smith garcia muller rossi kim novak silva berg dubois jensen costa ito weber lund moreau khan".split()
def password():
    k = rng.choice([6, 8, 10, 12, 16, 24])
    return "".join(rng.choices(string.ascii_letters + string.digits + "!#%&*-_.", k=k))
def mac(sep="", upper=False):
    s = "%012x" % rng.getrandbits(48)
    s = s.upper() if upper else s
    return sep.join(s[i:i + 2] for i in range(0, 12, 2)) if sep else s
def hexb(n): return "0x" + rng.randbytes(n).hex()
users, lines, seen = [], [], set()
while len(users) < rng.randint(30, 40):
    f, l = rng.choice(first), rng.choice(last)
    style = rng.choice(["f.l", "fl", "f", "fl@", "sub"])
    name = {"f.l": f"{f}.{l}", "fl": f"{f[0]}{l}", "f": f"{f}{rng.randint(1, 99)}",
            "fl@": f"{f}.{l}@corp.example.org", "sub": f"{rng.randint(100000, 999999)}@isp.example.net"}[style]
    if name in seen:
        continue
    seen.add(name)
    users.append({"name": name, "password": password(), "kind": "sub" if style == "sub" else "staff"})
for _ in range(rng.randint(5, 10)):
    m = mac(rng.choice(["", "-", ":"]))
    users.append({"name": m, "password": m, "kind": "mac"})
# mobile subscribers (Wi-Fi offload): EAP-SIM permanent identities and GSM triplets
for _ in range(rng.randint(6, 12)):
    mcc, mnc = rng.choice([("311", "480"), ("310", "260"), ("234", "015"), ("262", "001"), ("208", "001"), ("440", "010")])
    imsi = mcc + mnc[-2:] + "".join(rng.choices(string.digits, k=10))
    name = f"1{imsi}@wlan.mnc{mnc}.mcc{mcc}.3gppnetwork.org"
    triplets = [{"rand": hexb(16), "sres": hexb(4), "kc": hexb(8)} for _ in range(3)]
    users.append({"name": name, "password": "", "kind": "sim", "triplets": triplets})
def reply(u):
    r = []
    if u["kind"] == "mac":
        return ['Tunnel-Type = VLAN', 'Tunnel-Medium-Type = IEEE-802', f'Tunnel-Private-Group-Id = "{rng.choice([20, 30, 99, 310])}"']
    if u["kind"] == "sim":
        r = [f"Session-Timeout = {rng.choice([3600, 7200, 86400])}", f"Acct-Interim-Interval = {rng.choice([300, 600])}"]
        if rng.random() < 0.5: r.append("Class = " + hexb(rng.choice([16, 24, 40])))
        if rng.random() < 0.4: r.append(f'Chargeable-User-Identity = "{rng.randbytes(12).hex()}"')
        return r
    if rng.random() < 0.5: r.append(f'Reply-Message := "{rng.choice(["Welcome, %{User-Name}", "Hello", "Access granted", "Your password expires in %{expr:3*7} days"])}"')
    if u["kind"] == "sub" or rng.random() < 0.3:
        r += ["Service-Type = Framed-User", "Framed-Protocol = PPP",
              f"Framed-IP-Address = 100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
              "Framed-IP-Netmask = 255.255.255.255", f"Framed-MTU = {rng.choice([1492, 1480, 1400])}"]
        if rng.random() < 0.4: r.append(f"Delegated-IPv6-Prefix = 2001:db8:{rng.randint(1, 0xffff):x}:{rng.randint(0, 0xff):x}00::/56")
    if rng.random() < 0.4: r.append(f"Session-Timeout = {rng.choice([3600, 7200, 28800, 86400])}")
    if rng.random() < 0.4: r.append(f"Idle-Timeout = {rng.choice([300, 600, 1800])}")
    if rng.random() < 0.4: r.append(f"Acct-Interim-Interval = {rng.choice([60, 300, 600, 900])}")
    if rng.random() < 0.3: r.append(f'Filter-Id = "{rng.choice(["staff-acl", "guest.in", "std-2048k", "vpn-users"])}"')
    if rng.random() < 0.3: r.append("Class = " + hexb(rng.choice([4, 16, 32])))
    if rng.random() < 0.3: r += ["Tunnel-Type = VLAN", "Tunnel-Medium-Type = IEEE-802", f'Tunnel-Private-Group-Id = "{rng.randint(2, 400)}"']
    if rng.random() < 0.2: r.append(f'Cisco-AVPair += "{rng.choice(["shell:priv-lvl=15", "ip:inacl#1=permit ip any any", "subscriber:service-name=gold"])}"')
    if rng.random() < 0.2: r.append(f'Mikrotik-Rate-Limit = "{rng.choice(["2M/8M", "10M/50M", "512k/2M"])}"')
    if rng.random() < 0.2: r.append(f'Aruba-User-Role = "{rng.choice(["employee", "contractor", "guest"])}"')
    if rng.random() < 0.15: r.append(f'Airespace-ACL-Name = "{rng.choice(["PRE-AUTH", "EMPLOYEE-ACL", "BYOD"])}"')
    return r
for u in users:
    if u["kind"] == "sim":
        check = ["EAP-Type := SIM"] + [f"EAP-Sim-{k}{i + 1} := {t[k.lower()]}" for i, t in enumerate(u["triplets"]) for k in ("Rand", "SRES", "KC")]
        lines.append(f'"{u["name"]}"\t' + ", ".join(check))
    else:
        lines.append(f'"{u["name"]}"\tCleartext-Password := "{u["password"]}"')
    r = reply(u)
    if r:
        lines.append("\t" + ",\n\t".join(r))
    lines.append("")
# the PPP default of Debian's users file, after the users
lines += ["DEFAULT\tFramed-Protocol == PPP", "\tFramed-Protocol = PPP,", "\tFramed-Compression = Van-Jacobson-TCP-IP", ""]
open(sys.argv[2], "w").write("\n".join(lines))
json.dump(users, open(sys.argv[3], "w"))
PY

# setsid: radiusd sends SIGTERM to its whole process group when it exits
bg_srv setsid freeradius -f -d "$raddb" -l stdout >"$SVC_WORK/radiusd.log" 2>&1
wait_port udp "$auth_port" && wait_port udp "$acct_port" || { cat "$SVC_WORK/radiusd.log" >&2; exit 1; }
capture_start "$pcap" "udp and (port $auth_port or port $acct_port)"

# one session's packets, for radclient or radeapclient -f, drawn from SEED: KIND is pap,
# chap, mschap, mab, eap-md5, eap-sim, acct or status; the NAS and its attributes, the
# users, right and wrong passwords
requests() {
    $SVC_PYTHON - "$1" "$2" "$SVC_WORK/users.json" <<'PY'
import json, random, sys, time
rng = random.Random(int(sys.argv[1]))
kind = sys.argv[2]
users = json.load(open(sys.argv[3]))
now = int(time.time())
def mac(sep="-", low=False):
    s = sep.join("%02X" % rng.getrandbits(8) for _ in range(6))
    return s.lower() if low else s
def ip(prefix): return prefix + ".%d.%d" % (rng.randint(0, 255), rng.randint(1, 254))
def maybe(p, *attrs): return list(attrs) if rng.random() < p else []
if kind in ("eap-md5", "eap-sim"): nas = rng.choice(["wlc", "aruba", "hostapd", "switch"])
elif kind == "mab": nas = "switch"
elif kind == "acct": nas = rng.choice(["wlc", "aruba", "hostapd", "switch", "vpn", "bras", "bras"])
else: nas = rng.choice(["wlc", "aruba", "hostapd", "switch", "vpn", "bras", "login"])
nas_ip = ip("10." + str(rng.randint(1, 250)))
nas_id = {"wlc": rng.choice(["WLC-HQ-01", "wlc9800-campus", "c9800-branch2"]), "aruba": rng.choice(["aruba-md-2", "mm-cluster-a", "7030-branch"]),
          "hostapd": rng.choice(["ap-floor3-12", "openwrt-lobby", "ap-lab-5g"]), "switch": rng.choice(["sw-access-17", "c9300-b2-4", "edge-sw3"]),
          "vpn": rng.choice(["vpn-gw1", "asa-dmz", "ipsec-concentrator"]), "bras": rng.choice(["bng-pop4", "bras-02.isp", "mx960-east"]),
          "login": rng.choice(["core-rtr1", "fw-branch7", "lab-switch"])}[nas]
ssid = rng.choice(["CorpWiFi", "eduroam", "Guest", "Lab-5G", "Passpoint", "VerizonWiFiAccess"])
ap_mac, vlan = mac(), rng.randint(2, 400)
def wifi_client(eap):
    """one wireless client's attributes, as this NAS sends them"""
    sta = mac(low=nas == "aruba")
    if nas == "wlc":
        port = rng.randint(1, 20)
        a = [f"Calling-Station-Id = \"{sta.lower()}\"", f'Called-Station-Id = "{ap_mac.lower()}:{ssid}"', f"NAS-Port = {port}",
             f'Cisco-AVPair = "audit-session-id={rng.getrandbits(96):024x}"', f'Acct-Session-Id = "{rng.getrandbits(32):08x}/{sta.lower().replace("-", ":")}/{rng.randint(100, 99999)}"',
             f"NAS-IP-Address = {nas_ip}", f'NAS-Identifier = "{nas_id}"', f"Airespace-Wlan-Id = {rng.randint(1, 16)}",
             "Service-Type = Framed-User", "Framed-MTU = 1300", "NAS-Port-Type = Wireless-802.11",
             "Tunnel-Type = VLAN", "Tunnel-Medium-Type = IEEE-802", f'Tunnel-Private-Group-Id = "{vlan}"',
             f'Cisco-AVPair = "method={"dot1x" if eap else "mab"}"', f'Cisco-AVPair = "client-iif-id={rng.getrandbits(32)}"',
             f'Cisco-AVPair = "vlan-id={vlan}"', f'Cisco-AVPair = "cisco-wlan-ssid={ssid}"', f'Cisco-AVPair = "wlan-profile-name={ssid}-prof"']
        a += maybe(0.6, "Chargeable-User-Identity = 0x00", "Location-Capable = Civic-Location")
        a += maybe(0.5, "WLAN-Pairwise-Cipher = 1027076", "WLAN-Group-Cipher = 1027076", f"WLAN-AKM-Suite = {rng.choice([1027073, 1027077])}")
        return a
    if nas == "aruba":
        a = [f"NAS-IP-Address = {nas_ip}", f'NAS-Identifier = "{nas_id}"', f"NAS-Port = {rng.randint(0, 4)}", "NAS-Port-Type = Wireless-802.11",
             f'Calling-Station-Id = "{sta.replace("-", "")}"', f'Called-Station-Id = "{ap_mac.replace("-", "")}"', "Service-Type = Login-User",
             "Framed-MTU = 1100", f'Aruba-Essid-Name = "{ssid}"', f'Aruba-Location-Id = "{rng.choice(["ap-", "AP"])}{rng.randint(100, 399)}-{rng.choice(["lobby", "floor2", "east"])}"',
             f'Aruba-AP-Group = "{rng.choice(["default", "campus-aps", "branch"])}"']
        a += maybe(0.5, f'Aruba-Device-Type = "{rng.choice(["Win 10", "iPhone", "Android", "OS X"])}"')
        return a
    if nas == "hostapd":
        a = [f"NAS-IP-Address = {nas_ip}", f'NAS-Identifier = "{nas_id}"', f'Called-Station-Id = "{ap_mac}:{ssid}"',
             "NAS-Port-Type = Wireless-802.11", "Service-Type = Framed-User", f'Calling-Station-Id = "{sta}"',
             f'Connect-Info = "{rng.choice(["CONNECT 54Mbps 802.11a", "CONNECT 11Mbps 802.11b", "CONNECT 0Mbps 802.11b"])}"',
             f'Acct-Session-Id = "{rng.getrandbits(64):016X}"', "Framed-MTU = 1400"]
        a += maybe(0.7, f"WLAN-Pairwise-Cipher = 1027076", "WLAN-Group-Cipher = 1027076", "WLAN-AKM-Suite = 1027073")
        a += maybe(0.3, f'Operator-Name = "1{rng.choice(["example.org", "corp.example.org"])}"')
        return a
    port = rng.randint(1, 48)   # a switch: 802.1X or MAB on an access port
    a = [f'Service-Type = {"Framed-User" if eap else "Call-Check"}', f'Cisco-AVPair = "service-type={"Framed" if eap else "Call Check"}"',
         "Framed-MTU = 1500", f'Called-Station-Id = "{ap_mac}"', f'Calling-Station-Id = "{sta}"',
         f'Cisco-AVPair = "audit-session-id={rng.getrandbits(96):024X}"', f'Cisco-AVPair = "method={"dot1x" if eap else "mab"}"',
         f"NAS-IP-Address = {nas_ip}", f'NAS-Port-Id = "GigabitEthernet1/0/{port}"', "NAS-Port-Type = Ethernet", f"NAS-Port = {50100 + port}"]
    a += maybe(0.5, 'EAP-Key-Name = ""') if eap else []
    a += maybe(0.4, f'Cisco-AVPair = "client-iif-id={rng.getrandbits(32)}"')
    return a
def wired_nas():
    a = [f"NAS-IP-Address = {nas_ip}"] + maybe(0.7, f'NAS-Identifier = "{nas_id}"')
    if nas == "vpn":
        a += ["NAS-Port-Type = Virtual", f"NAS-Port = {rng.randint(1, 2000)}", f'Calling-Station-Id = "{ip("198.51")}"', "Service-Type = Framed-User"]
        a += maybe(0.5, "Framed-Protocol = PPP", f'Tunnel-Client-Endpoint = "{ip("203.0")}"')
        a += maybe(0.3, f'Cisco-AVPair = "ip:source-ip={ip("203.0")}"', f'Cisco-AVPair = "coa-push=true"')
    elif nas == "bras":
        a += [f"NAS-Port = {rng.randint(1, 1 << 20)}", rng.choice(["NAS-Port-Type = Ethernet", "NAS-Port-Type = Virtual", "NAS-Port-Type = xDSL"]),
              f'NAS-Port-Id = "{rng.choice(["eth", "ge-1/2/0", "GigabitEthernet0/0/1"])} {rng.randint(1, 4)}/{rng.randint(0, 9)}:{rng.randint(100, 4000)}.{rng.randint(1, 4000)}"',
              f'Calling-Station-Id = "{mac(":", True)}"', "Service-Type = Framed-User", "Framed-Protocol = PPP"]
        a += maybe(0.5, f'ADSL-Agent-Circuit-Id = "dslam{rng.randint(1, 99)} atm 1/{rng.randint(1, 16)}:{rng.randint(0, 255)}.{rng.randint(32, 99)}"')
        a += maybe(0.3, f"Ascend-Data-Rate = {rng.choice([2048000, 16000000, 100000000])}")
        a += maybe(0.3, f'Acct-Session-Id = "{rng.getrandbits(40):010x}"', f"Framed-Interface-Id = {':'.join('%x' % rng.getrandbits(16) for _ in range(4))}")
    else:   # an admin login to a router or firewall
        a += ["NAS-Port-Type = Virtual", f"NAS-Port = {rng.randint(0, 15)}", f'Calling-Station-Id = "{ip("192.168")}"',
              rng.choice(["Service-Type = Login-User", "Service-Type = Administrative-User", "Service-Type = NAS-Prompt-User"])]
        a += maybe(0.3, f'Cisco-NAS-Port = "tty{rng.randint(1, 5)}"')
    return a
def nas_attrs(eap=False):
    return wifi_client(eap) if nas in ("wlc", "aruba", "hostapd", "switch") else wired_nas()
def pool(k):
    p = [u for u in users if u["kind"] == k]
    return p or [u for u in users if u["kind"] == "staff"]
staff = pool("sub" if nas == "bras" else "staff")
def who(p=staff):
    u = rng.choice(p)
    r = rng.random()
    if r < 0.18: return u["name"], u["password"][::-1] + rng.choice(["", "1", "!"])   # a wrong password
    if r < 0.24: return rng.choice(["admin", "test", "guest", "root", "jdoe", "user1"]), "password"  # an unknown user
    return u["name"], u["password"]
packets = []
if kind in ("pap", "chap", "mschap", "mab"):
    for _ in range(rng.choice([1, 1, 2, 3, 5, 8, 12])):
        if kind == "mab":
            u = rng.choice(pool("mac"))
            name, pw = (u["name"], u["password"]) if rng.random() < 0.8 else ((m := mac(rng.choice(["", "-", ":"]), True)), m)
            attrs = [f'User-Name = "{name}"', f'User-Password = "{pw}"'] + nas_attrs()
        else:
            name, pw = who()
            cred = {"pap": "User-Password", "chap": "CHAP-Password", "mschap": "MS-CHAP-Password"}[kind]
            attrs = [f'User-Name = "{name}"', f'{cred} = "{pw}"'] + nas_attrs()
        attrs += maybe(0.3, "Message-Authenticator = 0x00")
        attrs += maybe(0.2, f"Event-Timestamp = {now - rng.randint(0, 5)}")
        if rng.random() < 0.2:
            tail = attrs[2:]; rng.shuffle(tail); attrs[2:] = tail
        packets.append(attrs)
elif kind in ("eap-md5", "eap-sim"):
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if kind == "eap-md5":
            name, pw = who()
            cred = [f'EAP-MD5-Password = "{pw}"']
        else:
            u = rng.choice(pool("sim"))
            name, t = u["name"], [dict(x) for x in u.get("triplets", [])]
            if rng.random() < 0.15 and t: t[rng.randrange(3)]["sres"] = "0x%08x" % rng.getrandbits(32)   # a SIM that does not match
            cred = [f"EAP-Sim-{k}{i + 1} = {x[k.lower()]}" for i, x in enumerate(t) for k in ("Rand", "SRES", "KC")]
        attrs = [f'User-Name = "{name}"', "EAP-Code = Response", f"EAP-Id = {rng.randint(0, 255)}", f'EAP-Type-Identity = "{name}"'] + cred
        attrs += ["Message-Authenticator = 0x00"] + nas_attrs(eap=True)
        packets.append(attrs)
elif kind == "acct":
    events = []
    if rng.random() < 0.15: events.append((0, "Accounting-On", None))
    members = pool("sim") if nas in ("wlc", "hostapd") and rng.random() < 0.4 else pool("mac") if nas == "switch" and rng.random() < 0.4 else staff
    for _ in range(rng.choice([1, 1, 2, 3, 4])):
        u = rng.choice(members)
        n = rng.choice([8, 16])
        sid = "%0*X" % (n, rng.getrandbits(4 * n))
        t0 = rng.randint(0, 50)
        steps = ["Start"] + ["Interim-Update"] * rng.choice([0, 0, 1, 2, 3]) + (["Stop"] if rng.random() < 0.8 else [])
        if rng.random() < 0.25: steps = steps[1:] or ["Stop"]   # joined mid-session
        ip4 = f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        base = [x for x in nas_attrs(eap=True) if not x.startswith(("Acct-Session-Id", "EAP-Key-Name", "Framed-MTU"))]
        for i, st in enumerate(steps):
            events.append((t0 + i * rng.randint(1, 10), st, (u, sid, ip4, base)))
    if rng.random() < 0.1: events.append((999, "Accounting-Off", None))
    events.sort(key=lambda e: e[0])
    octets_in, octets_out = rng.randint(1000, 10 ** 6), rng.randint(1000, 10 ** 7)
    for _, st, ctx in events:
        if ctx is None:
            attrs = [f"Acct-Status-Type = {st}", f"NAS-IP-Address = {nas_ip}", f'NAS-Identifier = "{nas_id}"',
                     f'Acct-Session-Id = "{rng.getrandbits(32):08X}"', "Acct-Delay-Time = 0", f"Event-Timestamp = {now}"]
            attrs += [f"Acct-Terminate-Cause = {rng.choice(['NAS-Reboot', 'Admin-Reboot'])}"] if st == "Accounting-Off" else []
            packets.append(attrs)
            continue
        u, sid, ip4, base = ctx
        attrs = [f'User-Name = "{u["name"]}"', f"Acct-Status-Type = {st}", f'Acct-Session-Id = "{sid}"'] + base
        attrs += [f"Acct-Authentic = {rng.choice(['RADIUS', 'RADIUS', 'Local'])}", f"Acct-Delay-Time = {rng.choice([0, 0, 0, 1, 4])}"]
        attrs += maybe(0.6, f"Event-Timestamp = {now - rng.randint(0, 30)}")
        attrs += [f"Framed-IP-Address = {ip4}"] if nas != "switch" else []
        attrs += maybe(0.4, f'Acct-Multi-Session-Id = "{sid[:8]}-{rng.randint(1, 9)}"')
        attrs += maybe(0.3, "Class = 0x" + rng.randbytes(rng.choice([16, 24])).hex())
        if st != "Start":
            octets_in *= rng.randint(1, 40); octets_out *= rng.randint(1, 40)
            attrs += [f"Acct-Session-Time = {rng.randint(30, 90000)}", f"Acct-Input-Octets = {octets_in % (1 << 32)}",
                      f"Acct-Output-Octets = {octets_out % (1 << 32)}", f"Acct-Input-Packets = {octets_in // 700 % (1 << 32)}",
                      f"Acct-Output-Packets = {octets_out // 900 % (1 << 32)}"]
            if octets_out >= 1 << 32: attrs += [f"Acct-Input-Gigawords = {octets_in >> 32}", f"Acct-Output-Gigawords = {octets_out >> 32}"]
            if nas == "wlc": attrs += maybe(0.6, f'Cisco-AVPair = "dc-profile-name={rng.choice(["Microsoft-Workstation", "Apple-iPhone", "Android"])}"', f'Cisco-AVPair = "80211-phy-type={rng.choice(["11ac", "11ax", "11n"])}"')
        if st == "Stop":
            attrs.append(f"Acct-Terminate-Cause = {rng.choice(['User-Request', 'Idle-Timeout', 'Lost-Carrier', 'Session-Timeout', 'Admin-Reset', 'Port-Error', 'NAS-Request'])}")
        packets.append(attrs)
else:   # Status-Server
    attrs = ["Message-Authenticator = 0x00"]
    attrs += maybe(0.6, f'NAS-Identifier = "{nas_id}"')
    attrs += maybe(0.4, f"NAS-IP-Address = {nas_ip}")
    packets.append(attrs)
print("\n\n".join(",\n".join(p) for p in packets))
PY
}

radclient_opts() {
    echo "-r $(svc_pick 1 2 3) -t $(svc_pick 1 2 3 5)"
    [ "$(svc_rand 1 3)" = 1 ] && echo "-p $(svc_pick 1 2 4 8 32)" || echo "-p 1"
    [ "$(svc_rand 1 4)" = 1 ] && echo "-n $(svc_pick 2 5 10 20)"
    [ "$(svc_rand 1 12)" = 1 ] && echo "-c 2"
    svc_pick -q -s ""
}

sessions=$(svc_rand 36 42)
for s in $(seq $sessions); do
    req=$SVC_WORK/s$s.txt
    key=$secret opts=$(radclient_opts) eap_opts="-r 2 -t 3"
    if [ "$(svc_rand 1 10)" = 1 ]; then
        # a NAS with the wrong secret: the server drops what carries a Message-Authenticator
        # (EAP, Status-Server) and accounting, and rejects the rest; the NAS retries
        key=wrong-$secret opts="-r $(svc_pick 1 2 3) -t 1 -p 32" eap_opts="-r $(svc_pick 2 3) -t 1"
    fi
    case $(svc_rand 1 22) in
    1|2|3)    requests "$FC_SEED$s" pap > "$req"
              in_cli timeout 60 radclient $opts -f "$req" "$srv:$auth_port" auth "$key" ;;
    4|5)      requests "$FC_SEED$s" chap > "$req"
              in_cli timeout 60 radclient $opts -f "$req" "$srv:$auth_port" auth "$key" ;;
    6|7)      requests "$FC_SEED$s" mschap > "$req"
              in_cli timeout 60 radclient $opts -f "$req" "$srv:$auth_port" auth "$key" ;;
    8)        requests "$FC_SEED$s" mab > "$req"
              in_cli timeout 60 radclient $opts -f "$req" "$srv:$auth_port" auth "$key" ;;
    9|10|11|12) requests "$FC_SEED$s" acct > "$req"
              in_cli timeout 60 radclient $opts -f "$req" "$srv:$acct_port" acct "$key" ;;
    13)       # a monitoring probe: Status-Server, once or every second or so
              requests "$FC_SEED$s" status > "$req"
              port=$(svc_pick $auth_port $auth_port $acct_port)
              in_cli timeout 60 radclient -c "$(svc_pick 1 1 2 3 5)" -n "$(svc_pick 1 2 4)" -f "$req" "$srv:$port" status "$key" ;;
    14|15)    # radtest: one request, PAP, CHAP, MS-CHAP or EAP-MD5 (through radeapclient)
              read -r name pw < <($SVC_PYTHON -c 'import json,random,sys; r=random.Random(int(sys.argv[2])); u=r.choice([u for u in json.load(open(sys.argv[1])) if u["kind"] in ("staff","sub")]); print(u["name"], u["password"] if r.random()<0.8 else "Wrong"+u["password"][:5])' "$SVC_WORK/users.json" "$FC_SEED$s")
              in_cli timeout 60 radtest -t "$(svc_pick pap chap mschap eap-md5)" "$name" "$pw" "$srv:$auth_port" \
                  "$(svc_rand 0 100)" "$key" $(svc_pick "" "1" "1 10.$(svc_rand 1 250).0.$(svc_rand 1 254)") ;;
    16|17|18) # EAP-MD5 with radeapclient: identity, challenge, response, for one or a few users
              requests "$FC_SEED$s" eap-md5 > "$req"
              in_cli timeout 60 radeapclient $eap_opts -f "$req" "$srv:$auth_port" auth "$key" ;;
    *)        # EAP-SIM with radeapclient (Wi-Fi offload): identity, SIM start, challenge, success
              requests "$FC_SEED$s" eap-sim > "$req"
              in_cli timeout 60 radeapclient $eap_opts -f "$req" "$srv:$auth_port" auth "$key" ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end RADIUS "$pcap" $sessions
