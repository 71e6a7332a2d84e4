#!/usr/bin/env bash
# corpus/services/wsd.sh OUTDIR: WS-Discovery sessions (class WSD; nDPI: WSD), the SOAP over
# UDP that Windows machines use to find each other's shares and printers, made by wsdd 0.7
# (Debian's Web Services Discovery daemon) in two network namespaces, UDP 3702: a host in
# the server namespace (a file server of its own name, workgroup or domain and UUID,
# restarted now and then, saying Hello and Bye to the multicast group) and in the client
# namespace a wsdd in discovery mode, run for a few seconds a session: its Probe and Resolve
# to 239.255.255.250 from a port of its own, and the host's ProbeMatches and ResolveMatches
# back to that port; in some runs the client is a host too (its own Hello and Bye). The
# metadata exchange that follows (HTTP on TCP 5357) is left out of the capture: it is HTTP.
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/WSD/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=3702
dir=$(svc_class_dir WSD)
pcap=$dir/wsd-$FC_BATCH.pcap

uuid() { printf '%08x-%04x-4%03x-a%03x-%012x' "$(svc_rand 0 2147483647)" "$(svc_rand 0 65535)" "$(svc_rand 0 4095)" \
    "$(svc_rand 0 4095)" "$(( $(svc_rand 0 2147483647) * 65536 + $(svc_rand 0 65535) ))"; }
name() { echo "$(svc_pick DESKTOP LAPTOP PC WS NAS FILESRV PRN SRV)-$(svc_rand 1 99)$(svc_pick A B K Q X Z "")"; }
# a workgroup or a domain: wsdd says which in its metadata and Hello
membership() {
    if [ "$(svc_rand 0 2)" -eq 0 ]; then echo "-d $(svc_pick corp.example.com ad.acme.local example.org lab.internal)"
    else echo "-w $(svc_pick WORKGROUP WORKGROUP HOME OFFICE LAB MSHOME)"; fi
}

# WSDD: the command line of a wsdd of a new identity on interface $1 (wsdd is a Python script
# run through `env python3`: here with Debian's interpreter)
wsdd_command() {
    WSDD=("$SVC_PYTHON" /usr/sbin/wsdd -4 -s -i "$1" -n "$(name)")
    WSDD+=($(membership) -U "$(uuid)")
}

host_pid=""
# start_host: a host wsdd of a new identity in the server namespace (the last one says Bye)
start_host() {
    if [ -n "$host_pid" ]; then kill -TERM "$host_pid" 2>/dev/null; wait "$host_pid" 2>/dev/null; fi
    wsdd_command "$NETNS_SRV_DEV"
    # ip netns exec execs the interpreter: $! is wsdd itself
    ip netns exec "$NETNS_SRV" "${WSDD[@]}" &
    host_pid=$!
    NETNS_PIDS+=("$host_pid")
    wait_port udp $port || exit 1
}

capture_start "$pcap" "udp port $port"
start_host
sessions=40
for s in $(seq $sessions); do
    [ "$(svc_rand 0 7)" -eq 0 ] && start_host
    host_too=(-o); [ "$(svc_rand 0 2)" -eq 0 ] && host_too=()
    t=$(svc_rand 3 12)
    wsdd_command "$NETNS_CLI_DEV"
    in_cli timeout "$t" "${WSDD[@]}" -D "${host_too[@]}" >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end WSD "$pcap" $sessions
