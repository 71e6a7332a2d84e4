"""\\summary: a small msgpack reader/writer for FlowCarp record streams (evaluation and training scripts)

The evaluation and the built-in model training read the real tools' output
(fc-read | fc-flow | fc-feat) and must pick single flows out of it, byte for byte,
to feed the real fc-train. Python's standard library has no msgpack, and Debian's
python3-msgpack is not among the packages FlowCarp needs, so this is the little
that is needed: decode one object and know where it ends, encode maps of
str/int/float/bin/array for hand-made streams.
"""

import struct


class Bin(bytes):
    """A msgpack bin (kept apart from str so encoding round-trips)."""


def _dec(buf, i):
    b = buf[i]
    i += 1
    if b <= 0x7F:
        return b, i
    if b >= 0xE0:
        return b - 0x100, i
    if 0x80 <= b <= 0x8F:
        return _dec_map(buf, i, b & 0x0F)
    if 0x90 <= b <= 0x9F:
        return _dec_arr(buf, i, b & 0x0F)
    if 0xA0 <= b <= 0xBF:
        n = b & 0x1F
        return buf[i:i + n].decode("utf-8", "replace"), i + n
    if b == 0xC0:
        return None, i
    if b == 0xC2:
        return False, i
    if b == 0xC3:
        return True, i
    if b in (0xC4, 0xC5, 0xC6):
        w = {0xC4: 1, 0xC5: 2, 0xC6: 4}[b]
        n = int.from_bytes(buf[i:i + w], "big")
        i += w
        return Bin(buf[i:i + n]), i + n
    if b in (0xC7, 0xC8, 0xC9):
        w = {0xC7: 1, 0xC8: 2, 0xC9: 4}[b]
        n = int.from_bytes(buf[i:i + w], "big")
        i += w + 1
        return Bin(buf[i:i + n]), i + n
    if b == 0xCA:
        return struct.unpack(">f", buf[i:i + 4])[0], i + 4
    if b == 0xCB:
        return struct.unpack(">d", buf[i:i + 8])[0], i + 8
    if 0xCC <= b <= 0xCF:
        w = 1 << (b - 0xCC)
        return int.from_bytes(buf[i:i + w], "big"), i + w
    if 0xD0 <= b <= 0xD3:
        w = 1 << (b - 0xD0)
        return int.from_bytes(buf[i:i + w], "big", signed=True), i + w
    if 0xD4 <= b <= 0xD8:
        w = 1 << (b - 0xD4)
        return Bin(buf[i + 1:i + 1 + w]), i + 1 + w
    if b in (0xD9, 0xDA, 0xDB):
        w = {0xD9: 1, 0xDA: 2, 0xDB: 4}[b]
        n = int.from_bytes(buf[i:i + w], "big")
        i += w
        return buf[i:i + n].decode("utf-8", "replace"), i + n
    if b in (0xDC, 0xDD):
        w = 2 if b == 0xDC else 4
        return _dec_arr(buf, i + w, int.from_bytes(buf[i:i + w], "big"))
    if b in (0xDE, 0xDF):
        w = 2 if b == 0xDE else 4
        return _dec_map(buf, i + w, int.from_bytes(buf[i:i + w], "big"))
    raise ValueError("msgpack: bad type byte 0x%02x at %d" % (b, i - 1))


def _dec_arr(buf, i, n):
    out = []
    for _ in range(n):
        v, i = _dec(buf, i)
        out.append(v)
    return out, i


def _dec_map(buf, i, n):
    out = {}
    for _ in range(n):
        k, i = _dec(buf, i)
        v, i = _dec(buf, i)
        out[k if isinstance(k, (str, int)) else repr(k)] = v
    return out, i


def records(buf):
    """Yields (object, raw bytes) for every msgpack object of a record stream."""
    i = 0
    while i < len(buf):
        obj, j = _dec(buf, i)
        yield obj, buf[i:j]
        i = j


def encode(o):
    if o is None:
        return b"\xc0"
    if o is True:
        return b"\xc3"
    if o is False:
        return b"\xc2"
    if isinstance(o, Bin):
        n = len(o)
        head = b"\xc4" + bytes([n]) if n < 256 else (b"\xc5" + struct.pack(">H", n) if n < 65536 else b"\xc6" + struct.pack(">I", n))
        return head + bytes(o)
    if isinstance(o, int):
        if 0 <= o < 128:
            return bytes([o])
        if o >= 0:
            return b"\xcf" + struct.pack(">Q", o)
        return b"\xd3" + struct.pack(">q", o)
    if isinstance(o, float):
        return b"\xcb" + struct.pack(">d", o)
    if isinstance(o, str):
        s = o.encode()
        n = len(s)
        head = bytes([0xA0 | n]) if n < 32 else (b"\xd9" + bytes([n]) if n < 256 else b"\xda" + struct.pack(">H", n))
        return head + s
    if isinstance(o, (list, tuple)):
        return b"\xdd" + struct.pack(">I", len(o)) + b"".join(encode(x) for x in o)
    if isinstance(o, dict):
        return b"\xdf" + struct.pack(">I", len(o)) + b"".join(encode(k) + encode(v) for k, v in o.items())
    raise TypeError("cannot encode %r" % type(o))


def sparse_bins(b):
    """A vector record's per-meter bin: 3-byte entries (u8 bin, u16le count) -> {bin: count}."""
    return {b[j]: b[j + 1] | (b[j + 2] << 8) for j in range(0, len(b), 3)}


def ip_text(raw):
    import ipaddress
    return str(ipaddress.ip_address(bytes(raw)))
