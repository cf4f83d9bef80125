#!/bin/sh
# Batch calls: 1,000 prompts with -j 32 against the local test server
# answering each request after 200 ms, next to curl's own parallel mode
# sending the same requests, a Python thread pool, and xargs -P 32 curl.
# Ideal: 1000 / 32 x 200 ms = 6.25 s.  Reports wall and CPU seconds.
#
# usage: bench/batch.sh [N] [JOBS]
set -eu
cd "$(dirname "$0")/.."
n=${1:-1000}
jobs=${2:-32}
bin=${LLMROUTE:-./llmroute}
dir=$(mktemp -d)
[ -x "$bin" ] || { echo "batch: build $bin first (make)" >&2; exit 1; }

python3 tests/server/provider.py --dir "$dir/srv" --port-file "$dir/port" \
    --max-seconds 900 >"$dir/server.log" 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
i=0
while [ ! -s "$dir/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat "$dir/port")
url="http://127.0.0.1:$port/v1"
echo '{"action":"ok","text":"An answer of a few words.","delay_ms":200}' \
    >"$dir/srv/script.jsonl"

python3 - "$n" "$dir" "$url" <<'PY'
import json, sys
n, d, url = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(d + "/prompts.jsonl", "w") as f, open(d + "/curl.cfg", "w") as c, \
     open(d + "/bodies.txt", "w") as b:
    for i in range(n):
        p = "Question number %d: what is %d times %d?" % (i, i, i + 1)
        f.write(json.dumps({"id": i, "prompt": p}) + "\n")
        body = json.dumps({"model": "gpt-4.1-nano",
                           "messages": [{"role": "user", "content": p}]})
        b.write(body + "\n")
        if i:
            c.write("next\n")
        c.write('url = "%s/chat/completions"\n' % url)
        c.write('header = "Content-Type: application/json"\n')
        c.write('header = "Authorization: Bearer sk-bench"\n')
        c.write("data = %s\n" % json.dumps(body))
        c.write('output = "/dev/null"\n')
PY

# wall user sys of a command, from GNU time
run() {
	name=$1
	shift
	/usr/bin/time -f "%e %U %S" -o "$dir/t" "$@" >/dev/null 2>"$dir/err" ||
	    { echo "$name failed:"; cat "$dir/err"; }
	# shellcheck disable=SC2046 # three numbers, split on purpose
	set -- $(cat "$dir/t")
	awk -v n="$name" -v w="$1" -v u="$2" -v s="$3" \
	    'BEGIN { printf "%-22s %6.2f s wall  %5.2f s CPU\n", n, w, u + s }'
}

export HOME="$dir" XDG_STATE_HOME="$dir/state" OPENAI_BASE_URL="$url" \
    OPENAI_API_KEY=sk-bench
awk -v n="$n" -v j="$jobs" 'BEGIN { printf "%d prompts, %d at once, 200 ms each: ideal %.2f s\n", n, j, n / j * 0.2 }'
run "llmroute -j $jobs" "$bin" --jsonl -j "$jobs" --no-log -q \
    "$dir/prompts.jsonl"
run "curl --parallel" curl -s --parallel --parallel-max "$jobs" \
    -K "$dir/curl.cfg"
run "python thread pool" python3 -c '
import concurrent.futures, sys, urllib.request
url = sys.argv[1] + "/chat/completions"
bodies = open(sys.argv[2]).read().splitlines()
def post(b):
    r = urllib.request.Request(url, b.encode(), {"Content-Type":
        "application/json", "Authorization": "Bearer sk-bench"})
    return urllib.request.urlopen(r).read()
with concurrent.futures.ThreadPoolExecutor(int(sys.argv[3])) as ex:
    list(ex.map(post, bodies))
' "$url" "$dir/bodies.txt" "$jobs"
# shellcheck disable=SC2016 # expanded by the inner shell
run "xargs -P $jobs curl" sh -c '
tr "\n" "\0" <"$1" | xargs -0 -P "$2" -I{} curl -s -o /dev/null \
    -H "Content-Type: application/json" -H "Authorization: Bearer sk-bench" \
    -d {} "$3/chat/completions"' sh "$dir/bodies.txt" "$jobs" "$url"
