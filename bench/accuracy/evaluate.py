#!/usr/bin/env python3
"""\\summary: leave-one-file-out accuracy of FlowCarp's protocol identification on the shared corpus

Usage: evaluate.py --corpus DIR --bin BUILD/bin --cache DIR [--verify N] [--out results.md]

1. Every capture holding in_class_set=1 flows goes once through the real tools
   (fc-read | fc-flow | fc-feat --drop-samples; the streams are cached), and the
   label rows are matched with the vector records (corpus.py).
2. Leave one file out, 286 folds: the class models of a fold are the sums of the
   other files' vectors, which is exactly what fc-train writes; each held-out flow
   is scored against them with fc-classify's formula (score.c: add-one smoothed
   model, 1/256 pseudo-count on the session, KL in bits per meter). The per-meter
   divergences of every (flow, class) pair are kept, so recipes that differ in
   meter weights, transport filter and unknown rule are all read off one pass.
   --verify N checks this against the real fc-train and fc-classify on N folds.
3. Reports per-class precision / recall / F1, macro-F1, unknown share, worst
   confusions, and the share of flows of a never-seen class called unknown
   (leave one class out, on top of leaving the file out).
4. Every flow of every corpus capture through the real fc-classify with the built-in
   models, against nDPI's labels: named right, wrong, unknown (whole_corpus.py).
"""

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time

STARTED = time.time()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402
import fcstream  # noqa: E402
import whole_corpus  # noqa: E402

BINS = 256
METERS = [
    "AccumulatedDirectionBytes", "ActionReactionFirst3ByteHash", "ByteFrequency",
    "ByteFrequencyOfFirstPacketBytes", "BytePairsReoccurringCountIn32FirstBytes",
    "ByteValueOffsetHashOfFirst32BytesInFirst4Packets", "DirectionPacketLengthDistribution",
    "First2OrderedFirstBitPositions", "First2PacketsFirst8ByteHashDirectionCounts",
    "First4OrderedDirectionFirstNByteNibbles", "First4PacketsByteFrequency",
    "First4PacketsFirst32BytesEquality", "FirstBitPositions", "FirstServerPacketFirstBitPositions",
    "NibblePositionPopularity",
]
NM = len(METERS)
L4_NAME = {6: "TCP", 17: "UDP", 1: "ICMP", 58: "ICMPv6"}


# ---------------------------------------------------------------- data

class Flow:
    __slots__ = ("file", "cls", "proto", "meters", "prep", "raw", "row", "turns")

    def __init__(self, file, cls, proto, meters, raw, row, turns=None):
        """turns: the vector record's direction changes (None: the record had none)."""
        self.file, self.cls, self.proto, self.meters, self.raw, self.row = file, cls, proto, meters, raw, row
        self.turns = turns
        self.prep = [session_prepare(m) for m in meters]


def session_prepare(m):
    """score.c session_prepare for one meter: (bins, weights, p_u, self) or None."""
    total = sum(m.values())
    if not total:
        return None
    tot = total + 1.0
    p_u = (1.0 / BINS) / tot
    self_ = (BINS - len(m)) * p_u * math.log2(p_u)
    bins, w = [], []
    for b, c in sorted(m.items()):
        p = (c + 1.0 / BINS) / tot
        self_ += p * math.log2(p)
        bins.append(b)
        w.append(p - p_u)
    return bins, w, p_u, self_


def load_flows(corpus_dir, bindir, cache, in_set=True):
    os.makedirs(cache, exist_ok=True)
    flows, missed, headers = [], [], {}
    for f, rows in sorted(corpus.rows_by_file(corpus_dir, in_set).items()):
        buf = corpus.cached_stream(corpus_dir, f, bindir, cache)
        headers[f] = next(fcstream.records(buf))[1] if buf else b""
        matched, miss = corpus.match(rows, corpus.vectors_of(buf))
        missed += miss
        for row, obj, raw in matched:
            meters = [fcstream.sparse_bins(b) for b in obj["bins"]]
            flows.append(Flow(f, row["class"], obj["proto"], meters, raw, row, obj.get("turns")))
    return flows, missed, headers


# ---------------------------------------------------------------- models and scores

# fc-classify's --few-sessions default: a model of fewer training sessions names a flow only if
# it also wins when the models of fewer sessions are scored with sessions / FEW_SESSIONS
# pseudo-counts per bin instead of add-one (verdict.c few_sessions_agree; rule["few_sessions"]).
FEW_SESSIONS = 70


class Entry(tuple):
    """A model's (per-meter divergences, transports) for a flow; .scaled: the per-meter divergences
    with the prior scaled to the model's sessions of the flow's transport (None for FEW_SESSIONS
    or more)."""
    scaled = None


def sessions_prior(sessions):
    """score.c scored_prior: pseudo-counts per bin under the few-session test, or None (add-one)."""
    return sessions / FEW_SESSIONS if sessions < FEW_SESSIONS else None


