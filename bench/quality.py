#!/usr/bin/env python3
"""Router quality benchmark: APGR and CPT on the shared labelled prompts.

Python 3 standard library only.  Usage (from anywhere):

    python3 bench/quality.py                 # random, length, and ./llmroute if built
    python3 bench/quality.py --no-cmd        # random and length only
    python3 bench/quality.py --cmd './llmroute -n --jsonl --format json'
    python3 bench/quality.py --scores out.jsonl    # score a saved router output
    python3 bench/quality.py --json results.json   # also write machine-readable results
    python3 bench/quality.py --dump /tmp/labels    # write the labelled sets, then go on
    python3 bench/quality.py --selftest

Data
----
Read-only, from <script dir>/../../shared/data (override with --data DIR);
see its README.md.  The data is never copied into the repository: --dump
refuses a directory inside the repository.

Labels (q_strong, q_weak per prompt, both in [0, 1])
----------------------------------------------------
Strong model S = gpt-4-1106-preview everywhere.  Weak W = the average over
a few weak models that every source shares (README: Mixtral 8x7B,
gpt-3.5-turbo-1106, Llama-2-70b-chat, Claude 2 / instant), never NullModel
or FuseChat-*:

* routerbench (routerbench-train.jsonl, key "correct"):
  S = "gpt-4-1106-preview";
  W = "mistralai/mixtral-8x7b-chat", "gpt-3.5-turbo-1106",
      "meta/llama-2-70b-chat", "claude-v2", "claude-instant-v1".
  q_strong = S correctness (1/0); q_weak = mean of the five 1/0 values
  (so a soft value in {0, .2, ..., 1}).
  The prompt field is a Python list literal ("['...']"); it is unwrapped
  with ast.literal_eval (elements joined by a blank line) so that a router
  sees real newlines, not backslash-n.  --raw-prompts keeps the literal.
* arena (arena-bench-v1-scores.jsonl, key "scores", GPT-4 judge grade 1-10):
  S = "gpt-4-1106-preview";
  W = "mistralai/Mixtral-8x7B-Instruct-v0.1", "gpt-3.5-turbo-1106",
      "Llama-2-70b-chat", "claude-2", "claude-instant-1".
  q_strong = S grade / 10; q_weak = mean of the W grades / 10.
* alpacaeval (alpacaeval2-vs-gpt4turbo.jsonl, key "pref_vs_strong"): S is
  the reference of every comparison, so it has no score of its own.  Each
  listed model's preference p in [1, 2] is against S, above 1.5 the listed
  model won, so p - 1 is that weak model's win rate against S.
  W = "Mixtral-8x7B-Instruct-v0.1_concise", "gpt-3.5-turbo-1106",
      "claude-2", "claude-instant-1.2" (no Llama-2-70b-chat in this file).
  Per weak model w: q_weak_w = p_w - 1, q_strong_w = 2 - p_w = 1 - q_weak_w;
  q_weak = mean over w of q_weak_w, q_strong = 1 - q_weak.  This is the
  README's "2 - preference averaged over a few weak models" label taken as
  S's quality.  The judge favours long answers, so S wins most prompts.

A row is skipped when S or any chosen W model lacks a numeric score (None,
empty string, missing key): routerbench has 20 such ARC rows (8 with every
model empty, 12 with gpt-3.5-turbo-1106 empty), arena has a few, alpacaeval
none.  Skipped counts are printed.  Ids are "<source>-<n>" with n the
1-based line number in the source file, so they stay stable when rows are
skipped.  "pooled" puts every labelled prompt of every source together (the
three quality scales are not the same, so read it as a rough summary).

Metrics (docs/metrics.md, the RouteLLM evaluation)
--------------------------------------------------
* 11 edges: quantiles at 0, 10, ..., 100 % of the scores by linear
  interpolation between order statistics (numpy.quantile method='linear',
  including numpy's two-sided lerp), at levels exactly i/10: the virtual
  index i*(n-1)/10 is computed in integers so an edge that falls on an order
  statistic equals it exactly.
* For edge e: s >= e goes to S, else W; the last (largest) edge uses s > e
  (the 0 %-strong point).  Tied scores always go to the same side.
* Curve: x = % of prompts sent to S, y = mean routed quality, 11 points
  sorted by x (duplicates kept).
* APGR = (AUC - AUC_W) / (AUC_S - AUC_W), trapezoid rule over x/100, where
  the all-W / all-S lines are q_W / q_S over the same x points.
* CPT(p) = smallest x at which the curve, read as straight segments in x
  order, reaches q_W + p/100 (q_S - q_W).  (RouteLLM's code uses np.interp
  with y as the abscissa, which is only well defined on a monotone curve;
  this is the metrics.md wording and agrees with it on monotone curves.)
  None when never reached.

Scorers
-------
* random: uniform scores, metrics averaged over 20 seeded draws (seeds
  0..19, --random-draws / --seed); its APGR spread is shown as +-sd.
* length: character count of the prompt (len() of the Python str).
* cmd: runs --cmd (default "./llmroute -n --jsonl --format json") from the
  repository root, feeds JSON Lines {"id", "prompt"} on stdin and reads one
  JSON object per output line with "id" and "score" (float; higher = needs
  S more).  A missing program, a failure or missing ids give a message and
  the other scorers are still shown.
* --scores FILE (repeatable): the same JSON Lines output read from a file.
"""

