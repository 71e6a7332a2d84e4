#!/usr/bin/env bash
# corpus/services/tftp.sh OUTDIR: TFTP transfers (class TFTP) between in.tftpd (Debian's
# tftpd-hpa, standalone, uploads allowed) and the clients tftp (tftp-hpa), atftp and curl,
# in two network namespaces. The server's folder under $SVC_WORK holds what TFTP serves on
# real networks: PXE boot files and menus, switch and router configurations, phone
# provisioning XML, firmware-like images (headers, strings, compressed and padded parts),
# text notes; from a few bytes to ~2 MB, contents and sizes drawn from the seed (boot images
# and firmware fetched as often as configurations). Clients download and upload (octet and
# netascii), several files in one tftp-hpa run, PXE boot sequences (loader, the MAC-named menu
# that is not there, the default menu, kernel or initrd; a new client port each), with and
# without RFC 2347 options (blksize 512-65464, tsize, timeout, windowsize, which in.tftpd
# ignores), with a leading slash or not, and sometimes ask for a file that is not there or
# upload where they may not (an error packet). tftp-hpa sends no options.
#
# One transfer is two UDP flows: the request (RRQ or WRQ) from the client's port to port 69,
# answered from a new server port (the transfer ID) with which the data and acks are
# exchanged. Every one of them is counted as a session; a tftp-hpa run getting several
# files sends all its requests from one port (one request flow, one data flow per file).
# Capture filter: udp and host 10.77.0.2 (the two namespaces exchange nothing but TFTP).
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/TFTP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
dir=$(svc_class_dir TFTP)
pcap=$dir/tftp-$FC_BATCH.pcap


# the served files: kinds, names and sizes drawn from the seed; "kind<TAB>name" lines in $SVC_WORK/files
root=$SVC_WORK/root
mkdir -p "$root"
$SVC_PYTHON - "$root" "$FC_SEED" > "$SVC_WORK/files" <<'PY'
import os, random, sys, zlib, string
root, rng = sys.argv[1], random.Random(int(sys.argv[2]) * 31 + 7)
def r(a, b): return rng.randint(a, b)
def mac(sep=""): return sep.join("%02x" % rng.randrange(256) for _ in range(6))
def words(n): return " ".join(rng.choice(["boot", "image", "vlan", "uplink", "backup", "lab", "core", "edge", "floor", "rack", "spare", "mgmt", "voice", "guest", "printer"]) for _ in range(n))
def write(kind, path, data):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f: f.write(data)
    print(kind + "\t" + path)
def switch_config(target):
    host = rng.choice(["sw", "core", "edge", "acc"]) + "-%02d" % r(1, 40)
    out = ["!", "hostname " + host, "!", "service timestamps log datetime msec",
           "ip domain-name corp%d.example.net" % r(1, 9), "ntp server 10.%d.0.1" % r(0, 20), "!"]
    i = 1
    while sum(len(l) + 1 for l in out) < target:
        out += ["interface GigabitEthernet1/0/%d" % i, " description " + words(r(1, 3)),
                " switchport access vlan %d" % r(2, 400), " switchport mode access",
                " spanning-tree portfast", "!"]
        if rng.random() < 0.2: out += ["vlan %d" % r(2, 400), " name " + words(1).upper(), "!"]
        i += 1
    return ("\n".join(out + ["end", ""])).encode()
def router_config(target):
    out = ["# router config generated %d" % r(1600000000, 1700000000), "set system host-name rtr%d" % r(1, 99)]
    while sum(len(l) + 1 for l in out) < target:
        out.append(rng.choice([
            "set interfaces ethernet eth%d address 10.%d.%d.1/24" % (r(0, 7), r(0, 255), r(0, 255)),
            "set firewall name WAN_IN rule %d action %s" % (r(10, 999), rng.choice(["accept", "drop"])),
            "set protocols static route 0.0.0.0/0 next-hop 192.0.2.%d" % r(1, 254),
            "set service dhcp-server shared-network-name LAN%d subnet 10.%d.0.0/24" % (r(1, 9), r(0, 99)),
            "set system login user admin%d authentication encrypted-password '$6$%s'" % (r(1, 9), "".join(rng.choices(string.ascii_letters + string.digits, k=40)))]))
    return ("\n".join(out) + "\n").encode()
