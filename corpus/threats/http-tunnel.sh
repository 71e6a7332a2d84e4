#!/usr/bin/env bash
# corpus/threats/http-tunnel.sh OUTDIR: class HTTPTunnel, GNU httptunnel (hts/htc).
#
# Each session is one tunnel run: hts in the server namespace forwards to a service on
# its loopback, htc in the client namespace offers it on a local port, and a program on
# the client uses it: an operator in a shell (ncat -e /bin/sh behind hts; 3-10 commands
# at an operator's pace) or downloads of 1-4 of the victim's files of varied sizes with
# curl from a python http.server behind hts, with pauses. Options vary per session: the
# HTTP port (80, 8080, 8888, ...), content length (-c), keep-alive interval (-k),
# strict content length (-S), User-Agent (-U). httptunnel opens two HTTP connections
# (one PUT/POST up, one GET down) and reopens them as their content length is used up:
# a session gives two or more flows, all between the session's address pair. Only the
# tunnel crosses the link (the shell and the web server are on loopback ends): capture
# filter tcp.
set -u
here=$(dirname "$0")
. "$here/../lib/netns.sh"
. "$here/malicious.bash"

tunnel_srv()   { hts -w "$@"; }
tunnel_cli()   { htc -w "$@"; }
export -f tunnel_srv tunnel_cli

session() {
    local i=$1 hport tport lport keep opts=() pids=() use
    hport=$(pick 80 80 8080 8888 8000 3128 443 $(rand 1025 65000))
    tport=$((20000 + i)) lport=$((21000 + i))
    keep=$(rand 2 10)
    opts=(-k "$keep")
    [ $(rand 0 2) -eq 0 ] && opts+=(-c "$(pick 4k 32k 100k 512k 1M)")
    [ $(rand 0 3) -eq 0 ] && opts+=(-S)
    use=$(pick shell shell web)
    if [ "$use" = shell ]; then ns_start srv tunnel_target_shell 127.0.0.1 "$tport"; else ns_start srv tunnel_target_web 127.0.0.1 "$tport"; fi
    pids+=($!)
    ns_start srv tunnel_srv "${opts[@]}" -F "127.0.0.1:$tport" "$SRV_IP:$hport"
    pids+=($!)
    wait_port srv "$SRV_IP" "$hport" && wait_port srv 127.0.0.1 "$tport" || { stop_all "${pids[@]}"; return 1; }
    [ $(rand 0 2) -eq 0 ] && opts+=(-U "$(pick 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' 'curl/7.88.1' 'Wget/1.21.3' 'Mozilla/4.0 (compatible; MSIE 6.0)')")
    ns_start cli tunnel_cli "${opts[@]}" -F "$lport" "$SRV_IP:$hport"
    pids+=($!)
    wait_port cli any "$lport" || { stop_all "${pids[@]}"; return 1; }
    if [ "$use" = shell ]; then
        mal_commands "$(rand 3 10)" | operator_lines | ns_run cli tunnel_use_shell 127.0.0.1 "$lport" > /dev/null 2>&1
    else
        tunnel_downloads "127.0.0.1:$lport" 60 6 varied-rate
    fi
    nap_ms 500 3000
    stop_all "${pids[@]}"
}

mal_init HTTPTunnel "${1:-}" 38
capture_start "$MAL_OUT/http-tunnel.pcap" tcp
run_sessions 14 session
capture_stop
mal_done
