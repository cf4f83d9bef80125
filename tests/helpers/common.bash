# Shared bats helpers for the llmroute command-line tests.
#
#   bats_require_minimum_version 1.5.0   # for run --separate-stderr
#   load helpers/common
#   setup() { common_setup; }
#
# LLMROUTE names the binary under test (tests/run.sh exports it).

LLMROUTE="${LLMROUTE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/llmroute}"
export LLMROUTE

# Isolate every test from the user's environment: a fresh HOME and
# XDG_CONFIG_HOME (so no user config file is read), no LLMROUTE_CONFIG,
# no NO_COLOR, and a scratch directory T to work in.
common_setup() {
	[[ -x "$LLMROUTE" ]] || {
		echo "llmroute binary not found: $LLMROUTE (run make)" >&2
		return 1
	}
	export HOME="$BATS_TEST_TMPDIR/home"
	export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/xdg"
	mkdir -p "$HOME" "$XDG_CONFIG_HOME"
	unset LLMROUTE_CONFIG NO_COLOR
	T="$BATS_TEST_TMPDIR/work"
	mkdir -p "$T"
	cd "$T" || return 1
}

# A prompt that must route to the cheapest tier.
SIMPLE_PROMPT='Say hello.'

# A long, multi-part technical prompt that must route above the first tier.
COMPLEX_PROMPT='I need a detailed analysis of a distributed database architecture. First, explain why the consensus algorithm (Raft versus Paxos) matters for a multi-region deployment, and compare their tradeoffs in latency and fault tolerance. Then implement a Python function that computes the expected replication lag given a matrix of link latencies, and prove that your algorithm is correct.

1. Derive the probability of a split-brain scenario under network partition.
2. Evaluate the implications for a financial portfolio valuation service with strict accounting constraints.
3. Finally, optimize the design and justify each decision in a markdown table with exactly five rows.

```python
def replication_lag(latencies):
    return max(sum(row) for row in latencies)
```'

# write_file NAME TEXT: write TEXT to NAME without a trailing newline.
write_file() {
	printf '%s' "$2" >"$1"
}

# json_ok TEXT: every line of TEXT parses as JSON.
json_ok() {
	printf '%s\n' "$1" | jq -e -s 'length > 0' >/dev/null
}

# has_escape TEXT: TEXT holds an ANSI escape (ESC byte).
has_escape() {
	[[ "$1" == *$'\033'* ]]
}

# display_col TEXT WORD: for each line of TEXT, the terminal column (from
# 0) where WORD first starts, or -1; East Asian Wide and Fullwidth
# characters take two columns and combining marks none, as a terminal
# shows them (Python's unicodedata, independent of llmroute's tables).
display_col() {
	python3 -c '
import sys, unicodedata as u
def w(s):
    return sum(0 if u.combining(c) else 2 if u.east_asian_width(c) in "WF" else 1 for c in s)
for line in sys.argv[1].split("\n"):
    i = line.find(sys.argv[2])
    print(-1 if i < 0 else w(line[:i]))
' "$1" "$2"
}

# display_width TEXT: for each line of TEXT, its width in terminal columns.
display_width() {
	python3 -c '
import sys, unicodedata as u
for line in sys.argv[1].split("\n"):
    print(sum(0 if u.combining(c) else 2 if u.east_asian_width(c) in "WF" else 1 for c in line))
' "$1"
}

# feq A B [EPS]: |A - B| <= EPS (default 1e-9), compared by jq.
feq() {
	jq -n -e --argjson a "$1" --argjson b "$2" --argjson e "${3:-1e-9}" \
		'(($a - $b) | fabs) <= $e' >/dev/null
}

# wait_file_nonempty FILE [SECONDS=10]
wait_file_nonempty() {
	local i
	for ((i = 0; i < ${2:-10} * 20; i++)); do
		[[ -s "$1" ]] && return 0
		sleep 0.05
	done
	echo "wait_file_nonempty: $1 stayed empty" >&2
	return 1
}

# runner_start NAME INPUT LIMIT CMD...: CMD in the background, stdin from
# INPUT, stdout to $T/NAME.out, stderr to $T/NAME.err.  A small Python
# parent (the runner) starts it, writes its pid to $T/NAME.pid, kills it
# after LIMIT seconds at most, and writes its exit status to $T/NAME.rc:
# the exit code, or minus the signal number when a signal killed it (so
# "exit 130" and "killed by SIGINT" differ), or "timeout".  Like "CMD &",
# it leaves the runner's pid in $!; it does not wait for $T/NAME.pid.
runner_start() {
	local name="$1" input="$2" limit="$3"
	shift 3
	rm -f "$T/$name.pid" "$T/$name.rc"
	python3 -c '
import os, subprocess, sys
rc_file, pid_file, inp, out, err, limit = sys.argv[1:7]
with open(inp, "rb") as i, open(out, "wb") as o, open(err, "wb") as e:
    p = subprocess.Popen(sys.argv[7:], stdin=i, stdout=o, stderr=e)
with open(pid_file + ".tmp", "w") as f:
    f.write(str(p.pid))
os.rename(pid_file + ".tmp", pid_file)
try:
    rc = p.wait(timeout=float(limit))
except subprocess.TimeoutExpired:
    p.kill()
    rc = "timeout"
    p.wait()
with open(rc_file + ".tmp", "w") as f:
    f.write(str(rc))
os.rename(rc_file + ".tmp", rc_file)
' "$T/$name.rc" "$T/$name.pid" "$input" "$T/$name.out" "$T/$name.err" \
		"$limit" "$@" 3>&- &
}

# runner_status NAME SECONDS: wait at most SECONDS for the status that
# runner_start NAME writes; print it.
runner_status() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		if [[ -s "$T/$1.rc" ]]; then
			cat "$T/$1.rc"
			return 0
		fi
		sleep 0.05
	done
	echo "runner_status: no exit status in $T/$1.rc after $2 s" >&2
	return 1
}

# runner_kill PID RUNNER: SIGKILL the command and its runner (either may
# be empty) and reap the runner.
runner_kill() {
	if [[ -n "$1" ]]; then
		kill -KILL "$1" 2>/dev/null
	fi
	if [[ -n "$2" ]]; then
		kill -KILL "$2" 2>/dev/null
		wait "$2" 2>/dev/null
	fi
}
