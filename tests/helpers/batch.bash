# Helpers for tests/batch.bats: batches of calls (-j, --unordered, -o,
# --output-dir, --resume, --max-cost, progress, signals) against the fake
# provider.  Load after helpers/common, helpers/server and helpers/call.

# batch_setup: call_setup (isolated HOME and state, server, $CFG with fast
# retries), and no cost log unless a test asks for one.
batch_setup() {
	call_setup || return 1
	BB_PID="" BB_RUNNER=""
}

batch_teardown() {
	runner_kill "${BB_PID:-}" "${BB_RUNNER:-}"
	call_teardown
}

# mkjsonl N [FILE=in.jsonl]: records {"id":"iK","prompt":"pK"}, K = 1..N.
mkjsonl() {
	local i
	for ((i = 1; i <= $1; i++)); do
		printf '{"id":"i%d","prompt":"p%d"}\n' "$i" "$i"
	done >"${2:-in.jsonl}"
}

# ids FILE: the ids of the valid JSON lines of FILE, one per line.
ids() {
	jq -R -r 'fromjson? | .id' "$1"
}

# expected_ids N: i1 .. iN, one per line.
expected_ids() {
	local i
	for ((i = 1; i <= $1; i++)); do
		echo "i$i"
	done
}

# for_prompt TEXT JSON: a script line (JSON object, e.g. {"action":"ok"})
# that answers only requests whose messages are exactly one user message
# TEXT, usable many times.
for_prompt() {
	jq -c -n --arg p "$1" --argjson a "$2" \
		'$a + {"match": {"messages": [{"role": "user", "content": $p}]}, "times": 1000}'
}

# prompt_of_request: the last user message of each recorded request.
req_prompts() {
	server_requests | jq -r '.body.messages[-1].content'
}

# bb_start ARGS...: llmroute -c $CFG ARGS in the background through
# runner_start (common.bash), stdin from /dev/null, with files $T/bb.* and
# a 40 s limit.  Sets BB_PID and BB_RUNNER.
bb_start() {
	runner_start bb /dev/null 40 "$LLMROUTE" -c "$CFG" "$@"
	BB_RUNNER=$!
	wait_file_nonempty "$T/bb.pid" || return 1
	BB_PID="$(<"$T/bb.pid")"
}

# bb_status: wait (at most 50 s) for the background llmroute; print its
# status as runner_start records it.
bb_status() {
	runner_status bb 50 || return 1
	wait "$BB_RUNNER" 2>/dev/null
	BB_PID="" BB_RUNNER=""
}

# wait_lines FILE N [SECONDS=40]: wait until FILE has at least N complete
# lines (the bound is for a slow sanitizer build on a busy machine).
wait_lines() {
	local i n
	for ((i = 0; i < ${3:-40} * 20; i++)); do
		n=$(wc -l 2>/dev/null <"$1")
		((n >= $2)) && return 0
		sleep 0.05
	done
	echo "wait_lines: $1 has $(wc -l 2>/dev/null <"$1") lines, wanted $2" >&2
	return 1
}

# wait_grep PATTERN FILE [SECONDS=10]: wait until FILE holds PATTERN.
wait_grep() {
	local i
	for ((i = 0; i < ${3:-10} * 20; i++)); do
		grep -q -e "$1" "$2" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "wait_grep: '$1' not in $2" >&2
	return 1
}

# wait_done N [SECONDS=10]: wait until the server recorded N finished
# requests in done.jsonl.
wait_done() {
	local i n
	for ((i = 0; i < ${2:-10} * 20; i++)); do
		n=$(wc -l 2>/dev/null <"$SERVER_DIR/done.jsonl")
		((n >= $1)) && return 0
		sleep 0.05
	done
	echo "wait_done: $(wc -l 2>/dev/null <"$SERVER_DIR/done.jsonl") done, wanted $1" >&2
	return 1
}

# max_inflight_after T: the highest number of requests in progress at the
# same time, counting only the moments when a request that arrived after
# server time T started, from requests.jsonl and done.jsonl.
max_inflight_after() {
	jq -n --argjson after "$1" \
		--slurpfile req "$SERVER_DIR/requests.jsonl" \
		--slurpfile fin "$SERVER_DIR/done.jsonl" '
		($fin | map({key: (.n | tostring), value: .t}) | from_entries) as $ends
		| [$req[] | {s: .t, e: ($ends[(.n | tostring)] // 1e18)}] as $iv
		| [$iv[] | select(.s > $after) | .s as $s
			| [$iv[] | select(.s <= $s and .e > $s)] | length]
		| max // 0'
}

# rec ID [FILE]: the JSON line(s) with that string id (jq 1.6's -e fails
# when the last input selects nothing, so select here and test after).
rec() {
	jq -c --arg i "$1" 'select(.id == $i)' "${@:2}"
}

# wait_catching_int PID [SECONDS=10]: wait until process PID catches
# SIGINT (its handler is in place, per /proc/PID/status SigCgt).
wait_catching_int() {
	local i mask
	for ((i = 0; i < ${2:-10} * 20; i++)); do
		mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
		if [[ -n "$mask" ]] && (((16#$mask & 2) != 0)); then
			return 0
		fi
		sleep 0.05
	done
	echo "wait_catching_int: $1 does not catch SIGINT" >&2
	return 1
}
