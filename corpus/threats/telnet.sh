#!/usr/bin/env bash
# corpus/threats/telnet.sh OUTDIR: Telnet sessions (inetutils telnetd under inetutils-inetd,
# and BusyBox telnetd; inetutils telnet client) -> OUTDIR/Telnet/FC_BATCH/
#
# An operator logging in with a user name and password at login(1) and typing shell
# commands at a human speed with idle gaps (expect). Terminal type and size, typing speed
# and the commands vary with FC_SEED. A third of the sessions go to BusyBox 1.35's telnetd
# (port 2323), the one of routers, cameras and other small devices, which negotiates other
# options than inetutils'. Debian ships it in busybox-static, which would replace the
# installed busybox, so the package is fetched once with `apt-get download` and unpacked
# into FC_TOOLS (default $FC_CAPTURES/../.tools), as corpus/services/rsh.sh does.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
busybox=${FC_TOOLS:-$(dirname "${FC_CAPTURES:-/work/captures}")/.tools}/busybox-static
if [ ! -x "$busybox/bin/busybox" ]; then
    mkdir -p "$busybox" && (cd "$busybox" && apt-get download -q busybox-static &&
        dpkg-deb -x busybox-static_*.deb .) >/dev/null 2>&1 ||
        { echo "telnet.sh: could not unpack busybox-static into $busybox (apt-get update first?)" >&2; exit 3; }
fi
access_init Telnet "${1:-}" 36
access_user
W=$ACCESS_WORK
echo "telnet stream tcp nowait root /usr/sbin/telnetd telnetd" > "$W/inetd.conf"

netns_up
# -d: stay in the foreground, so netns_down can stop it
bg_srv /usr/sbin/inetutils-inetd -d "$W/inetd.conf" >"$W/inetd.log" 2>&1
bg_srv "$busybox/bin/busybox" telnetd -F -p 2323 -b "$NETNS_SRV_IP" -l /bin/login
wait_tcp_port 23 && wait_tcp_port 2323 || exit 1
capture_start "$ACCESS_OUT/telnet-$FC_BATCH.pcap" "tcp port 23 or tcp port 2323"

session() {
    FC_CMDS=$(access_commands "$(rand 2 5)") FC_TYPE_AVG=$(printf 0.%02d "$(rand 5 18)") \
    FC_ROWS=$(pick 24 40 50 60) FC_COLS=$(pick 80 120 160 200) TERM=$(pick xterm vt100 linux xterm-256color ansi) \
        access_type ip netns exec "$NETNS_CLI" telnet "$NETNS_SRV_IP" "$(pick 23 23 2323)" >/dev/null
    sleep 0.$(rand 1 9)
}

run_sessions 5 session
capture_stop
access_done
