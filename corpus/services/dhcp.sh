#!/usr/bin/env bash
# corpus/services/dhcp.sh OUTDIR: DHCP sessions (class DHCP) between Debian's DHCP servers
# dnsmasq 2.90 and ISC dhcpd 4.4 (one serves the first part of a run, the other the rest,
# with a new pool and options) and the clients ISC dhclient, dhcpcd 9 and busybox udhcpc, in
# two network namespaces, UDP 67/68. A session is one host joining the LAN with a MAC of its
# own (vendor prefixes of phones, laptops, printers, VMs), host name, vendor class, client
# id, requested options and lease time: DISCOVER/OFFER/REQUEST/ACK (some with rapid commit
# or the broadcast flag), unicast renewals while it stays, a RELEASE or a silent leave.
# Hosts come back with their old lease (INIT-REBOOT: ACK, NAK or no answer after the server
# changed), laptops bring a lease from another network (NAK), some have an address reserved
# by MAC, one a reservation that a static device holds (ARP conflict: DECLINE), hosts with a
# static address ask for options (INFORM). The servers vary the pool, lease times (30 s to
# 12 h), router, DNS and NTP servers, domain, search list, MTU, routes, the ICMP check.
# Every new client sends 0.0.0.0:68 -> 255.255.255.255:67, so sessions less than fc-flow's
# UDP timeout (60 s) apart share a flow: each host stays 62-70 s after its last broadcast
# (renewing) before the next comes, and a batch takes about 45 minutes. Configurations,
# leases, pid files and scripts are private under $SVC_WORK; dhcpcd, which has no option for
# its lease and run folders, runs in a private mount namespace with them bind-mounted.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/DHCP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
dir=$(svc_class_dir DHCP)
pcap=$dir/dhcp-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP
dev=$NETNS_CLI_DEV
net=10.77.0
sessions=38            # hosts that ask for a lease; an INFORM after every sixth comes on top
# a client's interface has no address before DHCP gives it one
in_cli ip addr flush dev "$dev"

mac() {
    printf '%s:%02x:%02x:%02x\n' "$(svc_pick 3c:22:fb f4:5c:89 a4:83:e7 f0:18:98 3c:5a:b4 00:1a:11 b8:27:eb dc:a6:32 52:54:00 \
        08:00:27 00:0c:29 00:15:5d 8c:85:90 30:05:5c 00:17:88 44:65:0d 18:b4:30 e4:5f:01 a0:ce:c8 00:1b:21 70:85:c2 ac:bc:32)" \
        "$(svc_rand 0 255)" "$(svc_rand 0 255)" "$(svc_rand 0 255)"
}
hname() {
    case $(svc_rand 0 7) in
    0) printf 'DESKTOP-%07X\n' "$(svc_rand 0 268435455)" ;;
    1) printf 'android-%08x%08x\n' "$(svc_rand 0 2147483647)" "$(svc_rand 0 2147483647)" ;;
    2) printf '%s%06X\n' "$(svc_pick BRW ESP_ HP NPI)" "$(svc_rand 0 16777215)" ;;
    3|4) svc_pick iPhone iPad MacBook-Air MacBook-Pro Annas-iPhone Galaxy-S23 Pixel-7 OnePlus-9 moto-g-power \
         raspberrypi octopi homeassistant pihole nas01 DS220plus LGwebOSTV Chromecast SonosZP Roku-Ultra Echo-Dot \
         laptop-anna laptop-erik laptop-fatima ;;
    *) echo ;;
    esac
}
vclass() { svc_pick "" "" "" "MSFT 5.0" android-dhcp-13 android-dhcp-14 "PXEClient:Arch:00007:UNDI:003016" \
    "Cisco Systems, Inc. IP Phone CP-8841" ubnt "HP LaserJet M404"; }

# the address script of dhclient ($reason, $new_ip_address) and udhcpc ($1, $ip); dhcpcd
# configures the address itself and runs a script that does nothing
cat > "$W/client.sh" <<'EOF'
#!/bin/sh
case ${reason:-$1} in
BOUND|RENEW|REBIND|REBOOT|bound|renew)
    ip addr flush dev "$interface"; ip addr add "${new_ip_address:-$ip}/${new_subnet_mask:-${mask:-24}}" dev "$interface" ;;
