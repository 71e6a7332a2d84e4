#!/usr/bin/env bash
# tests/data/services/make_bittorrent_sample.sh (as root): remakes bittorrent.pcap here,
# the held-out BitTorrent sample of tests/cases/threat_samples.sh: corpus/services/
# bittorrent.sh run once as batch "t" (its own seed, FC_SESSIONS sessions, default 6; never
# training data), then each TCP connection cut to its first KEEP packets (default 30): the
# classifier reads a flow's first 20 payload packets only, and whole sessions (up to
# megabytes of pieces) would not be a small test capture (tests/data/README.md).
set -u
cd "$(dirname "$0")/../../.." || exit 3
scratch=$(mktemp -d /tmp/fc-bt-sample.XXXXXX) || exit 3
trap 'rm -rf "$scratch"' EXIT
FC_BATCH=t FC_SEED=424242 FC_SESSIONS=${FC_SESSIONS:-6} bash corpus/services/bittorrent.sh "$scratch" || exit 1
python3 - "$scratch"/BitTorrent/t/*.pcap tests/data/services/bittorrent.pcap "${KEEP:-30}" <<'PY'
import struct, sys
src, dst, keep = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
out, seen, at = [data[:24]], {}, 24
while at + 16 <= len(data):
    incl = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
    frame = data[at + 16:at + 16 + incl]
    ip = frame[14:]                      # Ethernet, IPv4, TCP (the capture filter keeps only TCP)
    ihl = (ip[0] & 15) * 4
    a, b = ip[12:16] + ip[ihl:ihl + 2], ip[16:20] + ip[ihl + 2:ihl + 4]
    key = min(a, b) + max(a, b)
    seen[key] = seen.get(key, 0) + 1
    if seen[key] <= keep:
        out.append(data[at:at + 16 + incl])
    at += 16 + incl
open(dst, "wb").write(b"".join(out))
print("make_bittorrent_sample: %s: %d connections, %d bytes" % (dst, len(seen), sum(map(len, out))), file=sys.stderr)
PY
