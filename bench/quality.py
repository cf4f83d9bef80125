#!/usr/bin/env python3
"""Router quality benchmark: APGR and CPT on the shared labelled prompts.

Python 3 standard library only.  Usage (from anywhere):

    python3 bench/quality.py                 # random, length, and ./llmroute if built
    python3 bench/quality.py --no-cmd        # random and length only
    python3 bench/quality.py --cmd './llmroute -n --jsonl --format json'
    python3 bench/quality.py --scores out.jsonl    # score a saved router output
    python3 bench/quality.py --json results.json   # also write machine-readable results
    python3 bench/quality.py --dump /tmp/labels    # write the labelled sets, then go on
    python3 bench/quality.py --robust --bootstrap 200 --markdown /tmp/r.md
    python3 bench/quality.py --fit-builtin /tmp/model.json   # the recipe's model file
    python3 bench/quality.py --selftest

Data
----
Read-only, from <script dir>/../../shared/data (override with --data DIR);
see its README.md.  The data is never copied into the repository: --dump
refuses a directory inside the repository.

Labels (q_strong, q_weak per prompt, both in [0, 1])
----------------------------------------------------
Strong model S = gpt-4-1106-preview for routerbench, arena and alpacaeval
(mmlupro and theoremqa have their own, below).  Weak W = the average over
a few weak models that those three sources share (README: Mixtral 8x7B,
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

* mmlupro (mmlupro-nonmmlu.jsonl, key "correct", 0/1 per model, the
  questions of MMLU-Pro that are not from MMLU):
  S = "gpt-4o-2024-05-13";
  W = "Mixtral-8x7B-Instruct-v0.1", "Meta-Llama-3.1-8B-Instruct",
      "Qwen1.5-72B-Chat", "gemini-1.5-flash-002", where present (13 rows
      lack gemini-1.5-flash-002; their q_weak is the mean of the other three).
  q_strong = S correctness; q_weak = mean of the W values present.
  Subsets: the `src` prefix before the first "-" (stemez, theoremQA,
  scibench) and, separately, `category` (biology, business, ...).
* theoremqa (theoremqa.jsonl, key "correct", 0/1; the TheoremQA questions
  not already in the MMLU-Pro file):
  S = "GPT4"; W = "ChatGPT", "GPT3.5", "anthropic_instant-v1" (the
  program-of-thought "_PoT" entries are other prompting, not other models).
  q_strong = S correctness; q_weak = mean of the three.

A row is skipped when S or any chosen W model lacks a numeric score (None,
empty string, missing key), except that mmlupro needs only one W: routerbench
has 20 such ARC rows (8 with every model empty, 12 with gpt-3.5-turbo-1106
empty), arena has a few, the others none.  --dump writes <source>.jsonl
(routerbench, arena, alpacaeval, mmlupro, theoremqa) and all.jsonl, one
{"id", "prompt", "strong", "weak", "source", "subset"} a line (mmlupro rows
also "category"; subset is its src prefix).

The soft needs-strong label (needs_strong(), used by the recipe's logistic
fit) follows the data README: for the 1/0 sources "strong right, weak
wrong", which with a soft q_weak is max(0, q_strong - q_weak); for arena the
grade gap over 2 points of the 1-10 scale, clipped to [0, 1].  Skipped counts are printed.  Ids are "<source>-<n>" with n the
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
* --scores [NAME=]FILE (repeatable): the same JSON Lines output read from a
  file, shown as NAME (default file:BASENAME).
* heuristic, builtin (--robust): --llmroute (default ./llmroute) run once
  per scorer over every prompt, `-n --jsonl -f json --explain --no-log -c
  CONF`, CONF a temporary configuration {"scorer": {"name": "heuristic"}}
  (or "builtin"); the score is explain.logit, which ranks as the printed
  score does without its rounding to 4 decimals.  The same run gives the
  features (explain.features) that the recipe uses.
* old-builtin, or any earlier build: build it outside the repository and
  save its builtin logit for every labelled prompt, then pass the file:
      git worktree add /tmp/old 9c4cca1 && make -C /tmp/old -s
      python3 bench/quality.py --llmroute /tmp/old/llmroute \
          --save-builtin /work/old-builtin-scores.jsonl
      python3 bench/quality.py --robust \
          --scores old-builtin=/work/old-builtin-scores.jsonl
  (9c4cca1 is the main commit whose built-in weights were fitted on
  routerbench and arena only.)
* recipe (--robust, --fit-builtin): s = length + a math + c (min(code,1) +
  min(reasoning,1) + min(domain,1)), the features as llmroute computes
  them.  (a, c) on the grid 0, 0.25, ..., 3 maximise the mean over the fit
  sources' deciding sets (each routerbench eval_name, arena, each mmlupro
  src prefix and each category, theoremqa) of APGR(s) - APGR(length), each
  set weighted by the inverse of its noise (the variance of length's APGR
  on it over 100 seeded bootstrap resamples), so that small sets with a
  tiny quality gap, whose figures swing by 0.3, do not decide; ties go to
  the smaller a + c, then the smaller a.  Then b, k of logit = b + k s
  such that the default tier bounds 0.22 and 0.33 split the Arena-Hard
  prompts 30/40/30: that sets the tier shares, not the ranking (a k <= 0
  would reverse the ranking; --fit-builtin refuses to write such a
  model).  --fit-builtin OUT writes
  {"llmroute_model": 2, "about", "features" (llmroute's 12, in its order),
  "bias": b, "weights": k for length, k a for math, k c for code,
  reasoning and domain, 0 for the rest, "caps": {"code": 1, "reasoning":
  1, "domain": 1}, "hash_bits": 0, "ngrams": []}; llmroute applies a
  feature's cap, min(value, cap), before its weight.  Fitted only on
  routerbench, arena, mmlupro and theoremqa (--fit-sources, a subset of
  these); alpacaeval is validation only.
* train (--robust): today's learner, `llmroute train --prior heuristic
  --prior-l2 1 --hash-bits 14 --seed 1` on the fit sources' labels (in a
  temporary directory), scored with --scorer-model.

Robustness (--robust)
---------------------
Rows are deciding sets, each scored alone:
* leaf:SET for every subset: routerbench/<eval_name>, arena, alpacaeval
  (validation), mmlupro/src/<prefix>, mmlupro/category/<category>,
  theoremqa.  The recipe and train are fitted on all four fit sources, so
  a leaf of those is in-sample for them (and routerbench and arena are for
  the builtin of 9c4cca1).
* loso:X for X in routerbench, arena, mmlupro, theoremqa: the recipe and
  train refitted without X, scored on X's prompts; random, length,
  heuristic, builtin and --scores have nothing to refit and are just
  scored on X.  loso:X/SUBSET rows score X's subsets under that refit; they
  are shown but not counted in the summary.
Columns: n, APGR of random (mean +- sd over --random-draws seeded draws),
length, heuristic, the --scores files, builtin, recipe, train, and for
builtin and recipe the paired bootstrap difference to length.

Noise: a paired bootstrap over prompts.  --bootstrap B (default 200)
resamples of a set's prompts with replacement, seeded from --seed and the
set's name (a run is repeatable); on each resample every scorer and length
are scored on the same prompts and APGR(scorer) - APGR(length) is kept
(random draws a fresh seeded score vector per resample).  Reported: the
mean and the 2.5 and 97.5 percentiles.  A scorer counts as below length on
a set only when the 97.5 percentile is under 0.  The summary gives per
scorer the mean APGR over the leaf and loso sets, the mean difference to
length, the number of those sets where it is not below length, and the
APGR on all five sources pooled, which is printed but decides nothing:
pooled figures reward telling the sources apart.  --markdown FILE writes
the report, --json FILE all of it.  Temporary files go to the system's
temporary directory; nothing is cached in the repository.
"""

