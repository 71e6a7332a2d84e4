#!/usr/bin/env bash
# corpus/threats/icmp-tunnel.sh OUTDIR: class PingTunnel, ptunnel-ng (TCP over ICMP echo).
#
# One ptunnel-ng proxy runs in the server namespace (the kernel's own echo replies off,
# as ptunnel-ng's documentation advises, so the replies are the proxy's); each session is
# one client run in the client namespace, forwarding a local port through the proxy to a
# service on the server's loopback, used by an operator in a shell (ncat -e /bin/sh;
# 3-10 commands at an operator's pace) or by curl downloading 1-4 of the victim's files
# (python http.server), with pauses. Per session: payload size (-y), window (-w), ack
# interval (-a), resend interval (-t); per batch: the magic (-m). No password (-P): with
# one, ptunnel-ng 1.42 drops a session whose client sends data (an HTTP request) before
# the proxy has accepted the password. Sessions have their own address pair, and fc-flow
# keys ICMP echo by address pair, so a session is one ICMP flow. Capture filter: icmp.
# (ptunnel-ng takes -r, -R and -o with the value attached: -r127.0.0.1.)
set -u
here=$(dirname "$0")
. "$here/../lib/netns.sh"
. "$here/malicious.bash"


session() {
    local i=$1 tport lport opts=() pids=() use
    tport=$((20000 + i)) lport=$((21000 + i))
    [ $(rand 0 1) -eq 0 ] && opts+=(-y "$(pick 512 768 1024 1024 1400)")
    [ $(rand 0 2) -eq 0 ] && opts+=(-w "$(pick 16 32 64 128)")
    [ $(rand 0 2) -eq 0 ] && opts+=(-a "$(pick 200 500 1000 2000)")
    [ $(rand 0 3) -eq 0 ] && opts+=(-t "$(pick 800 1500 3000)")
    use=$(pick shell shell web)
    if [ "$use" = shell ]; then ns_start srv tunnel_target_shell 127.0.0.1 "$tport"; else ns_start srv tunnel_target_web 127.0.0.1 "$tport"; fi
    pids+=($!)
    wait_port srv 127.0.0.1 "$tport" || { stop_all "${pids[@]}"; return 1; }
    # ptunnel-ng draws its session id from rand() seeded with the time in seconds: two
    # clients started in the same second share an id and the proxy mixes them up
    exec 9> "$MAL_WORK/ptunnel-start.lock"
    flock 9
    ns_start cli ptunnel-ng -v -1 "${PT_BATCH_OPTS[@]}" "${opts[@]}" -p "$SRV_IP" -l "$lport" "-r127.0.0.1" "-R$tport"
    pids+=($!)
    sleep 1.1
    flock -u 9
    wait_port cli any "$lport" || { stop_all "${pids[@]}"; return 1; }
    if [ "$use" = shell ]; then
        mal_commands "$(rand 3 10)" | operator_lines | ns_run cli tunnel_use_shell 127.0.0.1 "$lport" > /dev/null 2>&1
    else
        tunnel_downloads "127.0.0.1:$lport" 60 6
    fi
    nap_ms 500 3000
    stop_all "${pids[@]}"
}

mal_init PingTunnel "${1:-}" 38
PT_BATCH_OPTS=(-m "$(printf '0x%08X' "$(seeded_draw)")")
in_srv sysctl -qw net.ipv4.icmp_echo_ignore_all=1
MAL_TIMEOUT=3600 ns_start srv ptunnel-ng -v -1 "${PT_BATCH_OPTS[@]}" -c 64
capture_start "$MAL_OUT/icmp-tunnel.pcap" icmp
run_sessions 14 session
capture_stop
mal_done
