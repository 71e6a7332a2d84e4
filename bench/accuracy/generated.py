"""\\summary: the generated labelled captures (corpus/make-captures) and their class tags, as flows

corpus/make-captures writes $FC_CAPTURES/GROUP/CLASS/BATCH/*.pcap (GROUP threats or
services, batches b1 b2 b3); every flow with payload of a capture under CLASS/ is a
session of CLASS. The classes' tags are in corpus/GROUP/*.tsv (columns class, tags,
made_by; tags comma-separated, "-" or empty for none). Shared by models/train (which
trains the built-in models from them) and bench/accuracy/evaluate.py (which holds one
batch out at a time).
"""

import csv
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402
import fcstream  # noqa: E402

GROUPS = ("threats", "services")


def class_tags(repo):
    """{class: (group, [tags], made_by)} from corpus/GROUP/*.tsv."""
    out = {}
    for group in GROUPS:
        for path in sorted(glob.glob(os.path.join(repo, "corpus", group, "*.tsv"))):
            with open(path, newline="") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    cls = (row.get("class") or "").strip()
                    if not cls or cls.startswith("#"):
                        continue
                    tags = [t.strip().upper() for t in (row.get("tags") or "").replace(";", ",").split(",")]
                    out[cls] = (group, [t for t in tags if t and t != "-"], (row.get("made_by") or "").strip())
    return out


def captures(root):
    """[(group, class, batch, path)] of every generated capture, in training order (group, class,
    batch, file name), so the sessions of one capture and of one batch stay together."""
    out = []
    for group in GROUPS:
        for path in sorted(glob.glob(os.path.join(root, group, "*", "*", "*.pcap*"))):
            rel = os.path.relpath(path, os.path.join(root, group)).split(os.sep)
            out.append((group, rel[0], rel[1], path))
    return out


def stream_cached(path, bindir, cache):
    """The capture's record stream from the real tools, cached by path, size and time."""
    if cache:
        st = os.stat(path)
        key = "%s_%d_%d.fcs" % (path.strip("/").replace("/", "_"), st.st_size, int(st.st_mtime))
        cpath = os.path.join(cache, key)
        if os.path.exists(cpath):
            return open(cpath, "rb").read()
    buf = corpus.stream_of(path, bindir)
    if cache:
        os.makedirs(cache, exist_ok=True)
        with open(cpath, "wb") as f:
            f.write(buf)
    return buf


def vectors(buf):
    """(vector record, raw bytes) of every session of a stream, and the stream header."""
    header, out = b"", []
    for i, (obj, raw) in enumerate(fcstream.records(buf)):
        if i == 0:
            header = raw
        elif isinstance(obj, dict) and obj.get("k") == 4:
            out.append((obj, raw))
    return header, out


def capture_label(root, path):
    """How a generated capture is named in sources.tsv: captures:GROUP/CLASS/BATCH/FILE."""
    return "captures:" + os.path.relpath(path, root)
