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

# feq A B [EPS]: |A - B| <= EPS (default 1e-9), compared by jq.
feq() {
	jq -n -e --argjson a "$1" --argjson b "$2" --argjson e "${3:-1e-9}" \
		'(($a - $b) | fabs) <= $e' >/dev/null
}