import argparse
import ast
import bisect
import itertools
import json
import math
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time

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
    ("mmlupro", "mmlupro-nonmmlu.jsonl", "correct", "gpt-4o-2024-05-13",
     ["Mixtral-8x7B-Instruct-v0.1", "Meta-Llama-3.1-8B-Instruct",
      "Qwen1.5-72B-Chat", "gemini-1.5-flash-002"]),
    ("theoremqa", "theoremqa.jsonl", "correct", "GPT4",
     ["ChatGPT", "GPT3.5", "anthropic_instant-v1"]),
]
ALPACA_STRONG_NAME = "gpt4_1106_preview"   # the file's "strong_model" field
# Sources whose weak quality is the mean over the weak models a row has
# (at least one); the others skip a row that lacks any of them.
WEAK_WHERE_PRESENT = ("mmlupro",)
# The sources the shipped weights may be fitted on; alpacaeval validates.
FIT_SOURCES = ["routerbench", "arena", "mmlupro", "theoremqa"]


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


def label_row(name, row, strong_key, weak_keys, key):
    """The label of one parsed row of source name: (q_strong, q_weak,
    subset, category), or None when the row is to be skipped."""
    d = row.get(key)
    if not isinstance(d, dict):
        return None
    ws = [_num(d.get(k)) for k in weak_keys]
    if name in WEAK_WHERE_PRESENT:
        ws = [w for w in ws if w is not None]
        if not ws:
            return None
    elif any(w is None for w in ws):
        return None
    category = ""
    if name == "alpacaeval":
        if row.get("strong_model", ALPACA_STRONG_NAME) != ALPACA_STRONG_NAME:
            return None
        if any(not 1.0 <= w <= 2.0 for w in ws):
            return None
        qw = sum(w - 1.0 for w in ws) / len(ws)
        return 1.0 - qw, qw, row.get("source", ""), category
    s = _num(d.get(strong_key))
    if s is None:
        return None
    qw = sum(ws) / len(ws)
    if name == "arena":
        return s / 10.0, qw / 10.0, "", category
    if name == "mmlupro":
        src = row.get("src")
        if not isinstance(src, str) or not src:
            return None
        category = row.get("category") if isinstance(row.get("category"), str) else ""
        return s, qw, src.split("-", 1)[0], category
    if name == "theoremqa":
        return s, qw, "", category
    return s, qw, row.get("eval_name", ""), category


def load_labels(data_dir, raw_prompts=False):
    """Return (items, stats).  items: dicts id, source, subset, category,
    prompt, strong, weak.  stats: per source rows / kept / skipped counts."""
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
                lab = None
                if isinstance(prompt, str) and prompt.strip() and isinstance(row, dict):
                    lab = label_row(name, row, strong_key, weak_keys, key)
                if lab is None:
                    st["skipped"] += 1
                    continue
                qs, qw, subset, category = lab
                if name == "routerbench" and not raw_prompts:
                    prompt = _unwrap_prompt(prompt)
                items.append({"id": "%s-%d" % (name, lineno), "source": name,
                              "subset": subset, "category": category,
                              "prompt": prompt, "strong": qs, "weak": qw})
                st["kept"] += 1
        stats[name] = st
    return items, stats


def needs_strong(it):
    """The soft needs-strong label of the data README, in [0, 1]: for the
    1/0 sources strong right and weak wrong, which with a soft weak mean is
    q_strong - q_weak floored at 0 (= q_strong (1 - q_weak) when q_strong
    is 1/0); for arena the grade gap over 2 points of the 1-10 scale,
    clipped (a gap of 2 or more is a clear need); for alpacaeval the gap."""
    span = 0.2 if it["source"] == "arena" else 1.0
    y = (it["strong"] - it["weak"]) / span
    return 0.0 if y < 0 else 1.0 if y > 1 else y


# --------------------------------------------------------------- metrics

def _lerp(a, b, t):
    """numpy's _lerp: a + (b-a)t for t < 0.5, b - (b-a)(1-t) otherwise."""
    d = b - a
    if t >= 0.5:
        return b - d * (1.0 - t)
    return a + d * t


def quantile_edges(scores, k=10):
    """The k+1 edges at levels i/k, numpy.quantile(method='linear')."""
    return _edges_sorted(sorted(scores), k)


def _edges_sorted(a, k=10):
    """quantile_edges of an already sorted list."""
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


