#!/usr/bin/env bash
# tests/data/threats/make-samples.sh [SLUG...]: remakes the small test captures of the
# MALICIOUS classes in this folder (all, or the ones named: reverse-shell,
# reverse-shell-tls, iodine, dns2tcp, pingtunnel, httptunnel). Run as root from anywhere;
# needs the packages listed in corpus/threats/README.md, and tshark.
#
# Runs each generator of corpus/threats/malicious.tsv once as batch "t" (its own seed,
# FC_SESSIONS sessions, default 6; never training data) into a scratch folder, then keeps
# KEEP (default 3) whole sessions of the capture (a session is all packets between its
# address pair 10.77.1.I <-> 10.77.2.I): the largest ones of at most LIMIT/KEEP bytes
# each (LIMIT default 60000), so that the file stays under LIMIT bytes and the sessions
# are typical ones rather than the shortest. Writes SLUG.pcap here.
set -u
cd "$(dirname "$0")/../../.." || exit 3
out=tests/data/threats
sessions=${FC_SESSIONS:-6} keep=${KEEP:-3} limit=${LIMIT:-60000}
scratch=$(mktemp -d /tmp/fc-threat-samples.XXXXXX) || exit 3
trap 'rm -rf "$scratch"' EXIT

# generator, class directory, sample name
samples=(
    "reverse-shell ReverseShell reverse-shell"
    "reverse-shell-tls ReverseShell-TLS reverse-shell-tls"
    "iodine Iodine iodine"
    "dns2tcp dns2tcp dns2tcp"
    "icmp-tunnel PingTunnel pingtunnel"
    "http-tunnel HTTPTunnel httptunnel"
)

# the sessions of a capture, largest first: "BYTES I", BYTES as in a pcap file (a
# 16-byte record header per packet)
session_sizes() {
    tshark -r "$1" -T fields -e ip.src -e frame.cap_len 2>/dev/null |
        awk '{ split($1, a, "."); s[a[4]] += $2 + 16 } END { for (i in s) print s[i], i }' | sort -rn
}

wanted() {
    local w
    [ $# -eq 1 ] && return 0
    for w in "${@:2}"; do [ "$w" = "$1" ] && return 0; done
    return 1
}

status=0
for s in "${samples[@]}"; do
    read -r gen class slug <<< "$s"
    wanted "$slug" "$@" || continue
    FC_BATCH=t FC_SEED=424242 FC_SESSIONS=$sessions bash "corpus/threats/$gen.sh" "$scratch" ||
        { echo "make-samples: $gen failed" >&2; status=1; continue; }
    pcap=$(ls "$scratch/$class/t/"*.pcap | head -n 1)
    filter="" n=0
    while read -r bytes i; do
        [ "$n" -lt "$keep" ] && [ "$bytes" -le $(( (limit - 24) / keep )) ] || continue
        filter+="${filter:+ || }ip.addr == 10.77.2.$i"
        n=$((n + 1))
    done < <(session_sizes "$pcap")
    [ "$n" -gt 0 ] || { echo "make-samples: no $class session under $((limit / keep)) bytes" >&2; status=1; continue; }
    tshark -r "$pcap" -Y "$filter" -w "$out/$slug.pcap" -F pcap 2>/dev/null
    echo "make-samples: $out/$slug.pcap: $n sessions, $(stat -c %s "$out/$slug.pcap") bytes" >&2
done
exit $status