def pxe_menu():
    out = ["DEFAULT menu.c32", "PROMPT 0", "TIMEOUT %d" % r(30, 300), "MENU TITLE PXE boot"]
    for i in range(r(1, 6)):
        out += ["LABEL %s%d" % (rng.choice(["debian", "rescue", "memtest", "install", "local"]), i),
                "  KERNEL %s" % rng.choice(["vmlinuz", "debian-installer/amd64/linux", "memtest86+.bin"]),
                "  APPEND initrd=initrd.gz %s" % rng.choice(["auto=true priority=critical", "quiet", "vga=788 --", "console=ttyS0,115200"])]
    return ("\n".join(out) + "\n").encode()
def phone_xml():
    lines = "".join("<line button=\"%d\"><featureID>9</featureID><name>%d</name><displayName>%s</displayName></line>" % (i, r(1000, 9999), words(1).title()) for i in range(1, r(2, 8)))
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device><deviceProtocol>SIP</deviceProtocol><sshUserId>admin</sshUserId>"
            "<devicePool><dateTimeSetting><timeZone>%s</timeZone></dateTimeSetting><callManagerGroup><members><member priority=\"0\"><callManager>"
            "<processNodeName>10.%d.%d.%d</processNodeName></callManager></member></members></callManagerGroup></devicePool>"
            "<sipProfile><sipLines>%s</sipLines></sipProfile><loadInformation>SIP%d.%d-%d-%d</loadInformation></device>\n"
            % (rng.choice(["UTC", "Europe/Berlin", "America/New_York"]), r(0, 99), r(0, 255), r(1, 254), lines, r(70, 99), r(1, 12), r(1, 9), r(1, 9))).encode()
def firmware(size):
    hdr = b"\x27\x05\x19\x56" + os.urandom(24) + ("%s-fw-v%d.%d.%d" % (rng.choice(["ap", "sw", "cam", "rtr"]), r(1, 9), r(0, 20), r(0, 99))).encode().ljust(32, b"\0")
    parts = [hdr]
    total = len(hdr)
    while total < size:
        kind = rng.random()
        if kind < 0.55: chunk = rng.randbytes(r(2000, 200000))                       # compressed
        elif kind < 0.75: chunk = b"\xff" * r(500, 60000)                              # erased flash
        elif kind < 0.9: chunk = zlib.compress(bytes(rng.choices(b"ABCDEFGHIJ\x00\x01\x02", k=r(1000, 40000))))
        else: chunk = "\0".join(words(r(2, 6)) for _ in range(r(10, 300))).encode()  # strings
        parts.append(chunk); total += len(chunk)
    return b"".join(parts)[:size]
def text(size):
    out = []
    while sum(len(l) + 1 for l in out) < size:
        out.append(rng.choice(["%s: %s" % (words(1), words(r(2, 9))), "# " + words(r(3, 10)), "10.%d.%d.%d\t%s%d" % (r(0, 9), r(0, 255), r(1, 254), words(1), r(1, 99)), ""]))
    return ("\n".join(out) + "\n").encode()[:size]

write("pxe", "pxelinux.cfg/default", pxe_menu())
for _ in range(r(3, 6)): write("pxe", "pxelinux.cfg/01-" + mac("-"), pxe_menu())
write("boot", "pxelinux.0", rng.randbytes(r(26000, 46000)))
write("boot", "boot/vmlinuz", rng.randbytes(r(900000, 2000000)))
write("boot", "boot/initrd.gz", rng.randbytes(r(300000, 1800000)))
for _ in range(r(3, 6)): write("config", "configs/%s-confg" % rng.choice(["sw", "core", "edge"]) + str(r(1, 40)), switch_config(rng.choice([300, 2500, 9000, 40000])))
for _ in range(r(2, 4)): write("config", "configs/rtr%d.boot" % r(1, 99), router_config(rng.choice([400, 5000, 30000])))
for _ in range(r(3, 6)): write("phone", "SEP%s.cnf.xml" % mac().upper(), phone_xml())
for _ in range(r(3, 5)): write("firmware", "firmware/%s_%d.bin" % (rng.choice(["ap", "cam", "sw", "ups", "ipphone"]), r(100, 999)), firmware(rng.choice([40000, 200000, 700000, 1500000, 2000000])))
write("misc", "VERSION", ("%d.%d\n" % (r(1, 9), r(0, 40))).encode())
for _ in range(r(2, 4)): write("misc", "notes/%s.txt" % words(1), text(rng.choice([5, 60, 900, 12000, 80000])))
PY
mapfile -t files < <(cut -f2 "$SVC_WORK/files")
mkdir -p "$root/upload" "$root/backup"
chmod -R a+rX "$root"
chmod 777 "$root/upload" "$root/backup"
# something to upload: configuration backups, logs, crash dumps
up=$SVC_WORK/up
mkdir -p "$up"
make_upload() {   # NAME: a file of a kind and size from the seed
    case $(svc_rand 1 4) in
    1) cp "$root/$(svc_pick "${files[@]}")" "$up/$1" ;;
    2) head -c "$(svc_pick 40 700 6000 50000 300000)" /dev/urandom > "$up/$1" ;;
    *) $SVC_PYTHON - "$(svc_pick 3 30 300 3000)" "$FC_SEED$1" > "$up/$1" <<'PY'
