#!/bin/sh
# Whole-process time of one "llmroute -n" on a short prompt next to a C
# hello-world binary built in the same run; reports the ratio.  Also times
# --help and "llmroute models", which must not pay for network libraries.
#
# usage: bench/startup.sh
set -eu
cd "$(dirname "$0")/.."
bin=${LLMROUTE:-./llmroute}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
[ -x "$bin" ] || { echo "startup: build $bin first (make)" >&2; exit 1; }

printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' \
    >"$dir/hello.c"
${CC:-cc} -O2 -o "$dir/hello" "$dir/hello.c"
printf 'What is the capital of France?\n' >"$dir/q.txt"
export HOME="$dir" XDG_CONFIG_HOME="$dir"

hyperfine --style basic -N --warmup 20 --runs 300 \
    --export-json "$dir/result.json" \
    --command-name hello "$dir/hello" \
    --command-name "llmroute -n" "$bin -n $dir/q.txt" \
    --command-name "llmroute --help" "$bin --help" \
    --command-name "llmroute models" "$bin models" \
    >"$dir/hyperfine.txt" 2>&1 || { cat "$dir/hyperfine.txt"; exit 1; }

python3 - "$dir/result.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = res[0]["mean"]
for r in res:
    print("%-16s mean %.3f ms  (%.2fx hello)" % (r["command"],
          r["mean"] * 1e3, r["mean"] / base))
PY
echo "shared libraries loaded by $bin: $(ldd "$bin" | wc -l)"
