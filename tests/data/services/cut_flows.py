#!/usr/bin/env python3
"""Cuts a generated capture down to a small test sample, by flow.

  cut_flows.py SRC DST --first-packets N
      every flow, each cut to its first N packets (in capture order)
  cut_flows.py SRC DST --whole-flows KEEP LIMIT
      whole flows, in the order they began, each kept while it still fits under LIMIT
      bytes in all, at most KEEP of them (packets in timestamp order)
  cut_flows.py SRC DST --smallest-flows KEEP LIMIT
      the same, taking the flows smallest first (when most flows are large)

SRC is a classic pcap written by tcpdump on a veth (Ethernet). A flow is all packets of
one transport protocol between one pair of IPv4 address:port endpoints; other packets
make one flow of their own. Used by make_bittorrent_sample.sh and make_service_samples.sh.
"""
import struct
import sys


def read_pcap(path):
    data = open(path, "rb").read()
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    records, at = [], 24
    while at + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
        records.append(data[at:at + 16 + incl])
        at += 16 + incl
    return data[:24], endian, records


def flow_key(record):
    ip = record[16 + 14:]
    if len(ip) < 20 or ip[0] >> 4 != 4:
        return None
    ihl = (ip[0] & 15) * 4
    a, b = ip[12:16] + ip[ihl:ihl + 2], ip[16:20] + ip[ihl + 2:ihl + 4]
    return (ip[9], min(a, b), max(a, b))


def first_packets(records, n):
    seen, kept = {}, []
    for r in records:
        key = flow_key(r)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= n:
            kept.append(r)
    return kept, len(seen)


def whole_flows(records, endian, keep, limit, smallest_first=False):
    flows, order = {}, []
    for r in records:
        key = flow_key(r)
        if key not in flows:
            flows[key] = []
            order.append(key)
        flows[key].append(r)
    if smallest_first:
        order = sorted(order, key=lambda k: sum(map(len, flows[k])))  # stable: ties in start order
    kept, size = [], 24
    for key in order:
        n = sum(map(len, flows[key]))
        if len(kept) < keep and size + n <= limit:
            kept.append(key)
            size += n
    stamped = sorted(((struct.unpack(endian + "II", r[:8]), i, r) for k in kept for i, r in enumerate(flows[k])),
                     key=lambda t: (t[0], t[1]))
    return [r for _, _, r in stamped], len(order), len(kept)


def main(argv):
    if len(argv) < 4 or argv[3] not in ("--first-packets", "--whole-flows", "--smallest-flows"):
        sys.exit(__doc__)
    src, dst, mode = argv[1], argv[2], argv[3]
    header, endian, records = read_pcap(src)
    if mode == "--first-packets":
        kept, n_flows = first_packets(records, int(argv[4]))
        n_kept = n_flows  # every flow keeps its first packets
    else:
        kept, n_flows, n_kept = whole_flows(records, endian, int(argv[4]), int(argv[5]), mode == "--smallest-flows")
    if not kept:
        sys.exit("cut_flows: nothing of %s fits" % src)
    open(dst, "wb").write(header + b"".join(kept))
    print("cut_flows: %s: %d of %d flows, %d bytes" % (dst, n_kept, n_flows, 24 + sum(map(len, kept))),
          file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