EXPIRE|FAIL|RELEASE|STOP|deconfig) ip addr flush dev "$interface" ;;
esac
exit 0
EOF
printf '#!/bin/sh\nexit 0\n' > "$W/hook.sh"
chmod 755 "$W"/*.sh
# "${dhcpcd_private[@]}" DB RUN ARGS...: dhcpcd with DB and RUN as its lease and run folders
dhcpcd_private=(unshare -m --propagation private sh -c 'mount --bind "$1" /var/lib/dhcpcd && mount --bind "$2" /run &&
    shift 2 && exec dhcpcd -c "$0" "$@"' "$W/hook.sh")

# the hosts: MAC, client program, last address, and under $W/hN the client's configuration
# and state; newhost KIND makes one, h its number
HMAC=() HKIND=() HIP=()
newhost() {
    local kind=$1 hd name vc o
    h=${#HMAC[@]}
    HMAC+=("$(mac)") HKIND+=("$kind") HIP+=("")
    hd=$W/h$h name=$(hname) vc=$(vclass)
    mkdir -p "$hd/db" "$hd/run"
    case $kind in
    dhclient)
        { echo "option rfc3442-classless-static-routes code 121 = array of unsigned integer 8; timeout 20; retry 30;"
          echo "reboot $(svc_pick 3 5 10); select-timeout 0;"
          [ -n "$name" ] && echo "send host-name \"$name\";"
          [ -n "$vc" ] && echo "send vendor-class-identifier \"$vc\";"
          case $(svc_rand 0 2) in 0) echo "send dhcp-client-identifier = hardware;" ;; 1) echo "send dhcp-client-identifier \"${name:-host$h}\";" ;; esac
          [ "$(svc_rand 0 3)" = 0 ] && echo "send dhcp-lease-time $(svc_pick 300 3600 86400);"
          [ "$(svc_rand 0 1)" = 0 ] && echo "supersede dhcp-renewal-time $(svc_rand 15 40);"   # renews within its stay
          echo "request $(svc_pick "subnet-mask, broadcast-address, time-offset, routers, domain-name, domain-name-servers, domain-search, host-name, netbios-name-servers, netbios-scope, interface-mtu, rfc3442-classless-static-routes, ntp-servers" \
              "subnet-mask, routers, domain-name-servers" "subnet-mask, routers, domain-name, domain-name-servers, ntp-servers, static-routes");"
        } > "$hd/conf" ;;
    dhcpcd)
        { printf 'noipv4ll\nipv4only\n'
          [ -n "$name" ] && echo "hostname $name"
          [ -n "$vc" ] && echo "vendorclassid $vc"
          svc_pick clientid duid "" ""
          echo "option $(svc_pick "domain_name_servers, domain_name, domain_search, host_name, classless_static_routes, interface_mtu, ntp_servers" \
              "domain_name_servers, domain_name" "domain_name_servers, domain_search, ntp_servers")"
          [ "$(svc_rand 0 3)" = 0 ] && echo "leasetime $(svc_pick 120 600 7200)"
          for o in "option rapid_commit" broadcast noarp "fqdn both" "userclass office-pc"; do
              [ "$(svc_rand 0 4)" = 0 ] && echo "$o"
          done
        } > "$hd/conf" ;;
    udhcpc)     # its options, one a line
        { printf '%s\n' -t "$(svc_rand 3 6)" -T "$(svc_pick 1 2 3)"
          [ -n "$name" ] && printf '%s\n' -x "hostname:$name"
          [ -n "$vc" ] && printf '%s\n' -V "$vc"
          for o in -C -B; do [ "$(svc_rand 0 3)" = 0 ] && echo $o; done
          for o in ntpsrv search staticroutes mtu domain; do [ "$(svc_rand 0 2)" = 0 ] && printf '%s\n' -O $o; done
        } > "$hd/conf" ;;
    esac
}
# the reserved hosts (by MAC), and a host whose reservation a static device holds
for k in 0 1 2; do newhost "$(svc_pick dhclient dhcpcd udhcpc)"; done
rsv_ip=("$net.$(svc_rand 221 224)" "$net.$(svc_rand 225 228)" "$net.$(svc_rand 229 232)")
newhost dhcpcd
sq_ip=$net.$(svc_rand 240 250)
sed -i '/noarp/d' "$W/h3/conf"     # the conflict is found by ARP
bg_srv unshare -n sleep 100000      # the static device: its own network namespace
sleep 0.5
ip -n "$NETNS_SRV" link add sq0 link "$NETNS_SRV_DEV" type macvlan mode bridge
ip -n "$NETNS_SRV" link set sq0 netns "${NETNS_PIDS[-1]}"
nsenter -t "${NETNS_PIDS[-1]}" -n sh -c "ip link set sq0 up && ip addr add $sq_ip/24 dev sq0"

# server KIND E: dnsmasq or dhcpd with a pool and options of its own (E: its files' name)
server() {
    local kind=$1 e=$W/srv$2 lo hi dom dns ntp mtu k args
    lo=$(svc_rand 10 90); hi=$(( lo + $(svc_rand 60 125) ))
    dom=$(svc_pick lan home.arpa corp.example.com office.local "branch$(svc_rand 1 9).example.net" fritz.box)
    dns=$(svc_pick "$srv" "$srv,9.9.9.9" "$srv,1.1.1.1,8.8.8.8" "192.0.2.53,192.0.2.54")
    ntp=$(svc_pick "$srv" "192.0.2.123,198.51.100.123" "")
    mtu=$(svc_pick "" "" 1400 1492 9000)
    if [ "$kind" = dnsmasq ]; then
        args=(--conf-file=/dev/null --keep-in-foreground --port=0 --no-hosts --interface="$NETNS_SRV_DEV" --bind-interfaces
              --dhcp-authoritative --dhcp-leasefile="$e.leases" --pid-file="$e.pid" --log-facility="$e.log"
              --dhcp-range="$net.$lo,$net.$hi,255.255.255.0,$(svc_pick 2m 5m 10m 1h 12h)" --domain="$dom"
              --dhcp-option=option:router,"$srv" --dhcp-option=option:dns-server,"$dns"
              --dhcp-option=option:domain-search,"$dom",example.com --dhcp-host="${HMAC[3]},$sq_ip")
        [ -n "$ntp" ] && args+=(--dhcp-option=option:ntp-server,"$ntp")
        [ -n "$mtu" ] && args+=(--dhcp-option=option:mtu,"$mtu")
        for k in 0 1 2; do args+=(--dhcp-host="${HMAC[k]},${rsv_ip[k]}"); done
        [ "$(svc_rand 0 1)" = 0 ] && args+=(--no-ping)   # else a 3 s ICMP check before each offer
        [ "$(svc_rand 0 1)" = 0 ] && args+=(--dhcp-rapid-commit)
        bg_srv dnsmasq "${args[@]}"
    else
        { echo "option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;"
          echo "authoritative; default-lease-time $(svc_pick 30 45 60 600 3600); min-lease-time 20; max-lease-time 86400;"
          echo "ping-check $(svc_pick true false); option domain-name \"$dom\"; option domain-search \"$dom\", \"example.com\";"
          echo "option domain-name-servers ${dns//,/, };"
          [ -n "$ntp" ] && echo "option ntp-servers ${ntp//,/, };"
          [ -n "$mtu" ] && echo "option interface-mtu $mtu;"
          echo "subnet $net.0 netmask 255.255.255.0 { range $net.$lo $net.$hi; option routers $srv;"
          [ "$(svc_rand 0 1)" = 0 ] && echo "  option rfc3442-classless-static-routes 24, 192, 168, $(svc_rand 0 99), 10, 77, 0, 1, 0, 10, 77, 0, 1;"
          echo "} host squat { hardware ethernet ${HMAC[3]}; fixed-address $sq_ip; }"
          for k in 0 1 2; do echo "host rsv$k { hardware ethernet ${HMAC[k]}; fixed-address ${rsv_ip[k]}; }"; done
        } > "$e.conf"
        : > "$e.leases"
        bg_srv dhcpd -4 -d -cf "$e.conf" -lf "$e.leases" -pf "$e.pid" "$NETNS_SRV_DEV" 2> "$e.log"
    fi
    spid=$!
    wait_port udp 67 || exit 1
}

# the running client (pid $cpid) of host $h; start [ADDRESS]: udhcpc asks for its old address
dcctl() { nsenter -t "$cpid" -m -n dhcpcd "$@" "$dev"; }
start() {
    local hd=$W/h$h a
    ip -n "$NETNS_CLI" link set dev "$dev" address "${HMAC[h]}"
    case ${HKIND[h]} in
    dhclient) bg_cli dhclient -d -1 -lf "$hd/lf" -pf "$hd/pid" -cf "$hd/conf" -sf "$W/client.sh" "$dev" ;;
    dhcpcd)   bg_cli "${dhcpcd_private[@]}" "$hd/db" "$hd/run" -B -f "$hd/conf" -t 20 "$dev" ;;
    udhcpc)   mapfile -t a < "$hd/conf"
              bg_cli udhcpc -f -n -i "$dev" -s "$W/client.sh" "${a[@]}" ${1:+-r "$1"} ;;
    esac > /dev/null 2>&1
    cpid=$!
}
# bound SECS: waits until the client has configured an address (0) or gave up (1)
bound() {
    local i
    for (( i = 0; i < $1 * 10; i++ )); do
        ip -n "$NETNS_CLI" -4 -o addr show dev "$dev" | grep -q inet && return 0
        kill -0 "$cpid" 2>/dev/null && sleep 0.1 || return 1
    done
    return 1
}
# the host leaves: with a RELEASE, or silently (its lease just runs out)
leave() {
    HIP[h]=$(ip -n "$NETNS_CLI" -4 -o addr show dev "$dev" | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
    if [ -n "${HIP[h]}" ] && [ "$(svc_rand 0 2)" != 0 ]; then
        case ${HKIND[h]} in
        dhclient) kill "$cpid"; wait "$cpid"
                  in_cli dhclient -r -lf "$W/h$h/lf" -pf "$W/h$h/pid" -cf "$W/h$h/conf" -sf "$W/client.sh" "$dev" ;;
        dhcpcd)   dcctl -k ;;
        udhcpc)   kill -USR2 "$cpid"; sleep 0.3 ;;
        esac
    fi > /dev/null 2>&1
    kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null
    in_cli ip addr flush dev "$dev"
}
# stay: the host keeps its lease a while, renewing now and then (dhclient at its T1: short
# leases, or the one in its configuration); nothing it sends meanwhile goes to the broadcast
# address, so the next host's DISCOVER starts a flow of its own
stay() {
    local left t k
    left=$(svc_rand 62 70)
    for k in $(seq "$(svc_rand 0 2)"); do
        t=$(svc_rand 8 25); sleep "$t"; left=$(( left - t ))
        case ${HKIND[h]} in udhcpc) kill -USR1 "$cpid" ;; dhcpcd) dcctl -N ;; esac > /dev/null 2>&1
    done
    sleep "$left"
}
# inform: a host with a static address asks for its options (dhcpcd -s; dhcpcd 9.4.1 crashes
# on -s with noarp)
inform() {
    newhost dhcpcd
    sed -i '/noarp/d' "$W/h$h/conf"
    ip -n "$NETNS_CLI" link set dev "$dev" address "${HMAC[h]}"
    in_cli timeout 20 "${dhcpcd_private[@]}" "$W/h$h/db" "$W/h$h/run" -B -1 -f "$W/h$h/conf" -t 10 \
        -s "$net.$(svc_rand 3 9)/24" "$dev" > /dev/null 2>&1
    in_cli ip addr flush dev "$dev"
}
# a lease from another network: the laptop asks for it first (INIT-REBOOT) and gets a NAK
roam() {
    local a b t
    a=$(svc_pick "192.168.$(svc_rand 0 20)" "10.$(svc_rand 0 255).$(svc_rand 0 255)" "172.16.$(svc_rand 0 31)")
    b=$(svc_rand 2 250) t=$(date -u -d '+1 day' '+%w %Y/%m/%d %H:%M:%S')
    printf 'lease {\n  interface "%s";\n  fixed-address %s.%s;\n  option subnet-mask 255.255.255.0;\n  option routers %s.1;\n  option dhcp-server-identifier %s.1;\n  renew %s;\n  rebind %s;\n  expire %s;\n}\n' \
        "$dev" "$a" "$b" "$a" "$a" "$t" "$t" "$t" > "$W/h$h/lf"
}

kinds=(dnsmasq dhcpd)
first=$(svc_rand 0 1)
server "${kinds[first]}" 1
capture_start "$pcap" "udp port 67 or udp port 68"
restart=$(svc_rand 14 24)
declined=$(svc_rand 4 "$sessions")
prev=""
for s in $(seq "$sessions"); do
    if [ "$s" = "$restart" ]; then
        kill "$spid"; wait "$spid" 2>/dev/null
        server "${kinds[1 - first]}" 2
    fi
    if [ "$s" = "$declined" ]; then
        # dhcpd offers the reserved address again after each DECLINE: a few seconds of that
        h=3; start; bound "$(svc_rand 5 10)"
    else
        case $(svc_rand 0 19) in
        0|1|2) h=$(svc_rand 0 2) ;;                          # a reserved address
        3|4|5) h=$(svc_rand 0 $(( ${#HMAC[@]} - 1 ))) ;;     # back again
        6|7)   newhost dhclient; roam ;;
        *)     newhost "$(svc_pick dhclient dhclient dhcpcd dhcpcd udhcpc)" ;;
        esac
        # the host just gone would share its address's flow with this session
        [ "$h" = 3 ] || [ "$h" = "$prev" ] && newhost "$(svc_pick dhclient dhcpcd udhcpc)"
        start "${HIP[h]}"; bound 25
    fi || { kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null; }
    prev=$h
    stay
    leave
    [ $(( s % 6 )) = 3 ] && inform
done
capture_stop
svc_end DHCP "$pcap" $(( sessions / 2 ))
