#!/bin/sh
# Scoring throughput: MB/s of prompt text through
# "llmroute -n --jsonl -f json" on a generated JSON Lines file (default
# 60 MB), next to the peer jq -c '{id, n: (.prompt|length)}' (which
# parses the same records and measures each prompt), and cat and wc -l
# as the floor of reading the file.  Prints llmroute's speed as a ratio
# to jq's, by wall clock and by CPU time (steadier on a busy machine):
# the target is at least 3.
#
# usage: bench/throughput.sh [MEGABYTES]
set -eu
cd "$(dirname "$0")/.."
mb=${1:-60}
bin=${LLMROUTE:-./llmroute}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
[ -x "$bin" ] || { echo "throughput: build $bin first (make)" >&2; exit 1; }

python3 bench/gen-prompts.py "$mb" >"$dir/prompts.jsonl"
bytes=$(wc -c <"$dir/prompts.jsonl")
lines=$(wc -l <"$dir/prompts.jsonl")
echo "input: $bytes bytes, $lines prompts"

hyperfine --style basic --warmup 1 --runs 5 \
    --export-json "$dir/result.json" \
    --command-name llmroute \
    "$bin -n --jsonl -f json $dir/prompts.jsonl >/dev/null" \
    --command-name jq "jq -c '{id, n: (.prompt|length)}' $dir/prompts.jsonl >/dev/null" \
    --command-name "cat" "cat $dir/prompts.jsonl >/dev/null" \
    --command-name "wc -l" "wc -l $dir/prompts.jsonl >/dev/null" \
    >"$dir/hyperfine.txt" 2>&1 || { cat "$dir/hyperfine.txt"; exit 1; }

python3 - "$dir/result.json" "$bytes" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
size = int(sys.argv[2]) / 1e6
for r in res:
    print("%-10s median %.3f s  %8.1f MB/s" % (r["command"], r["median"],
          size / r["median"]))
t = {r["command"]: r["median"] for r in res}
cpu = {r["command"]: r["user"] + r["system"] for r in res}
print("llmroute / jq: %.2fx as fast (median wall clock)" %
      (t["jq"] / t["llmroute"]))
print("llmroute / jq: %.2fx as fast (mean CPU time, user + system)" %
      (cpu["jq"] / cpu["llmroute"]))
PY
