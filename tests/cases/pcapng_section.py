#!/usr/bin/python3
"""pcapng_section.py IN.pcap OUT.pcapng [--tsresol BYTE] [--tsoffset SECONDS] [--snaplen N] [--big-endian] [--spb]

Writes the packets of a classic pcap file (microsecond, either byte order) as one pcapng
section: a section header, one interface description of the pcap's link type with the
if_tsresol and if_tsoffset options and the snapshot length asked for (packets cut to it),
and an enhanced packet block per packet (simple packet blocks with --spb), its time stamp
in that resolution and offset. Sections
written this way can be concatenated (cat) into a file of several sections, whose
interfaces may differ in link type, as the pcapng specification allows.
"""
import argparse
import struct


def read_pcap(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    e = "<" if magic == 0xA1B2C3D4 else ">"
    linktype = struct.unpack(e + "I", data[20:24])[0]
    at, packets = 24, []
    while at + 16 <= len(data):
        sec, usec, caplen, length = struct.unpack(e + "IIII", data[at:at + 16])
        packets.append((sec, usec, length, data[at + 16:at + 16 + caplen]))
        at += 16 + caplen
    return linktype, packets


def block(e, kind, body):
    body += bytes(-len(body) % 4)
    n = len(body) + 12
    return struct.pack(e + "II", kind, n) + body + struct.pack(e + "I", n)


def option(e, code, value):
    return struct.pack(e + "HH", code, len(value)) + value + bytes(-len(value) % 4)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pcap")
    ap.add_argument("out")
    ap.add_argument("--tsresol", type=int, default=6)
    ap.add_argument("--tsoffset", type=int, default=0)
    ap.add_argument("--snaplen", type=int, default=0)
    ap.add_argument("--big-endian", action="store_true")
    ap.add_argument("--spb", action="store_true")
    a = ap.parse_args()
    e = ">" if a.big_endian else "<"
    linktype, packets = read_pcap(a.pcap)
    out = block(e, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1))
    opts = option(e, 9, bytes([a.tsresol]))
    if a.tsoffset:
        opts += option(e, 14, struct.pack(e + "q", a.tsoffset))
    out += block(e, 1, struct.pack(e + "HHI", linktype, 0, a.snaplen) + opts + option(e, 0, b""))
    per_second = 2 ** (a.tsresol & 0x7F) if a.tsresol & 0x80 else 10 ** a.tsresol
    for sec, usec, length, frame in packets:
        if a.snaplen:
            frame = frame[:a.snaplen]
        if a.spb:
            out += block(e, 3, struct.pack(e + "I", length) + frame)
            continue
        units = (sec - a.tsoffset) * per_second + usec * per_second // 1000000
        out += block(e, 6, struct.pack(e + "IIIII", 0, units >> 32, units & 0xFFFFFFFF, len(frame), length) + frame)
    open(a.out, "wb").write(out)


main()