def apgr_fast(scores, diff, q_s, q_w):
    """APGR of scores on a set whose per-prompt q_strong - q_weak are diff
    and whose mean qualities are q_s, q_w: the same numbers as
    evaluate()["apgr"] (the same edges and tie rule), from one sort and a
    running sum instead of a pass per edge.  None when q_s == q_w."""
    n = len(scores)
    if n == 0 or n != len(diff):
        raise ValueError("scores and labels must be non-empty and aligned")
    if q_s == q_w:
        return None
    order = sorted(range(n), key=scores.__getitem__)
    a = [scores[i] for i in order]
    top = list(itertools.accumulate(diff[i] for i in reversed(order)))
    edges = _edges_sorted(a)
    pts = []
    for j, e in enumerate(edges):
        ns = n - (bisect.bisect_right(a, e) if j == len(edges) - 1
                  else bisect.bisect_left(a, e))
        pts.append((ns / n, q_w + (top[ns - 1] / n if ns else 0.0)))
    pts.sort(key=lambda p: p[0])
    xs = [x for x, _ in pts]
    ys = [y for _, y in pts]
    span = xs[-1] - xs[0]
    return (_trapz(ys, xs) - q_w * span) / ((q_s - q_w) * span) if span else None


class LabelSet:
    """The labels of one set of prompts, in the form apgr_fast wants."""

    def __init__(self, name, items):
        self.name = name
        self.items = items
        self.ids = [it["id"] for it in items]
        self.diff = [it["strong"] - it["weak"] for it in items]
        self.q_s = sum(it["strong"] for it in items) / len(items)
        self.q_w = sum(it["weak"] for it in items) / len(items)

    def apgr(self, sc):
        """APGR of scorer sc (dict id -> score) on this set."""
        return apgr_fast([sc[i] for i in self.ids], self.diff, self.q_s, self.q_w)


def _pct(v, p):
    """The p-quantile (0..1) of a sorted list, numpy's 'linear' method."""
    if not v:
        return None
    h = p * (len(v) - 1)
    lo = int(math.floor(h))
    if lo >= len(v) - 1:
        return v[-1]
    return _lerp(v[lo], v[lo + 1], h - lo)


def bootstrap_diff(ls, cands, base, reps, seed):
    """Paired bootstrap of APGR(candidate) - APGR(base) on LabelSet ls.

    cands: dict name -> dict id -> score, or the string "random" for a fresh
    seeded uniform draw on every resample.  base: dict id -> score.  Each
    of reps resamples draws len(ls) prompts with replacement (random.Random
    seeded from seed and the set's name, so a run is repeatable) and scores
    every candidate and the base on the same resample.  A resample whose
    q_strong equals its q_weak (APGR undefined) is drawn again, at most
    reps times in all.  Returns name -> {"mean", "lo" (2.5 %), "hi"
    (97.5 %), "reps"}; "below" is hi < 0."""
    rng = random.Random("%d:%s" % (seed, ls.name))
    n = len(ls.ids)
    base_v = [base[i] for i in ls.ids]
    vecs = {k: ("random" if v == "random" else [v[i] for i in ls.ids])
            for k, v in cands.items()}
    deltas = {k: [] for k in cands}
    done = tries = 0
    while done < reps and tries < 2 * reps:
        tries += 1
        idx = rng.choices(range(n), k=n)
        diff = [ls.diff[i] for i in idx]
        q_s = sum(ls.items[i]["strong"] for i in idx) / n
        q_w = sum(ls.items[i]["weak"] for i in idx) / n
        if q_s == q_w:
            continue
        b = apgr_fast([base_v[i] for i in idx], diff, q_s, q_w)
        for k, v in vecs.items():
            sv = ([rng.random() for _ in range(n)] if v == "random"
                  else [v[i] for i in idx])
            deltas[k].append(apgr_fast(sv, diff, q_s, q_w) - b)
        done += 1
    out = {}
    for k, d in deltas.items():
        d.sort()
        out[k] = {"mean": _mean(d), "lo": _pct(d, 0.025), "hi": _pct(d, 0.975),
                  "reps": len(d),
                  "below": bool(d) and _pct(d, 0.975) < 0}
    return out


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


def _feed(items):
    return "".join(json.dumps({"id": it["id"], "prompt": it["prompt"]},
                              ensure_ascii=False) + "\n" for it in items).encode("utf-8")


