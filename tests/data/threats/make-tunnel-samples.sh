#!/usr/bin/env bash
# tests/data/threats/make-tunnel-samples.sh [NAME...] (as root): remakes the VPN tunnel
# samples of this folder (all, or the generators named: openvpn, wireguard), checked by
# tests/cases/threat_samples.sh. Needs the packages of `./setup.sh captures`.
#
# Runs corpus/threats/NAME.sh once as batch "t" (its own seed; never training data) into a
# scratch folder, then keeps whole flows, smallest first, while the file stays under LIMIT
# bytes (default 60000), at most KEEP (default 10): NAME.pcap here
# (tests/data/services/cut_flows.py). Sessions run: openvpn 40, because most of its
# sessions carry fetches of up to 2 MB and only the lighter ones fit; wireguard 8, because
# its batch t makes light sessions (see the generator's header).
set -u
cd "$(dirname "$0")/../../.." || exit 3
out=tests/data/threats
keep=${KEEP:-10} limit=${LIMIT:-60000}
scratch=$(mktemp -d /tmp/fc-tunnel-samples.XXXXXX) || exit 3
trap 'rm -rf "$scratch"' EXIT
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(openvpn wireguard)

status=0
for name in "${names[@]}"; do
    case $name in
    openvpn) sessions=40 ;;
    wireguard) sessions=8 ;;
    *) echo "make-tunnel-samples: unknown generator $name (openvpn, wireguard)" >&2; status=2; continue ;;
    esac
    rm -rf "${scratch:?}"/*
    FC_BATCH=t FC_SEED=424242 FC_SESSIONS=$sessions bash "corpus/threats/$name.sh" "$scratch" ||
        { echo "make-tunnel-samples: $name failed" >&2; status=1; continue; }
    pcap=$(ls "$scratch"/*/t/*.pcap 2>/dev/null | head -n 1)
    [ -n "$pcap" ] || { echo "make-tunnel-samples: $name made no capture" >&2; status=1; continue; }
    python3 tests/data/services/cut_flows.py "$pcap" "$out/$name.pcap" --smallest-flows "$keep" "$limit" || status=1
done
exit $status
