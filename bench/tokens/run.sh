#!/usr/bin/env bash
# Benchmark llmroute's input-token estimate against real tokenizer counts.
#
#   bench/tokens/run.sh            # from anywhere; llmroute must be built at the repo root
#   TARGET=cl100k bench/tokens/run.sh
#
# Builds a JSON Lines sample {"id": "<file>:<line>", "prompt"} from every
# *.jsonl in ../shared/data (override with DATA_DIR), counts tokens with
# gpt-tokenizer (tokens.mjs), runs `./llmroute -n --jsonl --format json` on the
# sample from the repo root, joins on id, and prints MAPE, median and p90 of
# |est/true - 1| and the total-sum error per file and pooled (stats.py), next to
# two reference estimators (chars/4 and the fitted byte-pass formula).
# Exit status: 0 ok, 1 llmroute missing or failed (reference figures still shown).
# Needs node, npm (first run only) and python3. Nothing is written to the repo
# except bench/tokens/node_modules.
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${DATA_DIR:-$here/../../../shared/data}"
target="${TARGET:-o200k}"

if [ ! -d "$data" ]; then
    echo "run.sh: data directory not found: $data (set DATA_DIR)" >&2
    exit 2
fi
if [ ! -d "$here/node_modules/gpt-tokenizer" ]; then
    echo "run.sh: installing gpt-tokenizer into $here/node_modules" >&2
    (cd "$here" && npm install --no-audit --no-fund --loglevel=error)
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 - "$data" >"$tmp/sample.jsonl" <<'EOF'
import glob, json, os, sys
files = sorted(glob.glob(os.path.join(sys.argv[1], "*.jsonl")))
if not files:
    sys.exit(f"run.sh: no *.jsonl files in {sys.argv[1]}")
for path in files:
    stem = os.path.basename(path)[: -len(".jsonl")]
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                prompt = json.loads(line).get("prompt")
                if isinstance(prompt, str):
                    print(json.dumps({"id": f"{stem}:{n}", "prompt": prompt}, ensure_ascii=False))
EOF
echo "run.sh: $(wc -l <"$tmp/sample.jsonl") prompts from $data" >&2

node "$here/tokens.mjs" <"$tmp/sample.jsonl" >"$tmp/counts.jsonl"

status=0
if [ ! -x "$root/llmroute" ]; then
    echo "run.sh: $root/llmroute not found or not executable: build it first (make)." >&2
    echo "run.sh: showing the reference estimators only." >&2
    status=1
else
    rc=0
    (cd "$root" && ./llmroute -n --jsonl --format json) <"$tmp/sample.jsonl" >"$tmp/est.jsonl" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "run.sh: ./llmroute -n --jsonl --format json exited with status $rc; showing the reference estimators only." >&2
        status=1
    fi
fi

if [ "$status" -eq 0 ]; then
    python3 "$here/stats.py" --target "$target" "$tmp/sample.jsonl" "$tmp/counts.jsonl" "$tmp/est.jsonl"
else
    python3 "$here/stats.py" --target "$target" "$tmp/sample.jsonl" "$tmp/counts.jsonl"
fi
exit "$status"