def run_explain(llmroute, items, timeout, scorer=None, model=None):
    """Score every item with `llmroute -n --jsonl -f json --explain`, in one
    process: the compiled-in scorer `scorer` (builtin, heuristic, length),
    chosen by a configuration file with "scorer": {"name": ...} in a
    temporary directory, or the model file `model` (--scorer-model).
    Returns (logits: id -> explain.logit, features: id -> {name: value},
    feature names in llmroute's order).  The logit orders prompts as the
    score does, without the score's rounding to 4 decimals.  Raises
    RuntimeError with a one-line message."""
    exe = llmroute if os.path.isabs(llmroute) else os.path.join(REPO_ROOT, llmroute)
    if not os.path.exists(exe):
        raise RuntimeError("router not found: %s (build it first)" % exe)
    argv = [exe, "-n", "--jsonl", "-f", "json", "--explain", "--no-log"]
    with tempfile.TemporaryDirectory(prefix="llmroute-quality-") as tmp:
        if model is not None:
            argv += ["--scorer-model", model]
        else:
            conf = os.path.join(tmp, "config.json")
            with open(conf, "w", encoding="utf-8") as f:
                json.dump({"scorer": {"name": scorer or "builtin"}}, f)
            argv += ["-c", conf]
        try:
            proc = subprocess.run(argv, input=_feed(items), cwd=REPO_ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise RuntimeError("%s: %s" % (exe, e))
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError("%s exited with status %d%s" % (
            " ".join(argv), proc.returncode, (": " + err[-1]) if err else ""))
    logits, feats, names = {}, {}, None
    for ln, line in enumerate(proc.stdout.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            ex = obj["explain"]
            fl = ex["features"]
            logits[str(obj["id"])] = float(ex["logit"])
            feats[str(obj["id"])] = {f["name"]: float(f["value"]) for f in fl}
        except (ValueError, KeyError, TypeError) as e:
            raise RuntimeError("router output line %d: no explain.logit / "
                               "features (%s)" % (ln, e))
        if names is None:
            names = [f["name"] for f in fl]
    msg = check_coverage(scorer or "model", logits, items)
    if msg:
        raise RuntimeError(msg)
    return logits, feats, names


def run_train(llmroute, items, tmp, tag, timeout):
    """today's learner: `llmroute train --prior heuristic --prior-l2 1
    --hash-bits 14 --seed 1` on the labels of items (written to tmp);
    returns the model file's path."""
    exe = llmroute if os.path.isabs(llmroute) else os.path.join(REPO_ROOT, llmroute)
    labels = os.path.join(tmp, "train-%s.jsonl" % tag)
    model = os.path.join(tmp, "model-%s.json" % tag)
    with open(labels, "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps({"id": it["id"], "prompt": it["prompt"],
                                "strong": it["strong"], "weak": it["weak"],
                                "source": it["source"]}, ensure_ascii=False) + "\n")
    argv = [exe, "train", "--prior", "heuristic", "--prior-l2", "1",
            "--hash-bits", "14", "--seed", "1", "-q", "-o", model, labels]
    try:
        proc = subprocess.run(argv, cwd=REPO_ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise RuntimeError("%s: %s" % (exe, e))
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError("llmroute train exited with status %d%s" % (
            proc.returncode, (": " + err[-1]) if err else ""))
    return model


# ---------------------------------------------------------------- recipe

GRID = [i * 0.25 for i in range(13)]          # 0, 0.25, ..., 3
CAPPED = ("code", "reasoning", "domain")       # each min(value, 1)
FEATURE_NAMES = ["length", "sentences", "questions", "code", "math", "reasoning",
                 "multipart", "constraints", "domain", "simple", "choice",
                 "nonenglish"]


def recipe_parts(feats, ids):
    """(length, math, capped sum) per id, the three terms of the recipe."""
    return {i: (feats[i]["length"], feats[i]["math"],
                sum(min(feats[i][k], 1.0) for k in CAPPED)) for i in ids}


def recipe_scores(parts, a, c):
    """s = length + a math + c (min(code,1) + min(reasoning,1) + min(domain,1))."""
    return {i: p[0] + a * p[1] + c * p[2] for i, p in parts.items()}


def leaf_sets(items, sources=None):
    """The sets a scorer is judged on one at a time, in a fixed order:
    routerbench by eval_name, arena, alpacaeval, mmlupro by src prefix and
    by category, theoremqa.  [(name, items)]; sources limits the sources."""
    out = []
    for src in [x[0] for x in SOURCES]:
        if sources is not None and src not in sources:
            continue
        its = [it for it in items if it["source"] == src]
        if not its:
            continue
        if src == "routerbench":
            for sub in sorted({it["subset"] for it in its}):
                out.append(("routerbench/" + sub, [it for it in its if it["subset"] == sub]))
        elif src == "mmlupro":
            for sub in sorted({it["subset"] for it in its}):
                out.append(("mmlupro/src/" + sub, [it for it in its if it["subset"] == sub]))
            for cat in sorted({it["category"] for it in its}):
                out.append(("mmlupro/category/" + cat,
                            [it for it in its if it["category"] == cat]))
        else:
            out.append((src, its))
    return out


# The default tier bounds (src/route/config.c) and the shares of the
# Arena-Hard prompts, real users' questions, that they are to split:
# 30 % small, 40 % medium, 30 % large.
DEFAULT_BOUNDS = (0.22, 0.33)
ARENA_SHARES = (0.30, 0.70)
NOISE_DRAWS = 100           # resamples that measure a set's noise
NOISE_SEED = 7


def set_noise(ls, chars, draws=NOISE_DRAWS, seed=NOISE_SEED):
    """The variance of length's APGR on LabelSet ls over seeded bootstrap
    resamples of its prompts: how noisy a figure on this set is."""
    rng = random.Random("%s:%s" % (seed, ls.name))
    n, v = len(ls.ids), []
    for _ in range(draws):
        sub = LabelSet(ls.name, [ls.items[rng.randrange(n)] for _ in range(n)])
        a = sub.apgr(chars)
        if a is not None:
            v.append(a)
    m = sum(v) / len(v)
    return max(sum((x - m) ** 2 for x in v) / (len(v) - 1), 1e-12)


def _logit(p):
    return math.log(p / (1 - p))


def scale_to_bounds(items, sc):
    """(b, k) of logit = b + k s that send ARENA_SHARES of the Arena-Hard
    prompts (of all items when there are none) below each DEFAULT_BOUNDS:
    the scale sets the tier shares, never the ranking.  None when the two
    quantiles are equal."""
    xs = sorted(sc[it["id"]] for it in items if it["source"] == "arena")
    if not xs:
        xs = sorted(sc[it["id"]] for it in items)
    lo, hi = (_pct(xs, q) for q in ARENA_SHARES)
    if not xs or hi <= lo:
        return None
    k = (_logit(DEFAULT_BOUNDS[1]) - _logit(DEFAULT_BOUNDS[0])) / (hi - lo)
    return _logit(DEFAULT_BOUNDS[0]) - k * lo, k


def fit_recipe(items, feats, sources, grid=None):
    """The built-in recipe fitted on the items of sources.

    (a, c) on the grid maximise the precision-weighted mean over the
    deciding sets (leaf_sets of sources) of APGR(s) - APGR(length in
    characters): each set weighs the inverse of its noise (set_noise), so
    that a set whose figure swings by 0.3 between resamples cannot decide
    against sets that swing by 0.02.  Ties (within 1e-12) go to the smaller
    a + c, then the smaller a.  Then b, k by scale_to_bounds over all the
    items (the scale does not change the ranking).  Returns a dict a, c,
    k, b, objective (that mean), sets (their names), n."""
    grid = GRID if grid is None else grid
    sets = [LabelSet(n, its) for n, its in leaf_sets(items, sources)]
    if not sets:
        raise ValueError("no labelled prompts in the fit sources %s" % ", ".join(sources))
    fit_items = [it for it in items if it["source"] in sources]
    parts = recipe_parts(feats, [it["id"] for it in fit_items])
    chars = {it["id"]: float(len(it["prompt"])) for it in fit_items}
    base = [ls.apgr(chars) for ls in sets]
    wts = [1.0 / set_noise(ls, chars) for ls in sets]
    best = None
    for a in grid:
        for c in grid:
            sc = recipe_scores(parts, a, c)
            gains = [w * (ls.apgr(sc) - b0) for ls, b0, w in zip(sets, base, wts)]
            obj = sum(gains) / sum(wts)
            key = (-obj, a + c, a)
            if best is None or obj > best[0] + 1e-12 or (
                    abs(obj - best[0]) <= 1e-12 and key[1:] < best[1][1:]):
                best = (obj, key, a, c)
    obj, _, a, c = best
    allparts = recipe_parts(feats, [it["id"] for it in items if it["id"] in feats])
    bk = scale_to_bounds(items, recipe_scores(allparts, a, c))
    b, k = bk if bk is not None else (0.0, 0.0)
    return {"a": a, "c": c, "k": k, "b": b, "objective": obj,
            "sets": [ls.name for ls in sets], "sources": list(sources),
            "n": len(fit_items)}


def _sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def model_doc(fit, names=None):
    """The version 2 model file of a fitted recipe (fit_recipe's result)."""
    names = list(names or FEATURE_NAMES)
    w = {n: 0.0 for n in names}
    k, a, c = fit["k"], fit["a"], fit["c"]
    w["length"] = k
    w["math"] = k * a
    for n in CAPPED:
        w[n] = k * c
    about = ("bench/quality.py recipe: logit = b + k (length + %g math + %g "
             "(min(code,1) + min(reasoning,1) + min(domain,1))); fitted on %s "
             "of ../shared/data (%d prompts, bench/quality.py labels); "
             "alpacaeval not used" % (a, c, ", ".join(fit["sources"]), fit["n"]))
    return {"llmroute_model": 2, "about": about, "features": names,
            "bias": fit["b"], "weights": [w[n] for n in names],
            "caps": {n: 1 for n in CAPPED}, "hash_bits": 0, "ngrams": []}


def write_model(path, fit, names=None):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(model_doc(fit, names), f, indent=1)
        f.write("\n")


# ---------------------------------------------------------------- report

def groups_of(items, subsets):
    order, groups = [], {}
    for it in items:
        keys = [it["source"]]
        if subsets and it["source"] == "mmlupro":
            keys += ["mmlupro/src/" + it["subset"], "mmlupro/category/" + it["category"]]
        elif subsets and it["subset"]:
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
    _outside_repo(d, "--dump")
    os.makedirs(d, exist_ok=True)
    files = {}
    try:
        for it in items:
            for fn in (it["source"] + ".jsonl", "all.jsonl"):
                if fn not in files:
                    files[fn] = open(os.path.join(d, fn), "w", encoding="utf-8")
                rec = {"id": it["id"], "prompt": it["prompt"], "strong": it["strong"],
                       "weak": it["weak"], "source": it["source"],
                       "subset": it["subset"]}
                if it["source"] == "mmlupro":
                    rec["category"] = it["category"]
                files[fn].write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        for f in files.values():
            f.close()
    sys.stderr.write("wrote %d labelled prompts to %s (%s)\n"
                     % (len(items), d, ", ".join(sorted(files))))


# ------------------------------------------------------------ robustness

def robust_rows(items):
    """The rows of the robustness report: [(name, kind, items, holdout)].
    kind "leaf": a subset scored alone (the recipe and train fitted on all
    fit sources); "loso": a fit source left out of the fit and scored;
    "loso-sub": a subset of that left-out source, scored by the same refit
    (shown, not counted in the summary).  holdout is the left-out source."""
    rows = [("leaf:" + n, "leaf", its, None) for n, its in leaf_sets(items)]
    for src in FIT_SOURCES:
        its = [it for it in items if it["source"] == src]
        if not its:
            continue
        rows.append(("loso:" + src, "loso", its, src))
        subs = leaf_sets(items, [src])
        if len(subs) > 1:
            rows += [("loso:" + n, "loso-sub", s_its, src) for n, s_its in subs]
    return rows


def robust(items, a, out):
    """Build, print and return the robustness report (see the docstring)."""
    t0 = time.time()
    chars = {it["id"]: float(len(it["prompt"])) for it in items}
    fixed = {}                                  # scorer -> id -> score
    builtin, feats, names = run_explain(a.llmroute, items, a.timeout, "builtin")
    fixed["heuristic"] = run_explain(a.llmroute, items, a.timeout, "heuristic")[0]
    for name, sc in load_candidates(a.scores, items):
        fixed[name] = sc
    fixed["builtin"] = builtin
    holdouts = [None] + [s for s in FIT_SOURCES if any(it["source"] == s for it in items)]
    fits, recipe, train = {}, {}, {}
    with tempfile.TemporaryDirectory(prefix="llmroute-quality-") as tmp:
        for h in holdouts:
            srcs = [s for s in FIT_SOURCES if s != h]
            fits[h] = fit_recipe(items, feats, srcs)
            parts = recipe_parts(feats, [it["id"] for it in items])
            recipe[h] = recipe_scores(parts, fits[h]["a"], fits[h]["c"])
            fit_items = [it for it in items if it["source"] in srcs]
            model = run_train(a.llmroute, fit_items, tmp, h or "all", a.timeout)
            train[h] = run_explain(a.llmroute, items, a.timeout, model=model)[0]
    cols = (["random", "length"] + [k for k in fixed] + ["recipe", "train"])
    boot_cols = [c for c in cols if c != "length"]
    rows = []
    for name, kind, its, h in robust_rows(items):
        ls = LabelSet(name, its)
        res = {"set": name, "kind": kind, "n": len(its), "holdout": h, "apgr": {}}
        draws = []
        for d in range(a.random_draws):
            rng = random.Random(a.seed + d)
            draws.append(apgr_fast([rng.random() for _ in its], ls.diff, ls.q_s, ls.q_w))
        res["apgr"]["random"] = _mean(draws)
        res["random_sd"] = _sd(draws)
        res["apgr"]["length"] = ls.apgr(chars)
        for k, sc in fixed.items():
            res["apgr"][k] = ls.apgr(sc)
        res["apgr"]["recipe"] = ls.apgr(recipe[h])
        res["apgr"]["train"] = ls.apgr(train[h])
        cands = {k: ("random" if k == "random" else
                     recipe[h] if k == "recipe" else train[h] if k == "train"
                     else fixed[k]) for k in boot_cols}
        res["boot"] = bootstrap_diff(ls, cands, chars, a.bootstrap, a.seed)
        rows.append(res)
    pooled = LabelSet("pooled", items)
    pool = {"random": _mean([apgr_fast([random.Random(a.seed + d).random() for _ in items],
                                       pooled.diff, pooled.q_s, pooled.q_w)
                             for d in range(a.random_draws)]),
            "length": pooled.apgr(chars)}
    for k, sc in fixed.items():
        pool[k] = pooled.apgr(sc)
    pool["recipe"] = pooled.apgr(recipe[None])
    pool["train"] = pooled.apgr(train[None])
    summary = {}
    counted = [r for r in rows if r["kind"] in ("leaf", "loso")]
    for c in cols:
        summary[c] = {
            "mean": _mean([r["apgr"][c] for r in counted]),
            "mean_minus_length": _mean([r["apgr"][c] - r["apgr"]["length"]
                                        for r in counted]),
            "not_below": (None if c == "length" else
                          sum(1 for r in counted if not r["boot"][c]["below"])),
            "sets": len(counted), "pooled": pool[c]}
    doc = {"bootstrap": a.bootstrap, "seed": a.seed, "random_draws": a.random_draws,
           "columns": cols, "fits": {str(h or "all"): f for h, f in fits.items()},
           "rows": rows, "summary": summary, "seconds": round(time.time() - t0, 1)}
    md = robust_markdown(doc)
    out.write(md)
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write(md)
    return doc


def _cell_delta(b):
    if b["mean"] is None:
        return "-"
    return "%+.3f [%+.3f, %+.3f]%s" % (b["mean"], b["lo"], b["hi"],
                                        " **below**" if b["below"] else "")


def robust_markdown(doc):
    cols = doc["columns"]
    lines = ["APGR per set (higher is better).  random: mean +- sd over %d seeded "
             "draws.  builtin - length, recipe - length: paired bootstrap over the "
             "set's prompts, %d resamples, mean [2.5 %%, 97.5 %%]; **below** = the "
             "97.5 %% point is under 0.  leaf: a subset scored alone (recipe and "
             "train fitted on all of %s); loso:X: X left out of the recipe's and "
             "train's fit and scored (the other columns have nothing to refit); "
             "loso:X/...: X's subsets under that refit (not counted below)."
             % (doc["random_draws"], doc["bootstrap"], ", ".join(FIT_SOURCES)), ""]
    hdr = ["set", "n"] + cols + ["builtin - length", "recipe - length"]
    lines.append("| " + " | ".join(hdr) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(hdr) - 1)) + "|")
    for r in doc["rows"]:
        cells = [r["set"] + (" (validation)" if r["set"] == "leaf:alpacaeval" else ""),
                 str(r["n"])]
        for c in cols:
            v = _f(r["apgr"][c], "%.3f")
            if c == "random" and r.get("random_sd") is not None:
                v += " +-%.3f" % r["random_sd"]
            cells.append(v)
        cells += [_cell_delta(r["boot"]["builtin"]), _cell_delta(r["boot"]["recipe"])]
        lines.append("| " + " | ".join(cells) + " |")
    sm = doc["summary"]
    n = sm["length"]["sets"]
    lines += ["", "Summary over the %d leaf and loso sets (alpacaeval included, as "
              "validation):" % n, "",
              "| scorer | mean APGR | mean - length | sets not below length "
              "(bootstrap) | pooled APGR, all five sources (not deciding) |",
              "|---|---:|---:|---:|---:|"]
    for c in cols:
        s = sm[c]
        nb = "-" if s["not_below"] is None else "%d/%d" % (s["not_below"], n)
        lines.append("| %s | %s | %s | %s | %s |" % (
            c, _f(s["mean"], "%.4f"), _f(s["mean_minus_length"], "%+.4f"), nb,
            _f(s["pooled"], "%.4f")))
    lines += ["", "Recipe fits (s = length + a math + c (min(code,1) + "
              "min(reasoning,1) + min(domain,1)); logit = b + k s):", ""]
    for h, f in doc["fits"].items():
        lines.append("- %s: a = %g, c = %g, k = %.4f, b = %.4f, mean gain over "
                     "length on its %d fit sets %+.4f (n = %d)" % (
                         "all fit sources" if h == "all" else "without " + h,
                         f["a"], f["c"], f["k"], f["b"], len(f["sets"]),
                         f["objective"], f["n"]))
    lines += ["", "(%.0f s)" % doc["seconds"], ""]
    return "\n".join(lines)


