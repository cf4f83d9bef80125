#!/usr/bin/env python3
"""The learner on the user's own data: APGR within each labelled set.

Python 3 standard library only.  Usage (from the repository root):

    python3 bench/quality.py --no-cmd --dump /tmp/labels
    python3 bench/learner.py --labels /tmp/labels \\
        --learner today=/tmp/llmroute-main \\
        --learner 'new=./llmroute --auto'

Each set stands for one user's traffic: routerbench by eval_name, mmlupro
by src prefix and by category, arena, alpacaeval, theoremqa (the sets of
bench/quality.py's leaf_sets).  For each set its labels alone are written
to a temporary file and every learner runs `BINARY train --folds 2 -f json
--seed S [ARGS]` on it: fitted on one half, scored on the other, both ways.
The APGR of the trained scorer and of length are read from the "all" row,
averaged over the seeds (--seeds, default 1,2,3: one 2-fold split is
noisy on a set of a few hundred prompts).  Length does not depend on the
learner; it is taken from the first one.

The table: set, n, length, then each learner's mean APGR; a last row the
mean over the sets and, per learner, the sets where it beats length and
where it beats the first learner.  --json FILE writes it all.  Nothing is
written to the repository.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile

SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(SCRIPT_DIR)
SOURCES = ["routerbench", "arena", "alpacaeval", "mmlupro", "theoremqa"]


def read_labels(d):
    """Every labelled record of the dump directory d, by source."""
    out = {}
    for src in SOURCES:
        path = os.path.join(d, src + ".jsonl")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            out[src] = [json.loads(l) for l in f if l.strip()]
    if not out:
        raise SystemExit("learner: no labels in %s (write them with "
                         "bench/quality.py --no-cmd --dump DIR)" % d)
    return out


def leaf_sets(by_src):
    """[(name, records)] in the order of bench/quality.py's leaf_sets."""
    sets = []
    for src in SOURCES:
        rs = by_src.get(src)
        if not rs:
            continue
        if src == "routerbench":
            for sub in sorted({r["subset"] for r in rs}):
                sets.append(("routerbench/" + sub,
                             [r for r in rs if r["subset"] == sub]))
        elif src == "mmlupro":
            for sub in sorted({r["subset"] for r in rs}):
                sets.append(("mmlupro/src/" + sub,
                             [r for r in rs if r["subset"] == sub]))
            for cat in sorted({r["category"] for r in rs}):
                sets.append(("mmlupro/category/" + cat,
                             [r for r in rs if r["category"] == cat]))
        else:
            sets.append((src, rs))
    return sets


def run_folds(argv, path, seed):
    """(trained APGR, length APGR) of `train --folds 2` on path."""
    cmd = argv[:1] + ["train", "--folds", "2", "-f", "json", "-q",
                      "--seed", str(seed)] + argv[1:] + [path]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        raise SystemExit("learner: %s exited %d: %s" % (
            " ".join(cmd), proc.returncode,
            proc.stderr.decode("utf-8", "replace").strip()))
    doc = json.loads(proc.stdout.decode("utf-8").splitlines()[0])
    row = next(s for s in doc["sets"] if s["set"] == "all")
    ap = {s["scorer"]: s["apgr"] for s in row["scorers"]}
    return ap["trained"], ap["length"]


def measure(sets, learners, seeds, tmp):
    """Per set: n, length's and each learner's APGR, mean over seeds."""
    rows = []
    for name, recs in sets:
        path = os.path.join(tmp, "set.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps({"id": r["id"], "prompt": r["prompt"],
                                    "strong": r["strong"], "weak": r["weak"]},
                                   ensure_ascii=False) + "\n")
        row = {"set": name, "n": len(recs), "learners": {}}
        for i, (lname, argv) in enumerate(learners):
            got = [run_folds(argv, path, s) for s in seeds]
            row["learners"][lname] = sum(g[0] for g in got) / len(got)
            if i == 0:
                row["length"] = sum(g[1] for g in got) / len(got)
        rows.append(row)
        sys.stderr.write("learner: %s done\n" % name)
    return rows


def print_table(rows, names, out):
    w = max(len(r["set"]) for r in rows)
    out.write("%-*s %5s %7s" % (w, "set", "n", "length"))
    for n in names:
        out.write(" %9s" % n[:9])
    out.write("\n")
    for r in rows:
        out.write("%-*s %5d %7.3f" % (w, r["set"], r["n"], r["length"]))
        for n in names:
            out.write(" %9.3f" % r["learners"][n])
        out.write("\n")
    k = len(rows)
    out.write("%-*s %5s %7.3f" % (w, "mean", "", sum(r["length"] for r in rows) / k))
    for n in names:
        out.write(" %9.3f" % (sum(r["learners"][n] for r in rows) / k))
    out.write("\n")
    for n in names:
        over_len = sum(r["learners"][n] > r["length"] for r in rows)
        over_first = sum(r["learners"][n] > r["learners"][names[0]] for r in rows)
        out.write("%s: above length in %d of %d sets, above %s in %d\n" % (
            n, over_len, k, names[0], over_first))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", required=True, metavar="DIR",
                    help="the labels bench/quality.py --dump wrote")
    ap.add_argument("--learner", action="append", default=[],
                    metavar="NAME=BINARY [ARGS]",
                    help="a learner: llmroute binary and train options "
                    "(default learner=./llmroute)")
    ap.add_argument("--seeds", default="1,2,3", metavar="LIST")
    ap.add_argument("--only", metavar="PREFIX", help="only the sets named so")
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    a = ap.parse_args(argv)
    learners = []
    for spec in a.learner or ["learner=./llmroute"]:
        name, _, cmd = spec.partition("=")
        if not cmd:
            raise SystemExit("learner: --learner NAME=BINARY [ARGS]: %s" % spec)
        learners.append((name, shlex.split(cmd)))
    seeds = [int(s) for s in a.seeds.split(",")]
    sets = leaf_sets(read_labels(a.labels))
    if a.only:
        sets = [s for s in sets if s[0].startswith(a.only)]
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure(sets, learners, seeds, tmp)
    print_table(rows, [n for n, _ in learners], sys.stdout)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"seeds": seeds, "learners": dict(learners),
                       "rows": rows}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