import argparse
import ast
import json
import math
import os
import random
import shlex
import subprocess
import sys

SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(SCRIPT_DIR)
DEFAULT_DATA = os.path.normpath(os.path.join(SCRIPT_DIR, "..", "..", "shared", "data"))
DEFAULT_CMD = "./llmroute -n --jsonl --format json"

STRONG = "gpt-4-1106-preview"

SOURCES = [
    # (name, file, score key, strong key, weak keys)
    ("routerbench", "routerbench-train.jsonl", "correct", STRONG,
     ["mistralai/mixtral-8x7b-chat", "gpt-3.5-turbo-1106",
      "meta/llama-2-70b-chat", "claude-v2", "claude-instant-v1"]),
    ("arena", "arena-bench-v1-scores.jsonl", "scores", STRONG,
     ["mistralai/Mixtral-8x7B-Instruct-v0.1", "gpt-3.5-turbo-1106",
      "Llama-2-70b-chat", "claude-2", "claude-instant-1"]),
    ("alpacaeval", "alpacaeval2-vs-gpt4turbo.jsonl", "pref_vs_strong", None,
     ["Mixtral-8x7B-Instruct-v0.1_concise", "gpt-3.5-turbo-1106",
      "claude-2", "claude-instant-1.2"]),
]
ALPACA_STRONG_NAME = "gpt4_1106_preview"   # the file's "strong_model" field


# ---------------------------------------------------------------- labels

