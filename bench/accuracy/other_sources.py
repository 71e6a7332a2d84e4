"""\\summary: the built-in models on captures from other sources, against nDPI run on the same captures

The shared corpus is what the models were made and tuned on; a user's traffic is not. This
takes any folder of captures that played no part in training or tuning (other projects'
public test captures, e.g. suricata-verify's; see bench/README.md) and compares,
flow by flow, what the real tools with the built-in models and product defaults say
(`fc-read | fc-flow | fc-classify`) with what Debian's ndpiReader says of the same capture
(its CSV output, joined by transport and both endpoints as whole_corpus.py joins label rows).

nDPI reads payload with hand-written dissectors, so it is the reference here, not the truth:
a flow nDPI calls Unknown, or of a protocol no built-in model knows, is counted apart.
Reported:
- flows of protocols some built-in model names: named right, after a close kin, wrong, or
  unknown (recall on traffic the models never saw);
- flows of other protocols: the share called unknown, as it should be, and the names given
  to the rest;
- per model: of the flows it named that nDPI labelled, the share nDPI agrees with
  (precision);
- every alert (a flow named by a MALICIOUS model), with nDPI's label, for a person to check:
  test captures of security tools hold real malware traffic, so an alert is not wrong by
  itself.

This is a measurement only. Nothing here may feed back into the models or their options:
these captures are kept apart so that the figures say how FlowCarp does on traffic it was
not fitted to.

Usage: python3 bench/accuracy/other_sources.py [--bin build/bin] [--models models] [--model FILE]...
           [--jobs N] [--out FILE] DIR[=DESCRIPTION] ...
Each DIR (its captures, recursively) gets a section of its own; DESCRIPTION says where the
captures came from (repository and commit).
"""

import argparse
import concurrent.futures
import csv
import io
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402
import whole_corpus  # noqa: E402

CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap")


def captures_under(folder):
    out = []
    for root, _, files in os.walk(folder):
        out.extend(os.path.join(root, f) for f in files if f.endswith(CAPTURE_SUFFIXES))
    return sorted(out)


