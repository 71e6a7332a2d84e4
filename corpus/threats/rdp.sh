#!/usr/bin/env bash
# corpus/threats/rdp.sh OUTDIR: RDP sessions (xrdp with xrdp-sesman and an Xvnc desktop;
# FreeRDP's xfreerdp client under Xvfb) -> OUTDIR/RDP/FC_BATCH/
#
# xfreerdp logs in with a user name and password; the desktop (twm, an xterm, a clock)
# runs in the server namespace; xdotool moves the pointer and types shell commands into
# the client window, so the screen changes. Security layer (TLS or standard RDP), colour
# depth, desktop size, compression, network type and session length vary with FC_SEED.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
access_init RDP "${1:-}" 34
access_user
W=$ACCESS_WORK
home=/home/$ACCESS_USER
# the desktop the session runs (through startwm.sh and Xsession)
printf '%s\n' '#!/bin/sh' 'xterm -geometry 100x30+20+20 &' 'xclock -update 1 -geometry 140x140-10+10 &' 'exec twm' > "$home/.xsession"
chmod 755 "$home/.xsession"; chown "$ACCESS_USER:" "$home/.xsession"

sed -e 's/^fork=.*/fork=true/' -e "0,/^port=/s|^port=.*|port=tcp://$NETNS_SRV_IP:3389|" \
    -e "s|^LogFile=.*|LogFile=$W/xrdp.log|" -e 's/^EnableSyslog=.*/EnableSyslog=false/' \
    -e '/^\[Xorg\]/,/^$/d' -e 's/^autorun=.*/autorun=Xvnc/' -e 's/^#delay_ms=.*/delay_ms=5000/' /etc/xrdp/xrdp.ini > "$W/xrdp.ini"
sed -e 's/^KillDisconnected=.*/KillDisconnected=true/' -e "s|^LogFile=.*|LogFile=$W/sesman.log|" \
    -e 's/^EnableSyslog=.*/EnableSyslog=false/' /etc/xrdp/sesman.ini > "$W/sesman.ini"

netns_up
bg_srv xrdp-sesman -n -c "$W/sesman.ini" >/dev/null 2>&1
bg_srv xrdp -n -c "$W/xrdp.ini" >/dev/null 2>&1
wait_tcp_port 3389 || exit 1
capture_start "$ACCESS_OUT/rdp-$FC_BATCH.pcap" "tcp port 3389"

X_BASE=$((420 + ($$ % 50) * 20))

session() {
    local slot d xvfb viewer secs t
    slot=$(access_take_slot) d=$((X_BASE + slot))
    in_cli Xvfb ":$d" -screen 0 1920x1200x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
    for t in $(seq 300); do DISPLAY=:$d in_cli xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
    secs=$(rand 6 18)
    DISPLAY=:$d in_cli xfreerdp /v:"$NETNS_SRV_IP" /u:"$ACCESS_USER" /p:"$ACCESS_PASSWORD" /cert:ignore \
        /sec:tls /bpp:"$(pick 16 24 32 32)" \
        /size:"$(pick 800x600 1024x768 1280x720 1280x1024 1600x900)" \
        "$(pick +compression +compression -compression)" /network:"$(pick modem broadband lan auto)" \
        -clipboard /log-level:OFF >/dev/null 2>&1 & viewer=$!
    for t in $(seq 200); do
        in_srv ss -Htn state established "sport = :3389" | grep -q . && break
        sleep 0.1
    done
    sleep 6     # login, and xrdp waiting delay_ms for the desktop
    t=$SECONDS
    while [ $((SECONDS - t)) -lt "$secs" ]; do
        DISPLAY=:$d in_cli xdotool mousemove "$(rand 60 500)" "$(rand 60 400)" >/dev/null 2>&1
        if [ $(($(seeded_draw) % 3)) -ne 0 ]; then
            DISPLAY=:$d in_cli timeout 8 xdotool type --delay "$(rand 30 110)" \
                "$(access_commands 1 | head -n 1)"$'\n' >/dev/null 2>&1
        fi
        sleep "$(rand 0 2).$(rand 0 9)"
    done
    kill "$viewer" "$xvfb" 2>/dev/null
    wait "$viewer" "$xvfb" 2>/dev/null
    rmdir "$W/slot.$slot"
}

run_sessions 4 session
capture_stop
access_done