class ModelSums:
    """Per key (class, or (class, l4)): per meter 256 counters and their sum; per file the same."""

    def __init__(self, flows, keyf):
        self.tot, self.byfile, self.trans, self.trans_file = {}, {}, {}, {}
        for fl in flows:
            key = keyf(fl)
            t = self.tot.setdefault(key, [[0] * BINS for _ in range(NM)])
            pf = self.byfile.setdefault((fl.file, key), [dict() for _ in range(NM)])
            for k, m in enumerate(fl.meters):
                for b, c in m.items():
                    t[k][b] += c
                    pf[k][b] = pf[k][b] + c if b in pf[k] else c
            tr = self.trans.setdefault(key, {})
            tr[fl.proto] = tr.get(fl.proto, 0) + 1
            trf = self.trans_file.setdefault((fl.file, key), {})
            trf[fl.proto] = trf.get(fl.proto, 0) + 1
        self.full_logs = {key: self._logs(c) for key, c in self.tot.items()}
        self.full_scaled = {key: self._scaled_logs(c, self.trans[key]) for key, c in self.tot.items()}

    @staticmethod
    def _logs(counts, prior=1.0):
        out = []
        for k in range(NM):
            n = sum(counts[k])
            lq = [math.log2((c + prior) / (n + BINS * prior)) for c in counts[k]]
            out.append((lq, sum(lq)))
        return out

    @staticmethod
    def _scaled_logs(counts, trans):
        """{transport: logs with the few-session prior} for the transports of few sessions: a
        model's sessions of the flow's transport set its prior (score.c scored_prior)."""
        out = {}
        for proto, n in trans.items():
            prior = sessions_prior(n)
            if prior is not None:
                out[proto] = ModelSums._logs(counts, prior)
        return out

    def without(self, file):
        """The models built without `file`: {key: (logs, transports, logs with the few-session
        priors by transport)} for keys with sessions left."""
        out = {}
        for key in self.tot:
            trans = dict(self.trans[key])
            pf = self.byfile.get((file, key))
            if pf is None:
                out[key] = (self.full_logs[key], trans, self.full_scaled[key])
                continue
            for p, n in self.trans_file[(file, key)].items():
                trans[p] -= n
                if not trans[p]:
                    del trans[p]
            if not trans:
                continue
            counts = [list(row) for row in self.tot[key]]
            for k in range(NM):
                for b, c in pf[k].items():
                    counts[k][b] -= c
            out[key] = (self._logs(counts), trans, self._scaled_logs(counts, trans))
        return out


def meter_divergences(prep, logs):
    """score.c score_meter for every meter: list of D (None where the session has no measurements)."""
    out = []
    for k in range(NM):
        sm = prep[k]
        if sm is None:
            out.append(None)
            continue
        bins, w, p_u, self_ = sm
        lq, slq = logs[k]
        cross = 0.0
        for b, x in zip(bins, w):
            cross += x * lq[b]
        d = self_ - cross - p_u * slq
        out.append(d if d > 0 else 0.0)
    return out


def lofo_divergences(flows, keyf, flowkey, test=None):
    """For each test flow (default: every training flow): {model key: (per-meter divergences, model
    transports)}, the models built from `flows` without the test flow's file. `flowkey(flow, key)`
    says whether a model key is a candidate for the flow at all."""
    sums = ModelSums(flows, keyf)
    test = flows if test is None else test
    byfile = {}
    for i, fl in enumerate(test):
        byfile.setdefault(fl.file, []).append(i)
    out = [None] * len(test)
    for file, idx in byfile.items():
        models = sums.without(file)
        for i in idx:
            fl = test[i]
            out[i] = {}
            for key, (logs, trans, scaled) in models.items():
                if flowkey(fl, key):
                    e = out[i][key] = Entry((meter_divergences(fl.prep, logs), trans))
                    if fl.proto in scaled:
                        e.scaled = meter_divergences(fl.prep, scaled[fl.proto])
    return out


# ---------------------------------------------------------------- acceptance thresholds (fc-train)

def oof_divergences(flows, weights, folds=10):
    """fc-train/acceptance.c: each flow's divergence to the model made from the other folds of
    consecutive flows (in training order); None for a flow without a scored meter."""
    n = len(flows)
    folds = max(2, min(folds, n))
    total = [[0] * BINS for _ in range(NM)]
    for fl in flows:
        for k, m in enumerate(fl.meters):
            for b, c in m.items():
                total[k][b] += c
    out = []
    for j in range(folds):
        lo, hi = n * j // folds, n * (j + 1) // folds
        if lo == hi:
            continue
        counts = [list(row) for row in total]
        for fl in flows[lo:hi]:
            for k, m in enumerate(fl.meters):
                for b, c in m.items():
                    counts[k][b] -= c
        logs = ModelSums._logs(counts)
        for fl in flows[lo:hi]:
            out.append(mean_div(meter_divergences(fl.prep, logs), weights))
    return out


def acceptance_threshold(flows, weights, quantile, folds=10):
    d = [x for x in oof_divergences(flows, weights, folds) if x is not None]
    return percentile(d, 100.0 * quantile) if d else None


def acceptance_turns(flows, quantile):
    """fc-train's turns (acceptance.c): the floor((1 - quantile) * (n - 1))-th fewest direction
    changes of the sessions (a session without them counts 0)."""
    t = sorted(fl.turns or 0 for fl in flows)
    return t[int(math.floor((1 - quantile) * (len(t) - 1)))] if t else 0


class Thresholds:
    """The acceptance threshold fc-train would give each class model of a fold (the class's flows
    of every other file, in training order), computed afresh only for the classes the held-out
    file has flows of (the others' models, and thresholds, are the full ones)."""

    def __init__(self, flows, weights, quantile, folds=10):
        self.weights, self.quantile, self.folds = weights, quantile, folds
        self.by_class = {}
        for fl in flows:
            self.by_class.setdefault(fl.cls, []).append(fl)
        self.full = {c: acceptance_threshold(v, weights, quantile, folds) for c, v in self.by_class.items()}
        self.cache, self.turns_cache = {}, {}

    def without(self, file):
        if file not in self.cache:
            thr = dict(self.full)
            for c, v in self.by_class.items():
                rest = [fl for fl in v if fl.file != file]
                if len(rest) != len(v):
                    thr[c] = acceptance_threshold(rest, self.weights, self.quantile, self.folds) if rest else None
            self.cache[file] = thr
        return self.cache[file]

    def turns_without(self, file):
        """The turns each class model of the fold asks for (acceptance_turns)."""
        if file not in self.turns_cache:
            self.turns_cache[file] = {c: acceptance_turns([fl for fl in v if fl.file != file], self.quantile)
                                      for c, v in self.by_class.items()}
        return self.turns_cache[file]


_THRESHOLDS = {}


def thresholds_for(flows, recipe):
    key = (id(flows), tuple(recipe["weights"]), recipe["acceptance"][0])
    if key not in _THRESHOLDS:
        _THRESHOLDS[key] = Thresholds(flows, recipe["weights"], recipe["acceptance"][0])
    return _THRESHOLDS[key]