def _num(v):
    """A finite float, or None for missing / empty / non-numeric values."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, str):
        v = v.strip()
        if not v:
            return None
        try:
            v = float(v)
        except ValueError:
            return None
    if not isinstance(v, (int, float)):
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _unwrap_prompt(p):
    """routerbench prompts are Python list literals: "['text']"."""
    s = p.strip()
    if not (s.startswith("[") and s.endswith("]")):
        return p
    try:
        v = ast.literal_eval(s)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return p
    if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
        return "\n\n".join(v)
    return p


def load_labels(data_dir, raw_prompts=False):
    """Return (items, stats).  items: dicts id, source, subset, prompt,
    strong, weak.  stats: per source rows / kept / skipped counts."""
    items, stats = [], {}
    for name, fname, key, strong_key, weak_keys in SOURCES:
        path = os.path.join(data_dir, fname)
        st = {"file": fname, "rows": 0, "kept": 0, "skipped": 0,
              "strong": strong_key or ALPACA_STRONG_NAME + " (reference)",
              "weak": list(weak_keys)}
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                st["rows"] += 1
                row = json.loads(line)
                prompt = row.get("prompt")
                d = row.get(key)
                if not isinstance(prompt, str) or not prompt.strip() or not isinstance(d, dict):
                    st["skipped"] += 1
                    continue
                ws = [_num(d.get(k)) for k in weak_keys]
                if any(w is None for w in ws):
                    st["skipped"] += 1
                    continue
                if name == "alpacaeval":
                    if row.get("strong_model", ALPACA_STRONG_NAME) != ALPACA_STRONG_NAME:
                        st["skipped"] += 1
                        continue
                    if any(not 1.0 <= w <= 2.0 for w in ws):
                        st["skipped"] += 1
                        continue
                    qw = sum(w - 1.0 for w in ws) / len(ws)
                    qs = 1.0 - qw
                    subset = row.get("source", "")
                else:
                    s = _num(d.get(strong_key))
                    if s is None:
                        st["skipped"] += 1
                        continue
                    if name == "arena":
                        qs = s / 10.0
                        qw = sum(ws) / len(ws) / 10.0
                        subset = ""
                    else:
                        qs = s
                        qw = sum(ws) / len(ws)
                        subset = row.get("eval_name", "")
                    if name == "routerbench" and not raw_prompts:
                        prompt = _unwrap_prompt(prompt)
                items.append({"id": "%s-%d" % (name, lineno), "source": name,
                              "subset": subset, "prompt": prompt,
                              "strong": qs, "weak": qw})
                st["kept"] += 1
        stats[name] = st
    return items, stats


# --------------------------------------------------------------- metrics

def _lerp(a, b, t):
    """numpy's _lerp: a + (b-a)t for t < 0.5, b - (b-a)(1-t) otherwise."""
    d = b - a
    if t >= 0.5:
        return b - d * (1.0 - t)
    return a + d * t


def quantile_edges(scores, k=10):
    """The k+1 edges at levels i/k, numpy.quantile(method='linear')."""
    a = sorted(scores)
    n = len(a)
    if n == 0:
        raise ValueError("no scores")
    edges = []
    for i in range(k + 1):
        num = i * (n - 1)           # virtual index = num / k, kept exact
        lo, rem = divmod(num, k)
        if rem == 0:
            edges.append(a[lo])
        else:
            edges.append(_lerp(a[lo], a[lo + 1], rem / k))
    return edges


def curve(scores, q_strong, q_weak, k=10):
    """11 points (x = % strong, y = mean routed quality), sorted by x."""
    n = len(scores)
    if not (n == len(q_strong) == len(q_weak)) or n == 0:
        raise ValueError("scores and labels must be non-empty and aligned")
    edges = quantile_edges(scores, k)
    pts = []
    for j, e in enumerate(edges):
        last = j == len(edges) - 1
        ns, tot = 0, 0.0
        for s, qs, qw in zip(scores, q_strong, q_weak):
            if (s > e) if last else (s >= e):
                ns += 1
                tot += qs
            else:
                tot += qw
        pts.append((100.0 * ns / n, tot / n))
    pts.sort(key=lambda p: p[0])      # stable: equal x keep edge order
    return pts


def _trapz(ys, xs):
    return sum((xs[i + 1] - xs[i]) * (ys[i] + ys[i + 1]) / 2.0
               for i in range(len(xs) - 1))


def apgr(pts, q_s, q_w):
    xs = [x / 100.0 for x, _ in pts]
    ys = [y for _, y in pts]
    auc = _trapz(ys, xs)
    auc_w = _trapz([q_w] * len(xs), xs)
    auc_s = _trapz([q_s] * len(xs), xs)
    if auc_s == auc_w:
        return None
    return (auc - auc_w) / (auc_s - auc_w)


