#!/usr/bin/env bash
# tests/data/services/make_service_samples.sh [NAME...] (as root): remakes the small held-out
# samples of the service classes here (all, or the generators named: snmp, syslog, tftp,
# ldap, radius, sip, smb), checked by tests/cases/threat_samples.sh. Needs the packages
# of `./setup.sh captures`.
#
# Runs each generator corpus/services/NAME.sh once as batch "t" (its own seed; never
# training data) into a scratch folder, then takes the capture's flows in the order they
# began (a flow: all packets of one transport protocol between one pair of address:port
# endpoints) and keeps each whole flow that still fits under LIMIT bytes (default 60000),
# at most KEEP flows (default 10). Writes NAME.pcap here.
set -u
cd "$(dirname "$0")/../../.." || exit 3
out=tests/data/services
keep=${KEEP:-10} limit=${LIMIT:-60000}
scratch=$(mktemp -d /tmp/fc-service-samples.XXXXXX) || exit 3
trap 'rm -rf "$scratch"' EXIT
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(snmp syslog tftp ldap radius sip smb)

status=0
for name in "${names[@]}"; do
    rm -rf "${scratch:?}"/*
    FC_BATCH=t FC_SEED=424242 bash "corpus/services/$name.sh" "$scratch" ||
        { echo "make_service_samples: $name failed" >&2; status=1; continue; }
    pcap=$(ls "$scratch"/*/t/*.pcap 2>/dev/null | head -n 1)
    [ -n "$pcap" ] || { echo "make_service_samples: $name made no capture" >&2; status=1; continue; }
    python3 - "$pcap" "$out/$name.pcap" "$keep" "$limit" <<'PY' || status=1
import struct, sys
src, dst, keep, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = open(src, "rb").read()
endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
flows, order, at = {}, [], 24
while at + 16 <= len(data):
    incl = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
    record = data[at:at + 16 + incl]
    ip = record[16 + 14:]                 # Ethernet (tcpdump on a veth), IPv4
    key = None
    if len(ip) >= 20 and ip[0] >> 4 == 4:
        ihl = (ip[0] & 15) * 4
        a, b = ip[12:16] + ip[ihl:ihl + 2], ip[16:20] + ip[ihl + 2:ihl + 4]
        key = (ip[9], min(a, b), max(a, b))
    if key not in flows:
        flows[key] = []
        order.append(key)
    flows[key].append(record)
    at += 16 + incl
kept, size = [], 24
for key in order:
    n = sum(map(len, flows[key]))
    if len(kept) < keep and size + n <= limit:
        kept.append(key)
        size += n
if not kept:
    sys.exit("make_service_samples: no flow of %s fits in %d bytes" % (src, limit))
wanted = set(kept)
records = sorted(((r[:8], i, r) for k in wanted for i, r in enumerate(flows[k])), key=lambda t: (struct.unpack(endian + "II", t[0]), t[1]))
open(dst, "wb").write(data[:24] + b"".join(r for _, _, r in records))
print("make_service_samples: %s: %d of %d flows, %d bytes" % (dst, len(kept), len(order), size), file=sys.stderr)
PY
done
exit $status
