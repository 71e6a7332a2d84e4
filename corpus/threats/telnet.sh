#!/usr/bin/env bash
# corpus/threats/telnet.sh OUTDIR: Telnet sessions (inetutils telnetd under inetutils-inetd,
# inetutils telnet client) -> OUTDIR/Telnet/FC_BATCH/
#
# An operator logging in with a user name and password at login(1) and typing shell
# commands at a human speed with idle gaps (expect). Terminal type and size, typing speed
# and the commands vary with FC_SEED.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
access_init Telnet "${1:-}" 36
access_user
W=$ACCESS_WORK
echo "telnet stream tcp nowait root /usr/sbin/telnetd telnetd" > "$W/inetd.conf"

netns_up
# -d: stay in the foreground, so netns_down can stop it
bg_srv /usr/sbin/inetutils-inetd -d "$W/inetd.conf" >"$W/inetd.log" 2>&1
wait_tcp_port 23 || exit 1
capture_start "$ACCESS_OUT/telnet-$FC_BATCH.pcap" "tcp port 23"

session() {
    FC_CMDS=$(access_commands "$(rand 2 5)") FC_TYPE_AVG=$(printf 0.%02d "$(rand 5 18)") \
    FC_ROWS=$(pick 24 40 50 60) FC_COLS=$(pick 80 120 160 200) TERM=$(pick xterm vt100 linux xterm-256color ansi) \
        access_type ip netns exec "$NETNS_CLI" telnet "$NETNS_SRV_IP" >/dev/null
    sleep 0.$(rand 1 9)
}

run_sessions 5 session
capture_stop
access_done
