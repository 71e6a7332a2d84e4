#!/usr/bin/python3
# Compares fc-flow's TCP and UDP flows (fc-emit --format Json lines on stdin) with
# `tshark -q -n -z conv,tcp -z conv,udp` output (file argv[1]): the set of conversations
# and, per direction, frames and wire bytes. Prints one line per difference; exit 1 if any.
# tshark 4.0 columns: "<-" = frames/bytes from B to A, "->" = from A to B (checked by hand
# on vectors/community-id/pcaps/tcp.pcap: A 128.232.110.120 sent 6 frames, 900 bytes).
import ipaddress, json, re, sys

SIZE = r'(\d+ (?:bytes|kB|MB|GB|TB))'
line_re = re.compile(r'^(\S+):(\d+)\s+<->\s+(\S+):(\d+)\s+(\d+)\s+' + SIZE + r'\s+(\d+)\s+' + SIZE)

def tshark_size(n):
    """Byte counts as tshark 4.0 prints them (format_size, SI): the largest unit of which
    there are at least 10, the value truncated; exact below 10 kB."""
    for exp, unit in ((4, 'TB'), (3, 'GB'), (2, 'MB'), (1, 'kB')):
        if n // 1000 ** exp >= 10:
            return f'{n // 1000 ** exp} {unit}'
    return f'{n} bytes'

def tshark_convs(path):
    convs, proto = {}, None
    for line in open(path):
        if line.startswith('TCP Conversations'):
            proto = 6
        elif line.startswith('UDP Conversations'):
            proto = 17
        m = line_re.match(line)
        if not m or proto is None:
            continue
        a = (str(ipaddress.ip_address(m[1])), int(m[2]))
        b = (str(ipaddress.ip_address(m[3])), int(m[4]))
        b_to_a = (int(m[5]), m[6])
        a_to_b = (int(m[7]), m[8])
        key = (proto,) + tuple(sorted([a, b]))
        counts = {a: a_to_b, b: b_to_a}
        convs.setdefault(key, []).append(sorted(counts.items()))
    return convs

def flowcarp_flows(lines):
    flows = {}
    for line in lines:
        r = json.loads(line)
        if r.get('k') != 2 or r.get('proto') not in (6, 17):
            continue
        eps = []
        for side in ('orig', 'resp'):
            s = r[side]
            ip = str(ipaddress.ip_address(bytes.fromhex(s['ip']['$bin'])))
            eps.append(((ip, s['port']), (s['pkts'], s['wire_bytes'])))
        key = (r['proto'],) + tuple(sorted([eps[0][0], eps[1][0]]))
        counts = dict(eps)
        if eps[0][0] == eps[1][0]:  # a flow to itself: both directions on one endpoint
            counts = {eps[0][0]: (eps[0][1][0] + eps[1][1][0], eps[0][1][1] + eps[1][1][1])}
        flows.setdefault(key, []).append(sorted((ep, (c[0], tshark_size(c[1]))) for ep, c in counts.items()))
    return flows

def main():
    t = tshark_convs(sys.argv[1])
    f = flowcarp_flows(sys.stdin)
    diffs = []
    for key in sorted(set(t) | set(f), key=str):
        if key not in f:
            diffs.append(f'only in tshark: {key} {t[key]}')
        elif key not in t:
            diffs.append(f'only in fc-flow: {key} {f[key]}')
        elif sorted(map(str, t[key])) != sorted(map(str, f[key])):
            diffs.append(f'counts differ: {key} tshark {t[key]} fc-flow {f[key]}')
    for d in diffs[:5]:
        print(d)
    if len(diffs) > 5:
        print(f'... {len(diffs) - 5} more')
    print(f'{len(t)} tshark conversations, {len(f)} fc-flow flows, {len(diffs)} differences')
    return 1 if diffs else 0

sys.exit(main())
