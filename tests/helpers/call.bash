# Helpers for tests/call.bats: llmroute executing calls against the fake
# provider (tests/server/provider.py).
#
#   load helpers/common
#   load helpers/server
#   load helpers/call
#   setup()    { call_setup; }
#   teardown() { call_teardown; }

# The fake API key; it must never show up in any output.
KEY=sk-test-SECRET123

# call_setup: isolated environment, a running server, a prompt file, a
# config file $CFG with fast retries, and the OpenAI and Anthropic base URLs
# and keys pointing at the server.
call_setup() {
	common_setup || return 1
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	mkdir -p "$XDG_STATE_HOME"
	unset OPENAI_API_KEY ANTHROPIC_API_KEY OPENAI_BASE_URL ANTHROPIC_BASE_URL \
		LLMROUTE_CONFIG OPENROUTER_API_KEY LLMROUTE_LOG
	COOLDOWN_FILE="$XDG_STATE_HOME/llmroute/cooldown.jsonl"
	# the cost log's default place (if this build writes one)
	LOG_FILE="$XDG_STATE_HOME/llmroute/log.jsonl"
	server_start --max-seconds 300 || return 1
	export OPENAI_API_KEY="$KEY" OPENAI_BASE_URL="$SERVER_URL/v1"
	export ANTHROPIC_API_KEY="$KEY" ANTHROPIC_BASE_URL="$SERVER_URL"
	write_file prompt.txt "$SIMPLE_PROMPT"
	CFG="$T/cfg.json"
	mkcfg '{}'
	BG_PID="" BG_RUNNER=""
}

call_teardown() {
	runner_kill "${BG_PID:-}" "${BG_RUNNER:-}"
	server_stop
}

# mkcfg JSON [FILE]: write FILE (default $CFG): fast retries merged
# (recursively) with JSON.
mkcfg() {
	jq -n --argjson extra "$1" \
		'{"retry": {"backoff_base": 0.01, "backoff_max": 0.05}} * $extra' \
		>"${2:-$CFG}"
}

# lr ARGS...: llmroute with $CFG, bounded in time.
lr() {
	timeout -k 5 60 "$LLMROUTE" -c "$CFG" "$@"
}

# no_key_leak: the key is in neither $output nor $stderr (after run
# --separate-stderr).
no_key_leak() {
	[[ "$output" != *"$KEY"* ]] || { echo "key on stdout: $output" >&2; return 1; }
	[[ "${stderr:-}" != *"$KEY"* ]] || { echo "key on stderr: $stderr" >&2; return 1; }
}

# no_key_part FILE...: no run of 8 characters of the key is in any FILE
# (what a cut might leave of it).
no_key_part() {
	local i f part
	for ((i = 0; i + 8 <= ${#KEY}; i++)); do
		part=${KEY:i:8}
		for f; do
			! grep -q -a -F -- "$part" "$f" || {
				echo "'$part' of the key is in $f:" >&2
				grep -a -F -- "$part" "$f" | head -c 2000 >&2
				return 1
			}
		done
	done
}

# no_key_in_state: the key is in no file of the state directory (the
# cooldown file, the cost log).
no_key_in_state() {
	! grep -r -q -F "$KEY" "$XDG_STATE_HOME" || {
		grep -r -F "$KEY" "$XDG_STATE_HOME" >&2
		return 1
	}
}

# req_field N JQ: the jq expression JQ applied to the N-th request.
req_field() {
	server_request "$1" | jq -c "$2"
}

# req_models: the model of every request, one per line.
req_models() {
	server_requests | jq -r '.body.model'
}

# price MODEL FIELD: a price (USD per 1M tokens) from `llmroute models`.
price() {
	"$LLMROUTE" models -f json | jq -r --arg m "$1" --arg f "$2" \
		'select(.name == $m) | .[$f]'
}

# dt N M: seconds between the server's arrival times of requests N and M.
dt() {
	jq -n --argjson a "$(req_field "$1" .t)" --argjson b "$(req_field "$2" .t)" '$b - $a'
}

# ge A B: A >= B as numbers.
ge() {
	jq -n -e --argjson a "$1" --argjson b "$2" '$a >= $b' >/dev/null
}

# bg_start ARGS...: llmroute (with $CFG, reading prompt.txt) in the
# background through runner_start (common.bash), with files $T/bg.* and a
# 30 s limit.  Sets BG_PID (llmroute) and BG_RUNNER (the parent).
bg_start() {
	runner_start bg "$T/prompt.txt" 30 "$LLMROUTE" -c "$CFG" "$@"
	BG_RUNNER=$!
	wait_file_nonempty "$T/bg.pid" || return 1
	BG_PID="$(<"$T/bg.pid")"
}

# bg_status: wait (at most 40 s) for the background llmroute to end; print
# its status as runner_start records it.
bg_status() {
	runner_status bg 40 || return 1
	wait "$BG_RUNNER" 2>/dev/null
	BG_PID="" BG_RUNNER=""
}