def cpt(pts, q_s, q_w, p):
    """Smallest % strong at which the curve reaches q_w + p/100 (q_s - q_w)."""
    target = q_w + p / 100.0 * (q_s - q_w)
    eps = 1e-12 * max(1.0, abs(target))  # equal but for rounding
    x0, y0 = pts[0]
    if y0 >= target - eps:
        return x0
    for x1, y1 in pts[1:]:
        if y1 >= target - eps:
            if y1 == y0:
                return x1
            return min(x1, x0 + (target - y0) * (x1 - x0) / (y1 - y0))
        x0, y0 = x1, y1
    return None


def evaluate(scores, q_strong, q_weak):
    pts = curve(scores, q_strong, q_weak)
    q_s = sum(q_strong) / len(q_strong)
    q_w = sum(q_weak) / len(q_weak)
    return {"apgr": apgr(pts, q_s, q_w), "cpt50": cpt(pts, q_s, q_w, 50),
            "cpt80": cpt(pts, q_s, q_w, 80), "curve": pts}


def _mean(v):
    v = [x for x in v if x is not None]
    return sum(v) / len(v) if v else None


def _sd(v):
    v = [x for x in v if x is not None]
    if len(v) < 2:
        return None
    m = sum(v) / len(v)
    return math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))


def evaluate_random(n, q_strong, q_weak, draws, seed):
    runs = []
    for d in range(draws):
        rng = random.Random(seed + d)
        runs.append(evaluate([rng.random() for _ in range(n)], q_strong, q_weak))
    return {"apgr": _mean([r["apgr"] for r in runs]),
            "apgr_sd": _sd([r["apgr"] for r in runs]),
            "cpt50": _mean([r["cpt50"] for r in runs]),
            "cpt80": _mean([r["cpt80"] for r in runs]),
            "draws": draws, "seed": seed}


# --------------------------------------------------------------- scorers

def parse_scores(lines, origin):
    """JSON Lines with "id" and "score" -> dict id -> float."""
    out = {}
    for ln, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise ValueError("%s line %d: not JSON (%s): %.80s" % (origin, ln, e, line))
        if not isinstance(obj, dict) or "id" not in obj or "score" not in obj:
            raise ValueError("%s line %d: need an object with \"id\" and \"score\": %.80s"
                             % (origin, ln, line))
        s = _num(obj["score"])
        if s is None:
            raise ValueError("%s line %d: score is not a finite number: %.80s"
                             % (origin, ln, line))
        out[str(obj["id"])] = s
    return out