# ---------------------------------------------------------------- learnt separation margins (a study)

# A per-model margin learnt at training time (bench/accuracy/learnt-margin.md; not a product
# rule: fc-train and fc-classify do not have it): for each training session of a model, its
# out-of-fold divergence to the model over its divergence to the closest other model of its
# transport; the model's margin is a quantile of these ratios, and a flow is named after the
# model only when best <= factor * margin * runner-up (recipe["margin"] = (quantile, factor),
# recipe["margin_folds"]: the folds of the out-of-fold divergences, default 10 as fc-train's).

MARGIN_RATIO_MAX = 10.0  # a ratio above this (or with a zero runner-up) counts as this


def session_ratios(flows, Dtrain, weights, folds=10):
    """For each flow (one class, training order) with a scored meter: its out-of-fold
    divergence to its class's model, and its divergences to the other models of its transport, closest
    first [(d, class)] (from Dtrain: the flow's divergences to models made without its own file)."""
    out = []
    for fl, x, dmap in zip(flows, oof_divergences(flows, weights, folds), Dtrain):
        if x is None:
            continue
        others = sorted((d, c) for c, (ds, trans) in dmap.items() if c != fl.cls and fl.proto in trans
                        for d in [mean_div(ds, weights)] if d is not None)
        out.append((x, others[:6]))
    return out


def margin_of(ratios, quantile, exclude=()):
    """The quantile of num / closest other model (not in `exclude`); None without any."""
    r = []
    for x, others in ratios:
        den = next((d for d, c in others if c not in exclude), None)
        if den is None:
            continue
        r.append(min(MARGIN_RATIO_MAX, x / den) if den > 0 else MARGIN_RATIO_MAX)
    return percentile(r, 100.0 * quantile) if r else None


class Margins:
    """The separation margin fc-train would give each class model of a fold (as Thresholds: the
    class's flows of every other file; ratios recomputed only for the classes of the held-out file)."""

    def __init__(self, flows, Dtrain, weights, folds=10):
        self.weights, self.folds = weights, folds
        self.by_class = {}
        for fl, dm in zip(flows, Dtrain):
            self.by_class.setdefault(fl.cls, []).append((fl, dm))
        self.full = {c: self._ratios(v) for c, v in self.by_class.items()}
        self.cache = {}

    def _ratios(self, pairs):
        return session_ratios([p[0] for p in pairs], [p[1] for p in pairs], self.weights, self.folds)

    def ratios_without(self, file):
        if file not in self.cache:
            r = dict(self.full)
            for c, v in self.by_class.items():
                rest = [p for p in v if p[0].file != file]
                if len(rest) != len(v):
                    r[c] = self._ratios(rest) if rest else []
            self.cache[file] = r
        return self.cache[file]

    def without(self, file, quantile, exclude=()):
        out = {}
        for c, rat in self.ratios_without(file).items():
            if c in exclude:
                continue
            m = margin_of(rat, quantile, exclude)
            if m is not None:
                out[c] = m
        return out


_MARGINS = {}


def margins_for(flows, Dtrain, recipe):
    folds = recipe.get("margin_folds", 10)
    key = (id(flows), tuple(recipe["weights"]), folds)
    if key not in _MARGINS:
        _MARGINS[key] = Margins(flows, Dtrain, recipe["weights"], folds)
    return _MARGINS[key]


# ---------------------------------------------------------------- recipes

def mean_div(ds, weights):
    s = w = 0.0
    for d, wt in zip(ds, weights):
        if d is not None and wt:
            s += wt * d
            w += wt
    return s / w if w else None


def decide(cands, rule):
    """cands: sorted [(divergence, class)]. Returns the class or None (unknown)."""
    if not cands:
        return None
    best_d, best = cands[0]
    runner = next((d for d, c in cands[1:] if c != best), None)
    if rule.get("max") is not None and best_d > rule["max"]:
        return None
    if rule.get("ratio") is not None and runner is not None and best_d > rule["ratio"] * runner:
        return None
    thr = rule.get("per_model")
    if thr is not None and best in thr and best_d > thr[best]:
        return None
    # the few-session test: ranked again with the scaled divergences, best must still stand out
    scaled = rule.get("scaled", {})
    if best in scaled and rule.get("ratio") is not None and \
            decide(sorted((scaled.get(c, d), c) for d, c in cands), {"ratio": rule["ratio"]}) != best:
        return None
    # a margin of its own for a model that must stand out more than the global ratio asks
    margin = rule.get("margin", {}).get(best)
    if margin is not None and runner is not None and best_d > margin * runner:
        return None
    # an alerting model stands out from the background models too (fc-classify/models.h)
    if best in rule.get("alerting", ()) and any(best_d > rule["ratio"] * d for d in rule.get("background", ())):
        return None
    return best


def candidates_for_turns(cands, rule):
    """fc-classify's candidate_for: a model held to its acceptance test is not a candidate for a
    flow with fewer direction changes than its threshold's turns (rule["min_turns"])."""
    need, turns = rule.get("min_turns", {}), rule.get("turns")
    if turns is None:
        return cands
    return [(d, c) for d, c in cands if not (c in need and turns < need[c])]


def rule_for(recipe, scaled):
    """The recipe's rule as decide() takes it: with the few-session test on, the flow's scaled
    divergences of the models of few sessions (class -> D) in place of the flag."""
    rule = dict(recipe["rule"])
    if rule.pop("few_sessions", False):
        rule["scaled"] = scaled
    return rule