def load_candidates(specs, items):
    """--scores [NAME=]FILE: [(name, id -> score)], each covering items."""
    out = []
    for spec in specs:
        name, fn = None, spec
        head, sep, tail = spec.partition("=")
        if sep and head and os.sep not in head:
            name, fn = head, tail
        name = name or "file:" + os.path.basename(fn)
        try:
            with open(fn, encoding="utf-8") as f:
                sc = parse_scores(f, fn)
        except (OSError, ValueError) as e:
            raise RuntimeError("%s: %s" % (name, e))
        msg = check_coverage(name, sc, items)
        if msg:
            raise RuntimeError(msg)
        out.append((name, sc))
    return out


def _outside_repo(path, opt):
    real = os.path.realpath(os.path.abspath(path))
    root = os.path.realpath(REPO_ROOT)
    if real == root or real.startswith(root + os.sep):
        raise SystemExit("%s %s is inside the repository; use a path outside "
                         "it (e.g. under /tmp)" % (opt, path))


def save_builtin(llmroute, items, path, timeout):
    """Write the builtin scorer's logit of every item as {"id", "score"}."""
    _outside_repo(path, "--save-builtin")
    logits = run_explain(llmroute, items, timeout, "builtin")[0]
    with open(path, "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps({"id": it["id"], "score": logits[it["id"]]}) + "\n")
    sys.stderr.write("wrote %d builtin scores of %s to %s\n" % (len(items), llmroute, path))


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

    selftest_labels(check, close)
    selftest_robust(check, close)

    if fails:
        print("selftest FAILED: " + ", ".join(fails))
        return 1
    print("selftest ok")
    return 0


def selftest_labels(check, close):
    """The label rules of mmlupro, theoremqa and needs_strong()."""
    _, _, key, sk, wk = SOURCES[3]
    row = {"src": "theoremQA-Finance", "category": "business",
           "correct": {"gpt-4o-2024-05-13": 1, "Mixtral-8x7B-Instruct-v0.1": 0,
                       "Meta-Llama-3.1-8B-Instruct": 1, "Qwen1.5-72B-Chat": 0}}
    lab = label_row("mmlupro", row, sk, wk, key)
    check("mmlupro weak where present", lab is not None and close(lab[1], 1.0 / 3))
    check("mmlupro strong", lab is not None and lab[0] == 1.0)
    check("mmlupro subsets", lab is not None and lab[2:] == ("theoremQA", "business"))
    row["correct"]["gemini-1.5-flash-002"] = 1
    lab = label_row("mmlupro", row, sk, wk, key)
    check("mmlupro four weak", lab is not None and close(lab[1], 0.5))
    del row["correct"]["gpt-4o-2024-05-13"]
    check("mmlupro no strong", label_row("mmlupro", row, sk, wk, key) is None)
    _, _, key, sk, wk = SOURCES[4]
    row = {"correct": {"GPT4": 0, "ChatGPT": 1, "GPT3.5": 0, "anthropic_instant-v1": 1,
                       "GPT4_PoT": 1}}
    lab = label_row("theoremqa", row, sk, wk, key)
    check("theoremqa", lab is not None and lab[0] == 0.0 and close(lab[1], 2.0 / 3))
    del row["correct"]["GPT3.5"]
    check("theoremqa needs every weak", label_row("theoremqa", row, sk, wk, key) is None)
    _, _, key, sk, wk = SOURCES[0]
    row = {"eval_name": "mbpp", "correct": {k: 1 for k in [sk] + wk[:-1]}}
    check("routerbench needs every weak", label_row("routerbench", row, sk, wk, key) is None)
    row["correct"][wk[-1]] = 0
    check("routerbench", label_row("routerbench", row, sk, wk, key) == (1.0, 0.8, "mbpp", ""))
    check("needs 1/0", close(needs_strong({"source": "mmlupro", "strong": 1, "weak": 0.25}), .75)
          and needs_strong({"source": "theoremqa", "strong": 0, "weak": 0.5}) == 0.0)
    check("needs arena", close(needs_strong({"source": "arena", "strong": .8, "weak": .7}), .5)
          and needs_strong({"source": "arena", "strong": .9, "weak": .5}) == 1.0)


def _synthetic(n, seed):
    """Items and features where a prompt needs S exactly when its math
    feature or one of its capped features is 1; length is noise under .2."""
    rng = random.Random(seed)
    items, feats = [], {}
    for i in range(n):
        m, cd = rng.random() < .3, rng.random() < .3
        iid = "theoremqa-%d" % i
        need = m or cd
        items.append({"id": iid, "source": "theoremqa", "subset": "", "category": "",
                      "prompt": "x" * (1 + i % 7), "strong": 1.0,
                      "weak": 0.0 if need else 1.0})
        feats[iid] = {"length": rng.random() * .2, "math": float(m),
                      "code": 3.0 * cd, "reasoning": 0.0, "domain": 0.0}
    return items, feats


def selftest_robust(check, close):
    """apgr_fast, the bootstrap, the grid fit and the model file."""
    s, qs, qw = [0, 10, 10, 10, 20], [1, 1, 0, 1, 1], [1, 0, 1, 0, 0]
    check("fast APGR hand", close(apgr_fast(s, [a - b for a, b in zip(qs, qw)], .8, .4), .7))
    rng = random.Random(5)
    agree = True
    for _ in range(200):
        n = rng.randint(1, 30)
        s = [rng.choice([rng.random(), .5]) for _ in range(n)]
        qs = [rng.choice([0, 1, .3]) for _ in range(n)]
        qw = [rng.choice([0, 1]) for _ in range(n)]
        if abs(sum(qs) - sum(qw)) < 1e-6:
            continue
        r = evaluate(s, qs, qw)["apgr"]
        f = apgr_fast(s, [a - b for a, b in zip(qs, qw)], sum(qs) / n, sum(qw) / n)
        agree = agree and close(r, f, 1e-9 * max(1.0, abs(r)))
    check("fast APGR = evaluate", agree)

    items, feats = _synthetic(60, 3)
    ls = LabelSet("t", items)
    length = {it["id"]: float(len(it["prompt"])) for it in items}
    other = {it["id"]: feats[it["id"]]["math"] for it in items}
    b1 = bootstrap_diff(ls, {"same": dict(length), "m": other, "r": "random"}, length, 50, 7)
    b2 = bootstrap_diff(ls, {"same": dict(length), "m": other, "r": "random"}, length, 50, 7)
    check("bootstrap deterministic", b1 == b2)
    check("bootstrap identical = 0", b1["same"]["mean"] == 0 and b1["same"]["lo"] == 0
          and b1["same"]["hi"] == 0 and not b1["same"]["below"] and b1["same"]["reps"] == 50)
    check("bootstrap better > 0", b1["m"]["lo"] > 0 and not b1["m"]["below"])
    b3 = bootstrap_diff(ls, {"m": other}, length, 50, 8)
    check("bootstrap seed matters", b3["m"] != b1["m"])
    check("pct", _pct([0, 1, 2, 3, 4], .975) == 3.9 and _pct([2.0], .025) == 2.0)

    fit = fit_recipe(items, feats, ["theoremqa"], grid=[0, .25, .5, 1])
    check("grid fit a, c", (fit["a"], fit["c"]) == (.25, .25))
    check("grid fit k > 0", fit["k"] > 0 and fit["sets"] == ["theoremqa"])
    its = [{"id": str(i), "source": "arena"} for i in range(11)]
    b, k = scale_to_bounds(its, {str(i): float(i) for i in range(11)})
    check("scale: 30 % below the first bound, 70 % below the second",
          close(_sigmoid(b + 3 * k), DEFAULT_BOUNDS[0], 1e-12) and
          close(_sigmoid(b + 7 * k), DEFAULT_BOUNDS[1], 1e-12) and k > 0)
    check("scale: no spread, no scale",
          scale_to_bounds(its, {it["id"]: 1.0 for it in its}) is None)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.json")
        write_model(path, {"a": .5, "c": 2.0, "k": 2.0, "b": -1.0, "n": 60,
                           "sources": ["theoremqa"]})
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        check("model keys", sorted(m) == sorted(["llmroute_model", "about", "features",
                                                 "bias", "weights", "caps",
                                                 "hash_bits", "ngrams"]))
        check("model v2", m["llmroute_model"] == 2 and m["hash_bits"] == 0
              and m["ngrams"] == [] and m["bias"] == -1.0
              and m["features"] == FEATURE_NAMES
              and m["caps"] == {"code": 1, "reasoning": 1, "domain": 1})
        check("model weights", m["weights"] == [2.0, 0, 0, 4.0, 1.0, 4.0, 0, 0, 4.0, 0, 0, 0])
        sc = os.path.join(tmp, "s.jsonl")
        with open(sc, "w", encoding="utf-8") as f:
            f.write("".join('{"id": "%s", "score": 1}\n' % it["id"] for it in items))
        check("candidate name", [n for n, _ in load_candidates(["old=" + sc, sc], items)]
              == ["old", "file:s.jsonl"])


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
    ap.add_argument("--scores", action="append", default=[], metavar="[NAME=]FILE",
                    help="JSON Lines with id and score (repeatable); NAME names "
                         "the column (default file:BASENAME)")
    ap.add_argument("--random-draws", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--subsets", action="store_true",
                    help="also report the subsets (routerbench eval_name, alpacaeval "
                         "source, mmlupro src prefix and category)")
    ap.add_argument("--raw-prompts", action="store_true",
                    help="keep routerbench prompts as the stored list literal")
    ap.add_argument("--curves", action="store_true", help="print the curve points too")
    ap.add_argument("--json", metavar="FILE", help="write results as JSON ('-' = stdout)")
    ap.add_argument("--dump", metavar="DIR", help="write labelled JSON Lines to DIR (outside the repo)")
    ap.add_argument("--llmroute", default="./llmroute", metavar="PATH",
                    help="the binary for features, builtin, heuristic and train "
                         "(default %(default)s, from the repository root)")
    ap.add_argument("--robust", action="store_true",
                    help="the robustness report: every subset alone and each fit "
                         "source left out")
    ap.add_argument("--bootstrap", type=int, default=200, metavar="B",
                    help="paired bootstrap resamples per set (default %(default)s)")
    ap.add_argument("--markdown", metavar="FILE", help="also write the report as Markdown")
    ap.add_argument("--fit-builtin", metavar="OUT", help="fit the built-in recipe, "
                    "write its model file (version 2) to OUT")
    ap.add_argument("--fit-sources", default=",".join(FIT_SOURCES), metavar="LIST",
                    help="comma-separated sources for --fit-builtin (default %(default)s)")
    ap.add_argument("--save-builtin", metavar="FILE",
                    help="write --llmroute's builtin score of every labelled prompt "
                         "to FILE (outside the repo), for --scores NAME=FILE later")
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
    if a.save_builtin or a.fit_builtin or a.robust:
        return main_fits(a, items)

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
    for spec in a.scores:
        try:
            scorers.update(load_candidates([spec], items))
        except RuntimeError as e:
            notes.append(str(e))

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
    print_labels(stats, out)
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


def print_labels(stats, out):
    out.write("labels: q_strong of the strong model, q_weak the mean of the weak "
              "ones; rows kept/read:\n")
    for name, st in stats.items():
        out.write("  %-11s %4d/%-4d (skipped %d)  strong: %s; weak: %s\n" % (
            name, st["kept"], st["rows"], st["skipped"], st["strong"],
            ", ".join(st["weak"])))


def main_fits(a, items):
    """--save-builtin, --fit-builtin and --robust, in that order."""
    try:
        if a.save_builtin:
            save_builtin(a.llmroute, items, a.save_builtin, a.timeout)
        if a.fit_builtin:
            srcs = [x for x in a.fit_sources.split(",") if x]
            bad = [x for x in srcs if x not in FIT_SOURCES]
            if bad or not srcs:
                sys.stderr.write("--fit-sources: %s: the shipped weights are fitted "
                                 "only on %s\n" % (",".join(bad) or "empty",
                                                    ", ".join(FIT_SOURCES)))
                return 2
            _, feats, names = run_explain(a.llmroute, items, a.timeout, "builtin")
            fit = fit_recipe(items, feats, srcs)
            if not fit["k"] > 0:
                sys.stderr.write("--fit-builtin: the scale fitted on %s is k = %g; "
                                 "a model with k <= 0 would reverse the ranking, "
                                 "not written\n" % (",".join(srcs), fit["k"]))
                return 3
            write_model(a.fit_builtin, fit, names)
            sys.stderr.write("recipe on %s: a = %g, c = %g, k = %.6g, b = %.6g "
                             "(mean gain over length %+.4f on %d sets); wrote %s\n"
                             % (",".join(srcs), fit["a"], fit["c"], fit["k"],
                                fit["b"], fit["objective"], len(fit["sets"]),
                                a.fit_builtin))
        if a.robust:
            doc = robust(items, a, sys.stdout)
            if a.json:
                with open(a.json, "w", encoding="utf-8") as f:
                    json.dump(doc, f, indent=1)
                    f.write("\n")
    except RuntimeError as e:
        sys.stderr.write("quality.py: %s\n" % e)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