import random, sys, time
rng, t = random.Random(sys.argv[2]), time.time() - 86400
for _ in range(int(sys.argv[1])):
    t += rng.expovariate(0.05)
    print("%s host%d %s: %s %d" % (time.strftime("%b %d %H:%M:%S", time.localtime(t)), rng.randint(1, 40),
          rng.choice(["kernel", "sshd", "dhcpd", "snmpd", "cron", "ntpd"]),
          rng.choice(["link up", "link down", "restarted", "config saved", "port flapping", "lease renewed"]), rng.randint(1, 65535)))
PY
       ;;
    esac
}

srv=$NETNS_SRV_IP
opts=(-L -s -c -a "$srv:69" $(svc_pick "" "" "-B 1468" "-B 8192") $(svc_pick "" "-T 500000"))
bg_srv in.tftpd "${opts[@]}" "$root"
wait_port udp 69 || exit 1
capture_start "$pcap" "udp and host $NETNS_CLI_IP"

# a file to fetch: first its kind (boot images and firmware as often as configurations), then one of that kind
# (or of one of the kinds named: text files for a netascii transfer)
served() { local kinds=("$@") kind of
           [ $# -gt 0 ] || kinds=(boot boot pxe config config phone firmware firmware misc)
           kind=$(svc_pick "${kinds[@]}")
           mapfile -t of < <(awk -F'\t' -v k="$kind" '$1 == k { print $2 }' "$SVC_WORK/files"); svc_pick "${of[@]}"; }
slash() { svc_pick "" "" "/"; }   # some clients ask for /name
missing() { svc_pick "pxelinux.cfg/01-$(printf '%02x-%02x-%02x-%02x-%02x-%02x' $(( $(seeded_draw) % 256 )) $(( $(seeded_draw) % 256 )) $(( $(seeded_draw) % 256 )) $(( $(seeded_draw) % 256 )) $(( $(seeded_draw) % 256 )) $(( $(seeded_draw) % 256 )))" "boot/grubx64.efi" "SEPDEFAULT.cnf.xml" "firmware/latest.bin" "startup-config"; }

# client runs until the capture holds a number of sessions drawn from the seed (a run makes 2-8)
want=$(svc_rand 34 39)
s=0
while [ "$s" -lt 40 ] && [ "$(svc_count_sessions "$pcap")" -lt "$want" ]; do
    s=$((s + 1))
    out=$SVC_WORK/out; rm -rf "$out"; mkdir -p "$out"
    case $(svc_rand 1 13) in
    1|2|3) # tftp-hpa: one file or several (3-4; with two names get means remote and local name), octet or netascii
        mode=$(svc_pick binary binary ascii); kinds=(); [ "$mode" = ascii ] && kinds=(pxe config phone misc)
        names=(); for i in $(seq "$(svc_pick 1 1 1 1 1 3 4)"); do names+=("$(slash)$(served "${kinds[@]}")"); done
        (cd "$out" && in_cli timeout 60 tftp $(svc_pick "" -v) -m "$mode" "$srv" -c get "${names[@]}") ;;
    4)     # tftp-hpa upload
        name=$(svc_pick backup-$s.cfg crash-$FC_BATCH-$s.dmp log-$s.txt running-config-$s)
        make_upload "$name"
        (cd "$up" && in_cli timeout 60 tftp -m "$(svc_pick binary ascii)" "$srv" -c put "$name" "$(svc_pick upload backup)/$name") ;;
    5|6|7) # atftp with options
        aopts=()
        [ "$(svc_rand 0 3)" -gt 0 ] && aopts+=(--option "blksize $(svc_pick 512 1024 1408 1428 1432 1456 1468 2048 4096 8192 16384 65464)")
        [ "$(svc_rand 0 1)" = 1 ] && aopts+=(--option "tsize enable")
        [ "$(svc_rand 0 3)" = 0 ] && aopts+=(--option "timeout $(svc_rand 1 5)")
        [ "$(svc_rand 0 5)" = 0 ] && aopts+=(--option "windowsize $(svc_pick 2 4 8)")
        if [ "$(svc_rand 0 3)" = 0 ]; then
            name=$(svc_pick cfg-$s.bak dump-$s.bin)
            make_upload "$name"
            in_cli timeout 60 atftp "${aopts[@]}" --put -l "$up/$name" -r "$(svc_pick upload backup)/$name" "$srv"
        else
            in_cli timeout 60 atftp "${aopts[@]}" --get -r "$(slash)$(served)" -l "$out/f" "$srv"
        fi ;;
    8|9|10) # curl: blksize chosen or default (curl asks for tsize and blksize itself), or no options
        copts=($(svc_pick "" "" "--tftp-blksize $(svc_pick 512 1024 1428 8192 32768)" --tftp-no-options))
        if [ "$(svc_rand 0 3)" = 0 ]; then
            name=$(svc_pick up-$s.cfg up-$s.log)
            make_upload "$name"
            in_cli timeout 60 curl -s "${copts[@]}" -T "$up/$name" "tftp://$srv/$(svc_pick upload backup)/$name"
        else
            in_cli timeout 60 curl -s "${copts[@]}" -o "$out/f" "tftp://$srv/$(served)"
        fi ;;
    11)    # a file that is not there (a PXE client trying its MAC-named menu, a phone its config)
        case $(svc_rand 1 3) in
        1) (cd "$out" && in_cli timeout 20 tftp "$srv" -c get $(svc_pick "$(missing)" "$(missing) $(missing) pxelinux.cfg/default"))  ;;
        2) in_cli timeout 20 atftp --option "tsize enable" --option "blksize 1432" --get -r "$(missing)" -l "$out/f" "$srv" ;;
        3) in_cli timeout 20 curl -s -o "$out/f" "tftp://$srv/$(missing)" ;;
        esac ;;
    12)    # an upload the server refuses: a folder it may not write to
        name=backup-$s.cfg
        make_upload "$name"
        (cd "$up" && in_cli timeout 20 tftp "$srv" -c put "$name" "$(svc_pick pxelinux.cfg boot configs)/$name") ;;
    13)    # a PXE boot: the boot ROM fetches the loader (tsize, then blksize), the loader asks for its
           # menu by MAC address, then the default menu, then the kernel or initrd; each a new client port
        bs=$(svc_pick 1456 1432 1408 1468)
        mac=$(printf '%02x-%02x-%02x-%02x-%02x-%02x' $(( $(seeded_draw) % 256 )) $(( $(seeded_draw) % 256 )) $(( $(seeded_draw) % 256 )) $(( $(seeded_draw) % 256 )) $(( $(seeded_draw) % 256 )) $(( $(seeded_draw) % 256 )))
        in_cli timeout 20 atftp --option "tsize enable" --option "blksize $bs" --get -r pxelinux.0 -l "$out/f" "$srv"
        in_cli timeout 20 atftp --option "tsize enable" --option "blksize $bs" --get -r "pxelinux.cfg/01-$mac" -l "$out/f" "$srv"
        sleep "0.$(svc_rand 1 3)"
        in_cli timeout 20 atftp --option "tsize enable" --option "blksize $bs" --get -r pxelinux.cfg/default -l "$out/f" "$srv"
        sleep "$(svc_rand 0 1).$(svc_rand 1 9)"   # a user at the menu, or its timeout
        in_cli timeout 60 atftp --option "tsize enable" --option "blksize $bs" --get -r "boot/$(svc_pick vmlinuz initrd.gz)" -l "$out/f" "$srv" ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end TFTP "$pcap" "$want"