def classify_all(flows, D, recipe, exclude_class=None, train=None, train_D=None):
    """Verdicts (class or None) for every flow under a recipe (weights, l4 filter, rule, models).
    `train`: the training flows when `flows` are other test flows (for acceptance thresholds), and
    `train_D` their divergences (for separation margins). recipe["not_models"]: classes left out of
    the model set (their models are neither candidates nor margin references)."""
    w = recipe["weights"]
    if train is None:
        train, train_D = flows, D
    excluded = set(recipe.get("not_models", ())) | ({exclude_class} if exclude_class else set())
    background = set(recipe.get("background", ())) - excluded
    alerting = {c for c, t in recipe.get("tags", {}).items() if "MALICIOUS" in t}
    acc = None
    if recipe.get("acceptance"):
        acc = thresholds_for(train, recipe)
        factor = recipe["acceptance"][1]
    mg = None
    if recipe.get("margin"):
        mg = margins_for(train, train_D, recipe)
        m_quantile, m_factor = recipe["margin"]
    per_model = recipe.get("per_model_pct")
    own = None
    if per_model is not None:
        own = {}  # class -> [(file, own-class divergence out of file)]
        for i, fl in enumerate(flows):
            e = D[i].get(model_key(recipe, fl.cls, fl.proto))
            if e:
                own.setdefault(fl.cls, []).append((fl.file, mean_div(e[0], w)))
    out = []
    thr_cache, margin_cache = {}, {}
    for i, fl in enumerate(flows):
        cands, scaled, bg = [], {}, []
        for key, (ds, trans) in D[i].items():
            cls = key[0] if isinstance(key, tuple) else key
            if cls in excluded:
                continue
            if recipe["l4_filter"] and fl.proto not in trans:
                continue
            d = mean_div(ds, w)
            if d is not None and cls in background:
                bg.append(d)
            elif d is not None:
                cands.append((d, cls))
                if D[i][key].scaled is not None:
                    scaled[cls] = mean_div(D[i][key].scaled, w)
        cands.sort()
        rule = rule_for(recipe, scaled)
        if background:
            rule.update(background=bg, alerting=alerting)
        if acc is not None:
            rule["per_model"] = {c: factor * t for c, t in acc.without(fl.file).items()
                                 if t is not None and held_to_acceptance(recipe, c)}
            if recipe.get("turns", True):
                rule["min_turns"] = {c: t for c, t in acc.turns_without(fl.file).items()
                                     if acc.without(fl.file).get(c) is not None and held_to_acceptance(recipe, c)}
                rule["turns"] = fl.turns
        if mg is not None:
            mkey = (fl.file, exclude_class)
            if mkey not in margin_cache:
                margin_cache[mkey] = {c: m_factor * m for c, m in mg.without(fl.file, m_quantile, excluded).items()}
            rule["margin"] = margin_cache[mkey]
        if own is not None:
            if fl.file not in thr_cache:
                thr_cache[fl.file] = {c: percentile([d for f, d in v if f != fl.file], per_model)
                                      for c, v in own.items()}
            rule["per_model"] = thr_cache[fl.file]
        out.append(decide(candidates_for_turns(cands, rule), rule))
    return out


def held_to_acceptance(recipe, cls):
    """Whether a class's model is held to its acceptance threshold: every model, or with
    recipe["held_tag"] (the product: MALICIOUS) only those whose tags (recipe["tags"]) have it."""
    tag = recipe.get("held_tag")
    return tag is None or tag in recipe.get("tags", {}).get(cls, ())


def model_key(recipe, cls, proto):
    return (cls, proto) if recipe.get("per_l4") else cls


def percentile(v, p):
    if not v:
        return float("inf")
    v = sorted(v)
    x = (len(v) - 1) * p / 100.0
    lo = int(x)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (x - lo)


def scores(flows, pred, classes):
    tp = {c: 0 for c in classes}
    npred = {c: 0 for c in classes}
    ntrue = {c: 0 for c in classes}
    conf = {}
    for fl, p in zip(flows, pred):
        ntrue[fl.cls] += 1
        if p is not None:
            npred[p] = npred.get(p, 0) + 1
        if p == fl.cls:
            tp[fl.cls] += 1
        else:
            conf[(fl.cls, p)] = conf.get((fl.cls, p), 0) + 1
    per = {}
    for c in classes:
        P = tp[c] / npred[c] if npred.get(c) else 0.0
        R = tp[c] / ntrue[c] if ntrue[c] else 0.0
        F = 2 * P * R / (P + R) if P + R else 0.0
        per[c] = (ntrue[c], P, R, F)
    macro = sum(v[3] for v in per.values()) / len(classes)
    unk = sum(1 for p in pred if p is None) / len(pred)
    acc = sum(1 for fl, p in zip(flows, pred) if p == fl.cls) / len(pred)
    return {"macro": macro, "unknown": unk, "acc": acc, "per": per, "conf": conf}


def open_set(s, other, opred, classes):
    """The class set's macro-F1 (scores() result s) with every flow of a protocol outside the set
    (other, named opred) that gets a class's name wrongly (whole_corpus.judge: not its protocol nor a
    close kin) counted against that class's precision; and how many flows were named so."""
    fp = {}
    for fl, p in zip(other, opred):
        if p is not None and whole_corpus.judge(p, fl.row) == "wrong":
            fp[p] = fp.get(p, 0) + 1
    f1s = []
    for c in classes:
        n, P, R, _ = s["per"][c]
        tp = R * n
        npred = tp / P if P else 0.0
        P2 = tp / (npred + fp.get(c, 0)) if tp else 0.0
        f1s.append(2 * P2 * R / (P2 + R) if P2 + R else 0.0)
    return sum(f1s) / len(f1s), sum(fp.values())


def novel(flows, D, recipe, classes):
    """Leave each class out of training in turn: share of its flows called unknown."""
    shares, n_unk, n_all = {}, 0, 0
    for c in classes:
        idx = [i for i, fl in enumerate(flows) if fl.cls == c]
        sub = [flows[i] for i in idx]
        pred = classify_all(sub, [D[i] for i in idx], recipe, exclude_class=c, train=flows)
        u = sum(1 for p in pred if p is None)
        shares[c] = u / len(sub)
        n_unk += u
        n_all += len(sub)
    return n_unk / n_all, sum(shares.values()) / len(shares), shares


# ---------------------------------------------------------------- checking against the real tools

