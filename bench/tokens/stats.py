#!/usr/bin/env python3
"""Error figures of token-count estimators against tokenizer counts.

usage: stats.py [--target o200k|cl100k] SAMPLE COUNTS [EST]

SAMPLE  JSON Lines {"id", "prompt"}; the id's prefix before ':' names the file
COUNTS  JSON Lines {"id", "o200k", "cl100k"} from tokens.mjs
EST     optional JSON Lines {"id", "tokens_in_est"} from `llmroute -n --jsonl --format json`

Prints, per file and pooled, for each estimator: MAPE, median and 90th
percentile (nearest rank) of |est/true - 1|, and the total-sum error
sum(est)/sum(true) - 1.  Two reference estimators are always shown:
  chars/4   Unicode code points / 4
  formula   1.07*W + 0.79*P + 0.37*U2 + 0.75*U3, where over the UTF-8 bytes
            W  = runs of ASCII [A-Za-z0-9]
            P  = ASCII bytes that are neither alphanumeric nor whitespace
            U2 = lead bytes 0xC0-0xDF (2-byte code points: accents, Cyrillic, Greek...)
            U3 = lead bytes 0xE0-0xFF (3/4-byte code points: CJK, kana, Hangul, emoji...)
Standard library only.
"""
import json
import math
import re
import sys

WORD = re.compile(rb"[A-Za-z0-9]+")
PUNCT = re.compile(rb"[\x00-\x08\x0e-\x1f!-/:-@\[-`{-\x7f]")  # ASCII minus alnum, minus \t\n\v\f\r and space
LEAD2 = re.compile(rb"[\xc0-\xdf]")
LEAD3 = re.compile(rb"[\xe0-\xff]")
CONT = re.compile(rb"[\x80-\xbf]")


def formula(prompt):
    b = prompt.encode("utf-8")
    return (1.07 * len(WORD.findall(b)) + 0.79 * len(PUNCT.findall(b))
            + 0.37 * len(LEAD2.findall(b)) + 0.75 * len(LEAD3.findall(b)))


def chars4(prompt):
    b = prompt.encode("utf-8")
    return (len(b) - len(CONT.findall(b))) / 4


def read_jsonl(path, what):
    rows, bad = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if isinstance(row, dict) and "id" in row:
                rows.append(row)
            else:
                bad += 1
    if bad:
        print(f"stats.py: {what}: skipped {bad} line(s) that are not JSON objects with an id",
              file=sys.stderr)
    return rows


def figures(pairs):
    """pairs: list of (estimate, true) with true > 0."""
    rel = sorted(abs(e / t - 1) for e, t in pairs)
    n = len(rel)
    med = rel[n // 2] if n % 2 else (rel[n // 2 - 1] + rel[n // 2]) / 2
    p90 = rel[max(0, math.ceil(0.9 * n) - 1)]
    total = sum(e for e, _ in pairs) / sum(t for _, t in pairs) - 1
    return n, 100 * sum(rel) / n, 100 * med, 100 * p90, 100 * total


def main(argv):
    target = "o200k"
    if len(argv) >= 2 and argv[0] == "--target":
        target, argv = argv[1], argv[2:]
    if target not in ("o200k", "cl100k") or len(argv) not in (2, 3):
        sys.exit(__doc__.split("\n\n")[1])
    sample = {str(r["id"]): r.get("prompt", "") for r in read_jsonl(argv[0], "sample")}
    truth = {str(r["id"]): r[target] for r in read_jsonl(argv[1], "counts") if target in r}

    estimators = {
        "chars/4": {i: chars4(p) for i, p in sample.items()},
        "formula": {i: formula(p) for i, p in sample.items()},
    }
    if len(argv) == 3:
        est, bad = {}, 0
        for r in read_jsonl(argv[2], "llmroute output"):
            v = r.get("tokens_in_est")
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                est[str(r["id"])] = v
            else:
                bad += 1
        missing = sum(1 for i in truth if i not in est)
        if bad or missing:
            print(f"stats.py: llmroute: {missing} of {len(truth)} ids without an estimate, "
                  f"{bad} row(s) without a numeric tokens_in_est", file=sys.stderr)
        estimators["llmroute"] = est

    ids = [i for i in sample if i in truth and truth[i] > 0]
    skipped = len(sample) - len(ids)
    files = sorted({i.rsplit(":", 1)[0] for i in ids})
    print(f"target: {target} tokens; {len(ids)} prompts"
          + (f" ({skipped} without a positive tokenizer count skipped)" if skipped else ""))
    print(f"{'estimator':9} {'file':26} {'n':>5} {'MAPE%':>6} {'med%':>6} {'p90%':>6} {'total%':>7}")
    for name, est in estimators.items():
        for f in files + ["POOLED"]:
            sel = [i for i in ids if i in est and (f == "POOLED" or i.rsplit(":", 1)[0] == f)]
            if not sel:
                print(f"{name:9} {f:26} {0:5}      -      -      -       -")
                continue
            n, mape, med, p90, total = figures([(est[i], truth[i]) for i in sel])
            print(f"{name:9} {f:26} {n:5} {mape:6.1f} {med:6.1f} {p90:6.1f} {total:+7.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
