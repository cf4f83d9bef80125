#!/bin/sh
# "llmroute report --by model" against jq computing the same per-model
# request count, cost and baseline cost, on a generated log of N records
# (default 1,000,000), side by side in one run.  Also peak memory at N and
# at 10 N records of the same groups, which must be the same.
#
# usage: bench/report.sh [N]
set -eu
cd "$(dirname "$0")/.."
n=${1:-1000000}
bin=${LLMROUTE:-./llmroute}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
[ -x "$bin" ] || { echo "report: build $bin first (make)" >&2; exit 1; }
command -v jq >/dev/null || { echo "report: jq is needed" >&2; exit 1; }

python3 bench/gen-log.py "$n" >"$dir/log.jsonl"
echo "log: $n records, $(wc -c <"$dir/log.jsonl") bytes"

# shellcheck disable=SC2016 # a jq program, not shell
jqprog='reduce inputs as $r ({}; .[$r.model] |= {n: ((.n // 0) + 1),
    cost: ((.cost // 0) + $r.cost_usd),
    baseline: ((.baseline // 0) + $r.baseline_cost_usd)})'

# The same answer first: request counts per model must agree.
"$bin" report --by model -f csv "$dir/log.jsonl" |
    awk -F, 'NR > 1 && $1 != "total" { print $1, $2 }' | sort >"$dir/a"
jq -n -r "$jqprog | to_entries[] | \"\(.key) \(.value.n)\"" \
    "$dir/log.jsonl" | sort >"$dir/b"
if ! cmp -s "$dir/a" "$dir/b"; then
	echo "report: llmroute and jq disagree" >&2
	diff "$dir/a" "$dir/b" >&2
	exit 1
fi
echo "per-model counts agree with jq"

hyperfine --style basic --warmup 1 --runs 3 --export-json "$dir/r.json" \
    --command-name llmroute \
    "$bin report --by model $dir/log.jsonl >/dev/null" \
    --command-name jq "jq -n '$jqprog' $dir/log.jsonl >/dev/null" \
    >"$dir/hf.txt" 2>&1 || { cat "$dir/hf.txt"; exit 1; }
python3 - "$dir/r.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print("llmroute %.3f s, jq %.3f s: llmroute is %.1fx faster"
      % (r["llmroute"], r["jq"], r["jq"] / r["llmroute"]))
PY

# Peak memory (KiB) at n and at 10 n records, the same groups (memory
# holds one sum and one latency histogram per group and reader thread).
rss() { /usr/bin/time -f %M "$bin" report --by model "$1" 2>&1 >/dev/null | tail -1; }
m1=$(rss "$dir/log.jsonl")
i=0
while [ $i -lt 10 ]; do cat "$dir/log.jsonl"; i=$((i + 1)); done >"$dir/log10.jsonl"
rm -f "$dir/log.jsonl"
m10=$(rss "$dir/log10.jsonl")
echo "peak memory: $m1 KiB at $n records, $m10 KiB at $((n * 10)) records"