def verify(flows, D, headers, bindir, folds, recipe):
    """Trains class models of `folds` held-out files with the real fc-train and scores the held-out
    flows with the real fc-classify (--explain, default verdict options); compares divergences and
    verdicts with this script's under `recipe` (which must be the product's defaults)."""
    weights = recipe["weights"]
    per_file = {}
    for fl in flows:
        per_file[fl.file] = per_file.get(fl.file, 0) + 1
    files = sorted(per_file, key=lambda f: (-per_file[f], f))  # ties by name: the same folds every run
    chosen = [files[i * len(files) // folds] for i in range(folds)]
    worst, pairs, verdict_agree, verdict_n = 0.0, 0, 0, 0
    worst_thr, n_thr, turns_differ = 0.0, 0, 0
    for held in chosen:
        with tempfile.TemporaryDirectory() as tmp:
            models, thresholds, min_turns = [], {}, {}
            classes = sorted({fl.cls for fl in flows})
            for c in classes:
                train = [fl for fl in flows if fl.cls == c and fl.file != held]
                if len(train) < 10:
                    continue  # fc-train refuses; the script's model is then left out of the comparison
                stream = headers[train[0].file] + b"".join(fl.raw for fl in train)
                path = os.path.join(tmp, c + ".fcp")
                subprocess.run([os.path.join(bindir, "fc-train"), "--name", c, "-o", path], input=stream,
                               check=True, stderr=subprocess.DEVNULL)
                models.append((c, path))
                acc = next(fcstream.records(open(path, "rb").read()))[0].get("acceptance")
                if recipe.get("acceptance"):
                    mine_thr = acceptance_threshold(train, weights, recipe["acceptance"][0])
                    worst_thr = max(worst_thr, abs(mine_thr - acc["divergence"]))
                    turns_differ += acceptance_turns(train, recipe["acceptance"][0]) != acc["turns"]
                    n_thr += 1
                    if held_to_acceptance(recipe, c):
                        thresholds[c] = recipe["acceptance"][1] * acc["divergence"]
                        min_turns[c] = acc["turns"]
            test = [fl for fl in flows if fl.file == held]
            args = [os.path.join(bindir, "fc-classify"), "--no-builtin", "--explain", "16"]
            for _, p in models:
                args += ["--model", p]
            got = subprocess.run(args, input=headers[held] + b"".join(fl.raw for fl in test), check=True,
                                 stdout=subprocess.PIPE).stdout
            verdicts = [o for o, _ in fcstream.records(got) if isinstance(o, dict) and o.get("k") == 5]
            built = {c for c, _ in models}
            index = {id(fl): i for i, fl in enumerate(flows)}
            for fl, v in zip(test, verdicts):
                mine = D[index[id(fl)]]
                for e in v.get("explain", []):
                    ds, _ = mine[e["model"]]
                    worst = max(worst, abs(mean_div(ds, weights) - e["divergence"]))
                    pairs += 1
                    if "few_session_divergence" in e:  # the few-session test's scores, the same way
                        worst = max(worst, abs(mean_div(mine[e["model"]].scaled, weights) - e["few_session_divergence"]))
                        pairs += 1
                cands = sorted((mean_div(ds, weights), c) for c, (ds, tr) in mine.items()
                               if c in built and fl.proto in tr)
                rule = rule_for(recipe, {c: mean_div(e.scaled, weights) for c, e in mine.items()
                                         if c in built and fl.proto in e[1] and e.scaled is not None})
                rule.update(per_model=thresholds, min_turns=min_turns, turns=fl.turns)
                cands = candidates_for_turns(cands, rule)
                mine_v = decide(cands, rule)
                theirs = v.get("protocol") if v.get("verdict") == "identified" else None
                verdict_n += 1
                verdict_agree += (v.get("model") == (cands[0][1] if cands else None)) and mine_v == theirs
    return chosen, pairs, worst, verdict_agree, verdict_n, n_thr, worst_thr, turns_differ


# ---------------------------------------------------------------- port independence

def rewrite_ports(src, dst, bindir):
    """Every TCP/UDP port p of the capture becomes 65535 - p (tcprewrite --portmap)."""
    csv_ = subprocess.run("%s/fc-read '%s' | %s/fc-flow | %s/fc-emit --format CSV" % (bindir, src, bindir, bindir),
                          shell=True, check=True, stdout=subprocess.PIPE, text=True).stdout.splitlines()[1:]
    ports = set()
    for line in csv_:
        f = line.split(",")
        if f[4] in ("6", "17"):
            ports.update(int(p) for p in (f[7], f[9]) if p)
    portmap = ",".join("%d:%d" % (p, 65535 - p) for p in sorted(ports) if 0 < p < 65535)
    if not portmap:
        raise subprocess.CalledProcessError(1, "tcprewrite")
    subprocess.run(["tcprewrite", "--portmap=" + portmap, "-i", src, "-o", dst], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def flow_lines(path, bindir, models):
    """Per flow: (counters that must not change, verdict fields, ports)."""
    out = subprocess.run("%s/fc-read '%s' | %s/fc-flow | %s/fc-feat | %s/fc-classify --models-dir '%s' | "
                         "%s/fc-emit --format CSV" % (bindir, path, bindir, bindir, bindir, models, bindir),
                         shell=True, check=True, stdout=subprocess.PIPE, text=True).stdout.splitlines()[1:]
    rows = []
    for line in out:
        f = line.split(",")
        rows.append((tuple(f[10:16]), tuple(f[17:24]), (f[7], f[9])))
    return rows


def port_independence(captures, bindir, models):
    """Real pipeline on each capture and on its port-rewritten copy. Returns per capture: flows,
    flows whose ports changed, flows whose verdict fields changed, and whether tcprewrite kept
    every packet's bytes (it rewrites the IP length of Ethernet-padded frames, which changes
    payload, so such captures cannot test ports alone)."""
    res = []
    with tempfile.TemporaryDirectory() as tmp:
        for cap in captures:
            dst = os.path.join(tmp, "rewritten.pcap")
            try:
                rewrite_ports(cap, dst, bindir)
            except subprocess.CalledProcessError:
                continue  # no ports to rewrite, or a capture tcprewrite cannot write back
            a, b = flow_lines(cap, bindir, models), flow_lines(dst, bindir, models)
            same_bytes = len(a) == len(b) and all(x[0] == y[0] for x, y in zip(a, b))
            moved = sum(1 for x, y in zip(a, b) if x[2] != y[2])
            changed = sum(1 for x, y in zip(a, b) if x[1] != y[1])
            named = sum(1 for x in a if x[1][0] == "identified")
            res.append((cap, len(a), moved, named, changed, same_bytes))
    return res


# ---------------------------------------------------------------- report

def weights_without(*names):
    return [0 if m in names else 1 for m in METERS]


ALL15 = [1] * NM
# fc-train's default quantile and fc-classify's default acceptance factor
PRODUCT_ACCEPTANCE = (0.99, 2.0)
# fc-classify holds only models tagged MALICIOUS to their acceptance thresholds (verdict.c);
# no class of the corpus's set is, so on the corpus alone the product is BEFORE_FEW_SESSIONS
# plus the few-session test.
PRODUCT = {"weights": weights_without("AccumulatedDirectionBytes"), "l4_filter": True,
           "rule": {"ratio": 0.93, "max": 3.0, "few_sessions": True}, "acceptance": PRODUCT_ACCEPTANCE,
           "held_tag": "MALICIOUS"}
WITHOUT_FEW_SESSIONS = dict(PRODUCT, rule={"ratio": 0.93, "max": 3.0})
BEFORE = {k: v for k, v in WITHOUT_FEW_SESSIONS.items() if k not in ("acceptance", "held_tag")}
# (those rows are the product of their day: an acceptance threshold without turns)
EVERY_MODEL_HELD = dict({k: v for k, v in WITHOUT_FEW_SESSIONS.items() if k != "held_tag"}, turns=False)
BASELINE = {"weights": ALL15, "l4_filter": False, "rule": {"max": 2.04}}
RECIPES = [
    ("baseline: plain SPID, 15 meters, threshold 2.04, no transport filter", BASELINE, "D"),
    ("15 meters, nearest model (never unknown)", {"weights": ALL15, "l4_filter": False, "rule": {}}, "D"),
    ("tools before this change: 15 meters, l4 filter, ratio 0.95, max 2.6",
     {"weights": ALL15, "l4_filter": True, "rule": {"ratio": 0.95, "max": 2.6}}, "D"),
    ("ALGORITHM.md recipe: 13 meters (ADB, DPLD weight 0), l4 filter, ratio 0.95",
     {"weights": weights_without("AccumulatedDirectionBytes", "DirectionPacketLengthDistribution"),
      "l4_filter": True, "rule": {"ratio": 0.95}}, "D"),
    ("14 meters (ADB weight 0), l4 filter, nearest model",
     {"weights": PRODUCT["weights"], "l4_filter": True, "rule": {}}, "D"),
    ("14 meters, l4 filter, ratio 0.95",
     {"weights": PRODUCT["weights"], "l4_filter": True, "rule": {"ratio": 0.95}}, "D"),
    ("14 meters, l4 filter, ratio 0.95, max 2.6",
     {"weights": PRODUCT["weights"], "l4_filter": True, "rule": {"ratio": 0.95, "max": 2.6}}, "D"),
    ("14 meters, l4 filter, ratio 0.94, max 3.0",
     {"weights": PRODUCT["weights"], "l4_filter": True, "rule": {"ratio": 0.94, "max": 3.0}}, "D"),
    ("before acceptance thresholds: 14 meters, l4 filter, ratio 0.93, max 3.0", BEFORE, "D"),
    ("**product: 14 meters, l4 filter, ratio 0.93, max 3.0, MALICIOUS models held to acceptance 2.0 × q0.99 "
     "(none in this set), few-session test 70**", PRODUCT, "D"),
    ("the product without the few-session test (the product until 28 Nov 2026)", WITHOUT_FEW_SESSIONS, "D"),
    ("... few-session test 70, ratio 0.95", dict(PRODUCT, rule={"ratio": 0.95, "max": 3.0, "few_sessions": True}), "D"),
    ("every model held to acceptance 2.0 × q0.99 (the product until 28 Nov 2026)", EVERY_MODEL_HELD, "D"),
    ("... every model, acceptance 1.5 × q0.99", dict(EVERY_MODEL_HELD, acceptance=(0.99, 1.5)), "D"),
    ("... every model, acceptance 1.25 × q0.99", dict(EVERY_MODEL_HELD, acceptance=(0.99, 1.25)), "D"),
    ("... every model, acceptance 1.0 × q0.99", dict(EVERY_MODEL_HELD, acceptance=(0.99, 1.0)), "D"),
    ("... every model, acceptance 1.5 × q0.95", dict(EVERY_MODEL_HELD, acceptance=(0.95, 1.5)), "D"),
    ("14 meters, l4 filter, ratio 0.92, max 3.0",
     {"weights": PRODUCT["weights"], "l4_filter": True, "rule": {"ratio": 0.92, "max": 3.0}}, "D"),
    ("14 meters, l4 filter, ratio 0.90, max 3.0",
     {"weights": PRODUCT["weights"], "l4_filter": True, "rule": {"ratio": 0.90, "max": 3.0}}, "D"),
    ("14 meters, l4 filter, ratio 0.93, per-model p99 of own out-of-file divergences",
     {"weights": PRODUCT["weights"], "l4_filter": True, "rule": {"ratio": 0.93}, "per_model_pct": 99}, "D"),
    ("14 meters, separate (class, l4) models, ratio 0.93, max 3.0",
     dict(BEFORE, per_l4=True), "D2"),
    ("14 meters, l4 filter, absolute 2.3 only",
     {"weights": PRODUCT["weights"], "l4_filter": True, "rule": {"max": 2.3}}, "D"),
]


def pct(x):
    return "%.1f %%" % (100 * x)


def other_unknown(other, DO, recipe, train):
    pred = classify_all(other, DO, recipe, train=train)
    byc, called = {}, {}
    for fl, p in zip(other, pred):
        byc.setdefault(fl.cls, []).append(p is None)
        if p is not None:
            called[p] = called.get(p, 0) + 1
    flows = sum(p is None for p in pred) / len(pred)
    mean = sum(sum(v) / len(v) for v in byc.values()) / len(byc)
    return flows, mean, called


def per_class_table(base, best, classes):
    out = ["| class | n | base P | base R | base F1 | P | R | F1 |", "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for c in sorted(classes, key=lambda c: -base["per"][c][0]):
        n, p0, r0, f0 = base["per"][c]
        _, p1, r1, f1 = best["per"][c]
        out.append("| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | **%.2f** |" % (c, n, p0, r0, f0, p1, r1, f1))
    return out


def confusions(s, n=12):
    items = sorted(s["conf"].items(), key=lambda kv: -kv[1])[:n]
    return ["| %s | %s | %d |" % (t, p if p else "unknown", k) for (t, p), k in items]


def progress(what):
    """A line on stderr per phase: the whole run takes a while."""
    print("evaluate.py: %s (%.0f s)" % (what, time.time() - STARTED), file=sys.stderr, flush=True)


def threat_section(L, a, flows, other, classes):
    """The threat pack's figures (threats.py) when the generated captures are there."""
    import generated
    if not a.captures or not generated.captures(a.captures):
        L.append("## Threat pack\n")
        L.append("The generated captures (`make threat-captures service-captures`, in %s) were not there, so "
                 "this run has no threat-pack figures.\n" % (a.captures or "$FC_CAPTURES"))
        return
    import threats
    mining = threats.load_mining(a.corpus, a.bin, a.cache)
    gen = threats.load_generated(a.captures, a.bin, os.path.join(a.cache, "generated"))
    extra = [fl for fl in mining + gen if threats.gets_a_model(mining + gen, fl.cls)]
    all_flows = flows + [fl for fl in extra if fl.cls not in threats.OPTIONAL]
    other2 = [o for o in other if o.cls not in corpus.MINING_CLASSES]
    D_all = lofo_divergences(all_flows, lambda f: f.cls, lambda f, k: True)
    DO_all = lofo_divergences(all_flows, lambda f: f.cls, lambda f, k: True, test=other2)
    tags = threats.class_tags(a.repo, sorted({fl.cls for fl in flows + extra}))
    product = dict(PRODUCT, tags=tags, background=threats.BACKGROUND)
    threats.report(L, all_flows, flows, other2, D_all, DO_all, tags, product, [0, 1.0, 1.25, 1.5, 2.0], classes)
    progress("threat pack, built-in set, done")
    with_optional = flows + extra
    if len(with_optional) > len(all_flows):
        D_opt = lofo_divergences(with_optional, lambda f: f.cls, lambda f, k: True)
        DO_opt = lofo_divergences(with_optional, lambda f: f.cls, lambda f, k: True, test=other2)
        threats.optional_report(L, with_optional, other2, D_opt, DO_opt, tags, product, classes)


def main():
    ap = argparse.ArgumentParser(description="leave-one-file-out accuracy of FlowCarp on the shared corpus")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--models", required=True, help="the built-in models folder (port-independence check)")
    ap.add_argument("--cache", required=True)
    ap.add_argument("--verify", type=int, default=6, help="folds checked against the real fc-train/fc-classify")
    ap.add_argument("--port-captures", nargs="*", default=[], help="extra captures for the port check")
    ap.add_argument("--out", default="-")
    ap.add_argument("--captures", default=None, help="the generated captures (corpus/make-captures), if any")
    ap.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    help="the source tree (corpus/GROUP/*.tsv: the generated classes' tags)")
    a = ap.parse_args()

    flows, missed, headers = load_flows(a.corpus, a.bin, a.cache)
    other, _, _ = load_flows(a.corpus, a.bin, a.cache, in_set=False)
    classes = sorted({fl.cls for fl in flows})
    files = sorted({fl.file for fl in flows})
    progress("corpus flows loaded")
    tensors = {"D": lofo_divergences(flows, lambda f: f.cls, lambda f, k: True),
               "D2": lofo_divergences(flows, lambda f: (f.cls, f.proto), lambda f, k: k[1] == f.proto)}
    DO = lofo_divergences(flows, lambda f: f.cls, lambda f, k: True, test=other)
    progress("divergences computed")
    chosen, pairs, worst, agree, nver, n_thr, worst_thr, turns_differ = verify(flows, tensors["D"], headers, a.bin, a.verify,
                                                                 PRODUCT)

    L = []
    w = L.append
    w("# FlowCarp identification accuracy on the shared corpus (leave one file out)\n")
    w("Generated by `bench/accuracy/run` (bench/accuracy/evaluate.py); do not edit by hand.\n")
    w("## Data\n")
    w("- Flows: the `in_class_set=1` rows of `corpus/labels.tsv`, %d of %d matched with a flow of the real "
      "tools (`fc-read | fc-flow | fc-feat`) by file, transport and both endpoints; %d classes, %d files "
      "(folds). Unmatched rows are 2 whose IPv6 address nDPI printed wrongly (flows inside tunnels are "
      "matched by their inner packets: fc-flow opens IP-in-IP, GRE, VXLAN, Geneve, GTP-U, Teredo and CAPWAP)."
      % (len(flows), len(flows) + len(missed), len(classes), len(files)))
    w("- Models of each fold: per class, the sum of the vectors of all other files (what `fc-train` "
      "writes); scores: `fc-classify`'s formula. Checked against the real tools on %d folds (%s): the real "
      "`fc-train` models and `fc-classify --explain` gave %d divergences, largest difference %.2g; best "
      "model and verdict (product defaults) agree on %d of %d flows; the %d acceptance thresholds the real "
      "`fc-train` wrote differ from this script's by at most %.2g, and %d of their turns (fewest direction "
      "changes) differ."
      % (len(chosen), ", ".join(os.path.basename(c) for c in chosen), pairs, worst, agree, nver, n_thr, worst_thr,
         turns_differ))
    w("- Unknown counts as a miss for its class; macro-F1 is the unweighted mean over the %d classes."
      % len(classes))
    w("- *Novel*: each class in turn is also left out of training (on top of its file); share of its "
      "flows called unknown, over flows / mean over classes.")
    w("- *Other protocols*: %d flows of %d protocols outside the set that pass the same quality rules "
      "(nDPI DPI verdict, payload, not fuzzed, per-file cap; e.g. DNScrypt, Gnutella, ETHEREUM, Discord, "
      "IPSec, Syslog, OpenVPN), scored against all %d class models (their own file left out of training); "
      "share called unknown, over flows / mean over protocols. A few are close kin of a class in the set "
      "(DNScrypt and AVASTSecureDNS look like DNS, HTTP_Proxy like HTTP), so 100 %% is not the ceiling."
      % (len(other), len({o.cls for o in other}), len(classes)))
    w("")
    w("## Recipes\n")
    w("| recipe | macro-F1 | unknown | accuracy | novel → unknown | other protocols → unknown |")
    w("|---|--:|--:|--:|--:|--:|")
    results = {}
    progress("checked against the real tools")
    for name, rec, t in RECIPES:
        D = tensors[t]
        s = scores(flows, classify_all(flows, D, rec), classes)
        nf, nc, _ = novel(flows, D, rec, classes)
        if t == "D":
            of, oc, _ = other_unknown(other, DO, rec, flows)
            ot = "%s / %s" % (pct(of), pct(oc))
        else:
            ot = "–"
        results[name] = s
        w("| %s | %.3f | %s | %.3f | %s / %s | %s |" % (name, s["macro"], pct(s["unknown"]), s["acc"], pct(nf),
                                                         pct(nc), ot))
    base = results[RECIPES[0][0]]
    best = scores(flows, classify_all(flows, tensors["D"], PRODUCT), classes)
    w("")
    w("The product (`fc-classify` defaults since this evaluation) is the bold row: macro-F1 %.3f against "
      "the baseline's %.3f (+%.3f), %s of known flows unknown."
      % (best["macro"], base["macro"], best["macro"] - base["macro"], pct(best["unknown"])))
    w("")
    w("## Per class: baseline and product\n")
    L.extend(per_class_table(base, best, classes))
    w("")
    w("## Worst confusions (true class → answer, flows)\n")
    w("Baseline:\n")
    w("| true | answer | flows |")
    w("|---|---|--:|")
    L.extend(confusions(base))
    w("\nProduct:\n")
    w("| true | answer | flows |")
    w("|---|---|--:|")
    L.extend(confusions(best))
    w("")
    w("## Novel classes under the product recipe (class left out of training)\n")
    nf, nc, shares = novel(flows, tensors["D"], PRODUCT, classes)
    w("| class | flows | called unknown |")
    w("|---|--:|--:|")
    for c in classes:
        w("| %s | %d | %s |" % (c, best["per"][c][0], pct(shares[c])))
    of, oc, called = other_unknown(other, DO, PRODUCT, flows)
    w("\nOther protocols (outside the set) not called unknown were called: %s."
      % ", ".join("%s %d" % kv for kv in sorted(called.items(), key=lambda kv: -kv[1])[:12]))
    w("")
    progress("corpus recipes done")
    whole_corpus.report(L, a.corpus, a.bin, a.models, a.cache)
    progress("every corpus flow with the built-in models done")
    threat_section(L, a, flows, other, classes)
    progress("threat pack done")
    w("## Port independence\n")
    w("No meter reads a port: the vectors of a flow do not change when its ports do. Checked end to end "
      "with the real pipeline (`fc-read | fc-flow | fc-feat | fc-classify` with the built-in models, "
      "`fc-emit --format CSV`) on each capture and on a copy in which `tcprewrite --portmap` maps every "
      "TCP/UDP port p to 65535 − p. tcprewrite also rewrites the IP length of Ethernet frames with padding "
      "(so their payload changes); captures where it changed any flow's byte counters are left out, as "
      "they test tcprewrite, not ports.\n")
    caps = [os.path.join(a.corpus, f) for f in files] + a.port_captures
    pres = port_independence(caps, a.bin, a.models)
    progress("port check of the corpus done")
    usable = [r for r in pres if r[5]]
    tot = [sum(r[i] for r in usable) for i in (1, 2, 3, 4)]
    w("- captures rewritten: %d; with unchanged byte counters (usable): %d" % (len(pres), len(usable)))
    w("- flows: %d, of which ports changed: %d, identified: %d; flows whose verdict, protocol, model, "
      "divergence or runner-up changed: **%d**" % tuple(tot))
    w("")
    import generated
    gen_caps = [p for _, _, _, p in generated.captures(a.captures)] if a.captures else []
    if gen_caps:
        pres = port_independence(gen_caps, a.bin, a.models)
        usable = [r for r in pres if r[5]]
        tot = [sum(r[i] for r in usable) for i in (1, 2, 3, 4)]
        w("Generated captures (every class and batch), the same check:\n")
        w("- captures rewritten: %d; with unchanged byte counters (usable): %d" % (len(pres), len(usable)))
        w("- flows: %d, of which ports changed: %d, identified: %d; flows whose verdict, protocol, model, "
          "divergence or runner-up changed: **%d**" % tuple(tot))
        w("")
    w("## Reproduce\n")
    w("```")
    w("make BUILD=build all")
    w("sudo make threat-captures service-captures   # the generated captures, in $FC_CAPTURES (/work/captures)")
    w("make models")
    w("bench/accuracy/run    # BUILD=build, FC_SHARED=../shared, FC_CAPTURES=/work/captures; 15-25 minutes")
    w("```")
    w("The script caches the tools' vector streams in a folder (`--cache`; FC_ACCURACY_CACHE keeps it "
      "between runs). Most of the time goes to the real tools on the captures, the acceptance thresholds "
      "of every fold (recomputed as fc-train would, %d folds of the corpus) and the port check."
      % len(files))
    text = "\n".join(L) + "\n"
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