def run_cmd(cmd, items, timeout):
    """Run the router; returns (scores dict or None, message or None)."""
    argv = shlex.split(cmd)
    if not argv:
        return None, "empty --cmd"
    exe = argv[0]
    if os.sep in exe:
        path = exe if os.path.isabs(exe) else os.path.join(REPO_ROOT, exe)
        if not os.path.exists(path):
            return None, ("router not found: %s (looked in %s; build it first, "
                          "or pass --cmd / --scores / --no-cmd)" % (exe, REPO_ROOT))
    feed = "".join(json.dumps({"id": it["id"], "prompt": it["prompt"]},
                              ensure_ascii=False) + "\n" for it in items)
    try:
        proc = subprocess.run(argv, input=feed.encode("utf-8"), cwd=REPO_ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
    except FileNotFoundError:
        return None, "router not found: %s (run from %s)" % (exe, REPO_ROOT)
    except PermissionError:
        return None, "router not executable: %s" % exe
    except subprocess.TimeoutExpired:
        return None, "router timed out after %gs: %s" % (timeout, cmd)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, "router exited with status %d: %s%s" % (
            proc.returncode, cmd, (": " + " | ".join(err[-3:])) if err else "")
    try:
        return parse_scores(proc.stdout.decode("utf-8", "replace").splitlines(),
                            "router output"), None
    except ValueError as e:
        return None, str(e)


def check_coverage(name, scores, items):
    missing = [it["id"] for it in items if it["id"] not in scores]
    if missing:
        return "%s: no score for %d of %d prompts (first: %s); scorer skipped" % (
            name, len(missing), len(items), ", ".join(missing[:3]))
    return None


# ---------------------------------------------------------------- report

def groups_of(items, subsets):
    order, groups = [], {}
    for it in items:
        keys = [it["source"]]
        if subsets and it["subset"]:
            keys.append("%s/%s" % (it["source"], it["subset"]))
        for k in keys:
            if k not in groups:
                groups[k] = []
                order.append(k)
            groups[k].append(it)
    names = []
    for s in SOURCES:
        if s[0] in groups:
            names.append(s[0])
            names += sorted(k for k in order if k.startswith(s[0] + "/"))
    groups["pooled"] = list(items)
    names.append("pooled")
    return names, groups


def _f(v, fmt):
    return "-" if v is None else fmt % v


def print_table(results, out):
    w = max([6] + [len(sc) for g in results for sc in g["scorers"]])
    hdr = "%-28s %5s %7s %8s  %-*s %13s %8s %8s" % (
        "set", "n", "q_weak", "q_strong", w, "scorer", "APGR", "CPT(50%)", "CPT(80%)")
    out.write(hdr + "\n" + "-" * len(hdr) + "\n")
    for g in results:
        first = True
        for sc, r in g["scorers"].items():
            lead = ("%-28s %5d %7.3f %8.3f" % (g["set"], g["n"], g["q_weak"], g["q_strong"])
                    if first else " " * 51)
            ap = _f(r["apgr"], "%.3f")
            if r.get("apgr_sd") is not None:
                ap += " +-%.3f" % r["apgr_sd"]
            out.write("%s  %-*s %13s %8s %8s\n" % (
                lead, w, sc, ap, _f(r["cpt50"], "%.1f%%"), _f(r["cpt80"], "%.1f%%")))
            first = False
    out.write("\n")


def dump(items, d):
    d = os.path.abspath(d)
    root = os.path.realpath(REPO_ROOT)
    real = os.path.realpath(d)
    if real == root or real.startswith(root + os.sep):
        raise SystemExit("--dump %s is inside the repository; use a directory "
                         "outside it (e.g. /tmp/llmroute-labels)" % d)
    os.makedirs(d, exist_ok=True)
    files = {}
    try:
        for it in items:
            for fn in (it["source"] + ".jsonl", "all.jsonl"):
                if fn not in files:
                    files[fn] = open(os.path.join(d, fn), "w", encoding="utf-8")
                files[fn].write(json.dumps(
                    {"id": it["id"], "prompt": it["prompt"], "strong": it["strong"],
                     "weak": it["weak"], "source": it["source"],
                     "subset": it["subset"]}, ensure_ascii=False) + "\n")
    finally:
        for f in files.values():
            f.close()
    sys.stderr.write("wrote %d labelled prompts to %s (%s)\n"
                     % (len(items), d, ", ".join(sorted(files))))


# -------------------------------------------------------------- selftest

def selftest():
    def close(a, b, eps=1e-9):
        return a is not None and b is not None and abs(a - b) <= eps
    fails = []

    def check(name, ok):
        if not ok:
            fails.append(name)

    # numpy.quantile(..., method='linear') reference values
    e = quantile_edges([1, 2, 3, 4])
    check("quantile [1,2,3,4]", all(close(x, y) for x, y in zip(
        e, [1.0, 1.3, 1.6, 1.9, 2.2, 2.5, 2.8, 3.1, 3.4, 3.7, 4.0])))
    check("quantile single", quantile_edges([7.0]) == [7.0] * 11)

    # Hand case with ties.  (score, q_strong, q_weak):
    #   A (0,  1, 1)  B (10, 1, 0)  C (10, 0, 1)  D (10, 1, 0)  E (20, 1, 0)
    # sorted scores 0,10,10,10,20; index i*4/10 ->
    # edges 0, 4, 8, 10, 10, 10, 10, 10, 12, 16, 20.
    # s>=0: all 5 (100%); s>=4, 8, 10 (x5): B,C,D,E (80%, the tied 10s move
    # together); s>=12, 16: E (20%); last edge s>20: none (0%).
    # q_S = 4/5 = .8, q_W = 2/5 = .4.  y(0)=.4, y(20)=(1+0+1+0+1)/5=.6,
    # y(80)=(1+1+0+1+1)/5=.8, y(100)=.8.
    # AUC = .2(.4+.6)/2 + .6(.6+.8)/2 + .2(.8) = .1 + .42 + .16 = .68
    # APGR = (.68-.4)/(.8-.4) = .7.
    # CPT(50): target .6 -> 20.  CPT(80): target .72 on (20,.6)-(80,.8) -> 56.
    s = [0, 10, 10, 10, 20]
    qs = [1, 1, 0, 1, 1]
    qw = [1, 0, 1, 0, 0]
    e = quantile_edges(s)
    check("hand edges", all(close(x, y) for x, y in zip(
        e, [0, 4, 8, 10, 10, 10, 10, 10, 12, 16, 20])))
    r = evaluate(s, qs, qw)
    xs = [p[0] for p in r["curve"]]
    check("hand curve x", xs == [0.0, 20.0, 20.0] + [80.0] * 7 + [100.0])
    check("hand curve y", all(close(p[1], {0.0: .4, 20.0: .6, 80.0: .8, 100.0: .8}[p[0]])
                              for p in r["curve"]))
    check("hand APGR", close(r["apgr"], 0.7))
    check("hand CPT50", close(r["cpt50"], 20.0))
    check("hand CPT80", close(r["cpt80"], 56.0))
    # Shuffled input order must not matter.
    perm = [3, 0, 4, 2, 1]
    r2 = evaluate([s[i] for i in perm], [qs[i] for i in perm], [qw[i] for i in perm])
    check("order invariance", close(r2["apgr"], 0.7) and r2["curve"] == r["curve"])

    # All scores tied: 10 edges send all to S, the last sends none -> APGR .5.
    r = evaluate([3.0] * 4, [1, 1, 0, 1], [0, 1, 0, 0])
    check("all tied curve", [p[0] for p in r["curve"]] == [0.0] + [100.0] * 10)
    check("all tied APGR", close(r["apgr"], 0.5))
    check("all tied CPT50", close(r["cpt50"], 50.0))

    # CPT takes the first crossing on a curve with a dip; first point may
    # already be enough; never reached -> None.
    pts = [(0.0, .4), (50.0, .3), (100.0, .8)]
    check("cpt dip", close(cpt(pts, .8, .4, 50), 80.0))
    check("cpt at 0", close(cpt([(0.0, .9), (100.0, .5)], .5, .9, 50), 0.0))
    check("cpt none", cpt([(0.0, .4), (100.0, .5)], .8, .4, 50) is None)
    check("apgr equal", apgr([(0.0, .5), (100.0, .5)], .5, .5) is None)

    # Perfect oracle on the hand case: exceeds random.
    oracle = [a - b for a, b in zip(qs, qw)]
    check("oracle > .7", evaluate(oracle, qs, qw)["apgr"] > 0.7)

    # Label helpers.
    check("unwrap", _unwrap_prompt("['a\\nb']") == "a\nb")
    check("unwrap keep", _unwrap_prompt("[not a list") == "[not a list")
    check("num", _num("") is None and _num(None) is None and _num(1) == 1.0
          and _num(True) is None and _num(float("nan")) is None)
    check("parse scores", parse_scores(['{"id": "a-1", "score": 0.5}', ""], "t")
          == {"a-1": 0.5})

    if fails:
        print("selftest FAILED: " + ", ".join(fails))
        return 1
    print("selftest ok")
    return 0


# ------------------------------------------------------------------ main

def main(argv=None):
    ap = argparse.ArgumentParser(
        description="APGR / CPT of router scorers on the shared labelled data "
                    "(see the module docstring for the label recipes).")
    ap.add_argument("--data", default=DEFAULT_DATA, help="data dir (default %(default)s)")
    ap.add_argument("--cmd", default=DEFAULT_CMD,
                    help="router command, run from the repo root (default %(default)r)")
    ap.add_argument("--no-cmd", action="store_true", help="do not run the router command")
    ap.add_argument("--timeout", type=float, default=600.0, help="router timeout, seconds")
    ap.add_argument("--scores", action="append", default=[], metavar="FILE",
                    help="JSON Lines with id and score (repeatable)")
    ap.add_argument("--random-draws", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--subsets", action="store_true",
                    help="also report routerbench eval_name and alpacaeval source subsets")
    ap.add_argument("--raw-prompts", action="store_true",
                    help="keep routerbench prompts as the stored list literal")
    ap.add_argument("--curves", action="store_true", help="print the curve points too")
    ap.add_argument("--json", metavar="FILE", help="write results as JSON ('-' = stdout)")
    ap.add_argument("--dump", metavar="DIR", help="write labelled JSON Lines to DIR (outside the repo)")
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args(argv)

    if a.selftest:
        return selftest()

    try:
        items, stats = load_labels(a.data, a.raw_prompts)
    except OSError as e:
        sys.stderr.write("cannot read data in %s: %s\n" % (a.data, e))
        return 2
    if a.dump:
        dump(items, a.dump)

    scorers = {"length": {it["id"]: float(len(it["prompt"])) for it in items}}
    notes = []
    if not a.no_cmd:
        sc, msg = run_cmd(a.cmd, items, a.timeout)
        if sc is not None:
            msg = check_coverage("cmd", sc, items)
            if msg is None:
                scorers["cmd"] = sc
        if msg:
            notes.append("cmd: " + msg)
    for fn in a.scores:
        name = "file:" + os.path.basename(fn)
        try:
            with open(fn, encoding="utf-8") as f:
                sc = parse_scores(f, fn)
        except (OSError, ValueError) as e:
            notes.append("%s: %s" % (name, e))
            continue
        msg = check_coverage(name, sc, items)
        if msg:
            notes.append(msg)
        else:
            scorers[name] = sc

    names, groups = groups_of(items, a.subsets)
    results = []
    for g in names:
        its = groups[g]
        qs = [it["strong"] for it in its]
        qw = [it["weak"] for it in its]
        res = {"set": g, "n": len(its), "q_strong": sum(qs) / len(qs),
               "q_weak": sum(qw) / len(qw), "scorers": {}}
        res["scorers"]["random"] = evaluate_random(len(its), qs, qw, a.random_draws, a.seed)
        for name, sc in scorers.items():
            res["scorers"][name] = evaluate([sc[it["id"]] for it in its], qs, qw)
        results.append(res)

    out = sys.stdout
    out.write("labels: strong = %s; weak = mean of the models below; rows kept/read:\n" % STRONG)
    for name, st in stats.items():
        out.write("  %-11s %4d/%-4d (skipped %d)  weak: %s\n" % (
            name, st["kept"], st["rows"], st["skipped"], ", ".join(st["weak"])))
    out.write("random = mean over %d seeded draws (+- sd of APGR); length = "
              "prompt characters\n\n" % a.random_draws)
    print_table(results, out)
    if a.curves:
        for g in results:
            for sc, r in g["scorers"].items():
                if "curve" in r:
                    out.write("%s %s: %s\n" % (g["set"], sc, " ".join(
                        "(%.1f,%.4f)" % p for p in r["curve"])))
        out.write("\n")
    for n in notes:
        out.write("note: " + n + "\n")

    if a.json:
        doc = {"data": os.path.abspath(a.data), "strong": STRONG,
               "labels": stats, "notes": notes, "results": results}
        if a.json == "-":
            json.dump(doc, sys.stdout, indent=1)
            sys.stdout.write("\n")
        else:
            with open(a.json, "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=1)
                f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
