#!/usr/bin/env bash
# corpus/threats/vnc.sh OUTDIR: VNC (RFB) sessions -> OUTDIR/VNC/FC_BATCH/
#
# Server: TigerVNC's Xvnc with a window manager, an xterm and a clock or eyes, in the server
# namespace. Client: one of TigerVNC's vncviewer, xtightvncviewer or gvncviewer under Xvfb
# in the client namespace (vncsnapshot 1.2a never gets a frame from this Xvnc); xdotool
# moves the pointer over the viewer and types shell commands into the remote xterm, so
# the screen changes. Desktop size, colour depth,
# security type (VncAuth or None), encodings, JPEG quality, compression and session length
# vary with FC_SEED.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/netns.sh"
. "$here/access.bash"
access_init VNC "${1:-}" 36
W=$ACCESS_WORK
echo fc-vnc-pw | vncpasswd -f > "$W/passwd" || exit 3

netns_up
capture_start "$ACCESS_OUT/vnc-$FC_BATCH.pcap" "tcp portrange 5901-5999"

# Each running session's slot (access_take_slot) gives it two X display numbers of its own
X_BASE=$((400 + ($$ % 50) * 20))

# start_x NS DISPLAY X-SERVER ARGS...: starts an X server, prints its PID once it accepts
# clients
start_x() {
    local ns=$1 d=$2 i; shift 2
    ip netns exec "$ns" "$@" ":$d" >/dev/null 2>&1 &
    for i in $(seq 300); do
        DISPLAY=:$d ip netns exec "$ns" xdpyinfo >/dev/null 2>&1 && { echo $!; return 0; }
        sleep 0.1
    done
    kill $!
    return 1
}

session() {
    local i=$1 port=$((5900 + $1 % 99 + 1)) slot sd cd pids=() viewer secs t
    local sec=$(pick VncAuth VncAuth None)
    slot=$(access_take_slot) sd=$((X_BASE + 2 * slot)) cd=$((X_BASE + 2 * slot + 1))
    pids+=($(start_x "$NETNS_SRV" $sd Xvnc -geometry "$(pick 800x600 1024x768 1280x720 1280x1024 1440x900)" \
        -depth "$(pick 16 24 24)" -rfbport $port -interface "$NETNS_SRV_IP" -SecurityTypes $sec \
        -PasswordFile "$W/passwd" -AlwaysShared)) || { rmdir "$W/slot.$slot"; return; }
    DISPLAY=:$sd in_srv twm >/dev/null 2>&1 & pids+=($!)
    DISPLAY=:$sd in_srv xterm -geometry "$(pick 80x24 100x30 120x40)+$(rand 0 60)+$(rand 0 60)" >/dev/null 2>&1 & pids+=($!)
    case $(pick clock eyes top none) in
    clock) DISPLAY=:$sd in_srv xclock -update 1 -geometry 160x160-10+10 >/dev/null 2>&1 & pids+=($!) ;;
    eyes) DISPLAY=:$sd in_srv xeyes -geometry 200x120-10+10 >/dev/null 2>&1 & pids+=($!) ;;
    top) DISPLAY=:$sd in_srv xterm -geometry 80x20-0-0 -e top -d 1 >/dev/null 2>&1 & pids+=($!) ;;
    esac
    pids+=($(start_x "$NETNS_CLI" $cd Xvfb -screen 0 1600x1000x24 -nolisten tcp))
    secs=$(rand 8 20)
    viewer=$(pick tigervnc tigervnc tightvnc tightvnc gvnc)
    [ $viewer = gvnc ] && [ $sec != None ] && viewer=tigervnc   # gvncviewer asks for passwords in a dialog
    sleep 1
    case $viewer in
    tigervnc) DISPLAY=:$cd in_cli vncviewer -passwd "$W/passwd" -Shared \
            -PreferredEncoding "$(pick Tight Tight ZRLE Hextile Raw)" -QualityLevel "$(rand 0 9)" \
            -CompressLevel "$(rand 0 9)" -FullColor="$(pick 1 1 0)" -LowColorLevel="$(rand 0 2)" \
            "$NETNS_SRV_IP::$port" >/dev/null 2>&1 & pids+=($!) ;;
    tightvnc) DISPLAY=:$cd in_cli xtightvncviewer -passwd "$W/passwd" -shared \
            -encodings "$(pick 'tight copyrect' 'hextile copyrect' 'zlib raw' 'copyrect tight hextile zlib corre rre raw' 'zrle')" \
            -quality "$(rand 0 9)" -compresslevel "$(rand 1 9)" $(pick '' '' -bgr233) \
            "$NETNS_SRV_IP::$port" >/dev/null 2>&1 & pids+=($!) ;;
    gvnc) DISPLAY=:$cd in_cli gvncviewer "$NETNS_SRV_IP:$((port - 5900))" >/dev/null 2>&1 & pids+=($!) ;;
    esac
    # a loaded machine can take seconds to start a viewer: the session's time counts
    # from its connection
    for t in $(seq 150); do
        in_srv ss -Htn state established "sport = :$port" | grep -q . && break
        sleep 0.1
    done
    sleep 1
    # the pointer over the viewer window (top left of the client screen) makes the
    # viewer send pointer events; the remote twm focuses the xterm under the pointer
    t=$SECONDS
    while [ $((SECONDS - t)) -lt "$secs" ]; do
        DISPLAY=:$cd in_cli xdotool mousemove "$(rand 60 400)" "$(rand 60 300)" >/dev/null 2>&1
        if [ $(($(seeded_draw) % 3)) -ne 0 ]; then
            DISPLAY=:$cd in_cli timeout 8 xdotool type --delay "$(rand 30 110)" \
                "$(access_commands 1 | head -n 1)"$'\n' >/dev/null 2>&1
        fi
        sleep "$(rand 0 2).$(rand 0 9)"
    done
    kill "${pids[@]}" 2>/dev/null
    wait "${pids[@]}" 2>/dev/null
    rmdir "$W/slot.$slot"
}

run_sessions 4 session
capture_stop
access_done
