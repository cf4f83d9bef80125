#!/usr/bin/env python3
"""Write a deterministic JSON Lines file of synthetic prompts.

usage: gen-prompts.py MEGABYTES > FILE

The prompts mix short questions, long technical requests, code, maths
and non-English text so that every branch of feature extraction runs.
"""
import json
import random
import sys

PARTS = [
    "What is the capital of France?",
    "Explain why the sky is blue, step by step, and compare it with sunsets.",
    "Write a Python function that parses a CSV file and returns a dict:\n"
    "```python\ndef parse(path):\n    with open(path) as f:\n        return {}\n```",
    "Solve for x: 3x^2 + 2x - 5 = 0. Show the derivation with \\frac{a}{b}.",
    "1. Summarise the contract clause on liability.\n2. List the risks.\n"
    "3. Suggest a rewrite in plain English, under 100 words.",
    "Which is a mammal?\nA) shark\nB) dolphin\nC) trout\nD) squid\nAnswer:",
    "Bonjour, pouvez-vous m'expliquer la théorie de la relativité ?",
    "请解释一下量子纠缠的基本原理，并举一个例子。",
    "hi! thanks for the help yesterday",
    "Design a fault-tolerant architecture for a payment service; analyse "
    "the tradeoffs of synchronous versus asynchronous replication.",
]


def main():
    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 50
    target = int(mb * 1024 * 1024)
    rnd = random.Random(42)
    out = sys.stdout
    n = 0
    size = 0
    while size < target:
        k = rnd.randint(1, 12)
        text = "\n\n".join(rnd.choice(PARTS) for _ in range(k))
        line = json.dumps({"id": n, "prompt": text}, ensure_ascii=False)
        out.write(line + "\n")
        size += len(line.encode()) + 1
        n += 1


if __name__ == "__main__":
    main()