def ndpi_labels(path):
    """endpoint key -> [nDPI protocol name], in nDPI's flow order, from `ndpiReader -C`.
    A capture ndpiReader cannot read (or takes over 5 minutes on) gives no labels."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "flows.csv")
        try:
            subprocess.run(["ndpiReader", "-q", "-i", path, "-C", out], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=300)
        except subprocess.TimeoutExpired:
            return {}
        if not os.path.exists(out):
            return {}
        text = open(out, encoding="utf-8", errors="replace").read()
    labels = {}
    rows = csv.DictReader(io.StringIO(text.lstrip("#")))
    for r in rows:
        try:
            key = corpus.endpoint_key(int(r["protocol"]), r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"])
        except (KeyError, TypeError, ValueError):
            continue
        labels.setdefault(key, []).append(r["ndpi_proto"])
    return labels


def flow_stream(path, bindir):
    """fc-read | fc-flow of a capture: the stream and fc-read's exit status (not 0: damaged; the
    stream then holds what came before the damage)."""
    read = subprocess.Popen([os.path.join(bindir, "fc-read"), path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    flow = subprocess.run([os.path.join(bindir, "fc-flow")], stdin=read.stdout, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL)
    read.stdout.close()
    return flow.stdout, read.wait()


def one_capture(path, bindir, models_dir, extra):
    """(path, [(endpoint key, model name or None, tags)] of its flows with payload, fc-read's exit
    status, nDPI's labels)."""
    stream, status = flow_stream(path, bindir)
    return path, list(whole_corpus.verdicts(stream, bindir, models_dir, extra)), status, ndpi_labels(path)


def command_output(cmd):
    """A one-line answer of a command, for the report's header ("?" when there is none)."""
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip() or "?"
    except OSError:
        return "?"


def model_names(bindir, models_dir, extra):
    out = subprocess.run([os.path.join(bindir, "fc-classify"), "--models-dir", models_dir, *extra, "--list-models"],
                         check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    return {line.split()[0].upper() for line in out.splitlines() if line.strip()}


# nDPI names beyond whole_corpus.py's SAME and KIN: DCE_RPC is Debian's nDPI 4.2's name for
# DCE/RPC (the corpus's newer nDPI says DCERPC), SMBv23 and SMBv1 are the SMB model's protocol
# (kept out of whole_corpus.py, where they would move one NetBIOS.SMBv1 flow of results.md's
# table from kin to right), and HTTP_Connect, a proxy's CONNECT exchange, is HTTP's close kin.
ALSO_SAME = {"DCE_RPC": {"DCERPC"}, "SMBV23": {"SMB"}, "SMBV1": {"SMB"}}
ALSO_KIN = {"HTTP_CONNECT": {"HTTP"}}


def judge(name, label):
    """right, kin or wrong: a model name against nDPI's protocol name for the flow."""
    parts, n = {p.upper() for p in label.split(".")}, name.upper()
    if any(n in ALSO_SAME.get(p, ()) for p in parts):
        return "right"
    verdict = whole_corpus.judge(name, {"class": label.split(".")[0], "ndpi_proto": label})
    if verdict == "wrong" and any(n in ALSO_KIN.get(p, ()) for p in parts):
        return "kin"
    return verdict


def knows(label, names):
    """True when some built-in model names nDPI's label (its protocol, master or an alias)."""
    return any(judge(n, label) != "wrong" for n in names)


class Tally:
    def __init__(self, names):
        self.names = names
        self.known = {"right": 0, "kin": 0, "wrong": 0, "unknown": 0}
        self.other = {"unknown": 0, "named": 0}
        self.no_label, self.no_label_by_capture = 0, {}
        self.wrong_pairs, self.other_names, self.per_model, self.per_label = {}, {}, {}, {}
        self.alerts, self.flows, self.captures, self.damaged = [], 0, 0, 0

    def add(self, shown, flows, status, labels):
        self.captures += 1
        self.damaged += status != 0
        for key, name, tags in flows:
            self.flows += 1
            rows = labels.get(key)
            label = rows.pop(0) if rows else None
            if "MALICIOUS" in tags:
                self.alerts.append((shown, key, name, label or "(no nDPI flow)"))
            if label is None:
                self.no_label += 1
                self.no_label_by_capture[shown] = self.no_label_by_capture.get(shown, 0) + 1
                continue
            result = "unknown" if name is None else judge(name, label)
            if name is not None:
                self.per_model.setdefault(name, {"right": 0, "kin": 0, "wrong": 0})[result] += 1
            if knows(label, self.names):
                master = label.split(".")[0]
                c = self.per_label.setdefault(master, {"right": 0, "kin": 0, "wrong": 0, "unknown": 0})
                self.known[result] += 1
                c[result] += 1
                if result == "wrong":
                    self.wrong_pairs.setdefault("%s → %s" % (master, name), []).append(shown)
            elif name is None:
                self.other["unknown"] += 1
            else:
                self.other["named"] += 1
                self.other_names.setdefault("%s → %s" % (label.split(".")[0], name), []).append(shown)


def share(n, d):
    return "%.1f %%" % (100.0 * n / d) if d else "–"


def top(counts, k=15):
    return ", ".join("%s %d" % kv for kv in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]) or "none"


def top_spread(where, k=15):
    """where: name -> the capture of each flow. The most flows first, with how many captures they
    are in (test suites hold many copies of one trace, so a hundred flows may be one)."""
    ranked = sorted(where.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:k]
    return ", ".join("%s %d (%d %s)" % (name, len(caps), len(set(caps)), "capture" if len(set(caps)) == 1
                                        else "captures") for name, caps in ranked) or "none"


def report(t, source):
    L = []
    w = L.append
    w("## %s\n" % source)
    w("%d captures, %d flows with payload; %d captures that fc-read could not read to the end (damaged or cut "
      "test captures: what came before the damage is counted)." % (t.captures, t.flows, t.damaged))
    w("Reference: Debian's ndpiReader on the same capture, flows joined by transport and both endpoints. "
      "Apart: %d flows without an nDPI label (its CSV leaves out the flows it could not identify), most "
      "of them in: %s.\n" % (t.no_label, top(t.no_label_by_capture, 5)))
    k = t.known
    n_known = sum(k.values())
    w("### Flows of protocols a built-in model names\n")
    w("| flows | named right | named after a close kin | named wrong | unknown |")
    w("|--:|--:|--:|--:|--:|")
    w("| %d | %d (%s) | %d (%s) | %d (%s) | %d (%s) |\n" % (
        n_known, k["right"], share(k["right"], n_known), k["kin"], share(k["kin"], n_known),
        k["wrong"], share(k["wrong"], n_known), k["unknown"], share(k["unknown"], n_known)))
    w("By nDPI's protocol (its master protocol; at least 5 flows):\n")
    w("| nDPI protocol | flows | right | kin | wrong | unknown | recall |")
    w("|---|--:|--:|--:|--:|--:|--:|")
    for label, c in sorted(t.per_label.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        n = sum(c.values())
        if n >= 5:
            w("| %s | %d | %d | %d | %d | %d | %s |" % (label, n, c["right"], c["kin"], c["wrong"], c["unknown"],
                                                       share(c["right"] + c["kin"], n)))
    w("\nThe most frequent wrong names (nDPI's protocol → name, flows): %s.\n" % top_spread(t.wrong_pairs))
    o = t.other
    n_other = o["unknown"] + o["named"]
    w("### Flows of protocols no built-in model names\n")
    w("%d flows: %d called unknown (%s), %d named (nDPI's protocol → name, flows): %s.\n" % (
        n_other, o["unknown"], share(o["unknown"], n_other), o["named"], top_spread(t.other_names)))
    w("### Per model: how often nDPI agrees with the name\n")
    w("| model | flows named (nDPI labelled) | nDPI agrees | close kin | precision |")
    w("|---|--:|--:|--:|--:|")
    for name, m in sorted(t.per_model.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        n = sum(m.values())
        w("| %s | %d | %d | %d | %s |" % (name, n, m["right"], m["kin"], share(m["right"] + m["kin"], n)))
    w("\n### Alerts (flows named by a MALICIOUS model)\n")
    w("%d alert(s) over %d flows (%.2f per 10,000).\n" % (len(t.alerts), t.flows,
                                                      1e4 * len(t.alerts) / t.flows if t.flows else 0))
    if t.alerts:
        w("| capture | flow | named | nDPI says |")
        w("|---|---|---|---|")
        for shown, key, name, label in t.alerts:
            (a_ip, a_port), (b_ip, b_port) = key[1], key[2]
            w("| %s | %s %s:%s ↔ %s:%s | %s | %s |" % (shown, {6: "TCP", 17: "UDP"}.get(key[0], key[0]),
                                                      a_ip, a_port, b_ip, b_port, name, label))
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0].lstrip("\\summary: "))
    ap.add_argument("sources", nargs="+", metavar="DIR[=DESCRIPTION]")
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap.add_argument("--bin", default=os.path.join(root, "build", "bin"))
    ap.add_argument("--models", default=os.path.join(root, "models"))
    ap.add_argument("--model", action="append", default=[], metavar="FILE",
                    help="a model file loaded beside the built-in ones (fc-classify --model)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", help="write the report here as well as to stdout")
    a = ap.parse_args()
    extra = [arg for f in a.model for arg in ("--model", f)]
    names = model_names(a.bin, a.models, extra)
    text = ("# FlowCarp on captures from other sources\n\nGenerated by `bench/accuracy/other_sources.py` (do not "
            "edit by hand) at FlowCarp commit %s, with %d models (the built-in ones%s) and product defaults; "
            "reference: "
            "ndpiReader %s. These captures were not used to train or tune anything: this is a measurement "
            "only. What is measured and how: the script's own description.\n\n" %
            (command_output(["git", "-C", root, "rev-parse", "--short", "HEAD"]), len(names),
             "".join(", " + os.path.relpath(f, root) for f in a.model),
             command_output(["dpkg-query", "-W", "-f", "${Version}", "libndpi-bin"])))
    for source in a.sources:
        folder, _, description = source.partition("=")
        paths = captures_under(folder)
        if not paths:
            sys.exit("other_sources.py: no .pcap, .pcapng or .cap file under %s" % folder)
        tally = Tally(names)
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
            for path, flows, status, labels in pool.map(lambda p: one_capture(p, a.bin, a.models, extra), paths):
                tally.add(os.path.relpath(path, folder), flows, status, labels)
        text += report(tally, description or folder) + "\n"
    sys.stdout.write(text)
    if a.out:
        open(a.out, "w").write(text)


if __name__ == "__main__":
    main()
