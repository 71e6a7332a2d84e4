"""\\summary: every flow of the shared corpus through the real fc-classify with the built-in models

The leave-one-file-out figures score the class set's flows against models made without
their file. What a user meets is different: every flow of a capture, most of them of
protocols no model knows, against the whole built-in set. Here every capture of the
corpus goes through `fc-read | fc-flow | fc-feat` (cached) and the real `fc-classify`
(product defaults, the built-in models), and each flow with payload is compared with
nDPI's label row for the same endpoints: named right (the model's name is nDPI's class
or a part of its protocol name, e.g. TLS for "TLS.Google"), named after a close kin of
nDPI's answer (KIN), named wrong, or unknown. Flows without a label row or labelled
Unknown by nDPI are counted apart. The built-in models were trained on the class set's
flows, so "right" is optimistic for those; the wrong names are what this is for: a model
change that names more flows but more of them wrongly shows here, as NTP and Kerberos
models from generated sessions did (models/README.md, "Tried and not kept").
"""

import os
import subprocess

import corpus
import fcstream

# nDPI label -> model names that are the same protocol under another name (FTP_CONTROL is
# FTP's control connection, RESP is Redis's protocol, the mining classes are Stratum's
# sessions: corpus.MINING_CLASSES, Jabber is nDPI's name for XMPP), or its close kin (a DNS
# model naming nDPI's DNScrypt flows sees DNS-shaped packets; POPS/SMTPS/IMAPS here are
# STARTTLS sessions, which begin as POP3/SMTP/IMAP; NetBIOS session service carries SMB).
SAME = {"FTP_CONTROL": {"FTP"}, "RESP": {"REDIS"}, "MINING": {"STRATUM"}, "MONERO": {"STRATUM"},
        "JABBER": {"XMPP"}}
KIN = {"DNSCRYPT": {"DNS"}, "AVASTSECUREDNS": {"DNS"}, "HTTP_PROXY": {"HTTP"}, "POPS": {"POP3"},
       "SMTPS": {"SMTP"}, "IMAPS": {"IMAP"}, "NETBIOS": {"SMB"}}


def all_captures(corpus_dir):
    out = []
    for root, _, files in os.walk(corpus_dir):
        for f in files:
            if f.endswith((".pcap", ".pcapng", ".cap")):
                out.append(os.path.relpath(os.path.join(root, f), corpus_dir))
    return sorted(out)


def label_index(corpus_dir):
    """(file, endpoint key) -> label rows, every row of labels.tsv with a transport fc-flow keeps."""
    idx = {}
    for r in corpus.all_label_rows(corpus_dir):
        idx.setdefault((r["file"], corpus.row_key(r)), []).append(r)
    return idx


def verdicts(buf, bindir, models_dir, extra=()):
    """(endpoint key, model name or None for unknown, the model's tags) of every flow with payload
    of a stream (vectors or samples), from the real fc-classify (with the extra arguments given,
    e.g. --model FILE)."""
    out = subprocess.run([os.path.join(bindir, "fc-classify"), "--models-dir", models_dir, "--no-verdict-records",
                          "--drop-samples", *extra], input=buf, check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    for obj, _ in fcstream.records(out):
        if not (isinstance(obj, dict) and obj.get("k") == 2) or obj.get("verdict") in (None, "no_payload"):
            continue
        identified = obj["verdict"] == "identified"
        yield corpus.record_key(obj), obj.get("protocol") if identified else None, tuple(obj.get("tags") or ())


def judge(name, row):
    """right, kin or wrong: a model name against nDPI's label row."""
    label = row["class"].upper()
    names = {label} | {t.upper() for t in row["ndpi_proto"].split(".")}
    n = name.upper()
    if n in names or any(n in SAME.get(x, ()) for x in names):
        return "right"
    if any(n in KIN.get(x, ()) for x in names):
        return "kin"
    return "wrong"


def measure(corpus_dir, bindir, models_dir, cache):
    idx = label_index(corpus_dir)
    tally = {"right": 0, "kin": 0, "wrong": 0, "unknown": 0, "unlabelled": 0, "ndpi_unknown": 0}
    wrong_pairs, by_model = {}, {}
    for f in all_captures(corpus_dir):
        buf = corpus.cached_stream(corpus_dir, f, bindir, cache)
        for key, name, _ in verdicts(buf, bindir, models_dir):
            rows = idx.get((f, key))
            row = rows.pop(0) if rows else None
            if row is None:
                tally["unlabelled"] += 1
            elif row["class"] == "Unknown":
                tally["ndpi_unknown"] += 1
            elif name is None:
                tally["unknown"] += 1
            else:
                j = judge(name, row)
                tally[j] += 1
                if j == "wrong":
                    wrong_pairs[(row["class"], name)] = wrong_pairs.get((row["class"], name), 0) + 1
                    by_model[name] = by_model.get(name, 0) + 1
    return tally, wrong_pairs, by_model


def report(L, corpus_dir, bindir, models_dir, cache):
    w = L.append
    tally, pairs, by_model = measure(corpus_dir, bindir, models_dir, cache)
    labelled = tally["right"] + tally["kin"] + tally["wrong"] + tally["unknown"]
    w("## Every flow of the shared corpus, built-in models\n")
    w("Every capture of the corpus (%d) through the real tools with the built-in models and product "
      "defaults, each flow with payload compared with nDPI's label (bench/accuracy/whole_corpus.py says "
      "how). The models were trained on the class set's flows, so *right* is optimistic for those; *wrong* "
      "is what this table is for.\n" % len(all_captures(corpus_dir)))
    w("| flows with payload and an nDPI label | named right | named after a close kin | named wrong | unknown "
      "| nDPI: Unknown | no label row |")
    w("|--:|--:|--:|--:|--:|--:|--:|")
    w("| %d | %d | %d | %d | %d | %d | %d |" % (labelled, tally["right"], tally["kin"], tally["wrong"],
                                             tally["unknown"], tally["ndpi_unknown"], tally["unlabelled"]))
    w("")
    w("Named wrong, by model: %s.\n" % ", ".join(
        "%s %d" % kv for kv in sorted(by_model.items(), key=lambda kv: (-kv[1], kv[0]))))
    w("The most frequent wrong names (nDPI's label → name, flows): %s.\n" % ", ".join(
        "%s → %s %d" % (t, p, n) for (t, p), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:15]))
    return tally
