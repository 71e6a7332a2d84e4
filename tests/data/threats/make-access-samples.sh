#!/usr/bin/env bash
# tests/data/threats/make-access-samples.sh: remakes the small test captures of the
# remote-access, tunnel and mining classes in this folder (run as root from anywhere;
# needs the packages listed in corpus/threats/README-access.md, and tshark).
#
# Runs each generator of corpus/threats/access.tsv once as batch "t" (its own seed,
# FC_SESSIONS sessions, never training data) into a scratch folder, then keeps the
# smallest whole TCP connections of each capture (a connection is every packet of the
# client's port; all clients are 10.77.0.2) while the file stays under LIMIT bytes, at
# most KEEP of them: SLUG.pcap here. WANT="ssh vnc ..." makes only those.
set -u
cd "$(dirname "$0")/../../.." || exit 3
out=tests/data/threats
sessions=${FC_SESSIONS:-4} keep=${KEEP:-3} limit=${LIMIT:-60000}
scratch=$(mktemp -d /tmp/fc-access-samples.XXXXXX) || exit 3
trap 'rm -rf "$scratch"' EXIT

# generator, class directory, sample name
samples=(
    "ssh SSH ssh"
    "telnet Telnet telnet"
    "vnc VNC vnc"
    "rdp RDP rdp"
    "shadowsocks Shadowsocks shadowsocks"
    "vmess VMess vmess"
    "obfs4 obfs4 obfs4"
    "stratum Stratum stratum"
)

# the connections of a capture, smallest first: "BYTES CLIENT_PORT", BYTES as in a pcap
# file (a 16-byte record header per packet)
connection_sizes() {
    tshark -r "$1" -T fields -e ip.src -e tcp.srcport -e tcp.dstport -e frame.cap_len 2>/dev/null |
        awk '{ p = ($1 == "10.77.0.2") ? $2 : $3; s[p] += $4 + 16 } END { for (p in s) print s[p], p }' | sort -n
}

status=0
for s in "${samples[@]}"; do
    set -- $s
    gen=$1 class=$2 slug=$3
    if [ -n "${WANT:-}" ]; then case " $WANT " in *" $gen "*) ;; *) continue ;; esac; fi
    FC_BATCH=t FC_SEED=424242 FC_SESSIONS=$sessions bash "corpus/threats/$gen.sh" "$scratch" ||
        { echo "make-access-samples: $gen failed" >&2; status=1; continue; }
    pcap=$(ls "$scratch/$class/t/"*.pcap | head -n 1)
    filter="" total=24 n=0      # 24: the pcap file header
    while read -r bytes port; do
        [ "$n" -lt "$keep" ] && [ $((total + bytes)) -le "$limit" ] || continue
        filter+="${filter:+ || }tcp.port == $port"
        total=$((total + bytes)) n=$((n + 1))
    done < <(connection_sizes "$pcap")
    [ "$n" -gt 0 ] || { echo "make-access-samples: no $class connection under $limit bytes" >&2; status=1; continue; }
    tshark -r "$pcap" -Y "$filter" -w "$out/$slug.pcap" -F pcap 2>/dev/null
    echo "make-access-samples: $out/$slug.pcap: $n connections, $(stat -c %s "$out/$slug.pcap") bytes" >&2
done
exit $status
