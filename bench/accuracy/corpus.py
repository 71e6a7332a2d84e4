"""\\summary: the labelled corpus flows: label rows matched with the vectors the real tools computed

A flow is one row of corpus/labels.tsv with in_class_set=1 (its `class` column is
the label), matched with the vector record (kind 4) that fc-read | fc-flow |
fc-feat produced for the same capture: same transport and the same two
endpoints, in either orientation (ICMP: addresses only, since fc-flow's ICMP
"ports" are message types). Rows are matched in label order, each vector once.
"""

import csv
import ipaddress
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fcstream  # noqa: E402

L4 = {"TCP": 6, "UDP": 17, "ICMP": 1, "ICMPV6": 58}
PORTLESS = (1, 58)


def all_label_rows(corpus):
    """Every row of labels.tsv of a transport fc-flow makes flows of."""
    with open(os.path.join(corpus, "labels.tsv"), newline="") as f:
        return [r for r in csv.DictReader(f, delimiter="\t") if r["l4"] in L4]


def row_key(row):
    """A label row's endpoint key (as record_key gives it for the same flow)."""
    return endpoint_key(L4[row["l4"]], row["client_ip"], row["client_port"], row["server_ip"], row["server_port"])


def label_rows(corpus, in_set=True):
    """in_set: the evaluation set (in_class_set=1). Otherwise the flows of protocols outside the set
    that pass the same quality rules (nDPI DPI verdict, payload, capture present, not fuzzed, within
    the per-file cap): real traffic of protocols no built-in model knows."""
    rows = all_label_rows(corpus)
    kept = {r["class"] for r in rows if r["in_class_set"] == "1"}
    for row in rows:
        if in_set and row["in_class_set"] == "1":
            yield row
        elif not in_set and row["class"] not in kept and row["class"] != "Unknown" and \
                row["confidence"] == "DPI" and row["has_payload"] == "1" and row["file_present"] == "1" and \
                row["fuzzed_capture"] == "0" and row["over_file_cap"] == "0":
            yield row


def canonical_ip(text):
    """nDPI sometimes writes "::" for a single zero group; parse and print it the standard way."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


def endpoint_key(proto, a_ip, a_port, b_ip, b_port):
    a_ip, b_ip = canonical_ip(a_ip), canonical_ip(b_ip)
    if proto in PORTLESS:
        a_port = b_port = 0
    return (proto,) + tuple(sorted([(a_ip, int(a_port)), (b_ip, int(b_port))]))


def stream_of(path, bindir):
    """The record stream (vectors only, samples dropped) of one capture, from the real tools."""
    cmd = "%s/fc-read '%s' 2>/dev/null | %s/fc-flow 2>/dev/null | %s/fc-feat --drop-samples" % (
        bindir, path.replace("'", "'\\''"), bindir, bindir)
    return subprocess.run(cmd, shell=True, check=True, stdout=subprocess.PIPE).stdout



def cached_stream(corpus_dir, f, bindir, cache):
    """stream_of for corpus file f, kept in the cache folder between runs."""
    cpath = os.path.join(cache, f.replace("/", "_") + ".fcs")
    if os.path.exists(cpath):
        return open(cpath, "rb").read()
    buf = stream_of(os.path.join(corpus_dir, f), bindir)
    open(cpath, "wb").write(buf)
    return buf

def record_key(obj):
    """The endpoint key of a flow, vector or verdict record (its "proto", "orig" and "resp")."""
    o, r = obj["orig"], obj["resp"]
    return endpoint_key(obj["proto"], fcstream.ip_text(o["ip"]), o.get("port", 0),
                        fcstream.ip_text(r["ip"]), r.get("port", 0))


def vectors_of(buf):
    """(endpoint key, vector record, raw bytes) for every vector record of a stream."""
    for obj, raw in fcstream.records(buf):
        if isinstance(obj, dict) and obj.get("k") == 4:
            yield record_key(obj), obj, raw


def match(rows, vecs):
    """Pairs label rows with vectors of the same capture; returns [(row, vector, raw)] and misses."""
    pool = {}
    for key, obj, raw in vecs:
        pool.setdefault(key, []).append((obj, raw))
    out, missed = [], []
    for row in rows:
        cands = pool.get(row_key(row))
        if cands:
            obj, raw = cands.pop(0)
            out.append((row, obj, raw))
        else:
            missed.append(row)
    return out, missed


# nDPI's classes for miners talking to their pool (Stratum JSON-RPC): too few flows for the
# class set, so taken at any DPI confidence, in_class_set ignored; they go to the Stratum
# model. nDPI's ETHEREUM and BITCOIN classes are full nodes' peer-to-peer traffic, not
# mining: a MALICIOUS model that included them called 83 of 3407 benign flows (BitTorrent,
# WhatsApp, Kerberos, HTTP, TLS) a miner and found none of its own flows in a file it had
# not seen (evaluation of 27 Nov 2026, models/README.md), so they stay out.
MINING_CLASSES = ("Mining", "Monero")
NODE_CLASSES = ("ETHEREUM", "BITCOIN")


def mining_rows(corpus):
    """The corpus's coin-mining label rows with payload, in a capture that is there, not fuzzed."""
    with open(os.path.join(corpus, "labels.tsv"), newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["class"] in MINING_CLASSES and row["l4"] in L4 and row["has_payload"] == "1" and \
                    row["file_present"] == "1" and row["fuzzed_capture"] == "0":
                yield row


def rows_by_file(corpus, in_set=True):
    by = {}
    for row in label_rows(corpus, in_set):
        by.setdefault(row["file"], []).append(row)
    return by
